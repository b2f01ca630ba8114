"""Sector figures per cycle, requirement and segment group, read from the roll-up that the
writes keep in SQL from the requirement scores stored per assessment (one row per group
and requirement, whatever the number of members), with primary and secondary suppression
applied before anything leaves this module.

A respondent is a member whose assessment for the cycle is submitted. The members of a
group are the active members plus any former member who responded, so the response rate
never exceeds 100 %; membership is not kept per year, so for past cycles it is today's.
"""

from dataclasses import dataclass, field
from functools import lru_cache

import sqlalchemy as sa
from sqlmodel import Session, col, select

from app.i18n import localised
from app.models import (
    Assessment,
    Cycle,
    Organisation,
    Requirement,
    RequirementRollup,
    RespondentCount,
)
from app.models.vocabulary import AssessmentStatus
from app.services.board.histograms import ALL, size_band_of
from app.services.board.segments import Segment, group_column, group_order
from app.services.board.suppression import hidden_groups
from app.services.catalogue.versions import models_of_versions

TOTAL = "all"
NOT_RELEVANT = "na"


@dataclass(frozen=True)
class RequirementFigures:
    key: str  # the permanent id, the same across catalogue versions
    number: int
    title: str
    mean: float | None  # None: no respondent scored it (all "not relevant")
    median: float | None
    # Requirement scores rounded to the nearest step (3.5 counts as 4), and "na": no
    # score because every indicator was "not relevant" or it does not apply.
    distribution: dict[str, int]
    share_meeting_threshold: float | None  # 0..1 of those who scored it
    scored: int


@dataclass(frozen=True)
class GroupFigures:
    value: str  # the segment's code, or "all" for the whole sector
    suppressed: bool
    respondents: int | None  # None when suppressed
    members: int | None
    requirements: list[RequirementFigures] = field(default_factory=list)

    @property
    def response_rate(self) -> float | None:
        if self.suppressed or not self.members:
            return None
        return self.respondents / self.members


@dataclass(frozen=True)
class CycleFigures:
    cycle_id: int
    year: int
    scale_min: int
    scale_max: int
    threshold: int
    segment: Segment | None
    total: GroupFigures
    groups: list[GroupFigures]  # every group of the segment; empty without one
    catalogue_version_id: int

    def group(self, value: str) -> GroupFigures | None:
        return next((g for g in self.groups if g.value == value), None)


@dataclass(frozen=True)
class _Counts:
    respondents: dict[tuple[int, str], int]
    members: dict[tuple[int, str], int]


# Each statement is built once per shape, its cycles a parameter: their SQL never changes,
# and building them again cost about a millisecond of the aggregates API's few.
CYCLES = sa.bindparam("cycle_ids", expanding=True)


@lru_cache(maxsize=8)
def _count_statements(segment: Segment | None) -> tuple[sa.Select, sa.Select, sa.Select]:
    """Respondents stored, respondents who have left, and members by group (active or not)."""
    group = group_column(segment)
    by_group = [group] if segment else []
    stored = RespondentCount.__table__.c
    counted = (sa.select(stored.cycle_id, stored.group_value, stored.respondents)
               .where(stored.cycle_id.in_(CYCLES),
                      stored.segment == (segment.value if segment else ALL)))
    former = select(Organisation.id).where(col(Organisation.active) == sa.false())
    departed = (select(col(Assessment.cycle_id), group, sa.func.count())
                .join(Organisation, col(Organisation.id) == col(Assessment.organisation_id))
                .where(col(Assessment.organisation_id).in_(former),
                       col(Assessment.cycle_id).in_(CYCLES),
                       Assessment.status == AssessmentStatus.SUBMITTED)
                .group_by(col(Assessment.cycle_id), *by_group))
    # Sizes are counted per number of places, in the index's order, and banded here.
    # Grouped by (group, active) with no WHERE, the database reads only the covering
    # index of the segment; filtering on active first made it visit every member's row.
    grouped_by = col(Organisation.places) if segment is Segment.SIZE else group
    if segment is None:
        members = select(grouped_by, sa.true(), sa.func.count()).where(col(Organisation.active))
    else:
        members = (select(grouped_by, col(Organisation.active), sa.func.count())
                   .group_by(grouped_by, col(Organisation.active)))
    return counted, departed, members


def _counts(session: Session, cycle_ids: list[int], segment: Segment | None) -> _Counts:
    """Respondents and members per cycle and group, in three small queries.

    Respondents: the stored counts (app/services/board/histograms.py). Members: the active
    members of the group (from an index), plus its respondents who have left since (few,
    found from the former members).
    """
    counted, departed, members_by_group = _count_statements(segment)
    connection = session.connection()
    cycles = {"cycle_ids": cycle_ids}
    active: dict[str, int] = {}
    for value, is_active, n in connection.execute(members_by_group):
        if not is_active:
            continue
        value = size_band_of(value) if segment is Segment.SIZE else value
        active[value] = active.get(value, 0) + n
    members = {(c, g): int(n) for c in cycle_ids for g, n in active.items() if n}
    for c, g, n in connection.execute(departed, cycles):
        members[c, g] = members.get((c, g), 0) + int(n)
    respondents = dict.fromkeys(members, 0)
    for c, g, n in connection.execute(counted, cycles):
        respondents[c, g] = int(n)
    return _Counts(respondents, members)


@lru_cache(maxsize=64)
def _rollup_statement(segment: Segment | None, values: tuple[str, ...] | None,
                      with_total: bool) -> sa.Select:
    """The stored roll-up's rows of `segment` (its groups in `values`, if given), and with
    `with_total` the sector's ("all") too."""
    r = RequirementRollup.__table__.c
    own = r.segment == (segment.value if segment else ALL)
    if values is not None:
        own = sa.and_(own, r.group_value.in_(values))
    rows = sa.or_(own, r.segment == ALL) if segment is not None and with_total else own
    return (sa.select(r.cycle_id, r.group_value, r.requirement_id, r.scored, r.score_sum,
                      r.meeting, r.distribution, r.median)
            .where(r.cycle_id.in_(CYCLES), rows))


@dataclass(frozen=True)
class _Sums:
    scored: int
    weighted: float  # the sum of the scores
    meeting: int  # how many score at or above the threshold
    distribution: dict[str, int]  # step -> how many round to it
    median: float | None


def _rollups(session: Session, cycle_ids: list[int], statement: sa.Select,
             with_medians: bool) -> dict[tuple[int, str], dict[int, _Sums]]:
    """(cycle, group) -> requirement id -> its stored sums: one row per group and
    requirement (app/services/board/rollups.py), whatever the number of members."""
    found: dict[tuple[int, str], dict[int, _Sums]] = {}
    for cycle_id, grp, requirement_id, scored, weighted, meeting, distribution, median in (
            session.connection().execute(statement, {"cycle_ids": cycle_ids})):
        found.setdefault((cycle_id, grp), {})[requirement_id] = _Sums(
            scored, weighted, meeting, distribution, median if with_medians else None)
    return found


@dataclass(frozen=True)
class _CycleInfo:
    cycle: Cycle
    scale_min: int
    scale_max: int
    threshold: int
    requirements: list[tuple[str, int, str]]  # key, number, title (catalogue order)


def _cycle_infos(session: Session, cycles: list[Cycle]) -> dict[int, _CycleInfo]:
    versions = models_of_versions(session, {c.catalogue_version_id for c in cycles})
    infos = {}
    for cycle in cycles:
        model = versions[cycle.catalogue_version_id]
        infos[cycle.id] = _CycleInfo(
            cycle, model.scale.min, model.scale.max, model.scale.threshold,
            [(r.id, r.number, localised(r, "title")) for r in model.requirements])
    return infos


_NO_SCORES = _Sums(0, 0.0, 0, {}, None)


def _requirement_figures(key: str, number: int, title: str, sums: _Sums,
                         respondents: int, steps: list[str]) -> RequirementFigures:
    distribution = {step: sums.distribution.get(step, 0) for step in steps}
    distribution[NOT_RELEVANT] = respondents - sums.scored
    if not sums.scored:
        return RequirementFigures(key, number, title, None, None, distribution, None, 0)
    return RequirementFigures(key, number, title, sums.weighted / sums.scored, sums.median,
                              distribution, sums.meeting / sums.scored, sums.scored)


def _group_figures(value: str, info: _CycleInfo, respondents: int, members: int,
                   suppressed: bool, sums: dict[int, _Sums],
                   steps: list[str], ids: dict[tuple[int, str], int],
                   titles: dict[str, str]) -> GroupFigures:
    if suppressed:
        return GroupFigures(value, True, None, None)
    version = info.cycle.catalogue_version_id
    figures = []
    for key, number, title in info.requirements:
        requirement_id = ids.get((version, key))
        figures.append(_requirement_figures(
            key, number, titles.get(key, title), sums.get(requirement_id, _NO_SCORES),
            respondents, steps))
    return GroupFigures(value, False, respondents, members, figures)


def cycle_figures(*, session: Session, cycles: list[Cycle], segment: Segment | None,
                  minimum: int, values: list[str] | None = None,
                  titles: dict[str, str] | None = None, with_total: bool = True,
                  with_medians: bool = True) -> dict[int, CycleFigures]:
    """Figures per cycle: the sector total and every group of `segment`, suppressed.

    `values` limits the figures computed (not the suppression, which always looks at every
    group of the segment) to those groups; `titles` replaces requirement titles by key
    (translations); without `with_total` the total keeps its counts but not its scores;
    without `with_medians` every median is None (the board's charts show none).
    A fixed number of queries: catalogue versions, requirement ids, three for the counts
    and one for the stored roll-up.
    """
    if not cycles:
        return {}
    infos = _cycle_infos(session, cycles)
    cycle_ids = [c.id for c in cycles]
    steps = list(range(min(i.scale_min for i in infos.values()),
                       max(i.scale_max for i in infos.values()) + 1))
    names = [str(step) for step in steps]
    ids = {(version, key): requirement_id for requirement_id, version, key in session.exec(
        select(Requirement.id, Requirement.catalogue_version_id, Requirement.key).where(
            col(Requirement.catalogue_version_id).in_(
                {c.catalogue_version_id for c in cycles})))}
    titles = titles or {}
    counts = _counts(session, cycle_ids, segment)
    # With a segment, the sector's scores are read too when its total is asked for.
    total_read = segment is None or (values is None and with_total)
    statement = _rollup_statement(segment, tuple(values) if values is not None else None,
                                  segment is not None and total_read)
    sums = _rollups(session, cycle_ids, statement, with_medians)
    result = {}
    for cycle_id, info in infos.items():
        respondents = {g: r for (c, g), r in counts.respondents.items() if c == cycle_id}
        members = {g: m for (c, g), m in counts.members.items() if c == cycle_id}
        n = sum(respondents.values())
        total_key = (cycle_id, TOTAL) if total_read else None
        total = _group_figures(TOTAL, info, n, sum(members.values()), n < minimum,
                               sums.get(total_key, {}), names, ids, titles)
        groups = []
        if segment is not None:
            hidden = hidden_groups(respondents, minimum, members)
            for value in group_order(segment, list(respondents)):
                if values is not None and value not in values:
                    continue
                groups.append(_group_figures(
                    value, info, respondents[value], members[value], value in hidden,
                    sums.get((cycle_id, value), {}), names, ids, titles))
        result[cycle_id] = CycleFigures(cycle_id, info.cycle.year, info.scale_min,
                                        info.scale_max, info.threshold, segment, total, groups,
                                        info.cycle.catalogue_version_id)
    return result
