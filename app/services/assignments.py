"""Assigning members to LOS advisors in bulk: every active member of a region or service type.

One organisation at a time is the organisation form's `advisor_id`; this is the same change
for many, with one audit entry per member whose advisor changed.
"""

from dataclasses import dataclass

from pydantic import BaseModel, field_validator
from sqlalchemy import and_, true, update
from sqlmodel import Session, col, select

from app.i18n import N_
from app.models import Organisation, User
from app.models.vocabulary import Region, ServiceType
from app.services import audit
from app.services.access import require_admin
from app.services.audit import AuditAction, AuditEntity
from app.services.fields import RowId
from app.services.organisations import check_advisor
from app.services.validation import parse_input

UNASSIGN = "none"


class AssignmentInput(BaseModel):
    advisor_id: RowId | None  # None ("none" in a form): remove the advisor
    region: Region | None = None
    service_type: ServiceType | None = None
    only_unassigned: bool = False

    @field_validator("advisor_id", mode="before")
    @classmethod
    def _chosen(cls, value):
        # No default: removing every member's advisor must be chosen, never fallen into.
        if value in ("", None):
            raise ValueError(N_("Vælg en konsulent, eller »Ingen« for at fjerne konsulenten."))
        return None if value == UNASSIGN else value

    @field_validator("region", "service_type", mode="before")
    @classmethod
    def _empty_is_none(cls, value):
        return None if value == "" else value


@dataclass(frozen=True)
class AssignmentResult:
    matched: int  # members the filter selects
    changed: int  # of them, those whose advisor changed


def _where(values: AssignmentInput):
    conditions = [col(Organisation.active)]
    if values.region:
        conditions.append(Organisation.region == values.region)
    if values.service_type:
        conditions.append(Organisation.service_type == values.service_type)
    if values.only_unassigned:
        conditions.append(col(Organisation.advisor_id).is_(None))
    return and_(true(), *conditions)


def preview_assignment(*, session: Session, user: User, data: dict) -> AssignmentResult:
    """What assign_advisor would do, changing nothing."""
    require_admin(user)
    values = parse_input(AssignmentInput, data)
    rows = session.exec(select(Organisation.advisor_id).where(_where(values))).all()
    return AssignmentResult(len(rows), sum(1 for a in rows if a != values.advisor_id))


def assign_advisor(*, session: Session, user: User | None,
                   data: dict | AssignmentInput) -> AssignmentResult:
    require_admin(user)
    values = parse_input(AssignmentInput, data, N_("Ikke tildelt. Ret felterne markeret nedenfor."))
    check_advisor(session, values.advisor_id)
    rows = session.exec(select(Organisation.id, Organisation.advisor_id)
                        .where(_where(values))).all()
    changing = [(organisation_id, before) for organisation_id, before in rows
                if before != values.advisor_id]
    if changing:
        session.exec(update(Organisation)
                     .where(col(Organisation.id).in_([i for i, _ in changing]))
                     .values(advisor_id=values.advisor_id))
    for organisation_id, before in changing:
        audit.record(session, user=user, action=AuditAction.UPDATE,
                     entity=AuditEntity.ORGANISATION, entity_id=organisation_id,
                     organisation_id=organisation_id,
                     changes={"advisor_id": [before, values.advisor_id]})
    session.commit()
    return AssignmentResult(len(rows), len(changing))
