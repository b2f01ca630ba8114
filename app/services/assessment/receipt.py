"""Submitting with a receipt: every active user of the organisation is mailed what was
submitted, when and by whom, with a link to the submitted answers."""

from sqlmodel import Session

from app.config import Settings
from app.i18n import N_, format_moment
from app.models import Assessment, User
from app.services.assessment import submission
from app.services.assessment.organisation_mail import assessment_url, mail_organisation

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
    return assessment_url(settings, assessment, "submitted")


def send_receipts(*, session: Session, settings: Settings, assessment: Assessment,
                  submitter: User) -> int:
    """One receipt per active user of the organisation; how many were written."""
    return mail_organisation(
        session=session, settings=settings, assessment=assessment, subject=SUBJECT, body=BODY,
        event="receipt",
        details=lambda: {"moment": format_moment(assessment.submitted_at, "day_and_time"),
                         "submitter": submitter.name, "email": submitter.email,
                         "url": submitted_answers_url(settings, assessment)})
