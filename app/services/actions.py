"""Follow-up actions: the organisation's action plan, with owner, due date and status.

Members create and follow up actions for their own organisation; LOS advisors and admins
for any. Every change carries the version the person saw, so nobody overwrites a
colleague's change unseen.
"""

from dataclasses import dataclass, field
from datetime import date

from pydantic import BaseModel, ConfigDict, Field, field_validator
from sqlmodel import Session, col, func, select

from app.i18n import N_
from app.models import (
    Action,
    ActionComment,
    Assessment,
    CatalogueVersion,
    Organisation,
    Requirement,
    SupportCase,
    User,
)
from app.models.base import utcnow
from app.models.vocabulary import OPEN_ACTION_STATUSES, ActionPriority, ActionStatus, Role
from app.services import audit
from app.services.action_owners import NOT_A_COLLEAGUE, may_own, owner_names
from app.services.audit import AuditAction, AuditEntity, fields_of
from app.services.errors import Conflict, FieldError, Forbidden, Invalid, NotFound
from app.services.fields import OptionalText, RowId, Text, Version
from app.services.validation import parse_input
from app.services.versioning import claim, reload

ACTION_FIELDS = ("title", "description", "owner_email", "due_on", "priority", "status",
                 "comment", "requirement_id", "assessment_id", "case_id")
NOT_FOUND = N_("Handlingen findes ikke.")
NOT_SAVED = N_("Handlingen blev ikke gemt. Ret det markerede.")
CONFLICT = N_("En anden har ændret handlingen, efter du åbnede siden. Se den nye udgave, og "
              "prøv igen.")
BOARD = N_("Bestyrelsen ser kun samlede tal, aldrig det enkelte medlem.")
NO_ORGANISATION = N_("Organisationen findes ikke.")


def _blank_to_none(value):
    return None if value == "" else value


# What _email accepts, said in the schema (documentation only: _email gives the message).
EMAIL_SHAPE = {"pattern": "^$|^[^@ \\u0000]+@[^. \\u0000][^ \\u0000]*\\.[^ \\u0000]*$"}


OWNER_DESCRIPTION = ("The email of one of the organisation's active users, or empty for none; "
                     "an owner saved earlier may be sent back unchanged whoever it is")


def _email(value: str) -> str:
    # The shape here; whether it is one of the organisation's users, in _check_owner.
    local, _, domain = value.partition("@")
    if value and (not local or "." not in domain or " " in value or domain.startswith(".")):
        raise ValueError(N_("Skriv en gyldig e-mailadresse, fx navn@tilbud.dk."))
    return value.lower()


class ActionInput(BaseModel):
    """A new action. `requirement_id` is the requirement's permanent key, or none."""

    model_config = ConfigDict(str_strip_whitespace=True)

    organisation_id: RowId
    requirement_id: OptionalText = Field(default=None, max_length=120)
    assessment_id: RowId | None = None
    title: Text = Field(min_length=1, max_length=200)
    description: Text = Field(default="", max_length=5000)
    owner_email: Text = Field(default="", max_length=254, json_schema_extra=EMAIL_SHAPE,
                              description=OWNER_DESCRIPTION)
    due_on: date | None = None
    priority: ActionPriority = ActionPriority.NORMAL
    case_id: RowId | None = Field(default=None,
                                  description="A support case it follows up (LOS staff only)")

    @field_validator("requirement_id", "assessment_id", "due_on", "case_id", mode="before")
    @classmethod
    def _blank_is_none(cls, value):
        return _blank_to_none(value)

    @field_validator("priority", mode="before")
    @classmethod
    def _default_priority(cls, value):
        return ActionPriority.NORMAL if value in ("", None) else value

    @field_validator("owner_email")
    @classmethod
    def _owner_email(cls, value: str) -> str:
        return _email(value)


class ActionUpdate(BaseModel):
    """A change to an action: only the fields sent change; `version` is the one seen."""

    model_config = ConfigDict(str_strip_whitespace=True)

    version: Version = Field(ge=1)
    status: ActionStatus | None = None
    comment: OptionalText = Field(default=None, max_length=5000)
    due_on: date | None = None
    title: OptionalText = Field(default=None, min_length=1, max_length=200)
    description: OptionalText = Field(default=None, max_length=5000)
    owner_email: OptionalText = Field(default=None, max_length=254,
                                      json_schema_extra=EMAIL_SHAPE,
                                      description=OWNER_DESCRIPTION)
    priority: ActionPriority | None = None

    @field_validator("due_on", "status", "priority", mode="before")
    @classmethod
    def _blank_is_none(cls, value):
        return _blank_to_none(value)

    @field_validator("owner_email")
    @classmethod
    def _owner_email(cls, value: str | None) -> str | None:
        return None if value is None else _email(value)


@dataclass(frozen=True)
class ActionRow:
    """An action with what a list shows beside it."""

    action: Action
    requirement_key: str | None
    requirement_number: int | None
    overdue: bool
    comments: list[ActionComment] = field(default_factory=list)  # oldest first
    # The owner's name when the owner is one of the organisation's users; "" for none
    # or for an outside address saved before owners had to be users (shown as "ekstern").
    owner_name: str = ""


def is_overdue(action: Action, today: date) -> bool:
    return (action.due_on is not None and action.due_on < today
            and action.status in OPEN_ACTION_STATUSES)


def _may_see_organisation(user: User, organisation_id: int) -> None:
    """Members see only their own organisation: any other is "not found"."""
    if user.role == Role.BOARD:
        raise Forbidden(BOARD)
    if user.role == Role.MEMBER and user.organisation_id != organisation_id:
        raise NotFound(NO_ORGANISATION)


def get_action_for_user(*, session: Session, user: User, action_id: int) -> Action:
    if user.role == Role.BOARD:
        raise Forbidden(BOARD)
    action = session.get(Action, action_id)
    if action is None or (user.role == Role.MEMBER
                          and action.organisation_id != user.organisation_id):
        raise NotFound(NOT_FOUND)
    return action


def _requirement(session: Session, values: ActionInput) -> tuple[int | None, int | None]:
    """(requirement row id, assessment id) for the key, in the catalogue version that the
    named assessment, else the organisation's latest assessment, else the newest uses."""
    errors = []
    assessment = None
    if values.assessment_id is not None:
        assessment = session.get(Assessment, values.assessment_id)
        if assessment is None or assessment.organisation_id != values.organisation_id:
            errors.append(FieldError("assessment_id", N_("Selvevalueringen findes ikke.")))
            assessment = None
    if errors:
        raise Invalid(NOT_SAVED, errors)
    if values.requirement_id is None:
        return None, values.assessment_id
    version_id = assessment.catalogue_version_id if assessment else latest_catalogue_version(
        session, values.organisation_id)
    requirement_id = session.exec(select(Requirement.id).where(
        Requirement.catalogue_version_id == version_id,
        Requirement.key == values.requirement_id)).first()
    if requirement_id is None:
        raise Invalid(NOT_SAVED, [FieldError("requirement_id",
                                             N_("Fordringen findes ikke."))])
    return requirement_id, values.assessment_id


def latest_catalogue_version(session: Session, organisation_id: int) -> int | None:
    """The catalogue version of the organisation's newest assessment, else the newest one:
    the requirements a new action may name."""
    own = session.exec(select(Assessment.catalogue_version_id).where(
        Assessment.organisation_id == organisation_id).order_by(
        col(Assessment.cycle_id).desc())).first()
    if own is not None:
        return own
    return session.exec(select(CatalogueVersion.id).where(
        CatalogueVersion.kind == "assessment").order_by(
        col(CatalogueVersion.published_on).desc(), col(CatalogueVersion.id).desc())).first()


def _check_owner(session: Session, organisation_id: int, email: str | None,
                 current: str = "") -> None:
    """A new owner is one of the organisation's active users; the owner already saved stays
    acceptable, so an older outside address never blocks editing the rest."""
    if email and email != current and not may_own(session, organisation_id, email):
        raise Invalid(NOT_SAVED, [FieldError("owner_email", NOT_A_COLLEAGUE)])


def _check_case(session: Session, user: User, values: ActionInput) -> None:
    """Cases are LOS' own: only staff link an action to one, of the same member."""
    if values.case_id is None:
        return
    case = session.get(SupportCase, values.case_id)
    if user.role not in (Role.ADVISOR, Role.ADMIN) or case is None or (
            case.organisation_id != values.organisation_id):
        raise Invalid(NOT_SAVED, [FieldError("case_id", N_("Sagen findes ikke hos dette "
                                                           "medlem."))])


def create_action(*, session: Session, user: User, data: dict | ActionInput,
                  today: date) -> Action:
    values = parse_input(ActionInput, data, NOT_SAVED)
    _may_see_organisation(user, values.organisation_id)
    if session.get(Organisation, values.organisation_id) is None:
        raise NotFound(NO_ORGANISATION)
    if values.due_on is not None and values.due_on < today:
        raise Invalid(NOT_SAVED, [FieldError("due_on", N_("Fristen ligger før i dag."))])
    requirement_id, assessment_id = _requirement(session, values)
    _check_owner(session, values.organisation_id, values.owner_email)
    _check_case(session, user, values)
    action = Action(**values.model_dump(exclude={"requirement_id", "assessment_id"}),
                    requirement_id=requirement_id, assessment_id=assessment_id,
                    created_by_id=user.id)
    session.add(action)
    session.flush()
    audit.record_fields(session, user=user, action=AuditAction.CREATE, entity=AuditEntity.ACTION,
                        entity_id=action.id, organisation_id=action.organisation_id,
                        row=action, fields=ACTION_FIELDS, before={})
    session.commit()
    return action


def update_action(*, session: Session, user: User, action_id: int,
                  data: dict | ActionUpdate) -> Action:
    values = parse_input(ActionUpdate, data, NOT_SAVED)
    seen = get_action_for_user(session=session, user=user, action_id=action_id)
    _check_owner(session, seen.organisation_id, values.owner_email, seen.owner_email)
    # A compare-and-set on the version: of two saves of the same version, one misses.
    if not claim(session, Action, action_id, col(Action.version) == values.version):
        session.rollback()
        action = reload(session, Action, action_id)
        if action is None:
            raise NotFound(NOT_FOUND)
        raise Conflict(CONFLICT, data={"action": action_json(session, action, None)})
    action = reload(session, Action, action_id)
    changes = values.model_dump(exclude={"version"}, exclude_unset=True)
    for name in ("status", "title", "priority", "comment", "description", "owner_email"):
        if changes.get(name, "") is None:
            changes.pop(name)  # null means "leave as it is"; only the due date can be cleared
    # A comment joins the thread (Action.comment keeps the latest); empty adds nothing.
    if changes.get("comment") == "":
        changes.pop("comment")
    if "comment" in changes:
        session.add(ActionComment(action_id=action_id, user_id=user.id, user_name=user.name,
                                  text=changes["comment"]))
    before = fields_of(action, ACTION_FIELDS)
    for name, value in changes.items():
        setattr(action, name, value)
    action.updated_at = utcnow()
    session.add(action)
    audit.record_fields(session, user=user, action=AuditAction.UPDATE, entity=AuditEntity.ACTION,
                        entity_id=action.id, organisation_id=action.organisation_id,
                        row=action, fields=ACTION_FIELDS, before=before)
    session.commit()
    return action


def list_actions(*, session: Session, user: User, today: date,
                 organisation_id: int | None = None, status: str | None = None,
                 overdue: bool | None = None, offset: int = 0,
                 limit: int | None = None) -> list[ActionRow]:
    """The actions the user may see, open ones by due date first, then the rest; `limit`
    rows from `offset` when given."""
    statement = _visible_actions(_with_requirement(), user, today, organisation_id, status,
                                 overdue)
    statement = statement.order_by(
        col(Action.status).not_in(OPEN_ACTION_STATUSES), col(Action.due_on).is_(None),
        col(Action.due_on), col(Action.id))
    return _rows(session, statement.offset(offset).limit(limit), today)


def count_actions(*, session: Session, user: User, today: date,
                  organisation_id: int | None = None, status: str | None = None,
                  overdue: bool | None = None) -> int:
    """How many list_actions() lists without a limit."""
    return session.exec(_visible_actions(select(func.count()).select_from(Action), user,
                                         today, organisation_id, status, overdue)).one()


def _visible_actions(statement, user: User, today: date, organisation_id: int | None,
                     status: str | None, overdue: bool | None):
    if user.role == Role.MEMBER:
        _may_see_organisation(user, organisation_id or user.organisation_id or 0)
        organisation_id = user.organisation_id
    elif user.role == Role.BOARD:
        raise Forbidden(BOARD)
    if organisation_id is not None:
        statement = statement.where(Action.organisation_id == organisation_id)
    if status:
        if status not in set(ActionStatus):
            raise Invalid(N_("Ukendt status."), [FieldError("status", N_(
                "Vælg en af mulighederne."))])
        statement = statement.where(Action.status == status)
    if overdue is not None:
        late = (col(Action.due_on) < today) & col(Action.status).in_(OPEN_ACTION_STATUSES)
        statement = statement.where(late if overdue else ~late | col(Action.due_on).is_(None))
    return statement


def action_row(*, session: Session, user: User, organisation_id: int, action_id: int,
               today: date) -> ActionRow:
    """One action of the organisation, as a list shows it; another organisation's is not
    found here, whoever asks."""
    action = get_action_for_user(session=session, user=user, action_id=action_id)
    if action.organisation_id != organisation_id:
        raise NotFound(NOT_FOUND)
    return _rows(session, _with_requirement().where(Action.id == action_id), today)[0]


def _with_requirement():
    return (select(Action, Requirement.key, Requirement.number)
            .join(Requirement, col(Requirement.id) == col(Action.requirement_id), isouter=True))


def _rows(session: Session, statement, today: date) -> list[ActionRow]:
    """The rows with their owners' names and comment threads: three queries in all."""
    found = session.exec(statement).all()
    names = owner_names(session, {(action.organisation_id, action.owner_email)
                                  for action, _, _ in found})
    rows = [ActionRow(action, key, number, is_overdue(action, today),
                      owner_name=names.get((action.organisation_id, action.owner_email), ""))
            for action, key, number in found]
    if rows:  # every thread in one query
        by_action = {row.action.id: row for row in rows}
        for comment in session.exec(
                select(ActionComment).where(col(ActionComment.action_id).in_(list(by_action)))
                .order_by(ActionComment.created_at, ActionComment.id)):
            by_action[comment.action_id].comments.append(comment)
    return rows


def action_json(session: Session, action: Action, today: date | None) -> dict:
    key = None
    if action.requirement_id is not None:
        requirement = session.get(Requirement, action.requirement_id)
        key = requirement.key if requirement else None
    return {
        "id": action.id, "organisation_id": action.organisation_id,
        "requirement_id": key, "assessment_id": action.assessment_id,
        "title": action.title, "description": action.description,
        "owner_email": action.owner_email,
        "due_on": action.due_on.isoformat() if action.due_on else None,
        "priority": action.priority, "status": action.status, "comment": action.comment,
        "version": action.version,
        "overdue": is_overdue(action, today) if today else None,
        "created_at": action.created_at.isoformat(),
        "updated_at": action.updated_at.isoformat(),
    }
