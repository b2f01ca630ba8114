"""Each submitted self-assessment per quality-model theme beside Socialtilsynet's latest
score of the theme, kept in a table.

The rule is calibration's (services/calibration.py): a theme's self-assessed score is the
mean of the member's requirement scores for the requirements its catalogue maps to the
theme; the official score is the theme's latest (official_scores.py); the gap is self
minus official. Worked out over every member's requirement scores at once, that was half
the advisors' flag list and most of the board's sector calibration at 50,000 members, so
`theme_calibration` stores it, for submitted assessments (status submitted): `write()` in
the transaction that submits, `remove()` in the one that reopens, `refresh_official()`
with each rewrite of the member's latest official scores, `rebuild()` after a bulk load.
`computed()` is the rule itself, for all of them and for the test that stored equals it.
"""

from collections.abc import Iterable

from sqlalchemy import and_, delete, func, insert, literal, union_all, update
from sqlmodel import Session, col, select

from app.models import (
    Assessment,
    CatalogueVersion,
    LatestOfficial,
    Organisation,
    Requirement,
    RequirementScore,
    ThemeCalibration,
)
from app.models.vocabulary import AssessmentStatus
from app.services.board.themes import theme_maps
from app.services.versioning import lock_rows

COLUMNS = ("assessment_id", "theme_key", "organisation_id", "cycle_id", "self_score",
           "official_score", "visited_on", "gap")


def computed(session: Session, *, assessment: Assessment | None = None):
    """The rule as a statement with COLUMNS, over every submitted assessment (or one); None
    when no catalogue maps a requirement to a theme."""
    pairs = _mapped_requirements(session, None if assessment is None
                                 else [assessment.catalogue_version_id])
    if not pairs:
        return None
    # A small inline table (UNION ALL of literal rows): SQLite has no aliased VALUES.
    mapping = union_all(*(select(literal(version).label("version_id"),
                                 literal(key).label("requirement_key"),
                                 literal(theme).label("theme_key"))
                          for version, key, theme in pairs)).subquery("theme_mapping")
    own = (select(RequirementScore.assessment_id.label("assessment_id"),
                  mapping.c.theme_key, func.avg(RequirementScore.score).label("self_score"))
           .select_from(RequirementScore)
           .join(Assessment, col(Assessment.id) == col(RequirementScore.assessment_id))
           .join(Requirement, col(Requirement.id) == col(RequirementScore.requirement_id))
           .join(mapping, and_(mapping.c.version_id == Requirement.catalogue_version_id,
                               mapping.c.requirement_key == Requirement.key))
           .where(Assessment.status == AssessmentStatus.SUBMITTED,
                  col(RequirementScore.score).is_not(None))
           .group_by(RequirementScore.assessment_id, mapping.c.theme_key))
    if assessment is not None:
        own = own.where(RequirementScore.assessment_id == assessment.id)
    own = own.subquery("own")
    return (select(own.c.assessment_id, own.c.theme_key,
                   Assessment.organisation_id, Assessment.cycle_id, own.c.self_score,
                   LatestOfficial.score, LatestOfficial.visited_on,
                   (own.c.self_score - LatestOfficial.score).label("gap"))
            .select_from(own)
            .join(Assessment, col(Assessment.id) == own.c.assessment_id)
            .join(LatestOfficial, and_(
                col(LatestOfficial.organisation_id) == col(Assessment.organisation_id),
                col(LatestOfficial.theme_key) == own.c.theme_key), isouter=True))


def _mapped_requirements(session: Session, versions: list[int] | None
                         ) -> list[tuple[int, str, str]]:
    """(catalogue version, requirement key, theme key) of these catalogue versions, or of
    every assessment catalogue when None."""
    if versions is None:
        versions = session.exec(select(CatalogueVersion.id).where(
            CatalogueVersion.kind == "assessment")).all()
    return [(version, key, theme.key)
            for version, themes in theme_maps(session, versions).items() if themes
            for theme in themes.themes for key in theme.requirement_keys]


def write(session: Session, assessment: Assessment) -> None:
    """Rewrites the assessment's rows, in the caller's transaction (after its scores).

    It locks the member's row first, as official_scores.refresh() does, so a change of the
    member's inspections at the same moment comes wholly before or after this."""
    session.flush()
    lock_rows(session, Organisation, [assessment.organisation_id])
    remove(session, assessment.id)
    _store(session, computed(session, assessment=assessment))


def remove(session: Session, assessment_id: int) -> None:
    session.execute(delete(ThemeCalibration).where(
        col(ThemeCalibration.assessment_id) == assessment_id))


def refresh_official(session: Session, organisation_ids: Iterable[int] | None = None) -> None:
    """The official side of the members' rows (all: None) from their latest official
    scores, as the caller's transaction has just written them."""
    official = (select(LatestOfficial)
                .where(col(LatestOfficial.organisation_id)
                       == col(ThemeCalibration.organisation_id),
                       col(LatestOfficial.theme_key) == col(ThemeCalibration.theme_key)))
    score = official.with_only_columns(LatestOfficial.score).scalar_subquery()
    statement = update(ThemeCalibration).values(
        official_score=score,
        visited_on=official.with_only_columns(LatestOfficial.visited_on).scalar_subquery(),
        gap=col(ThemeCalibration.self_score) - score)
    if organisation_ids is not None:
        statement = statement.where(
            col(ThemeCalibration.organisation_id).in_(list(organisation_ids)))
    session.execute(statement)


def rebuild(session: Session) -> None:
    """Every row anew: after a bulk load that wrote scores or inspections without the
    services (the demo at scale)."""
    session.flush()
    session.execute(delete(ThemeCalibration))
    _store(session, computed(session))


def _store(session: Session, rule) -> None:
    if rule is not None:
        session.execute(insert(ThemeCalibration).from_select(list(COLUMNS), rule))
