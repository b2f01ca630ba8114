"""Sector figures per cycle, requirement and segment group, computed in SQL over the
requirement scores stored per assessment (one grouped query per kind of figure, whatever
the number of members), with primary and secondary suppression applied before anything
leaves this module.

A respondent is a member whose assessment for the cycle is submitted. The members of a
group are the active members plus any former member who responded, so the response rate
never exceeds 100 %; membership is not kept per year, so for past cycles it is today's.
"""

import math
from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlmodel import Session, col, select

from app.i18n import localised
from app.models import (
    Assessment,
    CatalogueVersion,
    Cycle,
    Organisation,
    Requirement,
    ScoreHistogram,
)
from app.models.vocabulary import AssessmentStatus
from app.services.board.histograms import ALL
from app.services.board.segments import Segment, group_column, group_order
from app.services.board.suppression import hidden_groups
from app.services.catalogue.versions import model_of

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


def _counts(session: Session, cycle_ids: list[int], segment: Segment | None) -> _Counts:
    """Respondents and members per cycle and group, in two grouped queries.

    Members: the active members of the group, plus its respondents who have left since.
    """
    group = group_column(segment)
    by_group = [group] if segment else []
    submitted = session.exec(
        select(col(Assessment.cycle_id), group, sa.func.count(),
               sa.func.sum(sa.case((col(Organisation.active), 0), else_=1)))
        .join(Organisation, col(Organisation.id) == col(Assessment.organisation_id))
        .where(col(Assessment.cycle_id).in_(cycle_ids),
               Assessment.status == AssessmentStatus.SUBMITTED)
        .group_by(col(Assessment.cycle_id), *by_group)
    ).all()
    active = dict(session.exec(
        select(group, sa.func.count()).where(col(Organisation.active)).group_by(*by_group)
    ).all())
    respondents = {(c, g): int(n) for c, g, n, _left in submitted}
    members = {(c, g): int(n) for c in cycle_ids for g, n in active.items() if n}
    for c, g, n, left in submitted:
        respondents[c, g] = int(n)
        members[c, g] = members.get((c, g), 0) + int(left or 0)
    for key in members:
        respondents.setdefault(key, 0)
    return _Counts(respondents, members)


def _histograms(session: Session, cycle_ids: list[int], segment: Segment | None,
                values: list[str] | None) -> dict[tuple[int, str], dict[int, list]]:
    """(cycle, group) -> requirement id -> [(score, respondents with it)], sorted.

    One query of the stored histogram (app/services/board/histograms.py): how many
    respondents have each requirement score. Scores are means of a few whole steps, so
    there are few distinct values whatever the number of members, and every figure (mean,
    median, distribution, share) follows from them.
    """
    h = ScoreHistogram.__table__.c
    query = (sa.select(h.cycle_id, h.group_value, h.requirement_id, h.score, h.respondents)
             .where(h.cycle_id.in_(cycle_ids), h.segment == (segment.value if segment else ALL))
             .order_by(h.score))
    if values is not None:
        query = query.where(h.group_value.in_(values))
    found: dict[tuple[int, str], dict[int, list]] = {}
    # A Core query: a few thousand plain tuples, without the ORM's per-row work.
    for cycle_id, grp, requirement_id, value, n in session.connection().execute(query):
        found.setdefault((cycle_id, grp), {}).setdefault(requirement_id, []).append(
            (float(value), int(n)))
    return found


def _merged(histograms: list[dict[int, list]]) -> dict[int, list]:
    """The groups' histograms added up: the sector's (each respondent is in one group)."""
    total: dict[int, dict[float, int]] = {}
    for histogram in histograms:
        for requirement_id, pairs in histogram.items():
            counts = total.setdefault(requirement_id, {})
            for value, n in pairs:
                counts[value] = counts.get(value, 0) + n
    return {r: sorted(counts.items()) for r, counts in total.items()}


def _median(pairs: list[tuple[float, int]], scored: int) -> float:
    """The middle score (the mean of the two middle ones for an even count)."""
    wanted = {(scored + 1) // 2, (scored + 2) // 2}  # 1-based positions
    found, position = [], 0
    for value, n in pairs:
        found += [value for p in wanted if position < p <= position + n]
        position += n
    return sum(found) / len(found)


@dataclass(frozen=True)
class _CycleInfo:
    cycle: Cycle
    scale_min: int
    scale_max: int
    threshold: int
    requirements: list[tuple[str, int, str]]  # key, number, title (catalogue order)


def _cycle_infos(session: Session, cycles: list[Cycle]) -> dict[int, _CycleInfo]:
    version_ids = {c.catalogue_version_id for c in cycles}
    versions = {v.id: model_of(v) for v in session.exec(
        select(CatalogueVersion).where(col(CatalogueVersion.id).in_(version_ids)))}
    infos = {}
    for cycle in cycles:
        model = versions[cycle.catalogue_version_id]
        infos[cycle.id] = _CycleInfo(
            cycle, model.scale.min, model.scale.max, model.scale.threshold,
            [(r.id, r.number, localised(r, "title")) for r in model.requirements])
    return infos


def _step(score: float, steps: list[int]) -> str:
    """The whole step a requirement score rounds to, half up (3.5 counts as 4)."""
    return str(min(steps[-1], max(steps[0], math.floor(score + 0.5))))


def _group_figures(value: str, info: _CycleInfo, respondents: int, members: int,
                   suppressed: bool, histogram: dict[int, list], steps: list[int],
                   ids: dict[tuple[int, str], int], titles: dict[str, str]) -> GroupFigures:
    if suppressed:
        return GroupFigures(value, True, None, None)
    figures = []
    version = info.cycle.catalogue_version_id
    for key, number, title in info.requirements:
        pairs = histogram.get(ids.get((version, key)), [])
        scored = sum(n for _, n in pairs)
        distribution = {str(step): 0 for step in steps}
        for score, n in pairs:
            distribution[_step(score, steps)] += n
        distribution[NOT_RELEVANT] = respondents - scored
        meeting = sum(n for score, n in pairs if score >= info.threshold)
        figures.append(RequirementFigures(
            key, number, titles.get(key, title),
            sum(score * n for score, n in pairs) / scored if scored else None,
            _median(pairs, scored) if scored else None,
            distribution, meeting / scored if scored else None, scored))
    return GroupFigures(value, False, respondents, members, figures)


def cycle_figures(*, session: Session, cycles: list[Cycle], segment: Segment | None,
                  minimum: int, values: list[str] | None = None,
                  titles: dict[str, str] | None = None, with_total: bool = True
                  ) -> dict[int, CycleFigures]:
    """Figures per cycle: the sector total and every group of `segment`, suppressed.

    `values` limits the figures computed (not the suppression, which always looks at every
    group of the segment) to those groups; `titles` replaces requirement titles by key
    (translations); without `with_total` the total keeps its counts but not its scores.
    A fixed number of queries: catalogue versions, requirement ids, two for the counts
    and one for the scores; the total is added up from the groups.
    """
    if not cycles:
        return {}
    infos = _cycle_infos(session, cycles)
    cycle_ids = [c.id for c in cycles]
    steps = list(range(min(i.scale_min for i in infos.values()),
                       max(i.scale_max for i in infos.values()) + 1))
    ids = {(version, key): requirement_id for requirement_id, version, key in session.exec(
        select(Requirement.id, Requirement.catalogue_version_id, Requirement.key).where(
            col(Requirement.catalogue_version_id).in_(
                {c.catalogue_version_id for c in cycles})))}
    titles = titles or {}
    counts = _counts(session, cycle_ids, segment)
    histograms = _histograms(session, cycle_ids, segment, values)
    result = {}
    for cycle_id, info in infos.items():
        respondents = {g: r for (c, g), r in counts.respondents.items() if c == cycle_id}
        members = {g: m for (c, g), m in counts.members.items() if c == cycle_id}
        n = sum(respondents.values())
        # The total from the groups: their histograms add up, as their counts do.
        if segment is None:
            total_histogram = histograms.get((cycle_id, TOTAL), {})
        elif values is None and with_total:
            total_histogram = _merged([h for (c, _g), h in histograms.items() if c == cycle_id])
        else:
            total_histogram = {}
        total = _group_figures(TOTAL, info, n, sum(members.values()), n < minimum,
                               total_histogram, steps, ids, titles)
        groups = []
        if segment is not None:
            hidden = hidden_groups(respondents, minimum, members)
            for value in group_order(segment, list(respondents)):
                if values is not None and value not in values:
                    continue
                groups.append(_group_figures(
                    value, info, respondents[value], members[value], value in hidden,
                    histograms.get((cycle_id, value), {}), steps, ids, titles))
        result[cycle_id] = CycleFigures(cycle_id, info.cycle.year, info.scale_min,
                                        info.scale_max, info.threshold, segment, total, groups,
                                        info.cycle.catalogue_version_id)
    return result
