"""Mail to every active user of a member organisation about its self-assessment (the
submit receipt, a reopening), sent once the change is committed."""

import logging
from collections.abc import Callable

from sqlmodel import Session, col, select

from app.config import Settings
from app.i18n import gettext
from app.models import Assessment, Cycle, Organisation, User
from app.services.mail import send_mail

log = logging.getLogger("etik.organisation_mail")


def assessment_url(settings: Settings, assessment: Assessment, page: str) -> str:
    return f"{settings.base_url.rstrip('/')}/assessments/{assessment.id}/{page}"


def mail_organisation(*, session: Session, settings: Settings, assessment: Assessment,
                      subject: str, body: str, details: Callable[[], dict],
                      event: str) -> int:
    """One mail per active user of the assessment's organisation; how many were written.

    `subject` and `body` are msgids filled with `year`, `organisation`, the recipient's
    `name` and what `details()` returns. The change the mail is about is committed before
    this runs, so nothing here may undo it: an SMTP failure is kept in the outbox by
    send_mail, and anything else is logged and swallowed.
    """
    try:
        organisation = session.get(Organisation, assessment.organisation_id)
        cycle = session.get(Cycle, assessment.cycle_id)
        recipients = session.exec(select(User).where(
            User.organisation_id == assessment.organisation_id, col(User.active))
            .order_by(User.id)).all()
        values = {"year": cycle.year, "organisation": organisation.name, **details()}
        for recipient in recipients:
            send_mail(session=session, settings=settings, recipient=recipient.email,
                      subject=gettext(subject, **values),
                      body=gettext(body, name=recipient.name, **values))
        return len(recipients)
    except Exception as exc:  # the change stands, whatever the mail does
        session.rollback()
        log.warning('{"event": "%s_failed", "assessment": %s, "error": "%s"}',
                    event, assessment.id, type(exc).__name__)
        return 0
