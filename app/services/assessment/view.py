"""Reading one self-assessment whole: its scope, answers, reflections, scores and evidence."""

from dataclasses import dataclass, field

from sqlmodel import Session, select

from app.models import (
    Answer,
    Assessment,
    Cycle,
    Evidence,
    Indicator,
    Organisation,
    Reflection,
    Requirement,
    RequirementScore,
)
from app.models.vocabulary import EDITABLE_STATUSES
from app.services.catalogue.versions import model_of_version


def all_indicators(session: Session, catalogue_version_id: int) -> list[Indicator]:
    return list(session.exec(
        select(Indicator).where(Indicator.catalogue_version_id == catalogue_version_id)
        .order_by(Indicator.position)
    ))


def indicators_in_scope(session: Session, catalogue_version_id: int,
                        service_type: str) -> list[Indicator]:
    """The indicators a department of this service type scores, in catalogue order."""
    return [row for row in all_indicators(session, catalogue_version_id)
            if service_type in row.service_types]


def in_scope_for(session: Session, assessment: Assessment) -> list[Indicator]:
    """The indicators this assessment's organisation scores, in catalogue order."""
    organisation = session.get(Organisation, assessment.organisation_id)
    return indicators_in_scope(session, assessment.catalogue_version_id,
                               organisation.service_type)


@dataclass
class AssessmentView:
    """Everything a page or API answer about one assessment needs, loaded in fixed queries."""

    assessment: Assessment
    organisation: Organisation
    cycle: Cycle
    catalogue: object  # AssessmentCatalogue
    requirements: list[Requirement]
    indicators: list[Indicator]  # in scope, catalogue order
    answers: dict[int, Answer]  # by indicator id
    reflections: dict[int, Reflection]  # by requirement id
    scores: dict[int, RequirementScore]  # by requirement id
    evidence: dict[int, list[Evidence]] = field(default_factory=dict)  # by requirement id
    skipped: list[Indicator] = field(default_factory=list)  # not for this service type

    def indicators_of(self, requirement_id: int) -> list[Indicator]:
        return [i for i in self.indicators if i.requirement_id == requirement_id]

    def skipped_of(self, requirement_id: int) -> list[Indicator]:
        return [i for i in self.skipped if i.requirement_id == requirement_id]

    @property
    def editable(self) -> bool:
        return self.assessment.status in EDITABLE_STATUSES


def load_view(*, session: Session, assessment: Assessment) -> AssessmentView:
    organisation = session.get(Organisation, assessment.organisation_id)
    cycle = session.get(Cycle, assessment.cycle_id)
    version_id = assessment.catalogue_version_id
    requirements = list(session.exec(
        select(Requirement).where(Requirement.catalogue_version_id == version_id)
        .order_by(Requirement.number)
    ))
    every = all_indicators(session, version_id)
    indicators = [i for i in every if organisation.service_type in i.service_types]
    skipped = [i for i in every if organisation.service_type not in i.service_types]
    answers = {a.indicator_id: a for a in session.exec(
        select(Answer).where(Answer.assessment_id == assessment.id))}
    reflections = {r.requirement_id: r for r in session.exec(
        select(Reflection).where(Reflection.assessment_id == assessment.id))}
    scores = {s.requirement_id: s for s in session.exec(
        select(RequirementScore).where(RequirementScore.assessment_id == assessment.id))}
    evidence: dict[int, list[Evidence]] = {}
    for item in session.exec(select(Evidence).where(Evidence.assessment_id == assessment.id)
                             .order_by(Evidence.created_at)):
        evidence.setdefault(item.requirement_id, []).append(item)
    return AssessmentView(assessment, organisation, cycle, model_of_version(session, version_id),
                          requirements, indicators, answers, reflections, scores, evidence,
                          skipped)
