"""GET /api/v1/aggregates and /aggregates/trend: the sector's figures for the board,
advisors and admins, under the same suppression as the board's pages."""

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response
from pydantic import BaseModel

from app.auth.deps import ApiUser, SessionDep, SettingsDep, api_role
from app.models.vocabulary import Role
from app.services.board.aggregates import GroupFigures, RequirementFigures
from app.services.board.queries import aggregates, trend
from app.services.board.segments import Segment
from app.web.board.labels import segment_group_label

router = APIRouter(tags=["aggregates"], dependencies=[
    Depends(api_role(Role.BOARD, Role.ADVISOR, Role.ADMIN))])

SegmentQuery = Annotated[Segment | None, Query(
    description="`tilbudstype`, `region` or `size`; omitted: the whole sector")]
ValueQuery = Annotated[str | None, Query(
    max_length=40, description="One group of the segment (a service type, region or size "
                               "band code); omitted: every group of the segment")]


class RequirementOut(BaseModel):
    requirement_id: str  # the permanent key, the same in every catalogue version
    number: int
    title: str
    mean: float | None
    median: float | None
    distribution: dict[str, int]  # "1".."5" (scores rounded to a step) and "na"
    share_meeting_threshold: float | None


class FiguresOut(BaseModel):
    """With fewer respondents than the minimum, `suppressed` is true and no figures given."""

    cycle_id: int
    respondents: int | None
    response_rate: float | None
    suppressed: bool
    requirements: list[RequirementOut]


class GroupOut(BaseModel):
    value: str
    label: str
    suppressed: bool
    respondents: int | None
    response_rate: float | None
    requirements: list[RequirementOut]


class SegmentOut(BaseModel):
    cycle_id: int
    segment: Segment
    groups: list[GroupOut]


class TrendPointOut(FiguresOut):
    year: int


class TrendOut(BaseModel):
    segment: Segment | None
    value: str | None
    cycles: list[TrendPointOut]


def _requirements(figures: list[RequirementFigures]) -> list[RequirementOut]:
    return [RequirementOut(requirement_id=r.key, number=r.number, title=r.title, mean=r.mean,
                           median=r.median, distribution=r.distribution,
                           share_meeting_threshold=r.share_meeting_threshold)
            for r in figures]


def _figures(cycle_id: int, group: GroupFigures) -> dict:
    return {"cycle_id": cycle_id, "respondents": group.respondents,
            "response_rate": group.response_rate, "suppressed": group.suppressed,
            "requirements": _requirements(group.requirements)}


@router.get("/aggregates", response_model=FiguresOut | SegmentOut)
def read_aggregates(user: ApiUser, session: SessionDep, settings: SettingsDep,
                    segment: SegmentQuery = None, value: ValueQuery = None,
                    cycle_id: Annotated[int | None, Query(
                        description="Omitted: the latest cycle")] = None):
    """One group (or the sector), or with `segment` alone every group of it in one call.

    Groups under the anonymity minimum are suppressed, and so many more (the smallest
    first) that no hidden group can be found by subtracting the visible ones from the total.
    """
    figures = aggregates(session=session, user=user, minimum=settings.anonymity_minimum,
                         cycle_id=cycle_id, segment=segment, value=value)
    if segment is None:
        return _json(FiguresOut(**_figures(figures.cycle_id, figures.total)))
    if value is not None:
        return _json(FiguresOut(**_figures(figures.cycle_id, figures.groups[0])))
    return _json(SegmentOut(cycle_id=figures.cycle_id, segment=segment, groups=[
        GroupOut(value=g.value, label=segment_group_label(segment, g.value),
                 suppressed=g.suppressed, respondents=g.respondents,
                 response_rate=g.response_rate, requirements=_requirements(g.requirements))
        for g in figures.groups]))


def _json(body: BaseModel) -> Response:
    """The body already built and typed: returned as it is, FastAPI would validate it again
    against the union of response models (a seventh of the request's CPU, measured)."""
    return Response(body.model_dump_json(), media_type="application/json")


@router.get("/aggregates/trend")
def read_trend(user: ApiUser, session: SessionDep, settings: SettingsDep,
               segment: SegmentQuery = None, value: ValueQuery = None) -> TrendOut:
    """Per cycle, oldest first, the same figures as /aggregates; each cycle is suppressed
    on its own. With a segment, `value` is required."""
    points = trend(session=session, user=user, minimum=settings.anonymity_minimum,
                   segment=segment, value=value)
    return TrendOut(segment=segment, value=value, cycles=[
        TrendPointOut(year=p.year, **_figures(p.cycle_id, p.figures)) for p in points])
