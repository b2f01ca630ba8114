"""Support cases and the contact log, JSON: LOS' internal record per member (staff only)."""

from datetime import date

from fastapi import APIRouter, Depends
from pydantic import BaseModel

from app.auth.deps import ApiUser, SessionDep, api_role
from app.clock import TodayDep
from app.models import ContactEntry, SupportCase
from app.models.vocabulary import CaseStatus, ContactKind, Role
from app.services.advisor import support
from app.services.fields import RowId
from app.services.people import deleted_user_name

router = APIRouter(prefix="/organisations/{organisation_id}", tags=["advisors"],
                   dependencies=[Depends(api_role(Role.ADVISOR, Role.ADMIN))])


class CaseOut(BaseModel):
    id: int
    status: CaseStatus
    opened_on: date
    reason: str
    injunction_kind: str | None
    next_contact_on: date | None
    outcome: str
    closed_on: date | None
    version: int


class ContactOut(BaseModel):
    id: int
    kind: ContactKind
    happened_on: date
    by: str
    note: str
    next_step: str
    case_id: int | None


def _case(case: SupportCase) -> CaseOut:
    return CaseOut(id=case.id, status=case.status, opened_on=case.opened_on, reason=case.reason,
                   injunction_kind=case.injunction_kind or None,
                   next_contact_on=case.next_contact_on, outcome=case.outcome,
                   closed_on=case.closed_on, version=case.version)


def _contact(entry: ContactEntry) -> ContactOut:
    return ContactOut(id=entry.id, kind=entry.kind, happened_on=entry.happened_on,
                      by=entry.by_name or deleted_user_name(), note=entry.note,
                      next_step=entry.next_step,
                      case_id=entry.case_id)


@router.get("/cases")
def read_cases(organisation_id: RowId, user: ApiUser, session: SessionDep) -> list[CaseOut]:
    """Open cases first, the next contact due first."""
    return [_case(c) for c in support.list_cases(session=session, user=user,
                                                 organisation_id=organisation_id)]


@router.post("/cases", status_code=201)
def create_case(organisation_id: RowId, body: support.CaseInput, user: ApiUser,
                session: SessionDep, today: TodayDep) -> CaseOut:
    return _case(support.open_case(session=session, user=user, organisation_id=organisation_id,
                                   today=today, data=body))


@router.patch("/cases/{case_id}", responses={
    409: {"description": "`version` is stale; the body holds the case as saved"}})
def patch_case(organisation_id: RowId, case_id: RowId, body: support.CaseUpdate, user: ApiUser,
               session: SessionDep, today: TodayDep) -> CaseOut:
    return _case(support.update_case(session=session, user=user, today=today,
                                     organisation_id=organisation_id, case_id=case_id,
                                     data=body))


@router.get("/contacts")
def read_contacts(organisation_id: RowId, user: ApiUser, session: SessionDep) -> list[ContactOut]:
    """Newest first. Members never see the contact log."""
    return [_contact(e) for e in support.list_contacts(session=session, user=user,
                                                       organisation_id=organisation_id)]


@router.post("/contacts", status_code=201)
def create_contact(organisation_id: RowId, body: support.ContactInput, user: ApiUser,
                   session: SessionDep) -> ContactOut:
    return _contact(support.add_contact(session=session, user=user,
                                        organisation_id=organisation_id, data=body))
