"""Submitting, reopening and the history of submitted revisions."""

from dataclasses import dataclass
from typing import Annotated

from pydantic import BaseModel, StringConstraints
from sqlalchemy import func
from sqlmodel import Session, col, select

from app.i18n import N_
from app.models import (
    Answer,
    Assessment,
    AssessmentRevision,
    Evidence,
    Indicator,
    Organisation,
    Reflection,
    Requirement,
    RequirementScore,
    User,
)
from app.models.base import utcnow
from app.models.vocabulary import EDITABLE_STATUSES, AssessmentStatus
from app.services import audit, theme_calibration
from app.services.assessment import previous_scores
from app.services.assessment.access import get_assessment_to_edit, get_assessment_to_reopen
from app.services.assessment.answers import injunction_gaps
from app.services.assessment.view import indicators_in_scope
from app.services.audit import AuditAction, AuditEntity
from app.services.board.histograms import count_submitted, uncount_submitted
from app.services.errors import Conflict, FieldError, Invalid, NotFound
from app.services.fields import NoNul, Version
from app.services.validation import parse_input
from app.services.versioning import claim, reload

LOW_SCORE_LIMIT = 2  # scores of 1-2 need a comment explaining them
REASON_MAX = 2000


class SubmitInput(BaseModel):
    version: Version  # the assessment's version the member last saw


class ReopenInput(BaseModel):
    reason: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1,
                                             max_length=REASON_MAX), NoNul]


@dataclass(frozen=True)
class SubmissionProblem:
    code: str  # "unanswered", "low_score_without_comment", "unconfirmed_carry_over"
    requirement_key: str
    requirement_number: int
    indicator_key: str
    indicator_ref: str

    def message(self) -> str:
        return {
            "unanswered": N_("Ikke besvaret."),
            "low_score_without_comment": N_("En score på 1 eller 2 skal have en kommentar."),
            "unconfirmed_carry_over": N_("Svaret fra sidste år er ikke bekræftet."),
        }[self.code]


def submission_problems(session: Session, assessment: Assessment) -> list[SubmissionProblem]:
    """What stands between this assessment and submitting it, in catalogue order."""
    organisation = session.get(Organisation, assessment.organisation_id)
    indicators = indicators_in_scope(session, assessment.catalogue_version_id,
                                     organisation.service_type)
    requirements = {r.id: r for r in session.exec(select(Requirement).where(
        Requirement.catalogue_version_id == assessment.catalogue_version_id))}
    answers = {a.indicator_id: a for a in session.exec(
        select(Answer).where(Answer.assessment_id == assessment.id))}
    return problems_in(indicators, requirements, answers)


def problems_in(indicators: list[Indicator], requirements: dict[int, Requirement],
                answers: dict[int, Answer]) -> list[SubmissionProblem]:
    """submission_problems() of what the caller has loaded: the indicators in scope, the
    requirements by id and the answers by indicator id."""
    problems = []
    for indicator in indicators:
        answer = answers.get(indicator.id)
        code = None
        if answer is None or (answer.score is None and not answer.not_applicable):
            code = "unanswered"
        elif answer.carried_over:
            code = "unconfirmed_carry_over"
        elif answer.score is not None and answer.score <= LOW_SCORE_LIMIT \
                and not answer.comment.strip():
            code = "low_score_without_comment"
        if code:
            requirement = requirements[indicator.requirement_id]
            problems.append(SubmissionProblem(code, requirement.key, requirement.number,
                                              indicator.key, indicator.ref))
    return problems


def injunction_problems(assessment: Assessment) -> list[FieldError]:
    """The fields a saved "yes" to påbud or skærpet tilsyn still lacks (kind, description)."""
    return injunction_gaps(assessment.injunction_reported, assessment.injunction_kind,
                           assessment.injunction_description)


def submit(*, session: Session, user: User, assessment_id: int,
           version: int | str) -> Assessment:
    """Submits the member's own assessment when nothing stands in the way (422 lists it)."""
    get_assessment_to_edit(session=session, user=user, assessment_id=assessment_id)
    version = parse_input(SubmitInput, {"version": version}).version
    # One compare-and-set: a save or another submit since `version` makes this one miss.
    if not claim(session, Assessment, assessment_id, col(Assessment.version) == version,
                 col(Assessment.status).in_(EDITABLE_STATUSES)):
        session.rollback()
        assessment = reload(session, Assessment, assessment_id)
        if assessment is None:
            raise NotFound(N_("Selvevalueringen findes ikke."))
        if assessment.status not in EDITABLE_STATUSES:
            raise Conflict(N_("Selvevalueringen er allerede indsendt."))
        raise Conflict(N_("Der er gemt ændringer, siden du åbnede siden. Se dem igennem, og "
                          "indsend igen."), data={"version": assessment.version})
    assessment = reload(session, Assessment, assessment_id)
    problems = submission_problems(session, assessment)
    gaps = injunction_problems(assessment)
    if problems or gaps:
        session.rollback()
        raise Invalid(
            N_("Selvevalueringen kan ikke indsendes endnu. Se punkterne nedenfor (%(n)s)."),
            [FieldError(f"answers.{p.indicator_key}", p.message(),
                        path=("answers", p.indicator_key)) for p in problems]
            + [FieldError(f"injunction.{g.field}", g.message, path=("injunction", g.field))
               for g in gaps],
            params={"n": len(problems) + len(gaps)},
            data={"problems": [{"code": p.code, "indicator_id": p.indicator_key,
                                "requirement_id": p.requirement_key} for p in problems]
                  + [{"code": "injunction_incomplete", "indicator_id": None,
                      "requirement_id": None, "field": g.field} for g in gaps]},
        )
    number = session.exec(select(func.count()).select_from(AssessmentRevision).where(
        AssessmentRevision.assessment_id == assessment.id)).one() + 1
    previous_status = assessment.status
    assessment.status = AssessmentStatus.SUBMITTED
    assessment.submitted_at = utcnow()
    session.add(AssessmentRevision(assessment_id=assessment.id, number=number,
                                   submitted_at=assessment.submitted_at,
                                   submitted_by_id=user.id,
                                   snapshot=snapshot(session, assessment)))
    session.add(assessment)
    audit.record(session, user=user, action=AuditAction.SUBMIT, entity=AuditEntity.ASSESSMENT,
                 entity_id=assessment.id, organisation_id=assessment.organisation_id,
                 changes={"status": [previous_status, assessment.status],
                          "revision": [None, number]})
    count_submitted(session, assessment)
    previous_scores.refresh(session, assessment.organisation_id)
    theme_calibration.write(session, assessment)
    session.commit()
    return assessment


def snapshot(session: Session, assessment: Assessment) -> dict:
    """The submitted content, by permanent keys, so a revision reads without joins later."""
    answers = session.exec(
        select(Answer, Indicator.key).join(Indicator, col(Indicator.id) == col(Answer.indicator_id))
        .where(Answer.assessment_id == assessment.id).order_by(Indicator.position)
    ).all()
    reflections = session.exec(
        select(Reflection, Requirement.key)
        .join(Requirement, col(Requirement.id) == col(Reflection.requirement_id))
        .where(Reflection.assessment_id == assessment.id)
    ).all()
    scores = session.exec(
        select(RequirementScore, Requirement.key)
        .join(Requirement, col(Requirement.id) == col(RequirementScore.requirement_id))
        .where(RequirementScore.assessment_id == assessment.id).order_by(Requirement.number)
    ).all()
    evidence = session.exec(
        select(Evidence, Requirement.key)
        .join(Requirement, col(Requirement.id) == col(Evidence.requirement_id))
        .where(Evidence.assessment_id == assessment.id).order_by(Evidence.created_at)
    ).all()
    return {
        "answers": [{"indicator_id": key, "score": a.score, "not_applicable": a.not_applicable,
                     "comment": a.comment} for a, key in answers],
        "evidence": [{"requirement_id": key, "id": e.id, "kind": e.kind, "title": e.title,
                      "url": e.url, "filename": e.filename} for e, key in evidence],
        "reflections": [{"requirement_id": key, "what_works": r.what_works,
                         "what_to_improve": r.what_to_improve} for r, key in reflections],
        "requirement_scores": [{"requirement_id": key, "score": s.score} for s, key in scores],
        "injunction": {"reported": assessment.injunction_reported,
                       "kind": assessment.injunction_kind,
                       "description": assessment.injunction_description},
    }


def reopen(*, session: Session, user: User, assessment_id: int, reason: str) -> Assessment:
    """LOS reopens a submitted assessment, saying why; the submitted revision stays as it was."""
    get_assessment_to_reopen(session=session, user=user, assessment_id=assessment_id)
    reason = parse_input(ReopenInput, {"reason": reason},
                         N_("Skriv en begrundelse for at genåbne.")).reason
    if not claim(session, Assessment, assessment_id,
                 col(Assessment.status) == AssessmentStatus.SUBMITTED):
        session.rollback()
        if reload(session, Assessment, assessment_id) is None:
            raise NotFound(N_("Selvevalueringen findes ikke."))
        raise Conflict(N_("Kun en indsendt selvevaluering kan genåbnes."))
    assessment = reload(session, Assessment, assessment_id)
    latest = session.exec(select(AssessmentRevision).where(
        AssessmentRevision.assessment_id == assessment.id
    ).order_by(col(AssessmentRevision.number).desc())).first()
    latest.reopened_at, latest.reopened_by_id, latest.reopen_reason = utcnow(), user.id, reason
    assessment.status = AssessmentStatus.REOPENED
    session.add_all([latest, assessment])
    audit.record(session, user=user, action=AuditAction.REOPEN, entity=AuditEntity.ASSESSMENT,
                 entity_id=assessment.id, organisation_id=assessment.organisation_id,
                 changes={"status": [AssessmentStatus.SUBMITTED.value, assessment.status],
                          "reason": [None, reason]})
    uncount_submitted(session, assessment)
    theme_calibration.remove(session, assessment.id)
    session.commit()
    return assessment


def revisions(session: Session, assessment: Assessment) -> list[AssessmentRevision]:
    return list(session.exec(select(AssessmentRevision).where(
        AssessmentRevision.assessment_id == assessment.id
    ).order_by(AssessmentRevision.number)))
