"""assessments

Revision ID: 0003_assessments
Revises: 0002_catalogues
Create Date: 2026-11-23 19:55:11.120912
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import app.models.base

revision: str = '0003_assessments'
down_revision: str | None = '0002_catalogues'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:

    op.create_table('cycle',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('catalogue_version_id', sa.Integer(), nullable=False),
    sa.Column('opens_on', sa.Date(), nullable=False),
    sa.Column('deadline', sa.Date(), nullable=False),
    sa.Column('created_at', app.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['catalogue_version_id'], ['catalogue_version.id'], name=op.f('fk_cycle_catalogue_version_id_catalogue_version')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cycle')),
    sa.UniqueConstraint('year', name=op.f('uq_cycle_year'))
    )
    with op.batch_alter_table('cycle', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cycle_catalogue_version_id'), ['catalogue_version_id'], unique=False)

    op.create_table('assessment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('cycle_id', sa.Integer(), nullable=False),
    sa.Column('catalogue_version_id', sa.Integer(), nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('answered_count', sa.Integer(), nullable=False),
    sa.Column('in_scope_count', sa.Integer(), nullable=False),
    sa.Column('injunction_reported', sa.Boolean(), nullable=True),
    sa.Column('injunction_kind', sqlmodel.sql.sqltypes.AutoString(length=30), nullable=False),
    sa.Column('injunction_description', sqlmodel.sql.sqltypes.AutoString(length=5000), nullable=False),
    sa.Column('injunction_version', sa.Integer(), nullable=False),
    sa.Column('submitted_at', app.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('created_at', app.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', app.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['catalogue_version_id'], ['catalogue_version.id'], name=op.f('fk_assessment_catalogue_version_id_catalogue_version')),
    sa.ForeignKeyConstraint(['cycle_id'], ['cycle.id'], name=op.f('fk_assessment_cycle_id_cycle')),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_assessment_organisation_id_organisation')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_assessment')),
    sa.UniqueConstraint('organisation_id', 'cycle_id', name=op.f('uq_assessment_organisation_id'))
    )
    with op.batch_alter_table('assessment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_assessment_cycle_id'), ['cycle_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_assessment_organisation_id'), ['organisation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_assessment_status'), ['status'], unique=False)

    op.create_table('action',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('requirement_id', sa.Integer(), nullable=True),
    sa.Column('assessment_id', sa.Integer(), nullable=True),
    sa.Column('title', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('description', sqlmodel.sql.sqltypes.AutoString(length=5000), nullable=False),
    sa.Column('owner_email', sqlmodel.sql.sqltypes.AutoString(length=254), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=True),
    sa.Column('priority', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('comment', sqlmodel.sql.sqltypes.AutoString(length=5000), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', app.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', app.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['assessment_id'], ['assessment.id'], name=op.f('fk_action_assessment_id_assessment'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_action_created_by_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_action_organisation_id_organisation')),
    sa.ForeignKeyConstraint(['requirement_id'], ['requirement.id'], name=op.f('fk_action_requirement_id_requirement')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_action'))
    )
    with op.batch_alter_table('action', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_action_organisation_id'), ['organisation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_action_status'), ['status'], unique=False)

    op.create_table('answer',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('assessment_id', sa.Integer(), nullable=False),
    sa.Column('indicator_id', sa.Integer(), nullable=False),
    sa.Column('score', sa.Integer(), nullable=True),
    sa.Column('not_applicable', sa.Boolean(), nullable=False),
    sa.Column('comment', sqlmodel.sql.sqltypes.AutoString(length=5000), nullable=False),
    sa.Column('carried_over', sa.Boolean(), nullable=False),
    sa.Column('saved_at_version', sa.Integer(), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.Column('updated_at', app.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['assessment_id'], ['assessment.id'], name=op.f('fk_answer_assessment_id_assessment'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['indicator_id'], ['indicator.id'], name=op.f('fk_answer_indicator_id_indicator')),
    sa.ForeignKeyConstraint(['updated_by_id'], ['user.id'], name=op.f('fk_answer_updated_by_id_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_answer')),
    sa.UniqueConstraint('assessment_id', 'indicator_id', name=op.f('uq_answer_assessment_id'))
    )
    with op.batch_alter_table('answer', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_answer_assessment_id'), ['assessment_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_answer_indicator_id'), ['indicator_id'], unique=False)

    op.create_table('assessment_revision',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('assessment_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('submitted_at', app.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('submitted_by_id', sa.Integer(), nullable=True),
    sa.Column('snapshot', sa.JSON(), nullable=False),
    sa.Column('reopened_at', app.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('reopened_by_id', sa.Integer(), nullable=True),
    sa.Column('reopen_reason', sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=False),
    sa.ForeignKeyConstraint(['assessment_id'], ['assessment.id'], name=op.f('fk_assessment_revision_assessment_id_assessment'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['reopened_by_id'], ['user.id'], name=op.f('fk_assessment_revision_reopened_by_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['submitted_by_id'], ['user.id'], name=op.f('fk_assessment_revision_submitted_by_id_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_assessment_revision')),
    sa.UniqueConstraint('assessment_id', 'number', name=op.f('uq_assessment_revision_assessment_id'))
    )
    with op.batch_alter_table('assessment_revision', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_assessment_revision_assessment_id'), ['assessment_id'], unique=False)

    op.create_table('evidence',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('assessment_id', sa.Integer(), nullable=False),
    sa.Column('requirement_id', sa.Integer(), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
    sa.Column('title', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
    sa.Column('url', sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=False),
    sa.Column('filename', sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
    sa.Column('content_type', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
    sa.Column('size_bytes', sa.Integer(), nullable=False),
    sa.Column('storage_key', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('uploaded_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', app.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['assessment_id'], ['assessment.id'], name=op.f('fk_evidence_assessment_id_assessment'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['requirement_id'], ['requirement.id'], name=op.f('fk_evidence_requirement_id_requirement')),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['user.id'], name=op.f('fk_evidence_uploaded_by_id_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_evidence'))
    )
    with op.batch_alter_table('evidence', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_evidence_assessment_id'), ['assessment_id'], unique=False)

    op.create_table('reflection',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('assessment_id', sa.Integer(), nullable=False),
    sa.Column('requirement_id', sa.Integer(), nullable=False),
    sa.Column('what_works', sqlmodel.sql.sqltypes.AutoString(length=5000), nullable=False),
    sa.Column('what_to_improve', sqlmodel.sql.sqltypes.AutoString(length=5000), nullable=False),
    sa.Column('saved_at_version', sa.Integer(), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.Column('updated_at', app.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['assessment_id'], ['assessment.id'], name=op.f('fk_reflection_assessment_id_assessment'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['requirement_id'], ['requirement.id'], name=op.f('fk_reflection_requirement_id_requirement')),
    sa.ForeignKeyConstraint(['updated_by_id'], ['user.id'], name=op.f('fk_reflection_updated_by_id_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reflection')),
    sa.UniqueConstraint('assessment_id', 'requirement_id', name=op.f('uq_reflection_assessment_id'))
    )
    with op.batch_alter_table('reflection', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_reflection_assessment_id'), ['assessment_id'], unique=False)

    op.create_table('requirement_score',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('assessment_id', sa.Integer(), nullable=False),
    sa.Column('requirement_id', sa.Integer(), nullable=False),
    sa.Column('score', sa.Float(), nullable=True),
    sa.Column('scored_count', sa.Integer(), nullable=False),
    sa.Column('answered_count', sa.Integer(), nullable=False),
    sa.Column('in_scope_count', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['assessment_id'], ['assessment.id'], name=op.f('fk_requirement_score_assessment_id_assessment'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['requirement_id'], ['requirement.id'], name=op.f('fk_requirement_score_requirement_id_requirement')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_requirement_score')),
    sa.UniqueConstraint('assessment_id', 'requirement_id', name=op.f('uq_requirement_score_assessment_id'))
    )
    with op.batch_alter_table('requirement_score', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_requirement_score_assessment_id'), ['assessment_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_requirement_score_requirement_id'), ['requirement_id'], unique=False)




def downgrade() -> None:

    with op.batch_alter_table('requirement_score', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_requirement_score_requirement_id'))
        batch_op.drop_index(batch_op.f('ix_requirement_score_assessment_id'))

    op.drop_table('requirement_score')
    with op.batch_alter_table('reflection', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_reflection_assessment_id'))

    op.drop_table('reflection')
    with op.batch_alter_table('evidence', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_evidence_assessment_id'))

    op.drop_table('evidence')
    with op.batch_alter_table('assessment_revision', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_assessment_revision_assessment_id'))

    op.drop_table('assessment_revision')
    with op.batch_alter_table('answer', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_answer_indicator_id'))
        batch_op.drop_index(batch_op.f('ix_answer_assessment_id'))

    op.drop_table('answer')
    with op.batch_alter_table('action', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_action_status'))
        batch_op.drop_index(batch_op.f('ix_action_organisation_id'))

    op.drop_table('action')
    with op.batch_alter_table('assessment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_assessment_status'))
        batch_op.drop_index(batch_op.f('ix_assessment_organisation_id'))
        batch_op.drop_index(batch_op.f('ix_assessment_cycle_id'))

    op.drop_table('assessment')
    with op.batch_alter_table('cycle', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_cycle_catalogue_version_id'))

    op.drop_table('cycle')

