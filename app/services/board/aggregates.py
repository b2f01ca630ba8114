"""Sector figures per cycle, requirement and segment group, computed in SQL over the
requirement scores stored per assessment (one grouped query per kind of figure, whatever
the number of members), with primary and secondary suppression applied before anything
leaves this module.

A respondent is a member whose assessment for the cycle is submitted. The members of a
group are the active members plus any former member who responded, so the response rate
never exceeds 100 %; membership is not kept per year, so for past cycles it is today's.
"""

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
    RequirementScore,
)
from app.models.vocabulary import AssessmentStatus
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

    def group(self, value: str) -> GroupFigures | None:
        return next((g for g in self.groups if g.value == value), None)


@dataclass(frozen=True)
class _Counts:
    respondents: dict[tuple[int, str], int]
    members: dict[tuple[int, str], int]


def _counts(session: Session, cycle_ids: list[int], segment: Segment | None) -> _Counts:
    """Members and respondents per cycle and group, in one grouped query."""
    group = group_column(segment).label("grp")
    submitted = (
        select(col(Assessment.organisation_id).label("organisation_id"),
               col(Assessment.cycle_id).label("cycle_id"))
        .where(col(Assessment.cycle_id).in_(cycle_ids),
               Assessment.status == AssessmentStatus.SUBMITTED)
        .subquery()
    )
    cycles = select(col(Cycle.id).label("cycle_id")).where(col(Cycle.id).in_(cycle_ids)).subquery()
    # Every organisation once per cycle, with its submission if there is one.
    rows = session.exec(
        select(cycles.c.cycle_id, group, sa.func.count(), sa.func.count(submitted.c.cycle_id))
        .select_from(cycles)
        .join(Organisation, sa.true())
        .outerjoin(submitted, (submitted.c.organisation_id == col(Organisation.id))
                   & (submitted.c.cycle_id == cycles.c.cycle_id))
        .where(col(Organisation.active) | submitted.c.cycle_id.is_not(None))
        .group_by(cycles.c.cycle_id, *([group] if segment else []))
    ).all()
    return _Counts(respondents={(c, g): int(r) for c, g, _m, r in rows},
                   members={(c, g): int(m) for c, g, m, _r in rows})


def _score_rows(session: Session, cycle_ids: list[int], segment: Segment | None,
                values: list[str] | None, thresholds: dict[int, int],
                steps: list[int]) -> list:
    """Per cycle, group and requirement key: counts, mean, median and the distribution.

    The median uses window functions that SQLite and PostgreSQL share: the middle row for
    an odd count, the mean of the two middle rows for an even one, scored rows sorted first.
    """
    group = group_column(segment)
    score = col(RequirementScore.score)
    partition = [col(Assessment.cycle_id), *([group] if segment else []), col(Requirement.key)]
    base = (
        select(
            col(Assessment.cycle_id).label("cycle_id"),
            *([group.label("grp")] if segment else []),
            col(Requirement.key).label("key"),
            score.label("score"),
            sa.func.row_number().over(
                partition_by=partition,
                order_by=[sa.case((score.is_(None), 1), else_=0), score]).label("position"),
            sa.func.count(score).over(partition_by=partition).label("n"),
        )
        .join(Assessment, col(Assessment.id) == col(RequirementScore.assessment_id))
        .join(Organisation, col(Organisation.id) == col(Assessment.organisation_id))
        .join(Requirement, col(Requirement.id) == col(RequirementScore.requirement_id))
        .where(col(Assessment.cycle_id).in_(cycle_ids),
               Assessment.status == AssessmentStatus.SUBMITTED)
    )
    if values is not None:
        base = base.where(group.in_(values))
    scored = base.subquery()
    s = scored.c.score
    middle = (scored.c.position == (scored.c.n + 1) // 2) | (
        scored.c.position == (scored.c.n + 2) // 2)
    threshold = sa.case({c: t for c, t in thresholds.items()}, value=scored.c.cycle_id)
    low, high = steps[0], steps[-1]

    def step_count(step: int):
        above = s >= step - 0.5 if step > low else sa.true()
        below = s < step + 0.5 if step < high else sa.true()
        return sa.func.sum(sa.case((s.is_not(None) & above & below, 1), else_=0))

    return session.exec(
        select(scored.c.cycle_id, scored.c.grp if segment else group_column(None), scored.c.key,
               sa.func.count(s), sa.func.avg(s),
               sa.func.avg(sa.case((middle & s.is_not(None), s))),
               sa.func.sum(sa.case((s >= threshold, 1), else_=0)),
               *[step_count(step) for step in steps])
        .group_by(scored.c.cycle_id, *([scored.c.grp] if segment else []), scored.c.key)
    ).all()


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


def _group_figures(value: str, info: _CycleInfo, respondents: int, members: int,
                   suppressed: bool, rows: dict[str, tuple], steps: list[int],
                   titles: dict[str, str]) -> GroupFigures:
    if suppressed:
        return GroupFigures(value, True, None, None)
    figures = []
    for key, number, title in info.requirements:
        row = rows.get(key)
        scored, mean, median, meeting = (row[0], row[1], row[2], row[3]) if row else (0, None,
                                                                                    None, 0)
        distribution = {str(step): int(row[4 + i]) if row else 0
                        for i, step in enumerate(steps)}
        distribution[NOT_RELEVANT] = respondents - int(scored)
        figures.append(RequirementFigures(
            key, number, titles.get(key, title),
            float(mean) if mean is not None else None,
            float(median) if median is not None else None,
            distribution, int(meeting) / scored if scored else None, int(scored)))
    return GroupFigures(value, False, respondents, members, figures)


def cycle_figures(*, session: Session, cycles: list[Cycle], segment: Segment | None,
                  minimum: int, values: list[str] | None = None,
                  titles: dict[str, str] | None = None, with_total: bool = True
                  ) -> dict[int, CycleFigures]:
    """Figures per cycle: the sector total and every group of `segment`, suppressed.

    `values` limits the figures computed (not the suppression, which always looks at every
    group of the segment) to those groups; `titles` replaces requirement titles by key
    (translations); without `with_total` the total keeps its counts but not its scores.
    A fixed number of queries: two for the total, two more for a segment.
    """
    if not cycles:
        return {}
    infos = _cycle_infos(session, cycles)
    ids = [c.id for c in cycles]
    steps = list(range(min(i.scale_min for i in infos.values()),
                       max(i.scale_max for i in infos.values()) + 1))
    thresholds = {c: i.threshold for c, i in infos.items()}
    titles = titles or {}

    def rows_by_group(seg: Segment | None, only: list[str] | None):
        found: dict[tuple[int, str], dict[str, tuple]] = {}
        for cycle_id, grp, key, *figures in _score_rows(session, ids, seg, only, thresholds,
                                                         steps):
            found.setdefault((cycle_id, grp), {})[key] = tuple(figures)
        return found

    total_counts = _counts(session, ids, None)
    # The total's scores are needed unless only some groups of a segment are asked for.
    total_rows = rows_by_group(None, None) if with_total or segment is None else {}
    if segment is not None:
        counts = _counts(session, ids, segment)
        rows = rows_by_group(segment, values)
    result = {}
    for cycle_id, info in infos.items():
        n = total_counts.respondents.get((cycle_id, TOTAL), 0)
        total = _group_figures(TOTAL, info, n, total_counts.members.get((cycle_id, TOTAL), 0),
                               n < minimum, total_rows.get((cycle_id, TOTAL), {}), steps,
                               titles)
        groups = []
        if segment is not None:
            respondents = {g: r for (c, g), r in counts.respondents.items() if c == cycle_id}
            members = {g: m for (c, g), m in counts.members.items() if c == cycle_id}
            hidden = hidden_groups(respondents, minimum, members)
            for value in group_order(segment, list(respondents)):
                if values is not None and value not in values:
                    continue
                groups.append(_group_figures(
                    value, info, respondents[value], counts.members[(cycle_id, value)],
                    value in hidden, rows.get((cycle_id, value), {}), steps, titles))
        result[cycle_id] = CycleFigures(cycle_id, info.cycle.year, info.scale_min,
                                        info.scale_max, info.threshold, segment, total, groups)
    return result

