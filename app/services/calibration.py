"""Calibration: a member's self-assessment beside Socialtilsynet's own scores, per theme of
the quality model.

The rule, shown on screen wherever the figures are:
- the self-assessed score of a theme is the mean of the member's requirement scores for
  the requirements the catalogue maps to that theme itself (the rule of the board's sector
  reference, services/board/themes.py); requirements mapped to no theme are left out;
- the official score of a theme is its score in the latest inspection that covered it (by
  visit date; two inspections on one day count as their mean), kept in a table by
  services/official_scores.py;
- the difference is self minus official: above zero, the member sees itself more kindly
  than the inspector did;
- over the years (the advisor's dossier), each cycle's submitted self-assessment stands
  beside the inspections of the same calendar year, and a year's difference is its self
  score minus that year's latest official score.
"""

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from sqlalchemy import func
from sqlmodel import Session, col, select

from app.i18n import N_, gettext
from app.models import (
    Assessment,
    Cycle,
    Inspection,
    InspectionScore,
    Organisation,
    Requirement,
    RequirementScore,
    ThemeCalibration,
    User,
)
from app.models.vocabulary import AssessmentStatus, Role
from app.services import official_scores
from app.services.board.queries import all_cycles, resolve_cycle
from app.services.board.themes import (
    MappedTheme,
    ThemeMap,
    theme_map,
    theme_maps,
    theme_scores,
)
from app.services.errors import FieldError, Forbidden, Invalid, NotFound


@dataclass(frozen=True)
class Official:
    score: float
    visited_on: date


@dataclass(frozen=True)
class ThemeComparison:
    key: str
    number: int
    title: str
    requirement_numbers: tuple[int, ...]
    self_score: float | None  # None: none of its requirements has a score
    official: Official | None  # None: no inspection has scored the theme

    @property
    def difference(self) -> float | None:
        if self.self_score is None or self.official is None:
            return None
        return self.self_score - self.official.score


@dataclass(frozen=True)
class Calibration:
    framework: str  # "socialtilsyn-kvalitetsmodel 2017"
    themes: list[ThemeComparison]
    unmapped: tuple[int, ...]  # numbers of requirements mapped to no theme

    @property
    def has_official(self) -> bool:
        return any(theme.official is not None for theme in self.themes)


def latest_official(session: Session, organisation_id: int,
                    as_of: date | None = None) -> dict[str, Official]:
    """theme id -> the latest official score of the member's inspections (not after
    `as_of`, when given): one query."""
    found = official_scores.official(organisation_id=organisation_id, as_of=as_of)
    return {theme_key: Official(float(score), visited_on)
            for theme_key, visited_on, score in session.connection().execute(
                select(found.c.theme_key, found.c.visited_on, found.c.score))}


def compare(themes: ThemeMap, requirement_scores: dict[str, float | None],
            official: dict[str, Official]) -> Calibration:
    own = theme_scores(themes.themes, requirement_scores)
    return Calibration(themes.framework, [
        ThemeComparison(t.key, t.number, t.title, t.requirement_numbers, own[t.key],
                        official.get(t.key)) for t in themes.themes], themes.unmapped)


@dataclass(frozen=True)
class AboveOfficial:
    organisation_id: int
    theme_key: str
    self_score: float
    official: float
    visited_on: date


def above_official_statement(*, cycle_id: int, threshold: float,
                             where=sa.true()) -> sa.Select:
    """Per member (of those `where` selects, a condition on Organisation) and theme whose
    submitted self-assessment in the cycle exceeds the theme's latest official score by at
    least `threshold`, from the stored calibration (services/theme_calibration.py):
    organisation_id, theme_key, self_score, official_score, visited_on."""
    return (select(ThemeCalibration.organisation_id, ThemeCalibration.theme_key,
                   ThemeCalibration.self_score, ThemeCalibration.official_score,
                   ThemeCalibration.visited_on)
            .join(Organisation, col(Organisation.id) == col(ThemeCalibration.organisation_id))
            .where(where, ThemeCalibration.cycle_id == cycle_id,
                   col(ThemeCalibration.gap) >= threshold - 1e-9))


def members_above_official(session: Session, *, cycle_id: int, themes: ThemeMap | None,
                           threshold: float, where=sa.true()) -> list[AboveOfficial]:
    """above_official_statement() read, through the cycle's catalogue's theme map: one
    query, whatever the number of members."""
    if themes is None or not themes.themes:
        return []
    rows = session.connection().execute(above_official_statement(
        cycle_id=cycle_id, threshold=threshold, where=where)).all()
    order = {theme.key: n for n, theme in enumerate(themes.themes)}
    return sorted((AboveOfficial(org, key, float(s), float(o), on)
                   for org, key, s, o, on in rows),
                  key=lambda a: (a.organisation_id, order.get(a.theme_key, 0)))


@dataclass(frozen=True)
class SectorTheme:
    key: str
    number: int
    title: str
    # Members with both a self-assessment and an official score of the theme; None when
    # suppressed, as every board figure of a hidden group.
    members: int | None
    suppressed: bool  # fewer members than the anonymity minimum: no figures
    self_mean: float | None
    official_mean: float | None

    @property
    def difference(self) -> float | None:
        if self.self_mean is None or self.official_mean is None:
            return None
        return self.self_mean - self.official_mean


@dataclass(frozen=True)
class SectorCalibration:
    cycle_id: int
    year: int
    framework: str
    themes: list[SectorTheme]
    unmapped: tuple[int, ...]


def sector_calibration(*, session: Session, user: User, minimum: int,
                       cycle_id: int | None = None) -> SectorCalibration | None:
    """Per theme, among the members with both, the mean self-assessed and the mean official
    score; a theme with fewer such members than `minimum` shows neither. One grouped query.

    Only the whole sector: with no groups there is no total to subtract a group from. None
    when the cycle's catalogue maps to no quality model.
    """
    if user.role not in (Role.BOARD, Role.ADVISOR, Role.ADMIN):
        raise Forbidden(N_("Kun bestyrelsen, LOS' konsulenter og administratorer ser "
                           "sektorens tal."))
    cycle = resolve_cycle(all_cycles(session), cycle_id)
    themes = theme_map(session, cycle.catalogue_version_id)
    if themes is None or not themes.themes:
        return None
    return sector_themes(session, cycle=cycle, themes=themes, minimum=minimum)


# Among the cycle's submissions, per theme, those with an official score beside their own.
SECTOR_STATEMENT = (
    select(ThemeCalibration.theme_key, func.count(), func.avg(ThemeCalibration.self_score),
           func.avg(ThemeCalibration.official_score))
    .where(ThemeCalibration.cycle_id == sa.bindparam("cycle_id"),
           col(ThemeCalibration.official_score).is_not(None))
    .group_by(ThemeCalibration.theme_key))


def sector_themes(session: Session, *, cycle: Cycle, themes: ThemeMap,
                  minimum: int) -> SectorCalibration:
    """sector_calibration() for a cycle whose theme map the caller has (one query)."""
    found = {key: (n, own, official) for key, n, own, official in session.connection().execute(
        SECTOR_STATEMENT, {"cycle_id": cycle.id}).all()}
    result = []
    for theme in themes.themes:
        n, own, official = found.get(theme.key, (0, None, None))
        hidden = n < minimum
        result.append(SectorTheme(theme.key, theme.number, theme.title,
                                  None if hidden else int(n), hidden,
                                  None if hidden or own is None else float(own),
                                  None if hidden or official is None else float(official)))
    return SectorCalibration(cycle.id, cycle.year, themes.framework, result, themes.unmapped)


@dataclass(frozen=True)
class MemberCalibration:
    organisation_id: int
    cycle_id: int
    assessment_id: int | None  # None: the member has not started this cycle's assessment
    calibration: Calibration


def _member_id(session: Session, user: User, organisation_id: int | None) -> int:
    """The member whose comparison `user` may see: a member its own (`organisation_id` may
    be left out), LOS' advisors and admins the one they name; never the board."""
    if user.role == Role.BOARD:
        raise Forbidden(N_("Bestyrelsen ser kun sektorens samlede tal."))
    if user.role == Role.MEMBER:
        if organisation_id not in (None, user.organisation_id):
            raise NotFound(N_("Medlemmet findes ikke."))
        organisation_id = user.organisation_id
    elif organisation_id is None:
        raise Invalid(N_("Vælg et medlem."),
                      [FieldError("organisation_id", N_("Vælg et medlem."))])
    if session.get(Organisation, organisation_id) is None:
        raise NotFound(N_("Medlemmet findes ikke."))
    return organisation_id


def member_calibration(*, session: Session, user: User, organisation_id: int | None,
                       cycle_id: int | None) -> MemberCalibration:
    """One member's comparison in a cycle (the latest when none is given): its own for a
    member, any member's for LOS' advisors and admins; never the board's."""
    organisation_id = _member_id(session, user, organisation_id)
    cycle = resolve_cycle(all_cycles(session), cycle_id)
    assessment = session.exec(select(Assessment).where(
        Assessment.organisation_id == organisation_id, Assessment.cycle_id == cycle.id)).first()
    version_id = assessment.catalogue_version_id if assessment else cycle.catalogue_version_id
    themes = theme_map(session, version_id)
    if themes is None:
        raise NotFound(N_("Runden bruger et katalog uden kobling til kvalitetsmodellen."))
    scores = dict(session.exec(
        select(Requirement.key, RequirementScore.score)
        .join(Requirement, col(Requirement.id) == col(RequirementScore.requirement_id))
        .where(RequirementScore.assessment_id == assessment.id)).all()) if assessment else {}
    return MemberCalibration(organisation_id, cycle.id, assessment.id if assessment else None,
                             compare(themes, scores, latest_official(session, organisation_id)))


def calibration_for(*, session: Session, user: User, minimum: int,
                    organisation_id: int | None, cycle_id: int | None
                    ) -> MemberCalibration | SectorCalibration:
    """Who sees which comparison: a member its own; LOS' advisors and admins one member's,
    or the sector's when they name none; the board the sector's only."""
    if user.role == Role.BOARD and organisation_id is not None:
        raise Forbidden(N_("Bestyrelsen ser kun sektorens samlede tal."))
    if user.role == Role.MEMBER or organisation_id is not None:
        return member_calibration(session=session, user=user,
                                  organisation_id=organisation_id, cycle_id=cycle_id)
    sector = sector_calibration(session=session, user=user, minimum=minimum,
                                cycle_id=cycle_id)
    if sector is None:
        raise NotFound(N_("Runden bruger et katalog uden kobling til kvalitetsmodellen."))
    return sector


@dataclass(frozen=True)
class ThemeYear:
    """A theme in one year: the self-assessment of that year's cycle, and the official
    scores of that year's inspections covering the theme (oldest first, a day's mean)."""

    year: int
    self_score: float | None  # None: no submitted assessment that year, or no score in it
    official: tuple[Official, ...]

    @property
    def difference(self) -> float | None:
        """Self minus the year's latest official score, when the year has both."""
        if self.self_score is None or not self.official:
            return None
        return self.self_score - self.official[-1].score


@dataclass(frozen=True)
class ThemeHistory:
    key: str
    number: int
    title: str
    years: tuple[ThemeYear, ...]  # one per CalibrationHistory.years

    @property
    def has_official(self) -> bool:
        return any(year.official for year in self.years)

    @property
    def differences(self) -> list[tuple[int, float]]:
        return [(y.year, y.difference) for y in self.years if y.difference is not None]


@dataclass(frozen=True)
class CalibrationHistory:
    organisation_id: int
    years: tuple[int, ...]  # oldest first: a submitted assessment's cycle, or an inspection
    assessments: dict[int, int]  # year -> the submitted assessment's id
    themes: list[ThemeHistory]

    @property
    def has_official(self) -> bool:
        return any(theme.has_official for theme in self.themes)


def calibration_history(*, session: Session, user: User,
                        organisation_id: int | None) -> CalibrationHistory:
    """Per theme and year, the member's self-assessed score in each submitted assessment and
    Socialtilsynet's scores of its inspections that year, by the rule above; in eight
    queries at most, whatever the number of cycles, inspections and themes. Who sees it: as
    member_calibration(). Themes are those the catalogues map, in the newest one's order."""
    organisation_id = _member_id(session, user, organisation_id)
    submitted = session.exec(
        select(Assessment.id, Assessment.catalogue_version_id, Cycle.year)
        .join(Cycle, col(Cycle.id) == col(Assessment.cycle_id))
        .where(Assessment.organisation_id == organisation_id,
               Assessment.status == AssessmentStatus.SUBMITTED)
        .order_by(col(Cycle.year).desc())).all()
    # The current catalogue names the themes even before the member's first submission.
    current = session.exec(select(Cycle.catalogue_version_id).order_by(
        col(Cycle.year).desc(), col(Cycle.id).desc()).limit(1)).first()
    versions = list(dict.fromkeys([*([current] if current else []),
                                   *(version for _, version, _ in submitted)]))
    maps = theme_maps(session, versions)
    themes: dict[str, MappedTheme] = {}  # the newest map's title and number of each
    for version in versions:
        for theme in maps.get(version).themes if maps.get(version) else ():
            themes.setdefault(theme.key, theme)
    own = _own_theme_scores(session, submitted, maps, list(themes))
    official: dict[str, dict[int, list[Official]]] = {}
    for theme_key, visited_on, score in session.exec(
            select(InspectionScore.node_id, Inspection.visited_on,
                   func.avg(InspectionScore.score))
            .join(Inspection, col(Inspection.id) == col(InspectionScore.inspection_id))
            .where(Inspection.organisation_id == organisation_id,
                   InspectionScore.level == "theme",
                   col(InspectionScore.node_id).in_(list(themes)))
            .group_by(InspectionScore.node_id, Inspection.visited_on)
            .order_by(Inspection.visited_on)).all() if themes else ():
        official.setdefault(theme_key, {}).setdefault(visited_on.year, []).append(
            Official(float(score), visited_on))
    years_of = {year: assessment_id for assessment_id, _, year in submitted}
    years = tuple(sorted(set(years_of) | {y for found in official.values() for y in found}))
    return CalibrationHistory(organisation_id, years, years_of, [
        ThemeHistory(key, theme.number, theme.title, tuple(
            ThemeYear(year, own.get((years_of.get(year), key)),
                      tuple(official.get(key, {}).get(year, ()))) for year in years))
        for key, theme in themes.items()])


def _own_theme_scores(session: Session, submitted, maps: dict[int, ThemeMap | None],
                      keys: list[str]) -> dict[tuple[int, str], float]:
    """(assessment id, theme key) -> the rule's self-assessed score: one grouped query over
    the assessments' requirement scores, a column per theme (each catalogue version's own
    requirements mapped to it)."""
    if not submitted or not keys:
        return {}
    columns = []
    for key in keys:
        mapped = [sa.and_(col(Requirement.catalogue_version_id) == version,
                          col(Requirement.key).in_(theme.requirement_keys))
                  for version, found in maps.items() if found
                  for theme in found.themes if theme.key == key]
        columns.append(func.avg(sa.case((sa.or_(*mapped), RequirementScore.score))))
    rows = session.exec(
        select(RequirementScore.assessment_id, *columns)
        .join(Requirement, col(Requirement.id) == col(RequirementScore.requirement_id))
        .where(col(RequirementScore.assessment_id).in_([a for a, _, _ in submitted]),
               col(RequirementScore.score).is_not(None))
        .group_by(RequirementScore.assessment_id)).all()
    return {(row[0], key): float(score) for row in rows
            for key, score in zip(keys, row[1:], strict=True) if score is not None}


RULE = N_("Jeres score for et tema er gennemsnittet af jeres scorer for de fordringer, "
          "kataloget kobler til temaet. Tilsynets score er temaets score i den seneste "
          "tilsynsrapport, der dækkede temaet. Forskellen er jeres score minus tilsynets.")


def rule_text() -> str:
    return gettext(RULE)


HISTORY_RULE = N_("Et temas selvevaluerede score er gennemsnittet af medlemmets scorer for de "
                  "fordringer, kataloget kobler til temaet, i årets indsendte selvevaluering. "
                  "Tilsynets score er temaets score i årets tilsynsrapporter (to rapporter "
                  "fra samme dag tæller som deres gennemsnit). Årets forskel er "
                  "selvevalueringen minus årets seneste tilsynsscore.")


def history_rule_text() -> str:
    return gettext(HISTORY_RULE)
