"""Reading one self-assessment whole: its scope, answers, reflections, scores and evidence.

The pages only read these, so they come as the tables' rows (`Row`, the same attribute
names as the models) rather than ORM objects: building ~100 tracked instances cost more
than the page's queries. The statements are built once; the assessment itself stays an
ORM object, since the services that change it lock and write it.
"""

from dataclasses import dataclass, field

from sqlalchemy import Row, bindparam
from sqlmodel import Session, select

from app.models import (
    Answer,
    Assessment,
    CatalogueVersion,
    Cycle,
    Evidence,
    Indicator,
    Organisation,
    Reflection,
    Requirement,
    RequirementScore,
)
from app.models.vocabulary import EDITABLE_STATUSES
from app.services.catalogue.versions import model_of_hashed


def _of_assessment(model):
    table = model.__table__
    return select(table).where(table.c.assessment_id == bindparam("assessment_id"))


_VERSION = bindparam("version_id")
_INDICATORS = (select(Indicator.__table__)
               .where(Indicator.__table__.c.catalogue_version_id == _VERSION)
               .order_by(Indicator.__table__.c.position))
_REQUIREMENTS = (select(Requirement.__table__)
                 .where(Requirement.__table__.c.catalogue_version_id == _VERSION)
                 .order_by(Requirement.__table__.c.number))
# The assessment's organisation, cycle and catalogue version (its hash) in one query.
_CONTEXT = (select(Organisation, Cycle, CatalogueVersion.content_hash).select_from(Assessment)
            .join(Organisation, Organisation.id == Assessment.organisation_id)
            .join(Cycle, Cycle.id == Assessment.cycle_id)
            .join(CatalogueVersion, CatalogueVersion.id == Assessment.catalogue_version_id)
            .where(Assessment.id == bindparam("assessment_id")))
_ANSWERS = _of_assessment(Answer)
_REFLECTIONS = _of_assessment(Reflection)
_SCORES = _of_assessment(RequirementScore)
_EVIDENCE = _of_assessment(Evidence).order_by(Evidence.__table__.c.created_at,
                                              Evidence.__table__.c.id)


def all_indicators(session: Session, catalogue_version_id: int) -> list[Row]:
    """Every indicator row of the version, in catalogue order (read-only rows)."""
    return session.execute(_INDICATORS, {"version_id": catalogue_version_id}).all()


def indicators_in_scope(session: Session, catalogue_version_id: int,
                        service_type: str) -> list[Row]:
    """The indicators a department of this service type scores, in catalogue order."""
    return [row for row in all_indicators(session, catalogue_version_id)
            if service_type in row.service_types]


def in_scope_for(session: Session, assessment: Assessment) -> list[Row]:
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
    # Rows of the requirement, indicator, answer, reflection, requirement_score and
    # evidence tables, read-only.
    requirements: list[Row]
    indicators: list[Row]  # in scope, catalogue order
    answers: dict[int, Row]  # by indicator id
    reflections: dict[int, Row]  # by requirement id
    scores: dict[int, Row]  # by requirement id
    evidence: dict[int, list[Row]] = field(default_factory=dict)  # by requirement id
    skipped: list[Row] = field(default_factory=list)  # not for this service type
    _in_scope_by_requirement: dict[int, list[Row]] = field(init=False, repr=False)
    _skipped_by_requirement: dict[int, list[Row]] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        # The pages ask per requirement, once per step and field: group them once.
        self._in_scope_by_requirement = _by_requirement(self.indicators)
        self._skipped_by_requirement = _by_requirement(self.skipped)

    def indicators_of(self, requirement_id: int) -> list[Row]:
        return self._in_scope_by_requirement.get(requirement_id, [])

    def skipped_of(self, requirement_id: int) -> list[Row]:
        return self._skipped_by_requirement.get(requirement_id, [])

    @property
    def editable(self) -> bool:
        return self.assessment.status in EDITABLE_STATUSES


def _by_requirement(indicators: list[Row]) -> dict[int, list[Row]]:
    grouped: dict[int, list[Row]] = {}
    for indicator in indicators:
        grouped.setdefault(indicator.requirement_id, []).append(indicator)
    return grouped


def load_view(*, session: Session, assessment: Assessment) -> AssessmentView:
    version_id = assessment.catalogue_version_id
    of_version, of_assessment = {"version_id": version_id}, {"assessment_id": assessment.id}
    organisation, cycle, content_hash = session.execute(_CONTEXT, of_assessment).one()
    requirements = session.execute(_REQUIREMENTS, of_version).all()
    every = all_indicators(session, version_id)
    indicators = [i for i in every if organisation.service_type in i.service_types]
    skipped = [i for i in every if organisation.service_type not in i.service_types]
    answers = {a.indicator_id: a for a in session.execute(_ANSWERS, of_assessment)}
    reflections = {r.requirement_id: r for r in session.execute(_REFLECTIONS, of_assessment)}
    scores = {s.requirement_id: s for s in session.execute(_SCORES, of_assessment)}
    evidence: dict[int, list[Row]] = {}
    for item in session.execute(_EVIDENCE, of_assessment):
        evidence.setdefault(item.requirement_id, []).append(item)
    return AssessmentView(assessment, organisation, cycle,
                          model_of_hashed(session, version_id, content_hash),
                          requirements, indicators, answers, reflections, scores, evidence,
                          skipped)
