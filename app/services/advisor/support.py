"""Support cases and the contact log: LOS' internal record of its work with one member.

Only advisors and admins read or write them; a member never sees either. A case changes
through a compare-and-set on its version, so two advisors never overwrite each other.
"""

from datetime import date
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator
from sqlmodel import Session, col, select

from app.i18n import N_
from app.models import ContactEntry, Organisation, SupportCase, User
from app.models.vocabulary import CaseStatus, ContactKind, InjunctionKind
from app.services import audit
from app.services.access import require_staff
from app.services.audit import AuditAction, AuditEntity, fields_of
from app.services.errors import Conflict, FieldError, Invalid, NotFound
from app.services.fields import NoNul, RowId, Version
from app.services.validation import parse_input
from app.services.versioning import claim, reload

Text = Annotated[str, StringConstraints(strip_whitespace=True), NoNul]
CASE_FIELDS = ("status", "reason", "injunction_kind", "next_contact_on", "outcome", "closed_on")
CONTACT_FIELDS = ("kind", "happened_on", "case_id", "note", "next_step")


class CaseInput(BaseModel):
    reason: Text = Field(min_length=1, max_length=2000)
    injunction_kind: InjunctionKind | None = None
    opened_on: date | None = None  # default: today
    next_contact_on: date | None = None


class CaseUpdate(BaseModel):
    # The rule below, in the schema too: closing needs an outcome.
    model_config = ConfigDict(json_schema_extra={
        "if": {"properties": {"status": {"const": "closed"}}, "required": ["status"]},
        "then": {"properties": {"outcome": {"minLength": 1}}, "required": ["outcome"]}})

    status: CaseStatus
    next_contact_on: date | None = None
    outcome: Text = Field(default="", max_length=5000)
    version: Version

    @model_validator(mode="after")
    def closing_says_how_it_ended(self):
        if self.status is CaseStatus.CLOSED and not self.outcome:
            raise ValueError(N_("Skriv, hvordan sagen endte, når den lukkes."))
        return self


class ContactInput(BaseModel):
    kind: ContactKind
    happened_on: date
    note: Text = Field(min_length=1, max_length=5000)
    next_step: Text = Field(default="", max_length=1000)
    case_id: RowId | None = None


def get_member(*, session: Session, user: User, organisation_id: int) -> Organisation:
    """The member organisation, for LOS staff only."""
    require_staff(user)
    organisation = session.get(Organisation, organisation_id)
    if organisation is None:
        raise NotFound(N_("Medlemmet findes ikke."))
    return organisation


def list_cases(*, session: Session, user: User, organisation_id: int) -> list[SupportCase]:
    """Open cases first, the next contact due first among them; then closed, newest first."""
    get_member(session=session, user=user, organisation_id=organisation_id)
    return list(session.exec(
        select(SupportCase).where(SupportCase.organisation_id == organisation_id)
        .order_by(SupportCase.status == CaseStatus.CLOSED,
                  col(SupportCase.next_contact_on).is_(None), col(SupportCase.next_contact_on),
                  col(SupportCase.opened_on).desc(), col(SupportCase.id).desc())
    ))


def list_contacts(*, session: Session, user: User, organisation_id: int) -> list[ContactEntry]:
    """Newest first."""
    get_member(session=session, user=user, organisation_id=organisation_id)
    return list(session.exec(
        select(ContactEntry).where(ContactEntry.organisation_id == organisation_id)
        .order_by(col(ContactEntry.happened_on).desc(), col(ContactEntry.id).desc())
    ))


def open_case(*, session: Session, user: User, organisation_id: int, today: date,
              data: dict | CaseInput) -> SupportCase:
    get_member(session=session, user=user, organisation_id=organisation_id)
    values = parse_input(CaseInput, data, N_("Sagen blev ikke oprettet. Ret det markerede."))
    case = SupportCase(organisation_id=organisation_id, reason=values.reason,
                       injunction_kind=values.injunction_kind or "",
                       opened_on=values.opened_on or today,
                       next_contact_on=values.next_contact_on, opened_by_id=user.id)
    session.add(case)
    session.flush()
    audit.record_fields(session, user=user, action=AuditAction.CREATE, entity=AuditEntity.CASE,
                        entity_id=case.id, organisation_id=organisation_id, row=case,
                        fields=CASE_FIELDS, before={})
    session.commit()
    return case


def update_case(*, session: Session, user: User, organisation_id: int, case_id: int,
                today: date, data: dict | CaseUpdate) -> SupportCase:
    """Status, next contact and outcome; refused with 409 when `version` is not the latest."""
    get_member(session=session, user=user, organisation_id=organisation_id)
    case = session.get(SupportCase, case_id)
    if case is None or case.organisation_id != organisation_id:
        raise NotFound(N_("Sagen findes ikke."))
    values = parse_input(CaseUpdate, data, N_("Sagen blev ikke gemt. Ret det markerede."))
    before = fields_of(case, CASE_FIELDS)
    # The one compare-and-set (services/versioning): nobody saved since `version` was read.
    if not claim(session, SupportCase, case_id, col(SupportCase.version) == values.version):
        session.rollback()
        raise Conflict(N_("En anden har ændret sagen, efter du åbnede siden. Se den nye "
                          "udgave, og gem igen."),
                       data={"case": case_json(reload(session, SupportCase, case_id))})
    case = reload(session, SupportCase, case_id)
    case.status, case.next_contact_on, case.outcome = (
        values.status, values.next_contact_on, values.outcome)
    case.closed_on = (case.closed_on or today) if values.status is CaseStatus.CLOSED else None
    session.add(case)
    session.flush()
    audit.record_fields(session, user=user, action=AuditAction.UPDATE, entity=AuditEntity.CASE,
                        entity_id=case.id, organisation_id=organisation_id, row=case,
                        fields=CASE_FIELDS, before=before)
    session.commit()
    return case


def add_contact(*, session: Session, user: User, organisation_id: int,
                data: dict | ContactInput) -> ContactEntry:
    get_member(session=session, user=user, organisation_id=organisation_id)
    values = parse_input(ContactInput, data, N_("Kontakten blev ikke gemt. Ret det markerede."))
    if values.case_id is not None:
        case = session.get(SupportCase, values.case_id)
        if case is None or case.organisation_id != organisation_id:
            raise Invalid(N_("Kontakten blev ikke gemt. Ret det markerede."),
                          [FieldError("case_id", N_("Sagen findes ikke hos dette medlem."))])
    entry = ContactEntry(organisation_id=organisation_id, case_id=values.case_id,
                         kind=values.kind, happened_on=values.happened_on, by_id=user.id,
                         by_name=user.name, note=values.note, next_step=values.next_step)
    session.add(entry)
    session.flush()
    audit.record_fields(session, user=user, action=AuditAction.CREATE,
                        entity=AuditEntity.CONTACT, entity_id=entry.id,
                        organisation_id=organisation_id, row=entry, fields=CONTACT_FIELDS,
                        before={})
    session.commit()
    return entry


def case_json(case: SupportCase) -> dict:
    return {"id": case.id, "status": case.status, "opened_on": case.opened_on.isoformat(),
            "reason": case.reason, "injunction_kind": case.injunction_kind or None,
            "next_contact_on": case.next_contact_on.isoformat() if case.next_contact_on
            else None, "outcome": case.outcome, "version": case.version}
