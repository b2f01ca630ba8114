"""Reopening with a notice: every active user of the organisation is mailed who at LOS
reopened the self-assessment, when and why, with a link to the form."""

from sqlmodel import Session, col, select

from app.config import Settings
from app.i18n import N_, format_moment
from app.models import Assessment, AssessmentRevision, User
from app.services.assessment import submission
from app.services.assessment.organisation_mail import assessment_url, mail_organisation

SUBJECT = N_("Selvevaluering %(year)s for %(organisation)s er genåbnet")
BODY = N_("Hej %(name)s\n\n"
          "LOS har genåbnet selvevalueringen %(year)s for %(organisation)s, så I kan rette "
          "i den og indsende den igen.\n\n"
          "Genåbnet: %(moment)s\n"
          "Af: %(reopener)s (%(email)s)\n"
          "Begrundelse: %(reason)s\n\n"
          "Gå til selvevalueringen: %(url)s\n\n"
          "Den indsendte udgave kan stadig læses under historikken.\n\n"
          "Sendt af etik, LOS' etiske selvevaluering.")


def reopen_with_notice(*, session: Session, settings: Settings, user: User,
                       assessment_id: int, reason: str) -> Assessment:
    """Reopens (submission.reopen), then mails the organisation once it is committed."""
    assessment = submission.reopen(session=session, user=user, assessment_id=assessment_id,
                                   reason=reason)
    send_reopen_notices(session=session, settings=settings, assessment=assessment,
                        reopener=user)
    return assessment


def send_reopen_notices(*, session: Session, settings: Settings, assessment: Assessment,
                        reopener: User) -> int:
    """One notice per active user of the organisation; how many were written."""

    def details() -> dict:
        latest = session.exec(select(AssessmentRevision).where(
            AssessmentRevision.assessment_id == assessment.id)
            .order_by(col(AssessmentRevision.number).desc())).first()
        return {"moment": format_moment(latest.reopened_at, "day_and_time"),
                "reopener": reopener.name, "email": reopener.email,
                "reason": latest.reopen_reason,
                "url": assessment_url(settings, assessment, "requirements/1")}

    return mail_organisation(session=session, settings=settings, assessment=assessment,
                             subject=SUBJECT, body=BODY, details=details, event="reopen_notice")
