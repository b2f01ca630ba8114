"""catalogues

Revision ID: 0002_catalogues
Revises: 0001_foundation
Create Date: 2026-11-23 19:49:43.123593
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import app.models.base

revision: str = '0002_catalogues'
down_revision: str | None = '0001_foundation'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:

    op.create_table('catalogue_version',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
    sa.Column('version', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('title', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('published_on', sa.Date(), nullable=False),
    sa.Column('content_hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('document', sa.JSON(), nullable=False),
    sa.Column('supersedes_id', sa.Integer(), nullable=True),
    sa.Column('loaded_at', app.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['supersedes_id'], ['catalogue_version.id'], name=op.f('fk_catalogue_version_supersedes_id_catalogue_version')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_catalogue_version')),
    sa.UniqueConstraint('key', 'version', name=op.f('uq_catalogue_version_key'))
    )
    with op.batch_alter_table('catalogue_version', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_catalogue_version_key'), ['key'], unique=False)

    op.create_table('catalogue_node_mapping',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('from_version_id', sa.Integer(), nullable=False),
    sa.Column('from_key', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
    sa.Column('to_version_id', sa.Integer(), nullable=False),
    sa.Column('to_key', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
    sa.Column('relation', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('rationale', sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=False),
    sa.ForeignKeyConstraint(['from_version_id'], ['catalogue_version.id'], name=op.f('fk_catalogue_node_mapping_from_version_id_catalogue_version')),
    sa.ForeignKeyConstraint(['to_version_id'], ['catalogue_version.id'], name=op.f('fk_catalogue_node_mapping_to_version_id_catalogue_version')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_catalogue_node_mapping'))
    )
    with op.batch_alter_table('catalogue_node_mapping', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_catalogue_node_mapping_from_version_id'), ['from_version_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_catalogue_node_mapping_to_version_id'), ['to_version_id'], unique=False)

    op.create_table('requirement',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('catalogue_version_id', sa.Integer(), nullable=False),
    sa.Column('key', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('title', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
    sa.ForeignKeyConstraint(['catalogue_version_id'], ['catalogue_version.id'], name=op.f('fk_requirement_catalogue_version_id_catalogue_version')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_requirement')),
    sa.UniqueConstraint('catalogue_version_id', 'key', name=op.f('uq_requirement_catalogue_version_id'))
    )
    with op.batch_alter_table('requirement', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_requirement_catalogue_version_id'), ['catalogue_version_id'], unique=False)

    op.create_table('indicator',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('catalogue_version_id', sa.Integer(), nullable=False),
    sa.Column('requirement_id', sa.Integer(), nullable=False),
    sa.Column('key', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
    sa.Column('ref', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('text', sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=False),
    sa.Column('service_types', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['catalogue_version_id'], ['catalogue_version.id'], name=op.f('fk_indicator_catalogue_version_id_catalogue_version')),
    sa.ForeignKeyConstraint(['requirement_id'], ['requirement.id'], name=op.f('fk_indicator_requirement_id_requirement')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_indicator')),
    sa.UniqueConstraint('catalogue_version_id', 'key', name=op.f('uq_indicator_catalogue_version_id'))
    )
    with op.batch_alter_table('indicator', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_indicator_catalogue_version_id'), ['catalogue_version_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_indicator_requirement_id'), ['requirement_id'], unique=False)




def downgrade() -> None:

    with op.batch_alter_table('indicator', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_indicator_requirement_id'))
        batch_op.drop_index(batch_op.f('ix_indicator_catalogue_version_id'))

    op.drop_table('indicator')
    with op.batch_alter_table('requirement', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_requirement_catalogue_version_id'))

    op.drop_table('requirement')
    with op.batch_alter_table('catalogue_node_mapping', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_catalogue_node_mapping_to_version_id'))
        batch_op.drop_index(batch_op.f('ix_catalogue_node_mapping_from_version_id'))

    op.drop_table('catalogue_node_mapping')
    with op.batch_alter_table('catalogue_version', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_catalogue_version_key'))

    op.drop_table('catalogue_version')

