"""An assessment's results: requirement scores against last year and against peers."""

from dataclasses import dataclass

from sqlalchemy import func
from sqlmodel import Session, col, select

from app.models import Assessment, Cycle, Organisation, Requirement, RequirementScore
from app.models.vocabulary import AssessmentStatus
from app.services.assessment.carry_over import previous_submission
from app.services.assessment.scoring import is_gap
from app.services.catalogue.lineage import key_map


@dataclass
class RequirementResultRow:
    requirement_id: int
    key: str
    number: int
    title: str
    score: float | None
    last_year: float | None
    peer_median: float | None
    peer_count: int
    is_gap: bool


@dataclass
class Results:
    rows: list[RequirementResultRow]
    threshold: int
    peers_shown: bool
    anonymity_minimum: int
    previous_year: int | None

    @property
    def gaps(self) -> list[RequirementResultRow]:
        return [r for r in self.rows if r.is_gap]


def _scores_by_key(session: Session, assessment_id: int) -> dict[str, float | None]:
    return dict(session.exec(
        select(Requirement.key, RequirementScore.score)
        .join(Requirement, col(Requirement.id) == col(RequirementScore.requirement_id))
        .where(RequirementScore.assessment_id == assessment_id)
    ).all())


def peer_medians(session: Session, assessment: Assessment,
                 service_type: str) -> dict[int, tuple[float, int]]:
    """requirement id -> (median, respondents) among submitted peers of the same type.

    The median is computed in SQL with window functions that SQLite and PostgreSQL share:
    the middle row for an odd count, the mean of the two middle rows for an even one.
    """
    scored = (
        select(
            RequirementScore.requirement_id.label("requirement_id"),
            RequirementScore.score.label("score"),
            func.row_number().over(partition_by=RequirementScore.requirement_id,
                                   order_by=RequirementScore.score).label("position"),
            func.count().over(partition_by=RequirementScore.requirement_id).label("n"),
        )
        .join(Assessment, col(Assessment.id) == col(RequirementScore.assessment_id))
        .join(Organisation, col(Organisation.id) == col(Assessment.organisation_id))
        .where(Assessment.cycle_id == assessment.cycle_id,
               Assessment.status == AssessmentStatus.SUBMITTED,
               Assessment.id != assessment.id,
               Organisation.service_type == service_type,
               col(RequirementScore.score).is_not(None))
        .subquery()
    )
    # Floor division: `/` would be true division, and an even count would find one middle.
    middle = (scored.c.position == (scored.c.n + 1) // 2) | (
        scored.c.position == (scored.c.n + 2) // 2)
    rows = session.exec(
        select(scored.c.requirement_id, func.avg(scored.c.score), func.max(scored.c.n))
        .where(middle).group_by(scored.c.requirement_id)
    ).all()
    return {requirement_id: (float(median), int(n)) for requirement_id, median, n in rows}


def results_for(*, session: Session, assessment: Assessment, threshold: int,
                anonymity_minimum: int) -> Results:
    organisation = session.get(Organisation, assessment.organisation_id)
    requirements = session.exec(select(Requirement).where(
        Requirement.catalogue_version_id == assessment.catalogue_version_id
    ).order_by(Requirement.number)).all()
    own = _scores_by_key(session, assessment.id)
    previous = previous_submission(session, assessment)
    last_year: dict[str, float | None] = {}
    previous_year = None
    if previous is not None:
        keys = key_map(session, previous.catalogue_version_id, assessment.catalogue_version_id)
        for old_key, score in _scores_by_key(session, previous.id).items():
            if old_key in keys:
                last_year[keys.get(old_key)] = score
        previous_year = session.get(Cycle, previous.cycle_id).year
    peers = peer_medians(session, assessment, organisation.service_type)
    # Each requirement is shown or hidden on its own: one requirement that few peers
    # scored (all "not relevant", say) must not hide the others.
    peers_shown = any(n >= anonymity_minimum for _, n in peers.values())
    rows = []
    for requirement in requirements:
        median, n = peers.get(requirement.id, (None, 0))
        visible = n >= anonymity_minimum
        score = own.get(requirement.key)
        rows.append(RequirementResultRow(
            requirement.id, requirement.key, requirement.number, requirement.title, score,
            last_year.get(requirement.key), median if visible else None, n if visible else 0,
            is_gap(score, threshold),
        ))
    return Results(rows, threshold, peers_shown, anonymity_minimum, previous_year)
