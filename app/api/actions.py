"""Follow-up actions, JSON: list, create and change an organisation's action plan."""

from datetime import date, datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, Response
from pydantic import BaseModel

from app.api.deps import VisibleAction
from app.api.paging import PagingDep, page_headers
from app.auth.deps import ApiUser, SessionDep, api_role
from app.clock import TodayDep
from app.models.vocabulary import ActionStatus, Role
from app.services import actions as action_service
from app.services.fields import RowId

# The board sees only aggregates: refused before any body is read.
router = APIRouter(tags=["actions"], dependencies=[
    Depends(api_role(Role.MEMBER, Role.ADVISOR, Role.ADMIN))])


class ActionOut(BaseModel):
    id: int
    organisation_id: int
    requirement_id: str | None
    assessment_id: int | None
    title: str
    description: str
    owner_email: str
    due_on: date | None
    priority: str
    status: str
    comment: str
    version: int
    overdue: bool
    created_at: datetime
    updated_at: datetime


def _out(session, action, today: date) -> ActionOut:
    return ActionOut(**action_service.action_json(session, action, today))


@router.get("/actions")
def read_actions(user: ApiUser, session: SessionDep, today: TodayDep, request: Request,
                 response: Response, paging: PagingDep,
                 organisation_id: Annotated[RowId | None, Query()] = None,
                 status: Annotated[ActionStatus | None, Query()] = None,
                 overdue: Annotated[bool | None, Query()] = None) -> list[ActionOut]:
    """Member: its own organisation's actions; advisor, admin: any organisation's, a page
    at a time."""
    wanted = {"organisation_id": organisation_id, "status": status.value if status else None,
              "overdue": overdue}
    rows = action_service.list_actions(session=session, user=user, today=today, **wanted,
                                       offset=paging.offset, limit=paging.limit)
    page_headers(request, response, paging, action_service.count_actions(
        session=session, user=user, today=today, **wanted))
    return [ActionOut(**action_service.action_json(session, r.action, today)) for r in rows]


@router.post("/actions", status_code=201,
             responses={404: {"description": "A member naming another organisation"}})
def create_action(body: action_service.ActionInput, user: ApiUser, session: SessionDep,
                  today: TodayDep) -> ActionOut:
    """Advisor, admin: for any organisation; member: for its own (it follows up its plan)."""
    action = action_service.create_action(session=session, user=user, data=body, today=today)
    return _out(session, action, today)


@router.patch("/actions/{action_id}",
              responses={409: {"description": "`version` is stale; the body holds the action "
                                              "as saved"}})
def patch_action(visible: VisibleAction, body: action_service.ActionUpdate, user: ApiUser,
                 session: SessionDep, today: TodayDep) -> ActionOut:
    """Only the fields sent change. Members change their own organisation's actions."""
    action = action_service.update_action(session=session, user=user, action_id=visible.id,
                                          data=body.model_dump(exclude_unset=True))
    return _out(session, action, today)
