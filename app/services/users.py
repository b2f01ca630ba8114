"""Users: create, invite, edit, deactivate, search."""

from pydantic import BaseModel, ConfigDict, EmailStr, Field, field_validator, model_validator
from sqlalchemy import func, or_
from sqlmodel import Session, col, select

from app.auth.passwords import hash_password
from app.config import Settings
from app.i18n import N_
from app.models import Organisation, User
from app.models.vocabulary import Role
from app.services import audit
from app.services.access import require_admin
from app.services.audit import AuditAction, AuditEntity, fields_of
from app.services.credentials import end_all_sessions, normalise_email
from app.services.errors import FieldError, Forbidden, Invalid, NotFound
from app.services.fields import RowId, Text
from app.services.links import send_invitation, validate_new_password
from app.services.validation import parse_input

NOT_FOUND = N_("Brugeren findes ikke.")
NOT_SAVED = N_("Ikke gemt. Ret felterne markeret nedenfor.")


class UserInput(BaseModel):
    model_config = ConfigDict(str_strip_whitespace=True)

    email: EmailStr = Field(max_length=254)
    name: Text = Field(min_length=1, max_length=200)
    role: Role
    organisation_id: RowId | None = None
    # A member's leader (services.colleagues); only members can be one.
    member_admin: bool = False

    @field_validator("email", mode="before")
    @classmethod
    def _lower(cls, value):
        return normalise_email(value) if isinstance(value, str) else value

    @field_validator("organisation_id", mode="before")
    @classmethod
    def _empty_is_none(cls, value):
        return None if value in ("", None) else value

    @field_validator("member_admin", mode="before")
    @classmethod
    def _unticked_is_false(cls, value):
        return False if value in ("", None) else value  # a checkbox not ticked sends nothing

    @model_validator(mode="after")
    def _members_belong_to_an_organisation(self) -> "UserInput":
        if self.role == Role.MEMBER and self.organisation_id is None:
            raise ValueError(N_("Et medlem skal høre til et tilbud."))
        if self.role != Role.MEMBER:
            self.organisation_id = None  # only members belong to an organisation
            self.member_admin = False
        return self


def _validated(session: Session, data, user_id: int | None = None) -> UserInput:
    values = parse_input(UserInput, data, NOT_SAVED)
    errors = []
    taken = session.exec(select(User.id).where(User.email == values.email)).first()
    if taken is not None and taken != user_id:
        errors.append(FieldError("email", N_("Der findes allerede en bruger med denne e-mail.")))
    if values.organisation_id is not None and session.get(Organisation,
                                                          values.organisation_id) is None:
        errors.append(FieldError("organisation_id", N_("Vælg et tilbud fra listen.")))
    if errors:
        raise Invalid(NOT_SAVED, errors)
    return values


USER_FIELDS = ("email", "name", "role", "organisation_id", "active", "member_admin")
MANAGERS_ONLY = N_("Kun LOS' administratorer og tilbuddets ledere kan invitere og fjerne "
                   "brugere.")


def may_manage(actor: User | None, role: Role | str, organisation_id: int | None) -> bool:
    """Admins (and the command line, None) manage every user; a member's leader
    (member_admin) the member users of its own organisation, and no one else."""
    if actor is None or actor.role == Role.ADMIN:
        return True
    return (actor.role == Role.MEMBER and actor.member_admin and role == Role.MEMBER
            and organisation_id is not None and organisation_id == actor.organisation_id)


def _require_manager(actor: User | None) -> None:
    """Before anything is read: only admins and members' leaders manage users at all."""
    if actor is not None and not (actor.role == Role.ADMIN
                                  or (actor.role == Role.MEMBER and actor.member_admin)):
        raise Forbidden(MANAGERS_ONLY)


def _record(session: Session, actor: User | None, changed: User, action: str,
            before: dict) -> None:
    audit.record_fields(session, user=actor, action=action, entity=AuditEntity.USER,
                        entity_id=changed.id, organisation_id=changed.organisation_id,
                        row=changed, fields=USER_FIELDS, before=before)


def create_user(*, session: Session, user: User | None, data: dict | UserInput,
                commit: bool = True) -> User:
    """`user` is the admin creating the account (None: the command line), or a member's
    leader creating a member user of its own organisation (services.colleagues)."""
    _require_manager(user)
    values = _validated(session, data)
    if not may_manage(user, values.role, values.organisation_id):
        raise Forbidden(MANAGERS_ONLY)
    created = User(**values.model_dump())
    session.add(created)
    session.flush()
    _record(session, user, created, AuditAction.CREATE, {})
    if commit:
        session.commit()
    return created


def invite_user(*, session: Session, settings: Settings, user: User | None,
                data: dict | UserInput) -> User:
    """Creates the user without a password and emails a one-time link to choose one."""
    invited = create_user(session=session, user=user, data=data)
    send_invitation(session=session, settings=settings, user=invited)
    return invited


def create_user_with_password(*, session: Session, settings: Settings, user: User | None,
                              data: UserInput | dict, password: str,
                              organisation_cvr: str | None = None) -> User:
    values = data.model_dump() if isinstance(data, BaseModel) else dict(data)
    if organisation_cvr:
        matches = session.exec(select(Organisation).where(
            Organisation.cvr == organisation_cvr.replace(" ", ""), col(Organisation.active)
        )).all()
        if len(matches) != 1:
            message = (N_("Ingen aktive tilbud har dette CVR-nummer.") if not matches else
                       N_("Flere tilbud har dette CVR-nummer; vælg tilbuddet på admin-siden."))
            raise Invalid(NOT_SAVED, [FieldError("org", message)])
        values["organisation_id"] = matches[0].id
    validate_new_password(settings, password, password)
    created = create_user(session=session, user=user, data=values, commit=False)
    created.password_hash = hash_password(password)
    session.add(created)
    session.commit()
    return created


def get_user(*, session: Session, user_id: int) -> User:
    user = session.get(User, user_id)
    if user is None:
        raise NotFound(NOT_FOUND)
    return user


def update_user(*, session: Session, user: User | None, user_id: int,
                data: dict | UserInput) -> User:
    require_admin(user)
    changed = get_user(session=session, user_id=user_id)
    values = _validated(session, data, user_id=user_id)
    before = fields_of(changed, USER_FIELDS)
    # A caller that does not mention member_admin leaves it as it is (the admin form does).
    given = values.model_dump(exclude=set() if "member_admin" in values.model_fields_set
                              or values.role != Role.MEMBER else {"member_admin"})
    for name, value in given.items():
        setattr(changed, name, value)
    session.add(changed)
    _record(session, user, changed, AuditAction.UPDATE, before)
    session.commit()
    return changed


def set_user_active(*, session: Session, user: User, user_id: int, active: bool) -> User:
    require_admin(user)
    changed = get_user(session=session, user_id=user_id)
    if changed.id == user.id and not active:
        raise Invalid(N_("Du kan ikke deaktivere dig selv."))
    return write_active(session=session, user=user, changed=changed, active=active)


def write_active(*, session: Session, user: User, changed: User, active: bool) -> User:
    """Deactivates (logged out everywhere at once, nothing deleted) or reactivates; the
    callers decide who may (set_user_active, services.colleagues)."""
    before = fields_of(changed, USER_FIELDS)
    changed.active = active
    if not active:
        end_all_sessions(session=session, user_id=changed.id)
    session.add(changed)
    _record(session, user, changed, AuditAction.UPDATE, before)
    session.commit()
    return changed


def resend_invitation(*, session: Session, settings: Settings, user_id: int) -> User:
    user = get_user(session=session, user_id=user_id)
    send_invitation(session=session, settings=settings, user=user)
    return user


def search_users(*, session: Session, query: str = "", role: Role | None = None,
                 include_inactive: bool = False, limit: int = 50, offset: int = 0
                 ) -> tuple[list[tuple[User, Organisation | None]], int]:
    """A page of users with their organisation, and the total count."""
    statement = select(User, Organisation).join(
        Organisation, col(User.organisation_id) == col(Organisation.id), isouter=True
    )
    if query.strip():
        pattern = f"%{query.strip().lower()}%"
        statement = statement.where(or_(
            func.lower(User.email).like(pattern),
            func.lower(User.name).like(pattern),
            func.lower(Organisation.name).like(pattern),
        ))
    if role is not None:
        statement = statement.where(User.role == role)
    if not include_inactive:
        statement = statement.where(col(User.active))
    total = session.exec(select(func.count()).select_from(statement.subquery())).one()
    rows = session.exec(statement.order_by(User.name, User.id).offset(offset).limit(limit)).all()
    return [(user, organisation) for user, organisation in rows], total


def users_of_organisation(*, session: Session, organisation_id: int) -> list[User]:
    """Everyone belonging to the organisation, deactivated users included."""
    return list(session.exec(
        select(User).where(User.organisation_id == organisation_id)
        .order_by(col(User.active).desc(), User.name, User.id)
    ))
