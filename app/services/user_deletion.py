"""Deleting a user (GDPR erasure): the person goes, what they did for their organisation stays.

Answers, reflections, evidence, revisions, actions, comments and contact notes keep their
content; the columns that pointed at the user become NULL (every foreign key to user.id is
ON DELETE SET NULL, or CASCADE for the user's own credentials), and the names and email
addresses kept beside them are blanked here, so every page says "slettet bruger"
(app/services/people.py). Sessions, API tokens and one-time links go with the user, and
so do the login and reset counters and the mail kept for them, which hold their email.

The audit trail is append-only and is not rewritten: its earlier entries keep the email
they were written with (accountability for who changed what), and the pages and the API
that read it say "slettet bruger" for an actor that no longer exists
(app/services/audit.py).
"""

from sqlalchemy import delete, func, update
from sqlmodel import Session, col, select

from app.i18n import N_
from app.models import (
    Action,
    ActionComment,
    ApiToken,
    ContactEntry,
    LoginAttempt,
    NoticeSent,
    OneTimeLink,
    OutboxMessage,
    ResetRequest,
    User,
    UserSession,
)
from app.models.base import utcnow
from app.models.vocabulary import Role
from app.services import audit
from app.services.access import require_admin
from app.services.audit import AuditAction, AuditEntity
from app.services.errors import Invalid
from app.services.users import get_user

NOT_YOURSELF = N_("Du kan ikke slette dig selv. Bed en anden administrator om det.")
LAST_ADMIN = N_("Den sidste administrator kan ikke slettes. Opret en anden administrator "
                "først.")


def check_deletable(*, session: Session, user: User | None, person: User) -> None:
    """Refuses, with the reason, what may not be deleted: oneself, the last admin."""
    require_admin(user)
    if user is not None and person.id == user.id:
        raise Invalid(NOT_YOURSELF)
    if person.role == Role.ADMIN:
        others = session.exec(select(func.count()).select_from(User).where(
            User.role == Role.ADMIN, col(User.active), User.id != person.id)).one()
        if others == 0:
            raise Invalid(LAST_ADMIN)


def delete_user(*, session: Session, user: User | None, user_id: int) -> None:
    """Deletes the user in one transaction, recorded in the audit trail."""
    person = get_user(session=session, user_id=user_id)
    check_deletable(session=session, user=user, person=person)
    email = person.email
    comments = session.exec(update(ActionComment).where(ActionComment.user_id == person.id)
                            .values(user_name="")).rowcount
    session.exec(update(ContactEntry).where(ContactEntry.by_id == person.id).values(by_name=""))
    # An action owned by the person has no owner now; someone else must take it on.
    owned = session.exec(update(Action).where(Action.owner_email == email).values(
        owner_email="", version=Action.version + 1, updated_at=utcnow())).rowcount
    for model in (UserSession, ApiToken, OneTimeLink):
        session.exec(delete(model).where(model.user_id == person.id))
    session.exec(delete(LoginAttempt).where(LoginAttempt.email == email))
    session.exec(delete(ResetRequest).where(ResetRequest.email == email))
    session.exec(delete(OutboxMessage).where(OutboxMessage.recipient == email))
    session.exec(delete(NoticeSent).where(NoticeSent.recipient == email))
    # Who was deleted is said by id and role only: keeping the email or the name here would
    # keep the very personal data the deletion removes, in a trail that is never rewritten.
    audit.record(session, user=user, action=AuditAction.DELETE, entity=AuditEntity.USER,
                 entity_id=person.id, organisation_id=person.organisation_id,
                 changes={"role": [str(person.role), None],
                          "comments_kept": [None, comments],
                          "actions_without_owner": [None, owned]})
    session.delete(person)
    session.commit()
