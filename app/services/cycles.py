"""Annual cycles: the admin plans them; their status follows the dates."""

from datetime import date

from pydantic import BaseModel, Field, ValidationInfo, field_validator
from sqlalchemy import case as sa_case
from sqlalchemy import func
from sqlmodel import Session, col, select

from app.i18n import N_
from app.models import Assessment, CatalogueVersion, Cycle, User
from app.models.vocabulary import AssessmentStatus, CycleStatus
from app.services import audit
from app.services.access import require_admin
from app.services.audit import AuditAction, AuditEntity, fields_of
from app.services.errors import FieldError, Invalid, NotFound
from app.services.fields import RowId
from app.services.validation import parse_input

NOT_FOUND = N_("Runden findes ikke.")
NOT_SAVED = N_("Runden blev ikke gemt. Ret felterne markeret nedenfor.")


def cycle_status(cycle: Cycle, today: date) -> CycleStatus:
    if today < cycle.opens_on:
        return CycleStatus.PLANNED
    if today <= cycle.deadline:
        return CycleStatus.OPEN
    return CycleStatus.CLOSED


class CycleInput(BaseModel):
    year: int = Field(ge=2000, le=2100)
    catalogue_version_id: RowId
    opens_on: date
    deadline: date

    # A field validator, not a model validator, so the error names the deadline field.
    @field_validator("deadline")
    @classmethod
    def _deadline_after_opening(cls, deadline: date, info: ValidationInfo) -> date:
        opens_on = info.data.get("opens_on")
        if opens_on is not None and deadline < opens_on:
            raise ValueError(N_("Fristen skal ligge efter åbningsdatoen."))
        return deadline


def _validated(session: Session, data, cycle_id: int | None = None) -> CycleInput:
    values = parse_input(CycleInput, data, NOT_SAVED)
    errors = []
    version = session.get(CatalogueVersion, values.catalogue_version_id)
    if version is None or version.kind != "assessment":
        errors.append(FieldError("catalogue_version_id", N_("Vælg et katalog fra listen.")))
    taken = session.exec(select(Cycle.id).where(Cycle.year == values.year)).first()
    if taken is not None and taken != cycle_id:
        errors.append(FieldError("year", N_("Der findes allerede en runde for dette år.")))
    if errors:
        raise Invalid(NOT_SAVED, errors)
    return values


def create_cycle(*, session: Session, user: User | None, data: dict | CycleInput) -> Cycle:
    require_admin(user)
    values = _validated(session, data).model_dump()
    cycle = Cycle(**values)
    session.add(cycle)
    session.flush()
    audit.record_fields(session, user=user, action=AuditAction.CREATE, entity=AuditEntity.CYCLE,
                        entity_id=cycle.id, row=cycle, fields=list(values), before={})
    session.commit()
    return cycle


def update_cycle(*, session: Session, user: User | None, cycle_id: int,
                 data: dict | CycleInput, has_assessments: bool) -> Cycle:
    require_admin(user)
    cycle = get_cycle(session=session, cycle_id=cycle_id)
    values = _validated(session, data, cycle_id)
    if has_assessments and values.catalogue_version_id != cycle.catalogue_version_id:
        # Assessments pin the version they were started with; the cycle must agree.
        raise Invalid(NOT_SAVED, [FieldError("catalogue_version_id", N_(
            "Kataloget kan ikke skiftes, når medlemmerne er gået i gang."))])
    before = fields_of(cycle, list(values.model_dump()))
    for name, value in values.model_dump().items():
        setattr(cycle, name, value)
    session.add(cycle)
    audit.record_fields(session, user=user, action=AuditAction.UPDATE, entity=AuditEntity.CYCLE,
                        entity_id=cycle.id, row=cycle, fields=list(before), before=before)
    session.commit()
    return cycle


def get_cycle(*, session: Session, cycle_id: int) -> Cycle:
    cycle = session.get(Cycle, cycle_id)
    if cycle is None:
        raise NotFound(NOT_FOUND)
    return cycle


def list_cycles(*, session: Session) -> list[Cycle]:
    return list(session.exec(select(Cycle).order_by(col(Cycle.year).desc())))


def current_cycle(*, session: Session, today: date) -> Cycle | None:
    """The open cycle, or else the most recent one that has opened, or else the next one."""
    return current_of(list_cycles(session=session), today)


def current_of(cycles: list[Cycle], today: date) -> Cycle | None:
    """current_cycle() among `cycles` (newest first, as list_cycles gives them)."""
    for status in (CycleStatus.OPEN, CycleStatus.CLOSED):
        for cycle in cycles:
            if cycle_status(cycle, today) is status:
                return cycle
    return cycles[-1] if cycles else None


def assessment_counts(*, session: Session) -> dict[int, tuple[int, int]]:
    """cycle id -> (assessments started, of them submitted)."""
    rows = session.exec(
        select(Assessment.cycle_id, func.count(),
               func.sum(sa_case((Assessment.status == AssessmentStatus.SUBMITTED, 1), else_=0)))
        .group_by(Assessment.cycle_id)
    ).all()
    return {cycle_id: (int(started), int(submitted or 0)) for cycle_id, started, submitted in rows}
