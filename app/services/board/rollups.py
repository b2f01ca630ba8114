"""The stored roll-up (RequirementRollup): per cycle, segment group and requirement, the
sums, distribution and median of the stored histogram, written again for the groups a
write changes, in its transaction, so the board's figures read one row per group and
requirement instead of summing every distinct score on each request.

The sums are added up by the database (one grouped statement); the median is the one
figure read from the histogram's rows in order (few: scores are means of a few whole
steps). A writer locks its groups' respondent counts before it changes the histogram
(histograms._count), so two writers of one group take turns and each sums what the other
committed.
"""

from collections.abc import Iterable
from itertools import groupby
from operator import itemgetter

import sqlalchemy as sa
from sqlmodel import Session, col, delete, select

from app.models import Cycle, RequirementRollup, ScoreHistogram
from app.services.catalogue.versions import models_of_versions

GroupKey = tuple[int, str, str]  # cycle id, segment, group value


def _scales(session: Session, cycle_ids: Iterable[int]) -> tuple[list[int], dict[int, int]]:
    """The steps of every scale in the cycles, and each cycle's threshold."""
    cycles = session.exec(select(Cycle.id, Cycle.catalogue_version_id)
                          .where(col(Cycle.id).in_(set(cycle_ids)))).all()
    models = models_of_versions(session, {version for _, version in cycles})
    scales = {cycle_id: models[version].scale for cycle_id, version in cycles}
    steps = list(range(min(s.min for s in scales.values()),
                       max(s.max for s in scales.values()) + 1))
    return steps, {cycle_id: scale.threshold for cycle_id, scale in scales.items()}


def _sums(session: Session, which: sa.ColumnElement[bool], steps: list[int],
          thresholds: dict[int, int]) -> dict[tuple, dict]:
    """(cycle, segment, group, requirement) -> scored, score_sum, meeting, distribution.

    A score counts in the whole step it rounds to, half up (3.5 counts as 4), and below
    the first or above the last step in that step.
    """
    h = ScoreHistogram.__table__.c
    n = h.respondents
    threshold = (sa.case(thresholds, value=h.cycle_id) if len(set(thresholds.values())) > 1
                 else next(iter(thresholds.values())))
    in_step = []
    for i, step in enumerate(steps):
        bounds = ([h.score >= step - 0.5] if i > 0 else []) + (
            [h.score < step + 0.5] if i < len(steps) - 1 else [])
        in_step.append(sa.func.sum(sa.case((sa.and_(sa.true(), *bounds), n), else_=0)))
    query = (sa.select(h.cycle_id, h.segment, h.group_value, h.requirement_id,
                       sa.func.sum(n), sa.func.sum(h.score * n),
                       sa.func.sum(sa.case((h.score >= threshold, n), else_=0)), *in_step)
             .where(which)
             .group_by(h.cycle_id, h.segment, h.group_value, h.requirement_id))
    names = [str(step) for step in steps]
    return {(cycle_id, segment, group, requirement_id): {
        "scored": int(scored), "score_sum": float(weighted), "meeting": int(meeting),
        "distribution": {name: int(c) for name, c in zip(names, counts, strict=True)}}
        for cycle_id, segment, group, requirement_id, scored, weighted, meeting, *counts
        in session.connection().execute(query)}


def median_of_counts(pairs: list[tuple[float, int]]) -> float:
    """The middle score of (score, how many) pairs in score order (the mean of the two
    middle ones for an even count)."""
    scored = sum(n for _, n in pairs)
    low_position, high_position = (scored + 1) // 2, (scored + 2) // 2  # 1-based
    position, low = 0, None
    for value, n in pairs:
        position += n
        if low is None and position >= low_position:
            low = value
        if position >= high_position:
            return (low + value) / 2
    raise ValueError("an empty histogram has no median")


def _medians(session: Session, which: sa.ColumnElement[bool]) -> dict[tuple, float]:
    """(cycle, segment, group, requirement) -> the median, from the histogram's rows in
    its primary key's order (so the database reads the index without sorting)."""
    h = ScoreHistogram.__table__.c
    key = (h.cycle_id, h.segment, h.group_value, h.requirement_id)
    ordered = session.connection().execute(
        sa.select(*key, h.score, h.respondents).where(which).order_by(*key, h.score)).all()
    return {group: median_of_counts([(float(row[4]), row[5]) for row in rows])
            for group, rows in groupby(ordered, itemgetter(0, 1, 2, 3))}


def refresh_rollups(session: Session, groups: Iterable[GroupKey]) -> None:
    """Writes the roll-up of these groups again from the histogram (none left: no rows);
    no commit."""
    groups = sorted(set(groups))
    if not groups:
        return
    rollup = RequirementRollup.__table__.c
    session.execute(delete(RequirementRollup).where(
        sa.tuple_(rollup.cycle_id, rollup.segment, rollup.group_value).in_(groups)))
    h = ScoreHistogram.__table__.c
    _insert(session, sa.tuple_(h.cycle_id, h.segment, h.group_value).in_(groups),
            {cycle_id for cycle_id, _, _ in groups})


def rebuild_rollups(session: Session) -> None:
    """Writes the whole roll-up again from the histogram (after a bulk load); no commit."""
    session.execute(delete(RequirementRollup))
    _insert(session, sa.true(), set(session.exec(select(Cycle.id))))


def _insert(session: Session, which: sa.ColumnElement[bool], cycle_ids: set[int]) -> None:
    """The roll-up rows of the histogram's rows `which` selects, in the cycles named."""
    if not cycle_ids:
        return
    steps, thresholds = _scales(session, cycle_ids)
    medians = _medians(session, which)
    rows = [dict(zip(("cycle_id", "segment", "group_value", "requirement_id"), key,
                     strict=True)) | figures | {"median": medians[key]}
            for key, figures in _sums(session, which, steps, thresholds).items()]
    if rows:
        session.execute(sa.insert(RequirementRollup), rows)
