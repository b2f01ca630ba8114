"""Logging in: password checks with throttling, browser sessions and API tokens."""

from datetime import timedelta

from sqlalchemy import delete, func
from sqlmodel import Session, col, select

from app.auth.passwords import verify_password
from app.auth.tokens import new_token, token_hash
from app.config import Settings
from app.i18n import N_
from app.models import ApiToken, LoginAttempt, User, UserSession
from app.models.base import utcnow
from app.services.errors import BadCredentials, FieldError, Invalid, Throttled

# How stale a session's "last seen" may get before a request renews it: a write every few
# minutes per person, instead of one per request.
LAST_SEEN_EVERY = timedelta(minutes=5)
USER_AGENT_LENGTH = 300

BAD_CREDENTIALS_MESSAGE = N_("Forkert e-mail eller adgangskode.")
THROTTLED_MESSAGE = N_("For mange mislykkede forsøg. Vent %(minutes)s minutter, og prøv igen.")


def normalise_email(email: str) -> str:
    return email.strip().lower()


def authenticate(*, session: Session, settings: Settings, email: str, password: str,
                 client: str) -> User:
    """The active user with this email and password; the same error for every failure."""
    email = normalise_email(email)
    _count_attempt(session=session, settings=settings, email=email, client=client)
    user = session.exec(select(User).where(User.email == email)).first()
    ok, new_hash = verify_password(password, user.password_hash if user else None)
    if not ok or user is None or not user.active:
        raise BadCredentials(BAD_CREDENTIALS_MESSAGE)
    if new_hash:
        user.password_hash = new_hash
    user.last_login_at = utcnow()
    session.exec(delete(LoginAttempt).where(LoginAttempt.email == email))
    session.add(user)
    session.commit()
    return user


def check_own_password(*, session: Session, settings: Settings, user: User, password: str,
                       client: str, message: str) -> None:
    """The logged-in person's current password, before a change to their credentials.

    Counted and throttled exactly as a login is, so a left-open browser is no way around
    the limit on guessing; `message` says what was not saved.
    """
    _count_attempt(session=session, settings=settings, email=user.email, client=client)
    stored = session.exec(select(User.password_hash).where(User.id == user.id)).first()
    ok, _ = verify_password(password, stored)
    if not ok:
        raise Invalid(message, [FieldError("current_password",
                                           N_("Det er ikke din nuværende adgangskode."))])
    session.exec(delete(LoginAttempt).where(LoginAttempt.email == user.email))


def _count_attempt(*, session: Session, settings: Settings, email: str, client: str) -> None:
    """Records the attempt, committed, before counting it: of N parallel attempts each one
    counts every attempt committed before its own, so no more than the limit get a password
    check, whatever the number of processes. A successful login clears its email's count."""
    since = utcnow() - timedelta(minutes=settings.login_failure_window_minutes)
    # Attempts older than the window count for nothing: gone in the same write, so the
    # table holds one window's attempts, whatever the years of use.
    session.execute(delete(LoginAttempt).where(col(LoginAttempt.attempted_at) < since))
    session.add(LoginAttempt(email=email[:254], client=client[:64]))
    session.commit()
    recent = select(func.count()).select_from(LoginAttempt).where(
        LoginAttempt.attempted_at >= since
    )
    by_email = session.exec(recent.where(LoginAttempt.email == email[:254])).one()
    by_client = session.exec(recent.where(LoginAttempt.client == client[:64])).one()
    if by_email > settings.login_failure_limit or by_client > settings.login_failure_ip_limit:
        raise Throttled(THROTTLED_MESSAGE,
                        params={"minutes": settings.login_failure_window_minutes})


def start_browser_session(*, session: Session, settings: Settings, user: User,
                          user_agent: str = "") -> str:
    """A new session for the user; returns the token the cookie carries. `user_agent` is the
    browser's own description, kept so the person can tell their logins apart."""
    token = new_token()
    now = utcnow()
    session.add(UserSession(
        token_hash=token_hash(token),
        user_id=user.id,
        expires_at=now + timedelta(hours=settings.session_max_age_hours),
        last_seen_at=now,
        user_agent=user_agent[:USER_AGENT_LENGTH],
    ))
    session.commit()
    return token


def user_for_browser_session(*, session: Session, token: str) -> User | None:
    now = utcnow()
    row = session.exec(
        select(User, UserSession)
        .join(UserSession, UserSession.user_id == User.id)
        .where(UserSession.token_hash == token_hash(token), UserSession.expires_at > now)
    ).first()
    if row is None or not row[0].active:
        return None
    user, browser_session = row
    if browser_session.last_seen_at is None or \
            browser_session.last_seen_at <= now - LAST_SEEN_EVERY:
        browser_session.last_seen_at = now
        session.add(browser_session)
        session.commit()
    return user


def end_browser_session(*, session: Session, token: str) -> None:
    session.exec(delete(UserSession).where(UserSession.token_hash == token_hash(token)))
    session.commit()


def end_all_sessions(*, session: Session, user_id: int) -> None:
    """Logs the user out everywhere, e.g. after a password change or deactivation."""
    session.exec(delete(UserSession).where(UserSession.user_id == user_id))
    session.exec(delete(ApiToken).where(ApiToken.user_id == user_id))


def end_other_sessions(*, session: Session, user_id: int, keep_token: str | None) -> int:
    """Logs the user out of every browser but the one holding `keep_token`; the number ended.
    Not committed: the caller's change commits it."""
    statement = delete(UserSession).where(UserSession.user_id == user_id)
    if keep_token:
        statement = statement.where(UserSession.token_hash != token_hash(keep_token))
    return session.exec(statement).rowcount


def issue_api_token(*, session: Session, settings: Settings, user: User) -> tuple[str, int]:
    """A bearer token and its lifetime in seconds."""
    token = new_token()
    ttl = timedelta(minutes=settings.api_token_ttl_minutes)
    session.add(ApiToken(token_hash=token_hash(token), user_id=user.id,
                         expires_at=utcnow() + ttl))
    # Expired tokens are swept here, on the path that creates them, so the table stays small.
    session.exec(delete(ApiToken).where(ApiToken.expires_at <= utcnow()))
    session.commit()
    return token, int(ttl.total_seconds())


def user_for_api_token(*, session: Session, token: str) -> User | None:
    row = session.exec(
        select(User)
        .join(ApiToken, ApiToken.user_id == User.id)
        .where(ApiToken.token_hash == token_hash(token), ApiToken.expires_at > utcnow())
    ).first()
    return row if row is not None and row.active else None
