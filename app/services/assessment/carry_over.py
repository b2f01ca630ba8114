"""Starting from last year: offer the previous submission's answers, to confirm one by one
or all of one requirement at once, after reading them on its page."""

from pydantic import BaseModel, Field
from sqlmodel import Session, col, select

from app.i18n import N_
from app.models import Answer, Assessment, Cycle, Indicator, Organisation, Requirement, User
from app.models.base import utcnow
from app.models.vocabulary import AssessmentStatus
from app.services import audit
from app.services.assessment.access import get_assessment_to_edit, lock_for_edit, lock_to_edit
from app.services.assessment.answers import ANSWER_FIELDS, NOT_SAVED, refresh_scores
from app.services.assessment.view import in_scope_for, indicators_in_scope
from app.services.audit import AuditAction, AuditEntity, fields_of
from app.services.catalogue.lineage import key_map
from app.services.errors import Conflict, Invalid, NotFound
from app.services.fields import Version
from app.services.validation import parse_input
from app.services.versioning import reload

CHANGED_SINCE = N_("Svar i denne fordring er ændret, efter du åbnede siden. Intet er "
                   "bekræftet: se de markerede svar igennem, og bekræft igen.")


class ConfirmInput(BaseModel):
    version: Version = Field(description="The assessment version the answers were read at")
    seen: dict[str, Version] = Field(
        default_factory=dict, description="Per indicator id, a later version that indicator "
        "was read at (the web form's fields after their own saves); default `version`")


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


def confirm_carried_over(*, session: Session, user: User, assessment_id: int,
                         requirement_key: str, data: dict | ConfirmInput
                         ) -> tuple[Assessment, int]:
    """Confirms every carried-over answer of one requirement, as the member read them;
    returns the assessment and how many were confirmed.

    One compare-and-set on the assessment (lock_for_edit). If any answer of the requirement
    was saved after the version it was read at (a colleague changed or carried it), the
    member has not seen what they would confirm: 409 naming those answers, nothing changed.
    """
    get_assessment_to_edit(session=session, user=user, assessment_id=assessment_id)
    values = parse_input(ConfirmInput, data, NOT_SAVED)
    assessment = lock_for_edit(session, assessment_id,
                               max([values.version, *values.seen.values()]))
    requirement = session.exec(select(Requirement).where(
        Requirement.catalogue_version_id == assessment.catalogue_version_id,
        Requirement.key == requirement_key)).first()
    if requirement is None:
        session.rollback()
        raise NotFound(N_("Fordringen findes ikke."))  # the path names it: a 404
    in_scope = in_scope_for(session, assessment)
    keys = {i.id: i.key for i in in_scope if i.requirement_id == requirement.id}
    answers = session.exec(select(Answer).where(
        Answer.assessment_id == assessment.id, col(Answer.indicator_id).in_(list(keys)))).all()
    changed = [keys[a.indicator_id] for a in answers
               if a.saved_at_version > values.seen.get(keys[a.indicator_id], values.version)]
    if changed:
        current = assessment.version - 1
        session.rollback()
        raise Conflict(CHANGED_SINCE, data={"version": current, "changed": changed})
    carried = [a for a in answers if a.carried_over]
    if not carried:
        session.rollback()  # nothing to confirm: no new version either
        return reload(session, Assessment, assessment_id), 0
    for answer in carried:
        before = fields_of(answer, ANSWER_FIELDS)
        answer.carried_over = False
        answer.saved_at_version, answer.updated_by_id = assessment.version, user.id
        answer.updated_at = utcnow()
        session.add(answer)
        audit.record_fields(session, user=user, entity=AuditEntity.ANSWER,
                            action=AuditAction.UPDATE,
                            entity_id=f"{assessment.id}/{keys[answer.indicator_id]}",
                            organisation_id=assessment.organisation_id,
                            row=answer, fields=ANSWER_FIELDS, before=before)
    session.flush()
    refresh_scores(session, assessment, [requirement.id], in_scope)
    session.commit()
    return assessment, len(carried)
