"""latest official: each member's latest Socialtilsynet score per theme, kept in a table

Revision ID: 0015_latest_official
Revises: 0014_account_self_service
Create Date: 2026-12-03 08:55:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = '0015_latest_official'
down_revision: str | None = '0014_account_self_service'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The rule of app/services/official_scores.py as it stands at this revision, frozen: a
# later change of the code must not change what this migration wrote.
FILL = """
INSERT INTO latest_official (organisation_id, theme_key, visited_on, score)
SELECT latest.organisation_id, latest.theme_key, latest.visited_on, avg(score.score)
FROM (SELECT inspection.organisation_id AS organisation_id,
             inspection_score.node_id AS theme_key,
             max(inspection.visited_on) AS visited_on
      FROM inspection_score
      JOIN inspection ON inspection.id = inspection_score.inspection_id
      WHERE inspection_score.level = 'theme'
      GROUP BY inspection.organisation_id, inspection_score.node_id) AS latest
JOIN inspection ON inspection.organisation_id = latest.organisation_id
               AND inspection.visited_on = latest.visited_on
JOIN inspection_score AS score ON score.inspection_id = inspection.id
                              AND score.level = 'theme'
                              AND score.node_id = latest.theme_key
GROUP BY latest.organisation_id, latest.theme_key, latest.visited_on
"""


def upgrade() -> None:
    op.create_table('latest_official',
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('theme_key', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('visited_on', sa.Date(), nullable=False),
    sa.Column('score', sa.Float(), nullable=False),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_latest_official_organisation_id_organisation')),
    sa.PrimaryKeyConstraint('organisation_id', 'theme_key', name=op.f('pk_latest_official'))
    )
    op.execute(FILL)


def downgrade() -> None:
    op.drop_table('latest_official')
