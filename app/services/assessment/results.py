"""An assessment's results: requirement scores against last year and against peers."""

from dataclasses import dataclass
from itertools import groupby
from operator import itemgetter

import sqlalchemy as sa
from sqlmodel import Session, col, select

from app.models import Cycle, Requirement, RequirementScore, ScoreHistogram
from app.models.vocabulary import AssessmentStatus
from app.services.assessment.carry_over import previous_submission
from app.services.assessment.scoring import is_gap
from app.services.assessment.view import AssessmentView
from app.services.board.rollups import median_of_counts
from app.services.board.segments import Segment
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


def peer_medians(session: Session, view: AssessmentView) -> dict[int, tuple[float, int]]:
    """requirement id -> (median, respondents) among submitted peers of the same type.

    From the stored histogram of the service type's group (board/histograms.py: a few
    hundred rows, whatever the number of members), without this assessment's own scores
    when it is counted there.
    """
    assessment, service_type = view.assessment, view.organisation.service_type
    h = ScoreHistogram.__table__.c
    rows = session.connection().execute(
        sa.select(h.requirement_id, h.score, h.respondents)
        .where(h.cycle_id == assessment.cycle_id, h.segment == Segment.SERVICE_TYPE.value,
               h.group_value == service_type)
        .order_by(h.requirement_id, h.score)).all()
    own = {}
    if assessment.status == AssessmentStatus.SUBMITTED:
        own = {r: row.score for r, row in view.scores.items() if row.score is not None}
    found = {}
    for requirement_id, group in groupby(rows, itemgetter(0)):
        pairs = [(float(score), n - (own.get(requirement_id) == score))
                 for _, score, n in group]
        pairs = [(score, n) for score, n in pairs if n > 0]
        if pairs:
            found[requirement_id] = (median_of_counts(pairs), sum(n for _, n in pairs))
    return found


def results_for(*, session: Session, view: AssessmentView, threshold: int,
                anonymity_minimum: int) -> Results:
    """The results of the loaded assessment: its own scores come from the view."""
    assessment, requirements = view.assessment, view.requirements
    own = {r.key: score.score for r in requirements if (score := view.scores.get(r.id))}
    previous = previous_submission(session, assessment)
    last_year: dict[str, float | None] = {}
    previous_year = None
    if previous is not None:
        keys = key_map(session, previous.catalogue_version_id, assessment.catalogue_version_id)
        for old_key, score in _scores_by_key(session, previous.id).items():
            if old_key in keys:
                last_year[keys.get(old_key)] = score
        previous_year = session.get(Cycle, previous.cycle_id).year
    peers = peer_medians(session, view)
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
