"""Self-assessments: who may open which, starting one, and reading one whole."""

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import update
from sqlmodel import Session, col, select

from app.i18n import N_
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
    User,
)
from app.models.base import utcnow
from app.models.vocabulary import EDITABLE_STATUSES, CycleStatus, Role
from app.services import audit
from app.services.audit import AuditAction
from app.services.catalogues import model_of
from app.services.cycles import cycle_status
from app.services.errors import Conflict, Forbidden, Invalid, NotFound

NOT_FOUND = N_("Selvevalueringen findes ikke.")
MEMBERS_ONLY = N_("Kun medlemmets egne brugere kan ændre selvevalueringen.")


def get_assessment_for_user(*, session: Session, user: User, assessment_id: int) -> Assessment:
    """The assessment if the user may see it; another organisation's is "not found"."""
    if user.role == Role.BOARD:
        raise Forbidden(N_("Bestyrelsen ser kun samlede tal, aldrig det enkelte medlem."))
    assessment = session.get(Assessment, assessment_id)
    if assessment is None:
        raise NotFound(NOT_FOUND)
    if user.role == Role.MEMBER and assessment.organisation_id != user.organisation_id:
        raise NotFound(NOT_FOUND)
    return assessment


def get_assessment_to_edit(*, session: Session, user: User, assessment_id: int) -> Assessment:
    """The assessment if the user may change it: a member of its own organisation only."""
    assessment = get_assessment_for_user(session=session, user=user, assessment_id=assessment_id)
    if user.role != Role.MEMBER:
        raise Forbidden(MEMBERS_ONLY)
    return assessment


def lock_to_edit(*, session: Session, user: User, assessment_id: int) -> Assessment:
    """Authorizes, then takes the write lock (lock_for_edit): every member write starts here."""
    get_assessment_to_edit(session=session, user=user, assessment_id=assessment_id)
    return lock_for_edit(session, assessment_id)


def get_assessment_to_reopen(*, session: Session, user: User, assessment_id: int) -> Assessment:
    """Reopening is LOS' decision: advisors and admins."""
    assessment = get_assessment_for_user(session=session, user=user, assessment_id=assessment_id)
    if user.role not in (Role.ADVISOR, Role.ADMIN):
        raise Forbidden(N_("Kun LOS kan genåbne en indsendt selvevaluering."))
    return assessment


def list_assessments_for_user(*, session: Session, user: User,
                              cycle_id: int | None = None) -> list[Assessment]:
    if user.role == Role.BOARD:
        raise Forbidden(N_("Bestyrelsen ser kun samlede tal, aldrig det enkelte medlem."))
    statement = select(Assessment)
    if user.role == Role.MEMBER:
        statement = statement.where(Assessment.organisation_id == user.organisation_id)
    if cycle_id is not None:
        statement = statement.where(Assessment.cycle_id == cycle_id)
    return list(session.exec(statement.order_by(Assessment.cycle_id, Assessment.id)))


def indicators_in_scope(session: Session, catalogue_version_id: int,
                        service_type: str) -> list[Indicator]:
    """The indicators a department of this service type scores, in catalogue order."""
    rows = session.exec(
        select(Indicator).where(Indicator.catalogue_version_id == catalogue_version_id)
        .order_by(Indicator.position)
    ).all()
    return [row for row in rows if service_type in row.service_types]


def in_scope_for(session: Session, assessment: Assessment) -> list[Indicator]:
    """The indicators this assessment's organisation scores, in catalogue order."""
    organisation = session.get(Organisation, assessment.organisation_id)
    return indicators_in_scope(session, assessment.catalogue_version_id,
                               organisation.service_type)


def start_assessment(*, session: Session, user: User, cycle_id: int,
                     today: date) -> tuple[Assessment, bool]:
    """The member's assessment for an open cycle, created if needed; (assessment, created)."""
    if user.role != Role.MEMBER or user.organisation_id is None:
        raise Forbidden(N_("Kun medlemmer udfylder en selvevaluering."))
    cycle = session.get(Cycle, cycle_id)
    if cycle is None:
        raise NotFound(N_("Runden findes ikke."))
    existing = session.exec(select(Assessment).where(
        Assessment.organisation_id == user.organisation_id, Assessment.cycle_id == cycle_id
    )).first()
    if existing is not None:
        return existing, False
    if cycle_status(cycle, today) is not CycleStatus.OPEN:
        raise Invalid(N_("Runden er ikke åben for besvarelser."))
    organisation = session.get(Organisation, user.organisation_id)
    in_scope = indicators_in_scope(session, cycle.catalogue_version_id,
                                   organisation.service_type)
    assessment = Assessment(organisation_id=organisation.id, cycle_id=cycle.id,
                            catalogue_version_id=cycle.catalogue_version_id,
                            in_scope_count=len(in_scope))
    session.add(assessment)
    session.flush()
    audit.record(session, user=user, action=AuditAction.CREATE, entity="assessment",
                 entity_id=assessment.id, organisation_id=organisation.id,
                 changes={"cycle_id": [None, cycle.id]})
    session.commit()
    return assessment, True


def lock_for_edit(session: Session, assessment_id: int) -> Assessment:
    """Raises the version under a write lock, so concurrent saves queue instead of racing."""
    session.exec(update(Assessment).where(col(Assessment.id) == assessment_id)
                 .values(version=Assessment.version + 1, updated_at=utcnow()))
    assessment = session.get(Assessment, assessment_id, populate_existing=True)
    if assessment is None:
        raise NotFound(NOT_FOUND)
    if assessment.status not in EDITABLE_STATUSES:
        session.rollback()
        raise Conflict(N_("Selvevalueringen er indsendt og kan ikke længere ændres."))
    return assessment


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

    def indicators_of(self, requirement_id: int) -> list[Indicator]:
        return [i for i in self.indicators if i.requirement_id == requirement_id]

    @property
    def editable(self) -> bool:
        return self.assessment.status in EDITABLE_STATUSES


def load_view(*, session: Session, assessment: Assessment) -> AssessmentView:
    organisation = session.get(Organisation, assessment.organisation_id)
    cycle = session.get(Cycle, assessment.cycle_id)
    catalogue_row = session.get(CatalogueVersion, assessment.catalogue_version_id)
    requirements = list(session.exec(
        select(Requirement).where(Requirement.catalogue_version_id == catalogue_row.id)
        .order_by(Requirement.number)
    ))
    indicators = indicators_in_scope(session, catalogue_row.id, organisation.service_type)
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
    return AssessmentView(assessment, organisation, cycle, model_of(catalogue_row),
                          requirements, indicators, answers, reflections, scores, evidence)
