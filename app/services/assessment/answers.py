"""Saving answers, reflections and the injunction report, with conflict detection.

Every save carries the assessment version the person last saw for that field. A field
saved by someone else after that version is a conflict: nothing is overwritten, and the
saved value is returned so the person can choose.
"""

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator
from sqlmodel import Session, select

from app.i18n import N_
from app.models import (
    Answer,
    Assessment,
    Indicator,
    Reflection,
    Requirement,
    RequirementScore,
    User,
)
from app.models.base import utcnow
from app.models.vocabulary import InjunctionKind
from app.services import audit
from app.services.assessment import previous_scores
from app.services.assessment.access import get_assessment_to_edit, lock_for_edit
from app.services.assessment.scoring import AnswerState, requirement_result
from app.services.assessment.view import in_scope_for
from app.services.audit import AuditAction, AuditEntity, fields_of
from app.services.catalogue.versions import model_of_version
from app.services.errors import Conflict, FieldError, Invalid, NotFound
from app.services.fields import Text, Version
from app.services.validation import parse_input

NOT_SAVED = N_("Ikke gemt. Ret det markerede.")
CONFLICT = N_("En anden har gemt dette felt, efter du åbnede siden. Vælg, hvilken tekst der "
              "skal gælde.")
MAX_TEXT = 5000


class AnswerInput(BaseModel):
    model_config = ConfigDict(str_strip_whitespace=True)

    score: int | None = None
    not_applicable: bool = False
    comment: Text = Field(default="", max_length=MAX_TEXT)
    version: Version

    @field_validator("score", mode="before")
    @classmethod
    def _whole_number_or_nothing(cls, value):
        if value in ("", None):
            return None
        if isinstance(value, bool):
            raise ValueError(N_("Vælg en score fra skalaen."))
        return value

    @model_validator(mode="after")
    def _score_or_not_applicable(self) -> "AnswerInput":
        if self.not_applicable and self.score is not None:
            raise ValueError(N_("Vælg enten en score eller “ikke relevant”, ikke begge."))
        return self


class ReflectionInput(BaseModel):
    model_config = ConfigDict(str_strip_whitespace=True)

    what_works: Text = Field(default="", max_length=MAX_TEXT)
    what_to_improve: Text = Field(default="", max_length=MAX_TEXT)
    version: Version


class InjunctionInput(BaseModel):
    model_config = ConfigDict(str_strip_whitespace=True)

    reported: bool
    kind: InjunctionKind | None = None
    description: Text = Field(default="", max_length=MAX_TEXT)
    version: Version

    @field_validator("kind", mode="before")
    @classmethod
    def _blank_is_none(cls, value):
        return None if value == "" else value

    @model_validator(mode="after")
    def _no_kind_without_a_report(self) -> "InjunctionInput":
        if not self.reported:
            self.kind = None
        return self


KIND_MISSING = N_("Vælg, hvad det drejede sig om.")
DESCRIPTION_MISSING = N_("Skriv kort, hvad det handlede om, og hvad I har gjort siden.")


def injunction_gaps(reported: bool | None, kind: str | None,
                    description: str) -> list[FieldError]:
    """What a "yes" to påbud or skærpet tilsyn still lacks: which it was, and a few words.

    Saving refuses a report with gaps, and submitting refuses one saved before the rule.
    """
    if not reported:
        return []
    gaps = []
    if not kind:
        gaps.append(FieldError("kind", KIND_MISSING))
    if not description.strip():
        gaps.append(FieldError("description", DESCRIPTION_MISSING))
    return gaps


def answer_json(answer: Answer | None, indicator_key: str) -> dict:
    return {
        "indicator_id": indicator_key,
        "score": answer.score if answer else None,
        "not_applicable": answer.not_applicable if answer else False,
        "comment": answer.comment if answer else "",
        "carried_over": answer.carried_over if answer else False,
        "updated_at": answer.updated_at.isoformat() if answer else None,
    }


def _indicator(in_scope: list[Indicator], indicator_key: str) -> Indicator:
    for indicator in in_scope:
        if indicator.key == indicator_key:
            return indicator
    # The path names it: a missing one is a 404, as any other missing thing.
    raise NotFound(N_("Indikatoren findes ikke i denne selvevaluering."))


ANSWER_FIELDS = ("score", "not_applicable", "comment", "carried_over")
REFLECTION_FIELDS = ("what_works", "what_to_improve")
INJUNCTION_FIELDS = ("injunction_reported", "injunction_kind", "injunction_description")


def save_answer(*, session: Session, user: User, assessment_id: int, indicator_key: str,
                data: dict | AnswerInput) -> tuple[Assessment, Answer]:
    """Saves one answer of the member's own open assessment; 409 when saved since `version`."""
    assessment = get_assessment_to_edit(session=session, user=user,
                                        assessment_id=assessment_id)
    values = parse_input(AnswerInput, data, NOT_SAVED)
    assessment = lock_for_edit(session, assessment.id, values.version)
    try:
        in_scope = in_scope_for(session, assessment)
        indicator = _indicator(in_scope, indicator_key)
        _check_scale(session, assessment, values)
        answer = session.exec(select(Answer).where(
            Answer.assessment_id == assessment.id, Answer.indicator_id == indicator.id
        )).first()
        if answer is not None and answer.saved_at_version > values.version:
            raise Conflict(CONFLICT, data={"answer": answer_json(answer, indicator.key),
                                           "version": assessment.version - 1})
    except (Invalid, Conflict):
        session.rollback()
        raise
    before = fields_of(answer, ANSWER_FIELDS) if answer else {}
    answer = answer or Answer(assessment_id=assessment.id, indicator_id=indicator.id)
    answer.score, answer.not_applicable = values.score, values.not_applicable
    answer.comment, answer.carried_over = values.comment, False
    answer.saved_at_version, answer.updated_by_id = assessment.version, user.id
    answer.updated_at = utcnow()
    session.add(answer)
    session.flush()
    refresh_scores(session, assessment, [indicator.requirement_id], in_scope)
    audit.record_fields(session, user=user, entity=AuditEntity.ANSWER,
                        action=AuditAction.UPDATE if before else AuditAction.CREATE,
                        entity_id=f"{assessment.id}/{indicator.key}",
                        organisation_id=assessment.organisation_id,
                        row=answer, fields=ANSWER_FIELDS, before=before)
    session.commit()
    return assessment, answer


def _check_scale(session: Session, assessment: Assessment, values: AnswerInput) -> None:
    scale = model_of_version(session, assessment.catalogue_version_id).scale
    if values.score is not None and not scale.min <= values.score <= scale.max:
        raise Invalid(NOT_SAVED, [FieldError("score", N_(
            "Vælg en score fra %(min)s til %(max)s."), {"min": scale.min, "max": scale.max})])
    if values.not_applicable and not scale.not_applicable_allowed:
        raise Invalid(NOT_SAVED, [FieldError("not_applicable", N_(
            "Dette katalog tillader ikke svaret “ikke relevant”."))])


def refresh_scores(session: Session, assessment: Assessment, requirement_ids: list[int],
                   in_scope: list[Indicator] | None = None) -> None:
    """Recomputes the named requirement scores and the progress, in the caller's transaction.

    `in_scope` saves a query when the caller has already loaded the indicators in scope.
    """
    if in_scope is None:
        in_scope = in_scope_for(session, assessment)
    answers = {a.indicator_id: a for a in session.exec(
        select(Answer).where(Answer.assessment_id == assessment.id))}
    for requirement_id in set(requirement_ids):
        indicators = [i for i in in_scope if i.requirement_id == requirement_id]
        states = [AnswerState(a.score, a.not_applicable, a.carried_over)
                  for i in indicators if (a := answers.get(i.id)) is not None]
        result = requirement_result(states, len(indicators))
        row = session.exec(select(RequirementScore).where(
            RequirementScore.assessment_id == assessment.id,
            RequirementScore.requirement_id == requirement_id,
        )).first() or RequirementScore(assessment_id=assessment.id, requirement_id=requirement_id)
        row.score, row.scored_count = result.score, result.scored_count
        row.answered_count, row.in_scope_count = result.answered_count, result.in_scope_count
        row.lowest_score = result.lowest
        session.add(row)
    in_scope_ids = {i.id for i in in_scope}
    assessment.answered_count = sum(
        1 for a in answers.values()
        if a.indicator_id in in_scope_ids
        and AnswerState(a.score, a.not_applicable, a.carried_over).counts
    )
    assessment.in_scope_count = len(in_scope)
    session.add(assessment)
    if assessment.submitted_at is not None:  # reopened: a later year's previous scores move
        previous_scores.refresh(session, assessment.organisation_id)


def save_reflection(*, session: Session, user: User, assessment_id: int, requirement_key: str,
                    data: dict | ReflectionInput) -> tuple[Assessment, Reflection]:
    assessment = get_assessment_to_edit(session=session, user=user,
                                        assessment_id=assessment_id)
    values = parse_input(ReflectionInput, data, NOT_SAVED)
    assessment = lock_for_edit(session, assessment.id, values.version)
    requirement = session.exec(select(Requirement).where(
        Requirement.catalogue_version_id == assessment.catalogue_version_id,
        Requirement.key == requirement_key,
    )).first()
    if requirement is None:
        session.rollback()
        raise NotFound(N_("Fordringen findes ikke."))
    reflection = session.exec(select(Reflection).where(
        Reflection.assessment_id == assessment.id, Reflection.requirement_id == requirement.id
    )).first()
    if reflection is not None and reflection.saved_at_version > values.version:
        current = {"what_works": reflection.what_works,
                   "what_to_improve": reflection.what_to_improve}
        session.rollback()
        raise Conflict(CONFLICT, data={"reflection": current})
    before = fields_of(reflection, REFLECTION_FIELDS) if reflection else {}
    reflection = reflection or Reflection(assessment_id=assessment.id,
                                          requirement_id=requirement.id)
    reflection.what_works, reflection.what_to_improve = values.what_works, values.what_to_improve
    reflection.saved_at_version, reflection.updated_by_id = assessment.version, user.id
    reflection.updated_at = utcnow()
    session.add(reflection)
    audit.record_fields(session, user=user, entity=AuditEntity.REFLECTION,
                        action=AuditAction.UPDATE if before else AuditAction.CREATE,
                        entity_id=f"{assessment.id}/{requirement.key}",
                        organisation_id=assessment.organisation_id,
                        row=reflection, fields=REFLECTION_FIELDS, before=before)
    session.commit()
    return assessment, reflection


def save_injunction(*, session: Session, user: User, assessment_id: int,
                    data: dict | InjunctionInput) -> Assessment:
    """Whether Socialtilsynet issued a påbud or skærpet tilsyn in the period."""
    assessment = get_assessment_to_edit(session=session, user=user,
                                        assessment_id=assessment_id)
    values = parse_input(InjunctionInput, data, NOT_SAVED)
    gaps = injunction_gaps(values.reported, values.kind, values.description)
    if gaps:
        raise Invalid(NOT_SAVED, gaps)
    assessment = lock_for_edit(session, assessment.id, values.version)
    if assessment.injunction_version > values.version:
        current = {"reported": assessment.injunction_reported,
                   "kind": assessment.injunction_kind,
                   "description": assessment.injunction_description}
        session.rollback()
        raise Conflict(CONFLICT, data={"injunction": current})
    before = fields_of(assessment, INJUNCTION_FIELDS)
    assessment.injunction_reported = values.reported
    assessment.injunction_kind = values.kind or ""
    assessment.injunction_description = values.description
    assessment.injunction_version = assessment.version
    session.add(assessment)
    audit.record_fields(session, user=user, action=AuditAction.UPDATE,
                        entity=AuditEntity.INJUNCTION,
                        entity_id=assessment.id, organisation_id=assessment.organisation_id,
                        row=assessment, fields=INJUNCTION_FIELDS, before=before)
    session.commit()
    return assessment
