"""A person's new email address: asked for on My account, confirmed by a link mailed to it.

The email changes only when the link is used, by the same person, logged in; the old
address is told. Until then the person logs in with the old address, as before.
"""

from pydantic import BaseModel, ConfigDict, EmailStr, Field, field_validator
from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from app.config import Settings
from app.i18n import N_
from app.models import Action, OneTimeLink, User
from app.models.base import utcnow
from app.services import audit
from app.services.audit import AuditAction, AuditEntity, fields_of
from app.services.credentials import check_own_password, normalise_email
from app.services.errors import Conflict, FieldError, Invalid, LinkInvalid
from app.services.links import LINK_INVALID_MESSAGE, LinkPurpose, create_link, usable_link
from app.services.mail import send_mail
from app.services.users import USER_FIELDS
from app.services.validation import parse_input

NOT_SENT = N_("Der er ikke sendt noget link. Ret felterne markeret nedenfor.")
EMAIL_TAKEN = N_("Der findes allerede en bruger med denne e-mail.")
TAKEN_SINCE = N_("%(email)s bruges nu af en anden bruger, så din e-mail er ikke ændret.")
OTHER_PERSON = N_("Linket hører til en anden bruger. Log ud, og log ind som den, der bad om "
                  "den nye e-mail.")


class EmailInput(BaseModel):
    model_config = ConfigDict(str_strip_whitespace=True)

    email: EmailStr = Field(max_length=254)

    @field_validator("email", mode="before")
    @classmethod
    def _lower(cls, value):
        return normalise_email(value) if isinstance(value, str) else value


def pending_email(*, session: Session, user: User) -> OneTimeLink | None:
    """The address the person asked for and has not confirmed yet, if its link still works."""
    return session.exec(select(OneTimeLink).where(
        OneTimeLink.user_id == user.id, OneTimeLink.purpose == LinkPurpose.EMAIL_CHANGE,
        col(OneTimeLink.used_at).is_(None), OneTimeLink.expires_at > utcnow(),
    ).order_by(col(OneTimeLink.id).desc())).first()


def request_email_change(*, session: Session, settings: Settings, user: User, email: str,
                         current_password: str, client: str) -> str:
    """Mails a confirmation link to the new address; returns the address.

    The current password is asked first (throttled as a login is), and only then whether
    the address is taken, so the form is no way to find out who has an account.
    """
    errors = []
    try:
        new_email = parse_input(EmailInput, {"email": email}, NOT_SENT).email
    except Invalid as exc:
        errors += exc.errors
        new_email = ""
    try:
        check_own_password(session=session, settings=settings, user=user,
                           password=current_password, client=client, message=NOT_SENT)
    except Invalid as exc:
        raise Invalid(NOT_SENT, exc.errors + errors) from None
    if new_email and new_email == user.email:
        errors.append(FieldError("email", N_("Det er allerede din e-mail.")))
    elif new_email and _taken(session, new_email):
        errors.append(FieldError("email", EMAIL_TAKEN))
    if errors:
        raise Invalid(NOT_SENT, errors)
    audit.record(session, user=user, action=AuditAction.EMAIL_REQUESTED,
                 entity=AuditEntity.USER, entity_id=user.id,
                 organisation_id=user.organisation_id,
                 changes={"new_email": [None, new_email]})
    # Committed with the link; an earlier link for another address stops working.
    url = create_link(session=session, settings=settings, user=user,
                      purpose=LinkPurpose.EMAIL_CHANGE, new_email=new_email)
    hours = settings.email_change_ttl_hours
    send_mail(session=session, settings=settings, recipient=new_email,
              subject="Bekræft din nye e-mail til etik",
              body=(f"Hej {user.name}\n\nDu har bedt om at bruge denne e-mail til etik, LOS' "
                    f"etiske selvevaluering, i stedet for {user.email}.\n\nBekræft den her "
                    f"(linket virker i {hours} timer og kun én gang; du skal være logget "
                    f"ind):\n{url}\n\nIndtil da logger du ind med {user.email}. Har du ikke "
                    f"bedt om det, kan du se bort fra denne mail.\n\nVenlig hilsen\nLOS"))
    return new_email


def _taken(session: Session, email: str) -> bool:
    return session.exec(select(User.id).where(User.email == email)).first() is not None


def link_for(*, session: Session, user: User, token: str) -> OneTimeLink:
    """The person's own unused email-change link; LinkInvalid for any other."""
    link = usable_link(session=session, token=token, purpose=LinkPurpose.EMAIL_CHANGE)
    if link.user_id != user.id:
        raise LinkInvalid(OTHER_PERSON)
    if not link.new_email:
        raise LinkInvalid(LINK_INVALID_MESSAGE)
    return link


def confirm_email_change(*, session: Session, settings: Settings, user: User,
                         token: str) -> User:
    """Changes the email to the link's address, tells the old address, and ends the person's
    unused password-reset links (they were sent to the old address)."""
    link = link_for(session=session, user=user, token=token)
    person = session.get(User, user.id)
    if person is None or not person.active:
        raise LinkInvalid(LINK_INVALID_MESSAGE)
    old_email, new_email = person.email, link.new_email
    if _taken(session, new_email):
        _use_up(session, link)
        raise Conflict(TAKEN_SINCE, params={"email": new_email})
    before = fields_of(person, USER_FIELDS)
    now = utcnow()
    for unused in session.exec(select(OneTimeLink).where(
            OneTimeLink.user_id == person.id, col(OneTimeLink.used_at).is_(None),
            col(OneTimeLink.purpose).in_([LinkPurpose.PASSWORD_RESET,
                                          LinkPurpose.EMAIL_CHANGE]))):
        unused.used_at = now
        session.add(unused)
    person.email = new_email
    session.add(person)
    # Actions name their owner by email: they follow the person to the new address, as
    # they are emptied when a user is deleted (services/user_deletion.py).
    session.exec(update(Action).where(Action.owner_email == old_email).values(
        owner_email=new_email, version=Action.version + 1, updated_at=now))
    audit.record_fields(session, user=person, action=AuditAction.UPDATE,
                        entity=AuditEntity.USER, entity_id=person.id,
                        organisation_id=person.organisation_id, row=person,
                        fields=USER_FIELDS, before=before)
    try:
        session.commit()
    except IntegrityError:
        # Taken by someone else between the check and the write (the unique index says so).
        session.rollback()
        _use_up(session, link)
        raise Conflict(TAKEN_SINCE, params={"email": new_email}) from None
    send_mail(session=session, settings=settings, recipient=old_email,
              subject="Din e-mail til etik er ændret",
              body=(f"Hej {person.name}\n\nDin e-mail til etik, LOS' etiske selvevaluering, er "
                    f"ændret fra {old_email} til {new_email}. Fremover logger du ind med den "
                    f"nye, og mails fra etik går dertil.\n\nVar det ikke dig, så kontakt LOS "
                    f"med det samme.\n\nVenlig hilsen\nLOS"))
    return person


def _use_up(session: Session, link: OneTimeLink) -> None:
    link = session.get(OneTimeLink, link.id)
    link.used_at = utcnow()
    session.add(link)
    session.commit()
