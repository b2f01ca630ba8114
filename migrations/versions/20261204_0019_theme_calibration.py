"""theme calibration: each submitted self-assessment per theme beside the latest official
score

Filled here by a frozen copy of app/services/theme_calibration.computed (the theme map of
app/services/board/themes._mapped read from the stored catalogue documents), in SQL.

Revision ID: 0019_theme_calibration
Revises: 0018_requirement_score_figures
Create Date: 2026-12-04 18:35:00
"""

import json
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = '0019_theme_calibration'
down_revision: str | None = '0018_requirement_score_figures'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('theme_calibration',
    sa.Column('assessment_id', sa.Integer(), nullable=False),
    sa.Column('theme_key', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('cycle_id', sa.Integer(), nullable=False),
    sa.Column('self_score', sa.Float(), nullable=False),
    sa.Column('official_score', sa.Float(), nullable=True),
    sa.Column('visited_on', sa.Date(), nullable=True),
    sa.Column('gap', sa.Float(), nullable=True),
    sa.ForeignKeyConstraint(['assessment_id'], ['assessment.id'], name=op.f('fk_theme_calibration_assessment_id_assessment'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['cycle_id'], ['cycle.id'], name=op.f('fk_theme_calibration_cycle_id_cycle')),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_theme_calibration_organisation_id_organisation')),
    sa.PrimaryKeyConstraint('assessment_id', 'theme_key', name=op.f('pk_theme_calibration'))
    )
    with op.batch_alter_table('theme_calibration', schema=None) as batch_op:
        batch_op.create_index('ix_theme_calibration_cycle_gap', ['cycle_id', 'gap'], unique=False)
        batch_op.create_index('ix_theme_calibration_sector', ['cycle_id', 'theme_key', 'official_score', 'self_score'], unique=False)
        batch_op.create_index(batch_op.f('ix_theme_calibration_organisation_id'), ['organisation_id'], unique=False)
    _fill(op.get_bind())


def downgrade() -> None:
    with op.batch_alter_table('theme_calibration', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_theme_calibration_organisation_id'))
        batch_op.drop_index('ix_theme_calibration_sector')
        batch_op.drop_index('ix_theme_calibration_cycle_gap')
    op.drop_table('theme_calibration')


def _mapped(connection) -> list[tuple[int, str, str]]:
    """(version id, requirement key, theme key): each assessment catalogue's requirements
    mapped to a theme of its reference framework."""
    documents = {}
    for version_id, key, version, kind, document in connection.execute(sa.text(
            "SELECT id, key, version, kind, document FROM catalogue_version")):
        documents[version_id] = (key, version, kind, json.loads(document)
                                 if isinstance(document, str) else document)
    themes = {(key, version): {theme["id"] for theme in document.get("themes") or []}
              for key, version, _, document in documents.values()}
    pairs = []
    for version_id, (_, _, kind, document) in documents.items():
        framework = document.get("reference_framework")
        if kind != "assessment" or not framework:
            continue
        theme_ids = themes.get((framework["key"], str(framework["version"])))
        if not theme_ids:
            continue
        for requirement in document.get("requirements") or []:
            for mapping in requirement.get("mappings") or []:
                if mapping.get("to") in theme_ids:
                    pairs.append((version_id, requirement["id"], mapping["to"]))
    return pairs


def _fill(connection) -> None:
    pairs = _mapped(connection)
    if not pairs:
        return
    mapping = " UNION ALL ".join(
        f"SELECT CAST(:v{n} AS INTEGER) AS version_id, :k{n} AS requirement_key, "
        f":t{n} AS theme_key"
        for n in range(len(pairs)))
    params = {}
    for n, (version, key, theme) in enumerate(pairs):
        params.update({f"v{n}": version, f"k{n}": key, f"t{n}": theme})
    # Only bound parameters go into the inline mapping's text.
    connection.execute(sa.text(
        "INSERT INTO theme_calibration (assessment_id, theme_key, organisation_id, cycle_id, "  # noqa: S608
        "self_score, official_score, visited_on, gap) "
        "SELECT own.assessment_id, own.theme_key, a.organisation_id, a.cycle_id, "
        "own.self_score, lo.score, lo.visited_on, own.self_score - lo.score "
        "FROM (SELECT s.assessment_id AS assessment_id, m.theme_key AS theme_key, "
        "avg(s.score) AS self_score FROM requirement_score s "
        "JOIN assessment a ON a.id = s.assessment_id "
        "JOIN requirement r ON r.id = s.requirement_id "
        f"JOIN ({mapping}) m ON m.version_id = r.catalogue_version_id "
        "AND m.requirement_key = r.key "
        "WHERE a.status = 'submitted' AND s.score IS NOT NULL "
        "GROUP BY s.assessment_id, m.theme_key) own "
        "JOIN assessment a ON a.id = own.assessment_id "
        "LEFT JOIN latest_official lo ON lo.organisation_id = a.organisation_id "
        "AND lo.theme_key = own.theme_key"), params)
