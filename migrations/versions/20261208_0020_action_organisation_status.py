"""action: one index on (organisation_id, status) in place of the one on organisation_id

Saying the overdue actions of the 50 members on a page of the advisor's flag list read
every open action through the status index (17 ms at 50,000 members); with both columns
in one index it reads the page's members' own (0.1 ms).

Revision ID: 0020_action_organisation_status
Revises: 0019_theme_calibration
Create Date: 2026-12-08 01:20:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = '0020_action_organisation_status'
down_revision: str | None = '0019_theme_calibration'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('action', schema=None) as batch_op:
        batch_op.create_index('ix_action_organisation_id_status',
                              ['organisation_id', 'status'], unique=False)
        batch_op.drop_index(batch_op.f('ix_action_organisation_id'))


def downgrade() -> None:
    with op.batch_alter_table('action', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_action_organisation_id'), ['organisation_id'],
                              unique=False)
        batch_op.drop_index('ix_action_organisation_id_status')
