"""The assessment API: list, start, read, save answers, injunction report, submit, reopen."""

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response
from pydantic import BaseModel, Field
from sqlmodel import Session, select

from app.api.deps import OwnAssessment, ReadableAssessment, StaffAssessment
from app.api.errors import documented_error
from app.api.paging import PagingDep, page_headers
from app.auth.deps import ApiAdvisor, ApiMember, ApiUser, SessionDep, SettingsDep
from app.clock import TodayDep
from app.models import Answer, Assessment, Indicator, Requirement, RequirementScore
from app.services.assessment import answers as answer_service
from app.services.assessment import submission
from app.services.assessment.access import (
    count_assessments_for_user,
    list_assessments_for_user,
)
from app.services.assessment.carry_over import ConfirmInput, confirm_carried_over
from app.services.assessment.receipt import submit_with_receipt
from app.services.assessment.reopen_notice import reopen_with_notice
from app.services.assessment.start import StartInput, start_assessment
from app.services.assessment.view import in_scope_for
from app.services.fields import RowId

router = APIRouter(tags=["assessments"])


class AssessmentSummary(BaseModel):
    id: int
    organisation_id: int
    cycle_id: int
    status: str
    progress: float = Field(description="Share of in-scope indicators answered, 0-1")
    answered: int
    in_scope: int


class AnswerOut(BaseModel):
    indicator_id: str
    score: int | None
    not_applicable: bool
    comment: str
    carried_over: bool
    updated_at: datetime | None


class RequirementScoreOut(BaseModel):
    requirement_id: str
    score: float | None


class AssessmentOut(BaseModel):
    id: int
    organisation_id: int
    cycle_id: int
    status: str
    version: int
    reported_injunction: bool | None
    injunction_kind: str
    injunction_description: str
    indicators: list[str] = Field(description="The indicator ids in scope for this assessment "
                                              "(its organisation's service type), in catalogue "
                                              "order: the ones to answer")
    answers: list[AnswerOut]
    requirement_scores: list[RequirementScoreOut]
    submitted_at: datetime | None


class VersionOut(BaseModel):
    id: int
    version: int
    status: str


class ConfirmedOut(VersionOut):
    confirmed: int = Field(description="How many carried-over answers were confirmed")


def _summary(a: Assessment) -> AssessmentSummary:
    progress = a.answered_count / a.in_scope_count if a.in_scope_count else 0.0
    return AssessmentSummary(id=a.id, organisation_id=a.organisation_id, cycle_id=a.cycle_id,
                             status=a.status, progress=round(progress, 4),
                             answered=a.answered_count, in_scope=a.in_scope_count)


def _full(session: Session, a: Assessment) -> AssessmentOut:
    in_scope = in_scope_for(session, a)
    answers = session.exec(
        select(Answer, Indicator.key)
        .join(Indicator, Indicator.id == Answer.indicator_id)
        .where(Answer.assessment_id == a.id).order_by(Indicator.position)
    ).all()
    scores = session.exec(
        select(RequirementScore.score, Requirement.key)
        .join(Requirement, Requirement.id == RequirementScore.requirement_id)
        .where(RequirementScore.assessment_id == a.id).order_by(Requirement.number)
    ).all()
    return AssessmentOut(
        id=a.id, organisation_id=a.organisation_id, cycle_id=a.cycle_id, status=a.status,
        version=a.version, reported_injunction=a.injunction_reported,
        injunction_kind=a.injunction_kind, injunction_description=a.injunction_description,
        indicators=[indicator.key for indicator in in_scope],
        answers=[AnswerOut(**answer_service.answer_json(answer, key)) for answer, key in answers],
        requirement_scores=[RequirementScoreOut(requirement_id=key, score=score)
                            for score, key in scores],
        submitted_at=a.submitted_at,
    )


@router.get("/assessments")
def read_assessments(user: ApiUser, session: SessionDep, request: Request, response: Response,
                     paging: PagingDep, cycle_id: Annotated[RowId | None, Query()] = None
                     ) -> list[AssessmentSummary]:
    """Member: its own; advisor, admin: every member's, by cycle, a page at a time."""
    found = list_assessments_for_user(session=session, user=user, cycle_id=cycle_id,
                                      offset=paging.offset, limit=paging.limit)
    page_headers(request, response, paging,
                 count_assessments_for_user(session=session, user=user, cycle_id=cycle_id))
    return [_summary(a) for a in found]


@router.post("/assessments", status_code=201,
             responses={200: {"model": AssessmentSummary, "description": "Already existed"}})
def create_assessment(body: StartInput, user: ApiMember, session: SessionDep,
                      today: TodayDep, response: Response) -> AssessmentSummary:
    assessment, created = start_assessment(session=session, user=user, cycle_id=body.cycle_id,
                                           today=today)
    if not created:
        response.status_code = 200
    return _summary(assessment)


@router.get("/assessments/{assessment_id}")
def read_assessment(assessment: ReadableAssessment, session: SessionDep) -> AssessmentOut:
    return _full(session, assessment)


@router.put("/assessments/{assessment_id}/answers/{indicator_id}",
            responses=documented_error(409, "Saved by someone else after `version`, or "
                                            "submitted; the body holds the saved answer"))
def put_answer(indicator_id: str, own: OwnAssessment, user: ApiMember, session: SessionDep,
               body: answer_service.AnswerInput) -> VersionOut:
    assessment_id = own.id
    assessment, _ = answer_service.save_answer(session=session, assessment_id=assessment_id,
                                               indicator_key=indicator_id, user=user,
                                               data=body)
    return VersionOut(id=assessment.id, version=assessment.version, status=assessment.status)


@router.put("/assessments/{assessment_id}/reflections/{requirement_id}",
            responses=documented_error(409, "Saved by someone else after `version`, or "
                                            "submitted; the body holds the saved reflection"))
def put_reflection(requirement_id: str, own: OwnAssessment, user: ApiMember,
                   session: SessionDep, body: answer_service.ReflectionInput) -> VersionOut:
    assessment_id = own.id
    assessment, _ = answer_service.save_reflection(
        session=session, assessment_id=assessment_id, requirement_key=requirement_id,
        user=user, data=body)
    return VersionOut(id=assessment.id, version=assessment.version, status=assessment.status)


@router.post("/assessments/{assessment_id}/requirements/{requirement_id}/confirm-carried-over",
             responses={**documented_error(409, "One of the requirement's carried-over answers "
                                                "was saved after `version`, or submitted; "
                                                "nothing is confirmed"),
                        **documented_error(422, "Unknown requirement or bad `version`")})
def post_confirm_carried_over(requirement_id: str, own: OwnAssessment, user: ApiMember,
                              session: SessionDep, body: ConfirmInput) -> ConfirmedOut:
    """Confirms every answer carried over from last year in one requirement, as read at
    `version`; the body of a 409 names the answers saved since (`changed`). The single
    confirm is a PUT of the answer unchanged."""
    assessment, count = confirm_carried_over(session=session, assessment_id=own.id, user=user,
                                             requirement_key=requirement_id, data=body)
    return ConfirmedOut(id=assessment.id, version=assessment.version, status=assessment.status,
                        confirmed=count)


@router.put("/assessments/{assessment_id}/injunction",
            responses={**documented_error(409, "Saved by someone else after `version`, or "
                                               "submitted; the body holds the saved report"),
                       **documented_error(422, "`reported: true` needs a `kind` and a "
                                               "`description`")})
def put_injunction(own: OwnAssessment, user: ApiMember, session: SessionDep,
                   body: answer_service.InjunctionInput) -> VersionOut:
    assessment_id = own.id
    assessment = answer_service.save_injunction(session=session, assessment_id=assessment_id,
                                                user=user, data=body)
    return VersionOut(id=assessment.id, version=assessment.version, status=assessment.status)


@router.post("/assessments/{assessment_id}/submit",
             responses={**documented_error(422, "Lists each unanswered indicator, each "
                                                "low score without a comment, and a reported "
                                                "injunction without its kind or description "
                                                "(code `injunction_incomplete`)"),
                        **documented_error(409, "Changed since `version`, or already "
                                                "submitted")})
def post_submit(own: OwnAssessment, body: submission.SubmitInput, user: ApiMember,
                session: SessionDep, settings: SettingsDep) -> VersionOut:
    """One call submits (the caller has confirmed); the organisation's users get a receipt."""
    assessment_id = own.id
    assessment = submit_with_receipt(session=session, settings=settings,
                                     assessment_id=assessment_id, user=user,
                                     version=body.version)
    return VersionOut(id=assessment.id, version=assessment.version, status=assessment.status)


@router.post("/assessments/{assessment_id}/reopen",
             responses=documented_error(409, "The assessment is not submitted"))
def post_reopen(assessment: StaffAssessment, body: submission.ReopenInput, user: ApiAdvisor,
                session: SessionDep, settings: SettingsDep) -> VersionOut:
    """Reopens; every active user of the organisation is told who, when and why by mail."""
    assessment_id = assessment.id
    assessment = reopen_with_notice(session=session, settings=settings,
                                    assessment_id=assessment_id, user=user, reason=body.reason)
    return VersionOut(id=assessment.id, version=assessment.version, status=assessment.status)
