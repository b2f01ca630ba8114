"""requirement score figures: the lowest indicator score and the previous year's score

Filled here from the answers and the earlier submissions, by frozen copies of the rules
(app/services/assessment/scoring.requirement_result's lowest, and
app/services/assessment/previous_scores.refresh with catalogue/lineage.key_map), in plain
Python over plain SQL rows, a range of ids at a time so a large database fits in memory.

Revision ID: 0018_requirement_score_figures
Revises: 0017_requirement_rollup
Create Date: 2026-12-04 18:40:00
"""

import json
from collections.abc import Sequence
from itertools import groupby, pairwise

import sqlalchemy as sa
from alembic import op

revision: str = '0018_requirement_score_figures'
down_revision: str | None = '0017_requirement_rollup'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BATCH = 2_000  # assessments or members read at a time


def _ranges(connection, query: str):
    """(first, last) id ranges of about BATCH ids each, from a query of sorted ids."""
    ids = [row[0] for row in connection.execute(sa.text(query))]
    for start in range(0, len(ids), BATCH):
        yield ids[start], ids[min(start + BATCH, len(ids)) - 1]


def upgrade() -> None:
    with op.batch_alter_table('requirement_score', schema=None) as batch_op:
        batch_op.add_column(sa.Column('lowest_score', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('previous_score', sa.Float(), nullable=True))
    connection = op.get_bind()
    _fill_lowest(connection)
    _fill_previous(connection)


def downgrade() -> None:
    with op.batch_alter_table('requirement_score', schema=None) as batch_op:
        batch_op.drop_column('previous_score')
        batch_op.drop_column('lowest_score')


UPDATES = {column: sa.text(f"UPDATE requirement_score SET {column} = :value "  # noqa: S608
                           "WHERE id = :row_id")
           for column in ("lowest_score", "previous_score")}


def _update(connection, column: str, changes: list[dict]) -> None:
    if changes:
        connection.execute(UPDATES[column], changes)


def _fill_lowest(connection) -> None:
    """The lowest score among the answers each requirement's mean counts: in scope for the
    member's service type, scored, not "not relevant", not an unconfirmed carry-over."""
    indicators = {}
    for indicator_id, requirement_id, types in connection.execute(sa.text(
            "SELECT id, requirement_id, service_types FROM indicator")):
        indicators[indicator_id] = (requirement_id,
                                    set(json.loads(types) if isinstance(types, str) else types))
    service_type = dict(connection.execute(sa.text(
        "SELECT a.id, o.service_type FROM assessment a "
        "JOIN organisation o ON o.id = a.organisation_id")).all())
    for first, last in _ranges(connection, "SELECT id FROM assessment ORDER BY id"):
        bounds = {"first": first, "last": last}
        rows = {(a, r): i for i, a, r in connection.execute(sa.text(
            "SELECT id, assessment_id, requirement_id FROM requirement_score "
            "WHERE assessment_id BETWEEN :first AND :last"), bounds)}
        lowest: dict[tuple[int, int], int] = {}
        for assessment_id, indicator_id, score in connection.execute(sa.text(
                "SELECT assessment_id, indicator_id, score FROM answer "
                "WHERE assessment_id BETWEEN :first AND :last AND score IS NOT NULL "
                "AND NOT not_applicable AND NOT carried_over"), bounds):
            requirement_id, types = indicators[indicator_id]
            if service_type.get(assessment_id) in types:
                key = (assessment_id, requirement_id)
                lowest[key] = min(score, lowest.get(key, score))
        _update(connection, "lowest_score", [{"row_id": rows[key], "value": score}
                                             for key, score in lowest.items() if key in rows])


def _fill_previous(connection) -> None:
    """Per member, each submitted requirement score's score in its previous submission, by
    permanent key through the mapping across catalogue versions."""
    parents = dict(connection.execute(sa.text(
        "SELECT id, supersedes_id FROM catalogue_version")).all())
    steps: dict[tuple[int, int], dict[str, str]] = {}
    for older, newer, old_key, new_key in connection.execute(sa.text(
            "SELECT from_version_id, to_version_id, from_key, to_key "
            "FROM catalogue_node_mapping WHERE relation = 'equal'")):
        steps.setdefault((older, newer), {})[old_key] = new_key
    maps: dict[tuple[int, int], dict[str, str]] = {}

    def key_map(older: int, newer: int) -> dict[str, str]:
        if (older, newer) not in maps:
            chain = [newer]
            while chain[-1] != older and (parent := parents.get(chain[-1])) is not None \
                    and parent not in chain:
                chain.append(parent)
            mapping: dict[str, str] | None = None
            if chain[-1] == older:
                for a, b in pairwise(reversed(chain)):
                    step = steps.get((a, b), {})
                    mapping = step if mapping is None else {
                        old: step[mid] for old, mid in mapping.items() if mid in step}
            maps[(older, newer)] = mapping or {}
        return maps[(older, newer)]

    for first, last in _ranges(connection, "SELECT id FROM organisation ORDER BY id"):
        rows = connection.execute(sa.text(
            "SELECT a.organisation_id, c.year, a.id, a.catalogue_version_id, s.id, r.key, "
            "s.score FROM requirement_score s "
            "JOIN assessment a ON a.id = s.assessment_id "
            "JOIN cycle c ON c.id = a.cycle_id "
            "JOIN requirement r ON r.id = s.requirement_id "
            "WHERE a.submitted_at IS NOT NULL AND a.organisation_id BETWEEN :first AND :last "
            "ORDER BY a.organisation_id, c.year, a.id"), {"first": first, "last": last})
        changes = []
        for _member, years in groupby(rows, key=lambda row: row[0]):
            before: dict[str, float | None] = {}
            before_version = None
            for (_, version), group in groupby(years, key=lambda row: (row[2], row[3])):
                group = list(group)
                if before_version is not None and before_version != version:
                    mapping = key_map(before_version, version)
                    before = {mapping[k]: s for k, s in before.items() if k in mapping}
                changes += [{"row_id": row_id, "value": before[key]}
                            for *_, row_id, key, _ in group if before.get(key) is not None]
                before = {key: score for *_, key, score in group}
                before_version = version
        _update(connection, "previous_score", changes)
