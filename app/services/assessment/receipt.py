"""Submitting with a receipt: every active user of the organisation is mailed what was
submitted, when and by whom, with a link to the submitted answers."""

import logging

from sqlmodel import Session, col, select

from app.config import Settings
from app.i18n import N_, format_moment, gettext
from app.models import Assessment, Cycle, Organisation, User
from app.services.assessment import submission
from app.services.mail import send_mail

log = logging.getLogger("etik.receipt")

SUBJECT = N_("Kvittering: selvevaluering %(year)s for %(organisation)s er indsendt")
BODY = N_("Hej %(name)s\n\n"
          "Selvevalueringen %(year)s for %(organisation)s er indsendt til LOS.\n\n"
          "Indsendt: %(moment)s\n"
          "Af: %(submitter)s (%(email)s)\n\n"
          "Se den indsendte besvarelse: %(url)s\n\n"
          "Besvarelsen kan ikke ændres, medmindre LOS genåbner den.\n\n"
          "Sendt af etik, LOS' etiske selvevaluering.")


def submit_with_receipt(*, session: Session, settings: Settings, user: User,
                        assessment_id: int, version: int | str) -> Assessment:
    """Submits (submission.submit), then mails the receipts once the submit is committed."""
    assessment = submission.submit(session=session, user=user, assessment_id=assessment_id,
                                   version=version)
    send_receipts(session=session, settings=settings, assessment=assessment, submitter=user)
    return assessment


def submitted_answers_url(settings: Settings, assessment: Assessment) -> str:
    return f"{settings.base_url.rstrip('/')}/assessments/{assessment.id}/submitted"


def send_receipts(*, session: Session, settings: Settings, assessment: Assessment,
                  submitter: User) -> int:
    """One receipt per active user of the organisation; how many were written.

    The submit is committed before this runs, so nothing here may undo it: an SMTP failure
    is kept in the outbox by send_mail, and anything else is logged and swallowed.
    """
    try:
        organisation = session.get(Organisation, assessment.organisation_id)
        cycle = session.get(Cycle, assessment.cycle_id)
        recipients = session.exec(select(User).where(
            User.organisation_id == assessment.organisation_id, col(User.active))
            .order_by(User.id)).all()
        values = {"year": cycle.year, "organisation": organisation.name,
                  "moment": format_moment(assessment.submitted_at, "day_and_time"),
                  "submitter": submitter.name, "email": submitter.email,
                  "url": submitted_answers_url(settings, assessment)}
        for recipient in recipients:
            send_mail(session=session, settings=settings, recipient=recipient.email,
                      subject=gettext(SUBJECT, **values),
                      body=gettext(BODY, name=recipient.name, **values))
        return len(recipients)
    except Exception as exc:  # the submit stands, whatever the mail does
        session.rollback()
        log.warning('{"event": "receipt_failed", "assessment": %s, "error": "%s"}',
                    assessment.id, type(exc).__name__)
        return 0
