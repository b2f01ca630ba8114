"""Starting from last year: offer the previous submission's answers, to confirm one by one."""

from sqlmodel import Session, col, select

from app.i18n import N_
from app.models import Answer, Assessment, Cycle, Indicator, Organisation, User
from app.models.base import utcnow
from app.models.vocabulary import AssessmentStatus
from app.services import audit
from app.services.assessment.access import lock_to_edit
from app.services.assessment.answers import refresh_scores
from app.services.assessment.view import indicators_in_scope
from app.services.audit import AuditAction, AuditEntity
from app.services.catalogue.lineage import key_map
from app.services.errors import Invalid


def previous_submission(session: Session, assessment: Assessment) -> Assessment | None:
    """The organisation's most recent submitted assessment from an earlier cycle."""
    cycle = session.get(Cycle, assessment.cycle_id)
    return session.exec(
        select(Assessment).join(Cycle, col(Cycle.id) == col(Assessment.cycle_id))
        .where(Assessment.organisation_id == assessment.organisation_id,
               col(Cycle.year) < cycle.year, Assessment.status == AssessmentStatus.SUBMITTED)
        .order_by(col(Cycle.year).desc())
    ).first()


def carry_over_last_year(*, session: Session, assessment_id: int, user: User) -> int:
    """Prefills every empty answer whose indicator kept its meaning; returns how many.

    Answers already given this year are never touched. Carried-over answers count for
    nothing (score, progress, submit) until someone confirms or changes them.
    """
    assessment = lock_to_edit(session=session, user=user, assessment_id=assessment_id)
    previous = previous_submission(session, assessment)
    if previous is None:
        session.rollback()
        raise Invalid(N_("Der er ingen indsendt selvevaluering fra et tidligere år."))
    keys = key_map(session, previous.catalogue_version_id, assessment.catalogue_version_id)
    old_answers = session.exec(
        select(Answer, Indicator.key).join(Indicator, col(Indicator.id) == col(Answer.indicator_id))
        .where(Answer.assessment_id == previous.id)
    ).all()
    organisation = session.get(Organisation, assessment.organisation_id)
    in_scope = {i.key: i for i in indicators_in_scope(
        session, assessment.catalogue_version_id, organisation.service_type)}
    existing = set(session.exec(select(Answer.indicator_id).where(
        Answer.assessment_id == assessment.id)))
    carried, touched = 0, set()
    for old, old_key in old_answers:
        indicator = in_scope.get(keys.get(old_key)) if old_key in keys else None
        if indicator is None or indicator.id in existing:
            continue
        if old.score is None and not old.not_applicable:
            continue
        session.add(Answer(assessment_id=assessment.id, indicator_id=indicator.id,
                           score=old.score, not_applicable=old.not_applicable,
                           comment=old.comment, carried_over=True,
                           saved_at_version=assessment.version, updated_by_id=user.id,
                           updated_at=utcnow()))
        carried += 1
        touched.add(indicator.requirement_id)
    session.flush()
    refresh_scores(session, assessment, list(touched))
    audit.record(session, user=user, action=AuditAction.CARRY_OVER, entity=AuditEntity.ASSESSMENT,
                 entity_id=assessment.id, organisation_id=assessment.organisation_id,
                 changes={"carried_over": [0, carried], "from_assessment": [None, previous.id]})
    session.commit()
    return carried
