"""hardening: password-reset requests, counted per account and per address

Revision ID: 0007_hardening
Revises: 0006_board
Create Date: 2026-12-01 23:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import app.models.base

revision: str = '0007_hardening'
down_revision: str | None = '0006_board'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('reset_request',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('email', sqlmodel.sql.sqltypes.AutoString(length=254), nullable=False),
    sa.Column('client', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('requested_at', app.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reset_request'))
    )
    with op.batch_alter_table('reset_request', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_reset_request_client'), ['client'], unique=False)
        batch_op.create_index(batch_op.f('ix_reset_request_email'), ['email'], unique=False)
        batch_op.create_index(batch_op.f('ix_reset_request_requested_at'), ['requested_at'],
                              unique=False)


def downgrade() -> None:
    with op.batch_alter_table('reset_request', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_reset_request_requested_at'))
        batch_op.drop_index(batch_op.f('ix_reset_request_email'))
        batch_op.drop_index(batch_op.f('ix_reset_request_client'))
    op.drop_table('reset_request')
