"""One-time links for invitations, password resets and email changes: signed, stored,
single-use."""

from datetime import timedelta
from enum import StrEnum

from sqlalchemy import delete, func
from sqlmodel import Session, col, select

from app.auth.passwords import hash_password
from app.auth.tokens import new_token, token_hash
from app.config import Settings
from app.i18n import N_
from app.models import OneTimeLink, ResetRequest, User
from app.models.base import utcnow
from app.services import audit
from app.services.audit import AuditAction, AuditEntity
from app.services.credentials import end_all_sessions, normalise_email
from app.services.errors import FieldError, Invalid, LinkInvalid, Throttled
from app.services.mail import send_mail


class LinkPurpose(StrEnum):
    INVITATION = "invitation"
    PASSWORD_RESET = "password_reset"
    EMAIL_CHANGE = "email_change"  # services.email_change: confirms the link's new_email


_PATHS = {LinkPurpose.INVITATION: "/invitation/", LinkPurpose.PASSWORD_RESET: "/password/reset/",
          LinkPurpose.EMAIL_CHANGE: "/account/email/"}


LINK_INVALID_MESSAGE = N_(
    "Linket er udløbet eller allerede brugt. Bed om et nyt, så sender vi det med det samme."
)

RESET_THROTTLED = N_("For mange anmodninger om ny adgangskode herfra. Vent %(minutes)s "
                     "minutter, og prøv igen.")


def _ttl(settings: Settings, purpose: LinkPurpose) -> timedelta:
    if purpose is LinkPurpose.INVITATION:
        return timedelta(hours=settings.invitation_ttl_hours)
    if purpose is LinkPurpose.EMAIL_CHANGE:
        return timedelta(hours=settings.email_change_ttl_hours)
    return timedelta(minutes=settings.password_reset_ttl_minutes)


def create_link(*, session: Session, settings: Settings, user: User,
                purpose: LinkPurpose, new_email: str | None = None) -> str:
    """A fresh link; older unused links of the same purpose stop working."""
    for old in session.exec(select(OneTimeLink).where(
        OneTimeLink.user_id == user.id, OneTimeLink.purpose == purpose,
        OneTimeLink.used_at.is_(None),  # type: ignore[union-attr]
    )):
        old.used_at = utcnow()
        session.add(old)
    token = new_token()
    session.add(OneTimeLink(token_hash=token_hash(token), purpose=purpose, user_id=user.id,
                            expires_at=utcnow() + _ttl(settings, purpose), new_email=new_email))
    session.commit()
    return settings.base_url.rstrip("/") + _PATHS[purpose] + token


def send_invitation(*, session: Session, settings: Settings, user: User) -> None:
    url = create_link(session=session, settings=settings, user=user,
                      purpose=LinkPurpose.INVITATION)
    send_mail(session=session, settings=settings, recipient=user.email,
              subject="Invitation til etik – LOS' etiske selvevaluering",
              body=(f"Hej {user.name}\n\nDu er inviteret til etik, hvor medlemmer af LOS "
                    f"laver den årlige etiske selvevaluering.\n\nVælg din adgangskode her "
                    f"(linket virker i {settings.invitation_ttl_hours} timer og kun én gang):"
                    f"\n{url}\n\nVenlig hilsen\nLOS"))


def request_password_reset(*, session: Session, settings: Settings, email: str,
                           client: str) -> None:
    """Sends a reset link when the email belongs to an active user; silent otherwise.

    Too many requests from one address are refused (429), which says nothing about any
    account; too many for one email are dropped silently, as an unknown email is.
    """
    email = normalise_email(email)[:254]
    if _over_reset_limits(session=session, settings=settings, email=email, client=client):
        return
    user = session.exec(select(User).where(User.email == email)).first()
    if user is None or not user.active:
        return
    url = create_link(session=session, settings=settings, user=user,
                      purpose=LinkPurpose.PASSWORD_RESET)
    send_mail(session=session, settings=settings, recipient=user.email,
              subject="Ny adgangskode til etik",
              body=(f"Hej {user.name}\n\nNogen (forhåbentlig dig) har bedt om en ny "
                    f"adgangskode til etik. Vælg den her (linket virker i "
                    f"{settings.password_reset_ttl_minutes} minutter og kun én gang):\n{url}"
                    f"\n\nHar du ikke bedt om det, kan du se bort fra denne mail.\n\nLOS"))


def _over_reset_limits(*, session: Session, settings: Settings, email: str,
                       client: str) -> bool:
    """Counts the request, committed before it is checked (as logins are), so parallel
    requests cannot all pass; True when this email has had its share of mails."""
    since = utcnow() - timedelta(minutes=settings.password_reset_window_minutes)
    # As login attempts: requests older than the window go in the same write.
    session.execute(delete(ResetRequest).where(col(ResetRequest.requested_at) < since))
    session.add(ResetRequest(email=email, client=client[:64]))
    session.commit()
    recent = select(func.count()).select_from(ResetRequest).where(
        ResetRequest.requested_at >= since)
    by_client = session.exec(recent.where(ResetRequest.client == client[:64])).one()
    if by_client > settings.password_reset_ip_limit:
        raise Throttled(RESET_THROTTLED,
                        params={"minutes": settings.password_reset_window_minutes})
    return session.exec(recent.where(ResetRequest.email == email)).one() > \
        settings.password_reset_limit


def user_for_link(*, session: Session, token: str, purpose: LinkPurpose) -> User:
    link = usable_link(session=session, token=token, purpose=purpose)
    user = session.get(User, link.user_id)
    if user is None or not user.active:
        raise LinkInvalid(LINK_INVALID_MESSAGE)
    return user


def usable_link(*, session: Session, token: str, purpose: LinkPurpose) -> OneTimeLink:
    link = session.exec(select(OneTimeLink).where(
        OneTimeLink.token_hash == token_hash(token), OneTimeLink.purpose == purpose
    )).first()
    if link is None or link.used_at is not None or link.expires_at <= utcnow():
        raise LinkInvalid(LINK_INVALID_MESSAGE)
    return link


def validate_new_password(settings: Settings, password: str, repeated: str) -> None:
    errors = []
    if len(password) < settings.password_min_length:
        errors.append(FieldError("password", N_("Adgangskoden skal have mindst %(n)s tegn."),
                                 {"n": settings.password_min_length}))
    elif password != repeated:
        errors.append(FieldError("password_repeat", N_("De to adgangskoder er ikke ens.")))
    if errors:
        raise Invalid(N_("Adgangskoden blev ikke gemt."), errors)


def set_password_with_link(*, session: Session, settings: Settings, token: str,
                           purpose: LinkPurpose, password: str, repeated: str) -> User:
    link = usable_link(session=session, token=token, purpose=purpose)
    validate_new_password(settings, password, repeated)
    user = session.get(User, link.user_id)
    if user is None or not user.active:
        raise LinkInvalid(LINK_INVALID_MESSAGE)
    link.used_at = utcnow()
    user.password_hash = hash_password(password)
    end_all_sessions(session=session, user_id=user.id)
    session.add_all([link, user])
    # The person acts for themselves; the trail says a password was set, never which.
    audit.record(session, user=user, action=AuditAction.PASSWORD, entity=AuditEntity.USER,
                 entity_id=user.id, organisation_id=user.organisation_id,
                 changes={"password": [None, "(set)"], "link": [None, purpose.value]})
    session.commit()
    return user
