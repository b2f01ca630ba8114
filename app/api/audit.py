"""The audit trail, JSON: admins all of it, an advisor one organisation at a time."""

from datetime import date, datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response
from pydantic import BaseModel

from app.auth.deps import ApiUser, SessionDep, api_role
from app.models.vocabulary import Role
from app.services.audit import PAGE_SIZE, AuditFilter, list_audit
from app.services.fields import MAX_ROW_ID, NoNul, RowId

router = APIRouter(tags=["audit"], dependencies=[Depends(api_role(Role.ADVISOR, Role.ADMIN))])


class AuditEntryOut(BaseModel):
    at: datetime
    user: str | None  # the actor's email; null for the command line
    action: str
    entity: str
    entity_id: str
    organisation_id: int | None
    changes: dict[str, list]


@router.get("/audit", responses={403: {"description": "An advisor without organisation_id"}})
def read_audit(user: ApiUser, session: SessionDep, response: Response,
               organisation_id: Annotated[RowId | None, Query()] = None,
               user_id: Annotated[RowId | None, Query()] = None,
               entity: Annotated[str | None, Query(max_length=40), NoNul] = None,
               since: Annotated[date | None, Query(description="From this day (Danish time)")]
               = None,
               until: Annotated[date | None, Query(description="To this day, inclusive")] = None,
               offset: Annotated[int, Query(ge=0, le=MAX_ROW_ID)] = 0,
               limit: Annotated[int, Query(ge=1, le=500)] = PAGE_SIZE) -> list[AuditEntryOut]:
    """Newest first. `X-Total-Count` gives the number of entries matching the filter."""
    page = list_audit(session=session, user=user, offset=offset, limit=limit,
                      wanted=AuditFilter(organisation_id, user_id, entity, since, until))
    response.headers["X-Total-Count"] = str(page.total)
    return [AuditEntryOut(at=e.at, user=e.user_email or None, action=e.action, entity=e.entity,
                          entity_id=e.entity_id, organisation_id=e.organisation_id,
                          changes=e.changes) for e in page.entries]
