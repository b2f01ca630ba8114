"""Member organisations: create, edit, deactivate, search."""

from pydantic import BaseModel, ConfigDict, Field, field_validator
from sqlalchemy import func, or_
from sqlmodel import Session, col, select

from app.i18n import N_
from app.models import Organisation, User
from app.models.vocabulary import Region, Role, ServiceType
from app.services import audit
from app.services.access import require_admin
from app.services.audit import AuditAction, AuditEntity, fields_of
from app.services.board.histograms import groups_of, move_member
from app.services.errors import FieldError, Invalid, NotFound
from app.services.fields import RowId, Text
from app.services.validation import parse_input

NOT_FOUND = N_("Medlemmet findes ikke.")


class OrganisationInput(BaseModel):
    model_config = ConfigDict(str_strip_whitespace=True)

    name: Text = Field(min_length=1, max_length=200)
    cvr: str = Field(pattern=r"^\d{8}$")
    company_name: Text = Field(default="", max_length=200)
    service_type: ServiceType
    region: Region
    places: int = Field(default=0, ge=0, le=10_000)
    advisor_id: RowId | None = None

    @field_validator("cvr", mode="before")
    @classmethod
    def _cvr_without_spaces(cls, value):
        # People copy CVR numbers as "12 34 56 78".
        return value.replace(" ", "") if isinstance(value, str) else value

    @field_validator("advisor_id", mode="before")
    @classmethod
    def _empty_advisor_is_none(cls, value):
        return None if value in ("", None) else value


def check_advisor(session: Session, advisor_id: int | None) -> None:
    if advisor_id is None:
        return
    advisor = session.get(User, advisor_id)
    if advisor is None or advisor.role != Role.ADVISOR or not advisor.active:
        raise Invalid(N_("Ikke gemt. Ret felterne markeret nedenfor."),
                      [FieldError("advisor_id", N_("Vælg en aktiv konsulent."))])


def create_organisation(*, session: Session, user: User | None,
                        data: dict | OrganisationInput) -> Organisation:
    require_admin(user)
    values = parse_input(OrganisationInput, data)
    check_advisor(session, values.advisor_id)
    organisation = Organisation(**values.model_dump())
    session.add(organisation)
    session.flush()
    _record(session, user, organisation, AuditAction.CREATE, {}, values.model_dump())
    session.commit()
    return organisation


def _record(session: Session, user: User | None, organisation: Organisation, action: str,
            before: dict, after: dict) -> None:
    audit.record_fields(session, user=user, action=action, entity=AuditEntity.ORGANISATION,
                        entity_id=organisation.id, organisation_id=organisation.id,
                        row=organisation, fields=list(after), before=before)


def get_organisation(*, session: Session, organisation_id: int) -> Organisation:
    organisation = session.get(Organisation, organisation_id)
    if organisation is None:
        raise NotFound(NOT_FOUND)
    return organisation


def update_organisation(*, session: Session, user: User | None, organisation_id: int,
                        data: dict | OrganisationInput) -> Organisation:
    require_admin(user)
    organisation = get_organisation(session=session, organisation_id=organisation_id)
    values = parse_input(OrganisationInput, data)
    check_advisor(session, values.advisor_id)
    before = fields_of(organisation, list(values.model_dump()))
    groups_before = groups_of(organisation)
    for name, value in values.model_dump().items():
        setattr(organisation, name, value)
    session.add(organisation)
    _record(session, user, organisation, AuditAction.UPDATE, before, values.model_dump())
    move_member(session, organisation, groups_before)
    session.commit()
    return organisation


def set_organisation_active(*, session: Session, user: User | None, organisation_id: int,
                            active: bool) -> Organisation:
    require_admin(user)
    organisation = get_organisation(session=session, organisation_id=organisation_id)
    before = {"active": organisation.active}
    organisation.active = active
    session.add(organisation)
    _record(session, user, organisation, AuditAction.UPDATE, before, {"active": active})
    session.commit()
    return organisation


def search_organisations(*, session: Session, query: str = "", include_inactive: bool = False,
                         limit: int = 50, offset: int = 0) -> tuple[list[Organisation], int]:
    """A page of organisations matching name, company or CVR, and the total count."""
    statement = select(Organisation)
    if query.strip():
        pattern = f"%{query.strip().lower()}%"
        statement = statement.where(or_(
            func.lower(Organisation.name).like(pattern),
            func.lower(Organisation.company_name).like(pattern),
            col(Organisation.cvr).like(pattern.replace(" ", "")),
        ))
    if not include_inactive:
        statement = statement.where(col(Organisation.active))
    total = session.exec(select(func.count()).select_from(statement.subquery())).one()
    rows = session.exec(
        statement.order_by(Organisation.name, Organisation.id).offset(offset).limit(limit)
    ).all()
    return list(rows), total


def active_advisors(*, session: Session) -> list[User]:
    return list(session.exec(
        select(User).where(User.role == Role.ADVISOR, col(User.active)).order_by(User.name)
    ))


def active_user_counts(*, session: Session, organisation_ids: list[int]) -> dict[int, int]:
    """Active users per organisation, in one query for a whole page of organisations."""
    if not organisation_ids:
        return {}
    rows = session.exec(
        select(User.organisation_id, func.count())
        .where(col(User.organisation_id).in_(organisation_ids), col(User.active))
        .group_by(User.organisation_id)
    ).all()
    return {organisation_id: n for organisation_id, n in rows}


def organisation_choices(*, session: Session, include_id: int | None = None
                         ) -> list[Organisation]:
    """Active organisations to pick from, plus `include_id` even when it is deactivated."""
    condition = col(Organisation.active)
    if include_id is not None:
        condition = or_(condition, Organisation.id == include_id)
    return list(session.exec(
        select(Organisation).where(condition).order_by(Organisation.name, Organisation.id)
    ))
