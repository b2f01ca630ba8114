"""The stored score histogram (ScoreHistogram) and respondent counts (RespondentCount):
kept by the writes that change them, rebuilt from the scores by one statement per segment,
and compared with them in a test.

Each submitted assessment counts once in the "all" group and once in its member's group of
every segment. Submitting adds its requirement scores, reopening takes them away, and a
member moving to another group (service type, region, places) moves its submitted ones.
Every change is an upsert of a count, so parallel submits add up on both databases.
"""

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, SQLModel, col, delete, select

from app.models import (
    Assessment,
    Organisation,
    RequirementScore,
    RespondentCount,
    ScoreHistogram,
)
from app.models.vocabulary import AssessmentStatus
from app.services.board.rollups import rebuild_rollups, refresh_rollups
from app.services.board.segments import SIZE_BANDS, Segment, group_column

ALL = "all"
KEY = ("cycle_id", "segment", "group_value", "requirement_id", "score")
GROUP_KEY = ("cycle_id", "segment", "group_value")


def size_band_of(places: int) -> str:
    for band in SIZE_BANDS:
        if band.highest is None or places <= band.highest:
            return band.code
    return SIZE_BANDS[-1].code


def groups_of(organisation: Organisation) -> list[tuple[str, str]]:
    """(segment, group) the member counts in: the sector and one group of each segment."""
    return [(ALL, ALL), (Segment.SERVICE_TYPE.value, organisation.service_type),
            (Segment.REGION.value, organisation.region),
            (Segment.SIZE.value, size_band_of(organisation.places))]


def _upsert(session: Session, table: type[SQLModel], key: tuple[str, ...],
            rows: list[dict]) -> None:
    """Adds each row's respondents to the stored count with its key (new keys inserted).

    Rows go in key order: PostgreSQL locks them in the order given, so two parallel submits
    touching the same keys in different orders would deadlock."""
    if not rows:
        return
    rows = sorted(rows, key=lambda row: tuple(row[name] for name in key))
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    statement = dialect.insert(table).values(rows)
    session.execute(statement.on_conflict_do_update(
        index_elements=list(key),
        set_={"respondents": table.__table__.c.respondents + statement.excluded.respondents}))


def _count(session: Session, assessments: list[Assessment],
           changes: list[tuple[str, str, int]]) -> None:
    """Adds `delta` for each (segment, group, delta) of `changes` to the counts of the
    assessments' scores, then writes those groups' roll-up again.

    The respondent counts go first, in one statement in key order: a writer holds its
    groups' count rows until it commits, so two writers of a group take turns (PostgreSQL
    locks the rows; SQLite the whole database) and the second sums the first's histogram.
    """
    ids = [a.id for a in assessments]
    if not ids or not changes:
        return
    cycle_of = {a.id: a.cycle_id for a in assessments}
    respondents: dict[tuple, int] = {}
    for cycle_id in cycle_of.values():
        for segment, group, delta in changes:
            respondents[cycle_id, segment, group] = respondents.get(
                (cycle_id, segment, group), 0) + delta
    _upsert(session, RespondentCount, GROUP_KEY, [
        dict(zip(GROUP_KEY, key, strict=True)) | {"respondents": n}
        for key, n in respondents.items()])
    counts: dict[tuple, int] = {}
    for assessment_id, requirement_id, score in session.exec(
            select(RequirementScore.assessment_id, RequirementScore.requirement_id,
                   RequirementScore.score)
            .where(col(RequirementScore.assessment_id).in_(ids),
                   col(RequirementScore.score).is_not(None))):
        for segment, group, delta in changes:
            key = (cycle_of[assessment_id], segment, group, requirement_id, score)
            counts[key] = counts.get(key, 0) + delta
    _upsert(session, ScoreHistogram, KEY, [dict(zip(KEY, key, strict=True))
                                           | {"respondents": n} for key, n in counts.items()])
    if any(delta < 0 for _, _, delta in changes):
        for table in (ScoreHistogram, RespondentCount):
            session.execute(delete(table).where(
                col(table.cycle_id).in_(set(cycle_of.values())), col(table.respondents) <= 0))
    refresh_rollups(session, respondents)


def count_submitted(session: Session, assessment: Assessment) -> None:
    """The assessment has just been submitted: its scores join the histogram."""
    organisation = session.get(Organisation, assessment.organisation_id)
    _count(session, [assessment], [(s, g, +1) for s, g in groups_of(organisation)])


def uncount_submitted(session: Session, assessment: Assessment) -> None:
    """The assessment is no longer submitted (reopened): its scores leave the histogram."""
    organisation = session.get(Organisation, assessment.organisation_id)
    _count(session, [assessment], [(s, g, -1) for s, g in groups_of(organisation)])


def move_member(session: Session, organisation: Organisation,
                before: list[tuple[str, str]]) -> None:
    """The member's groups were `before` and are now its current ones: move its submitted
    assessments' scores between them (nothing when no group changed), in one step, so the
    groups it leaves and joins are locked together in key order."""
    after = groups_of(organisation)
    if before == after:
        return
    submitted = list(session.exec(select(Assessment).where(
        Assessment.organisation_id == organisation.id,
        Assessment.status == AssessmentStatus.SUBMITTED)))
    _count(session, submitted, [(s, g, -1) for s, g in before if (s, g) not in after]
           + [(s, g, +1) for s, g in after if (s, g) not in before])


def computed_histogram(segment: Segment | None) -> sa.Select:
    """The histogram of one segment computed from the scores (what the stored one must be):
    cycle, segment, group, requirement, score, respondents."""
    group = group_column(segment)
    score = col(RequirementScore.score)
    query = (
        select(col(Assessment.cycle_id),
               sa.literal_column(f"'{segment.value if segment else ALL}'", sa.String),
               group, col(RequirementScore.requirement_id), score, sa.func.count())
        .join(Assessment, col(Assessment.id) == col(RequirementScore.assessment_id))
        .where(Assessment.status == AssessmentStatus.SUBMITTED, score.is_not(None))
        .group_by(col(Assessment.cycle_id), *([group] if segment else []),
                  col(RequirementScore.requirement_id), score))
    if segment is not None:
        query = query.join(Organisation,
                           col(Organisation.id) == col(Assessment.organisation_id))
    return query


def computed_respondents(segment: Segment | None) -> sa.Select:
    """The respondent counts of one segment computed from the assessments (what the stored
    ones must be): cycle, segment, group, respondents."""
    group = group_column(segment)
    return (
        select(col(Assessment.cycle_id),
               sa.literal_column(f"'{segment.value if segment else ALL}'", sa.String),
               group, sa.func.count())
        .join(Organisation, col(Organisation.id) == col(Assessment.organisation_id))
        .where(Assessment.status == AssessmentStatus.SUBMITTED)
        .group_by(col(Assessment.cycle_id), *([group] if segment else [])))


def rebuild_histogram(session: Session) -> None:
    """Computes the whole histogram, the respondent counts and the roll-up again from the
    scores (after a bulk load); no commit."""
    session.execute(delete(ScoreHistogram))
    session.execute(delete(RespondentCount))
    columns = [ScoreHistogram.__table__.c[name] for name in (*KEY, "respondents")]
    counted = [RespondentCount.__table__.c[name] for name in (*GROUP_KEY, "respondents")]
    for segment in (None, *Segment):
        session.execute(sa.insert(ScoreHistogram).from_select(
            columns, computed_histogram(segment)))
        session.execute(sa.insert(RespondentCount).from_select(
            counted, computed_respondents(segment)))
    rebuild_rollups(session)
