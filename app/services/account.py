"""My account: a logged-in person changes their own name and password, and sees and ends
their own browser logins. (A new email address is confirmed by a link: email_change.py.)"""

from dataclasses import dataclass
from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import delete
from sqlmodel import Session, select

from app.auth.passwords import hash_password
from app.auth.tokens import token_hash
from app.config import Settings
from app.i18n import N_
from app.models import ApiToken, User, UserSession
from app.models.base import utcnow
from app.services import audit
from app.services.audit import AuditAction, AuditEntity, fields_of
from app.services.credentials import check_own_password, end_other_sessions
from app.services.errors import Invalid, NotFound
from app.services.fields import Text
from app.services.links import validate_new_password
from app.services.user_agents import describe_user_agent
from app.services.users import USER_FIELDS
from app.services.validation import parse_input

NAME_NOT_SAVED = N_("Navnet blev ikke gemt. Ret feltet markeret nedenfor.")
PASSWORD_NOT_SAVED = N_("Adgangskoden blev ikke ændret. Ret felterne markeret nedenfor.")
SESSION_GONE = N_("Det login findes ikke længere. Det er måske allerede logget ud.")


class NameInput(BaseModel):
    """What a person may change about themselves directly (the HTML form and PATCH /me)."""

    model_config = ConfigDict(str_strip_whitespace=True)

    name: Text = Field(min_length=1, max_length=200)


def own_user(*, session: Session, user: User) -> User:
    """The logged-in person's row, fresh from the database (the request's copy is detached)."""
    person = session.get(User, user.id)
    if person is None:
        raise NotFound(N_("Brugeren findes ikke."))
    return person


def change_name(*, session: Session, user: User, data: dict | NameInput) -> User:
    values = parse_input(NameInput, data, NAME_NOT_SAVED)
    person = own_user(session=session, user=user)
    before = fields_of(person, USER_FIELDS)
    person.name = values.name
    session.add(person)
    audit.record_fields(session, user=person, action=AuditAction.UPDATE, entity=AuditEntity.USER,
                        entity_id=person.id, organisation_id=person.organisation_id,
                        row=person, fields=USER_FIELDS, before=before)
    session.commit()
    return person


def change_password(*, session: Session, settings: Settings, user: User, current: str,
                    password: str, repeated: str, client: str, keep_token: str | None) -> int:
    """Sets a new password after checking the current one (throttled as a login is), and
    logs the person out of every other browser and every API token; the browsers logged out.

    `keep_token` is the session of the browser that asked, which stays logged in.
    """
    errors = []
    try:
        check_own_password(session=session, settings=settings, user=user, password=current,
                           client=client, message=PASSWORD_NOT_SAVED)
    except Invalid as exc:
        errors += exc.errors
    try:
        validate_new_password(settings, password, repeated)
    except Invalid as exc:
        errors += exc.errors
    if errors:
        raise Invalid(PASSWORD_NOT_SAVED, errors)
    person = own_user(session=session, user=user)
    person.password_hash = hash_password(password)
    session.add(person)
    ended = end_other_sessions(session=session, user_id=person.id, keep_token=keep_token)
    # API tokens were got with the old password: they go too.
    session.exec(delete(ApiToken).where(ApiToken.user_id == person.id))
    audit.record(session, user=person, action=AuditAction.PASSWORD, entity=AuditEntity.USER,
                 entity_id=person.id, organisation_id=person.organisation_id,
                 changes={"password": [None, "(set)"], "other_sessions_ended": [None, ended]})
    session.commit()
    return ended


@dataclass(frozen=True)
class BrowserLogin:
    """One of the person's browser sessions, as the account page lists it."""

    id: int
    created_at: datetime
    expires_at: datetime
    last_seen_at: datetime | None
    browser: str  # "" when the browser did not say
    system: str
    current: bool  # the browser looking at the list


def browser_logins(*, session: Session, user: User, current_token: str | None
                   ) -> list[BrowserLogin]:
    """The person's sessions that still work, this browser's first, then the latest seen."""
    current_hash = token_hash(current_token) if current_token else ""
    rows = session.exec(select(UserSession).where(
        UserSession.user_id == user.id, UserSession.expires_at > utcnow())).all()
    logins = [BrowserLogin(row.id, row.created_at, row.expires_at, row.last_seen_at,
                           *describe_user_agent(row.user_agent),
                           current=row.token_hash == current_hash) for row in rows]
    return sorted(logins, key=lambda login: (not login.current,
                                             -(login.last_seen_at or login.created_at)
                                             .timestamp(), -login.id))


def end_browser_login(*, session: Session, user: User, session_id: int,
                      current_token: str | None) -> bool:
    """Logs one of the person's own browsers out, its cookie stops working at once; True
    when it was the asking browser itself (`current_token`)."""
    ended = session.exec(select(UserSession).where(
        UserSession.id == session_id, UserSession.user_id == user.id)).first()
    if ended is None:
        raise NotFound(SESSION_GONE)
    was_current = current_token is not None and ended.token_hash == token_hash(current_token)
    session.exec(delete(UserSession).where(UserSession.id == ended.id))
    audit.record(session, user=user, action=AuditAction.LOGOUT, entity=AuditEntity.USER,
                 entity_id=user.id, organisation_id=user.organisation_id,
                 changes={"sessions_ended": [None, 1]})
    session.commit()
    return was_current


def end_other_browser_logins(*, session: Session, user: User, current_token: str | None) -> int:
    """Logs out every browser of the person's but this one; how many were logged out."""
    ended = end_other_sessions(session=session, user_id=user.id, keep_token=current_token)
    audit.record(session, user=user, action=AuditAction.LOGOUT, entity=AuditEntity.USER,
                 entity_id=user.id, organisation_id=user.organisation_id,
                 changes={"sessions_ended": [None, ended]})
    session.commit()
    return ended

