"""Flagged members, JSON: the advisors' list with its reasons, most severe first."""

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, Response
from pydantic import BaseModel, Field

from app.api.paging import PagingDep, page_headers
from app.auth.deps import ApiUser, SessionDep, SettingsDep, api_role
from app.clock import TodayDep
from app.models.vocabulary import FlagCode, Region, Role, ServiceType, SizeBand
from app.services.advisor.flags import FlagSettings, flag_page
from app.services.advisor.segments import EVERYONE, MemberFilter
from app.services.cycles import current_cycle, get_cycle

router = APIRouter(tags=["advisors"], dependencies=[Depends(api_role(Role.ADVISOR, Role.ADMIN))])


class FlagReasonOut(BaseModel):
    code: FlagCode
    requirement_id: str | None = Field(description="The requirement's permanent id, when the "
                                                   "reason is about one")
    detail: str = Field(description="The reason in one sentence, in the caller's language")


class FlaggedMemberOut(BaseModel):
    organisation_id: int
    organisation_name: str
    assessment_id: int | None = Field(description="This cycle's assessment, if started")
    severity: int = Field(description="The sum of the reasons' points; higher is more urgent")
    level: str
    reasons: list[FlagReasonOut]


@router.get("/flags")
def read_flags(user: ApiUser, session: SessionDep, settings: SettingsDep, today: TodayDep,
               request: Request, response: Response, paging: PagingDep,
               cycle_id: Annotated[int | None, Query(ge=1, le=2_147_483_647,
                                                     description="Default: the current cycle")]
               = None,
               reason: FlagCode | None = None,
               advisor: Annotated[str, Query(pattern=r"^(mine|none|\d{1,9})?$", description=(
                   "`mine` (the caller's and unassigned members), `none` (unassigned), an "
                   "advisor's user id, or empty for everyone"))] = EVERYONE,
               service_type: ServiceType | None = None, region: Region | None = None,
               size: SizeBand | None = None) -> list[FlaggedMemberOut]:
    """Members with at least one reason in the cycle, most severe first."""
    cycle = (get_cycle(session=session, cycle_id=cycle_id) if cycle_id is not None
             else current_cycle(session=session, today=today))
    if cycle is None:
        page_headers(request, response, paging, 0)
        return []
    found = flag_page(session=session, user=user, cycle=cycle, today=today,
                      rules=FlagSettings.of(settings),
                      members=MemberFilter(advisor, service_type, region, size),
                      codes=frozenset({reason}) if reason else frozenset(),
                      offset=paging.offset, limit=paging.limit)
    page_headers(request, response, paging, found.total)
    return [FlaggedMemberOut(
        organisation_id=m.organisation.id, organisation_name=m.organisation.name,
        assessment_id=m.assessment_id, severity=m.severity, level=m.level,
        reasons=[FlagReasonOut(code=r.code, requirement_id=r.requirement_key, detail=r.text())
                 for r in m.reasons]) for m in found.members]
