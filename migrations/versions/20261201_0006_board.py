"""board: covering indexes for the sector roll-ups over stored requirement scores

Revision ID: 0006_board
Revises: 0005_advisors
Create Date: 2026-12-01 23:35:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = '0006_board'
down_revision: str | None = '0005_advisors'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('assessment', schema=None) as batch_op:
        batch_op.create_index('ix_assessment_cycle_status_organisation',
                              ['cycle_id', 'status', 'organisation_id'], unique=False)
    with op.batch_alter_table('requirement_score', schema=None) as batch_op:
        batch_op.create_index('ix_requirement_score_assessment_requirement_score',
                              ['assessment_id', 'requirement_id', 'score'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('requirement_score', schema=None) as batch_op:
        batch_op.drop_index('ix_requirement_score_assessment_requirement_score')
    with op.batch_alter_table('assessment', schema=None) as batch_op:
        batch_op.drop_index('ix_assessment_cycle_status_organisation')
