"""Inspection reports (Socialtilsynet's scores and sanctions) and calibration, JSON."""

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel

from app.auth.deps import ApiUser, SessionDep, SettingsDep
from app.clock import TodayDep
from app.models.vocabulary import Authority, SanctionKind, VisitKind
from app.services import calibration, inspections
from app.services.fields import RowId

router = APIRouter(tags=["inspections"])


class ThemeScoreOut(BaseModel):
    theme_id: str
    score: float


class DetailScoreOut(BaseModel):
    node_id: str
    score: float


class SanctionOut(BaseModel):
    kind: SanctionKind
    description: str
    deadline: date | None


class InspectionOut(BaseModel):
    id: int
    organisation_id: int
    visited_on: date
    authority: Authority
    kind: VisitKind
    framework_version: str
    themes: list[ThemeScoreOut]
    details: list[DetailScoreOut]
    sanctions: list[SanctionOut]
    note: str
    version: int


class OfficialOut(BaseModel):
    score: float
    visited_on: date


class ThemeComparisonOut(BaseModel):
    theme_id: str
    number: int
    title: str
    requirement_numbers: list[int]
    self_score: float | None
    official: OfficialOut | None  # null: no inspection has scored the theme
    difference: float | None  # self minus official


class CalibrationOut(BaseModel):
    organisation_id: int
    cycle_id: int
    assessment_id: int | None
    framework: str
    rule: str
    themes: list[ThemeComparisonOut]
    unmapped_requirement_numbers: list[int]


class ThemeYearOut(BaseModel):
    year: int
    self_score: float | None  # null: no submitted assessment that year, or no score
    official: list[OfficialOut]  # the year's inspections covering the theme, oldest first
    difference: float | None  # self minus the year's latest official score


class ThemeHistoryOut(BaseModel):
    theme_id: str
    number: int
    title: str
    has_official: bool  # false: no inspection has scored the theme in any year
    years: list[ThemeYearOut]  # one per year of the history, oldest first


class HistoryAssessmentOut(BaseModel):
    year: int
    assessment_id: int


class CalibrationHistoryOut(BaseModel):
    organisation_id: int
    years: list[int]
    assessments: list[HistoryAssessmentOut]  # the submitted self-assessments, by cycle year
    rule: str
    themes: list[ThemeHistoryOut]


def reachable_member(organisation_id: RowId, user: ApiUser, session: SessionDep) -> None:
    """Refuses another member's organisation (404) or the board (403) before a body is
    read, so a refused caller learns nothing from the body's validation."""
    inspections.member_for(session=session, user=user, organisation_id=organisation_id)


MemberReachable = [Depends(reachable_member)]


class SectorThemeOut(BaseModel):
    theme_id: str
    number: int
    title: str
    suppressed: bool  # fewer members with both than the anonymity minimum: no figures
    members: int | None  # members with both a self-assessment and an official score
    self_mean: float | None
    official_mean: float | None
    difference: float | None


class SectorCalibrationOut(BaseModel):
    cycle_id: int
    framework: str
    rule: str
    themes: list[SectorThemeOut]
    unmapped_requirement_numbers: list[int]


def _out(record: inspections.InspectionRecord) -> InspectionOut:
    return InspectionOut(**inspections.inspection_json(record))


@router.get("/organisations/{organisation_id}/inspections")
def read_inspections(organisation_id: RowId, user: ApiUser,
                     session: SessionDep) -> list[InspectionOut]:
    """A member's own, or any member's for LOS' advisors and admins; newest visit first."""
    return [_out(r) for r in inspections.list_inspections(
        session=session, user=user, organisation_id=organisation_id)]


@router.post("/organisations/{organisation_id}/inspections", status_code=201,
             dependencies=MemberReachable)
def create_inspection(organisation_id: RowId, body: inspections.InspectionInput,
                      user: ApiUser, session: SessionDep, today: TodayDep) -> InspectionOut:
    """An inspection report's scores: a score per covered theme of the quality model version
    in force, optional criterion or indicator scores within those themes, and sanctions."""
    return _out(inspections.record_inspection(session=session, user=user,
                                              organisation_id=organisation_id, data=body,
                                              today=today))


@router.put("/organisations/{organisation_id}/inspections/{inspection_id}", responses={
    409: {"description": "`version` is stale; the body holds the inspection as saved"}},
    dependencies=MemberReachable)
def correct_inspection(organisation_id: RowId, inspection_id: RowId,
                       body: inspections.InspectionUpdate, user: ApiUser, session: SessionDep,
                       today: TodayDep) -> InspectionOut:
    """Replaces every part of the inspection (scores and sanctions included)."""
    return _out(inspections.update_inspection(session=session, user=user,
                                              organisation_id=organisation_id,
                                              inspection_id=inspection_id, data=body,
                                              today=today))


@router.get("/calibration", response_model=CalibrationOut | SectorCalibrationOut)
def read_calibration(user: ApiUser, session: SessionDep, settings: SettingsDep,
                     cycle_id: Annotated[RowId | None, Query(
                         description="Omitted: the latest cycle")] = None,
                     organisation_id: Annotated[RowId | None, Query(
                         description="Advisors and admins: one member (omitted: the sector); "
                                     "members: their own (may be omitted); the board: never "
                                     "(the sector only)")] = None):
    """Self-assessed versus official score per quality-model theme: one member's, or for
    the board (and staff without `organisation_id`) the sector's, among members with both,
    with a theme under the anonymity minimum suppressed."""
    found = calibration.calibration_for(session=session, user=user,
                                        minimum=settings.anonymity_minimum,
                                        organisation_id=organisation_id, cycle_id=cycle_id)
    if isinstance(found, calibration.SectorCalibration):
        return SectorCalibrationOut(
            cycle_id=found.cycle_id, framework=found.framework,
            rule=calibration.rule_text(), unmapped_requirement_numbers=list(found.unmapped),
            themes=[SectorThemeOut(theme_id=t.key, number=t.number, title=t.title,
                                   suppressed=t.suppressed, members=t.members,
                                   self_mean=t.self_mean, official_mean=t.official_mean,
                                   difference=t.difference) for t in found.themes])
    result = found.calibration
    return CalibrationOut(
        organisation_id=found.organisation_id, cycle_id=found.cycle_id,
        assessment_id=found.assessment_id, framework=result.framework,
        rule=calibration.rule_text(), unmapped_requirement_numbers=list(result.unmapped),
        themes=[ThemeComparisonOut(
            theme_id=t.key, number=t.number, title=t.title,
            requirement_numbers=list(t.requirement_numbers), self_score=t.self_score,
            official=OfficialOut(score=t.official.score, visited_on=t.official.visited_on)
            if t.official else None, difference=t.difference) for t in result.themes])


@router.get("/calibration/history")
def read_calibration_history(
        user: ApiUser, session: SessionDep,
        organisation_id: Annotated[RowId | None, Query(
            description="Advisors and admins: the member (required); members: their own "
                        "(may be omitted); the board: never")] = None
) -> CalibrationHistoryOut:
    """One member's self-assessed and official score per quality-model theme, year by year:
    each submitted assessment's cycle year and each year with an inspection."""
    found = calibration.calibration_history(session=session, user=user,
                                            organisation_id=organisation_id)
    return CalibrationHistoryOut(
        organisation_id=found.organisation_id, years=list(found.years),
        assessments=[HistoryAssessmentOut(year=year, assessment_id=assessment_id)
                     for year, assessment_id in sorted(found.assessments.items())],
        rule=calibration.history_rule_text(),
        themes=[ThemeHistoryOut(
            theme_id=t.key, number=t.number, title=t.title, has_official=t.has_official,
            years=[ThemeYearOut(year=y.year, self_score=y.self_score, official=[
                OfficialOut(score=o.score, visited_on=o.visited_on) for o in y.official],
                difference=y.difference) for y in t.years]) for t in found.themes])
