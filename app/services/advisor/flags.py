"""Flag rules: which members need an advisor this cycle, and why, in one sentence per reason.

Every rule is a grouped SQL query over the stored requirement scores, answers, actions and
cases of the members a filter selects, so a list costs the same number of queries for ten
members as for five thousand. The thresholds are settings (ETIK_FLAG_*); the page that
lists flags explains each rule in the same words as RULES below.

    low_score            a requirement below the catalogue's threshold, or an indicator
                         scored at or below ETIK_FLAG_LOW_INDICATOR (2)
    declined             a requirement down by at least ETIK_FLAG_DECLINE (1.0) since the
                         member's previous submitted cycle, matched by permanent key and
                         the catalogue's mapping across versions
    missing_submission   past the deadline without a submission, or within
                         ETIK_FLAG_DEADLINE_DAYS (14) of it with less than
                         ETIK_FLAG_MIN_PROGRESS (50 %) answered
    reported_injunction  a påbud or skærpet tilsyn reported in the self-assessment,
                         recorded by an advisor on an open support case, or in an
                         inspection report of the last 12 months
    overdue_actions      follow-up actions still open after their due date
    self_above_official  a theme's self-assessment (services/calibration.py) at least
                         ETIK_FLAG_SELF_ABOVE_OFFICIAL (1.0) above the latest score
                         Socialtilsynet gave the theme

A member's severity is the sum of its reasons' points (POINTS); the most severe come first.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import and_, func, literal, union_all
from sqlmodel import Session, col, select

from app.config import Settings
from app.i18n import N_, NP_, format_day, format_score, gettext, ngettext
from app.models import (
    Action,
    Answer,
    Assessment,
    Cycle,
    Indicator,
    Inspection,
    InspectionSanction,
    Organisation,
    Requirement,
    RequirementScore,
    SupportCase,
    User,
)
from app.models.vocabulary import (
    OPEN_ACTION_STATUSES,
    CaseStatus,
    FlagCode,
    InjunctionKind,
    SanctionKind,
    label_of,
)
from app.services.access import require_staff
from app.services.advisor.segments import MemberFilter
from app.services.board.themes import theme_map
from app.services.calibration import members_above_official
from app.services.catalogue.lineage import key_map
from app.services.catalogue.versions import model_of_version

POINTS = {
    "injunction": 4,
    "past_deadline": 3,
    "near_deadline": 2,
    "low_requirement": 2,
    "low_indicator": 1,
    "declined": 2,
    "overdue": 1,
    "self_above_official": 2,
}

POINT_LABELS = {
    "injunction": N_("påbud eller skærpet tilsyn"),
    "past_deadline": N_("ikke indsendt efter fristen"),
    "near_deadline": N_("tæt på fristen og langt fra færdig"),
    "low_requirement": N_("en fordring under grænsen"),
    "declined": N_("en fordring, der er faldet"),
    "low_indicator": N_("en lav indikator"),
    "overdue": N_("handlinger over frist"),
    "self_above_official": N_("et tema vurderet højere end tilsynets score"),
}

# Severity bands for the list's badge: (lowest sum, key, label).
SEVERITY_LEVELS = ((6, "high", N_("Høj")), (3, "medium", N_("Middel")), (1, "low", N_("Lav")))

RULES = {
    FlagCode.LOW_SCORE: N_("En fordring under katalogets grænse (%(threshold)s), eller en "
                           "indikator scoret %(low)s eller lavere."),
    FlagCode.DECLINED: N_("En fordring faldet mindst %(decline)s siden medlemmets forrige "
                          "indsendte selvevaluering."),
    FlagCode.MISSING_SUBMISSION: N_("Ikke indsendt efter fristen, eller under %(days)s dage "
                                    "til fristen med mindre end %(percent)s %% besvaret."),
    FlagCode.REPORTED_INJUNCTION: N_("Et påbud eller skærpet tilsyn meldt i "
                                     "selvevalueringen, registreret af LOS på en åben sag "
                                     "eller i en tilsynsrapport fra de seneste 12 måneder."),
    FlagCode.OVERDUE_ACTIONS: N_("Handlinger, der stadig er åbne efter deres frist."),
    FlagCode.SELF_ABOVE_OFFICIAL: N_("Medlemmets egen score for et tema i kvalitetsmodellen "
                                     "ligger mindst %(above)s over den seneste score, "
                                     "Socialtilsynet gav temaet."),
}


@dataclass(frozen=True)
class FlagReason:
    code: FlagCode
    points: int
    message: str | tuple[str, str]  # a Danish msgid, or (singular, plural) with `count`
    params: dict = field(default_factory=dict)
    requirement_key: str | None = None
    count: int = 0

    def text(self) -> str:
        """The sentence, numbers and dates said in the reader's language."""
        params = {name: _said(value) for name, value in self.params.items()}
        if isinstance(self.message, tuple):
            return ngettext(*self.message, self.count, **params)
        return gettext(self.message, **params)


def _said(value):
    if isinstance(value, float):
        return format_score(value)
    if isinstance(value, date):
        return format_day(value)
    return value


@dataclass(frozen=True)
class Member:
    """The columns of a member organisation a flag list shows (plain rows load ~30x faster
    than ORM objects at 5,000 members)."""

    id: int
    name: str
    service_type: str
    region: str
    places: int
    advisor_id: int | None


@dataclass
class MemberFlags:
    organisation: Member
    assessment_id: int | None
    reasons: list[FlagReason] = field(default_factory=list)

    @property
    def severity(self) -> int:
        return sum(reason.points for reason in self.reasons)

    @property
    def level_key(self) -> str:
        return next(key for lowest, key, _ in SEVERITY_LEVELS if self.severity >= lowest)

    @property
    def level(self) -> str:
        return next(gettext(label) for lowest, _, label in SEVERITY_LEVELS
                    if self.severity >= lowest)

    @property
    def codes(self) -> list[FlagCode]:
        return list(dict.fromkeys(reason.code for reason in self.reasons))


@dataclass(frozen=True)
class FlagSettings:
    low_indicator: int = 2
    decline: float = 1.0
    deadline_days: int = 14
    min_progress: float = 0.5
    self_above_official: float = 1.0

    @classmethod
    def of(cls, settings: Settings) -> "FlagSettings":
        return cls(settings.flag_low_indicator, settings.flag_decline,
                   settings.flag_deadline_days, settings.flag_min_progress,
                   settings.flag_self_above_official)

    def rule_texts(self, threshold: int) -> dict[FlagCode, str]:
        params = {"threshold": threshold, "low": self.low_indicator,
                  "decline": format_score(self.decline), "days": self.deadline_days,
                  "percent": round(self.min_progress * 100),
                  "above": format_score(self.self_above_official)}
        return {code: gettext(text, **params) for code, text in RULES.items()}


def points_explained() -> list[tuple[str, int]]:
    """(what, points) for the page that explains the severity."""
    return [(gettext(POINT_LABELS[name]), points) for name, points in POINTS.items()]


def severity_bands() -> list[tuple[str, int]]:
    return [(gettext(label), lowest) for lowest, _, label in SEVERITY_LEVELS]


def threshold_of(session: Session, cycle: Cycle) -> int:
    return model_of_version(session, cycle.catalogue_version_id).scale.threshold


def flagged_members(*, session: Session, user: User, cycle: Cycle, today: date,
                    rules: FlagSettings, members: MemberFilter = MemberFilter(),
                    codes: frozenset[FlagCode] = frozenset()) -> list[MemberFlags]:
    """The members with at least one reason (of `codes`, when given), most severe first."""
    require_staff(user)
    where = members.where(user)
    threshold = threshold_of(session, cycle)
    flags: dict[int, MemberFlags] = {}
    rows = _rows(
        session,
        select(Organisation.id, Organisation.name, Organisation.service_type,
               Organisation.region, Organisation.places, Organisation.advisor_id,
               Assessment.id, Assessment.submitted_at, Assessment.answered_count,
               Assessment.in_scope_count, Assessment.injunction_reported,
               Assessment.injunction_kind)
        .join(Assessment, and_(col(Assessment.organisation_id) == col(Organisation.id),
                               Assessment.cycle_id == cycle.id), isouter=True)
        .where(where))
    for row in rows:
        member = MemberFlags(Member(*row[:6]), row[6])
        flags[member.organisation.id] = member
        _missing_and_reported(member, _AssessmentState(*row[6:]), cycle, today, rules)
    _low_scores(session, flags, cycle, where, threshold, rules)
    _declines(session, flags, cycle, where, rules)
    _overdue_actions(session, flags, where, today)
    _recorded_injunctions(session, flags, where)
    _inspection_sanctions(session, flags, where, today)
    _above_official(session, flags, cycle, where, rules)
    found = [member for member in flags.values() if member.reasons
             and (not codes or codes & set(member.codes))]
    for member in found:
        member.reasons.sort(key=lambda reason: -reason.points)
    return sorted(found, key=lambda m: (-m.severity, m.organisation.name.casefold()))


@dataclass(frozen=True)
class _AssessmentState:
    """This cycle's assessment as the rules read it; id None when not started."""

    id: int | None
    submitted_at: object
    answered_count: int | None
    in_scope_count: int | None
    injunction_reported: bool | None
    injunction_kind: str | None


def _missing_and_reported(member: MemberFlags, state: _AssessmentState, cycle: Cycle,
                          today: date, rules: FlagSettings) -> None:
    assessment = state if state.id is not None else None
    submitted = assessment is not None and assessment.submitted_at is not None
    if not submitted and today > cycle.deadline:
        member.reasons.append(FlagReason(
            FlagCode.MISSING_SUBMISSION, POINTS["past_deadline"],
            N_("Ikke indsendt; fristen var %(deadline)s."), {"deadline": cycle.deadline}))
    elif not submitted and cycle.opens_on <= today and (
            (cycle.deadline - today).days <= rules.deadline_days):
        progress = (assessment.answered_count / assessment.in_scope_count
                    if assessment and assessment.in_scope_count else 0.0)
        if progress < rules.min_progress:
            message = (N_("Fristen er %(deadline)s, og %(percent)s %% er besvaret.")
                       if assessment else
                       N_("Fristen er %(deadline)s, og selvevalueringen er ikke startet."))
            member.reasons.append(FlagReason(
                FlagCode.MISSING_SUBMISSION, POINTS["near_deadline"], message,
                {"deadline": cycle.deadline, "percent": round(progress * 100)}))
    if assessment is not None and assessment.injunction_reported:
        kind = label_of(InjunctionKind, assessment.injunction_kind).lower() or gettext(
            "påbud eller skærpet tilsyn")
        member.reasons.append(FlagReason(
            FlagCode.REPORTED_INJUNCTION, POINTS["injunction"],
            N_("Har meldt %(kind)s i selvevalueringen."), {"kind": kind}))


def _low_scores(session: Session, flags: dict[int, MemberFlags], cycle: Cycle, where,
                threshold: int, rules: FlagSettings) -> None:
    submitted = and_(Assessment.cycle_id == cycle.id, col(Assessment.submitted_at).is_not(None))
    low_requirements = _rows(
        session,
        select(Assessment.organisation_id, Requirement.key, Requirement.number,
               RequirementScore.score)
        .select_from(RequirementScore)
        .join(Assessment, col(Assessment.id) == col(RequirementScore.assessment_id))
        .join(Organisation, col(Organisation.id) == col(Assessment.organisation_id))
        .join(Requirement, col(Requirement.id) == col(RequirementScore.requirement_id))
        .where(submitted, where, col(RequirementScore.score) < threshold)
        .order_by(Requirement.number))
    for organisation_id, key, number, score in low_requirements:
        flags[organisation_id].reasons.append(FlagReason(
            FlagCode.LOW_SCORE, POINTS["low_requirement"],
            N_("Fordring %(number)s ligger på %(score)s (under %(threshold)s)."),
            {"number": number, "score": float(score), "threshold": threshold}, key))
    # Low indicators in a requirement that is not low itself, one reason per requirement.
    low_indicators = _rows(
        session,
        select(Assessment.organisation_id, Requirement.key, Requirement.number,
               func.count(), func.aggregate_strings(Indicator.ref, ", "))
        .select_from(Answer)
        .join(Assessment, col(Assessment.id) == col(Answer.assessment_id))
        .join(Organisation, col(Organisation.id) == col(Assessment.organisation_id))
        .join(Indicator, col(Indicator.id) == col(Answer.indicator_id))
        .join(Requirement, col(Requirement.id) == col(Indicator.requirement_id))
        .join(RequirementScore, and_(
            col(RequirementScore.assessment_id) == col(Assessment.id),
            col(RequirementScore.requirement_id) == col(Requirement.id)))
        .where(submitted, where, col(Answer.score).is_not(None),
               col(Answer.score) <= rules.low_indicator,
               col(RequirementScore.score) >= threshold)
        .group_by(Assessment.organisation_id, Requirement.key, Requirement.number)
        .order_by(Requirement.number))
    for organisation_id, key, number, count, refs in low_indicators:
        flags[organisation_id].reasons.append(FlagReason(
            FlagCode.LOW_SCORE, POINTS["low_indicator"],
            NP_("Fordring %(number)s: indikator %(refs)s er scoret %(low)s eller lavere.",
                "Fordring %(number)s: indikatorerne %(refs)s er scoret %(low)s eller lavere."),
            {"number": number, "refs": ", ".join(sorted(refs.split(", "))),
             "low": rules.low_indicator}, key, count=count))


def _rows(session: Session, statement) -> list:
    """Plain rows through the connection: ORM row processing costs more than the query."""
    return session.connection().execute(statement).all()


def _declines(session: Session, flags: dict[int, MemberFlags], cycle: Cycle, where,
              rules: FlagSettings) -> None:
    """Each member's previous submitted cycle against this one, by permanent key.

    One query per catalogue version the previous submissions use (a handful, whatever the
    number of members): the current version compares keys directly, an older one through
    its mapping onto the current version.
    """
    previous_year = (
        select(Assessment.organisation_id.label("organisation_id"),
               func.max(Cycle.year).label("year"))
        .join(Cycle, col(Cycle.id) == col(Assessment.cycle_id))
        .where(col(Cycle.year) < cycle.year, col(Assessment.submitted_at).is_not(None))
        .group_by(Assessment.organisation_id).subquery("previous_year"))
    previous = Assessment.__table__.alias("previous")
    previous_cycle = Cycle.__table__.alias("previous_cycle")
    previous_requirement = Requirement.__table__.alias("previous_requirement")
    previous_score = RequirementScore.__table__.alias("previous_score")
    # Every version an earlier submission uses, a superset of the previous years' own: one
    # pass over the assessments (finding each member's previous year first took 24 ms at
    # 5,000 members, a third of the declines).
    versions = session.exec(
        select(Assessment.catalogue_version_id).distinct()
        .join(Cycle, col(Cycle.id) == col(Assessment.cycle_id))
        .where(col(Cycle.year) < cycle.year, col(Assessment.submitted_at).is_not(None))).all()
    for version_id in versions:
        if version_id == cycle.catalogue_version_id:
            same_key = col(Requirement.key) == previous_requirement.c.key
            mapping = None
        else:
            pairs = _requirement_keys(session, version_id, cycle)
            if not pairs:
                continue
            # A small inline table (UNION ALL of literal rows): SQLite has no aliased VALUES.
            mapping = union_all(*(select(literal(old).label("old_key"),
                                         literal(new).label("new_key"))
                                  for old, new in pairs.items())).subquery("key_mapping")
            same_key = col(Requirement.key) == mapping.c.new_key
        statement = (
            select(Assessment.organisation_id, Requirement.key, Requirement.number,
                   previous_score.c.score, RequirementScore.score)
            .select_from(Assessment)
            .join(Organisation, col(Organisation.id) == col(Assessment.organisation_id))
            .join(previous_year, previous_year.c.organisation_id == Assessment.organisation_id)
            .join(previous_cycle, previous_cycle.c.year == previous_year.c.year)
            .join(previous, and_(previous.c.organisation_id == Assessment.organisation_id,
                                 previous.c.cycle_id == previous_cycle.c.id,
                                 previous.c.catalogue_version_id == version_id))
            .join(previous_score, previous_score.c.assessment_id == previous.c.id)
            .join(previous_requirement,
                  previous_requirement.c.id == previous_score.c.requirement_id))
        if mapping is not None:
            statement = statement.join(mapping,
                                       mapping.c.old_key == previous_requirement.c.key)
        statement = (
            statement
            .join(Requirement, and_(col(Requirement.catalogue_version_id)
                                    == cycle.catalogue_version_id, same_key))
            .join(RequirementScore, and_(
                col(RequirementScore.assessment_id) == col(Assessment.id),
                col(RequirementScore.requirement_id) == col(Requirement.id)))
            .where(Assessment.cycle_id == cycle.id, col(Assessment.submitted_at).is_not(None),
                   where,
                   col(RequirementScore.score) <= previous_score.c.score - rules.decline)
            .order_by(Requirement.number))
        for organisation_id, key, number, before, after in _rows(session, statement):
            flags[organisation_id].reasons.append(FlagReason(
                FlagCode.DECLINED, POINTS["declined"],
                N_("Fordring %(number)s faldt fra %(before)s til %(after)s."),
                {"number": number, "before": float(before), "after": float(after)}, key))


def _requirement_keys(session: Session, version_id: int, cycle: Cycle) -> dict[str, str]:
    """old requirement key -> this cycle's key, for an older version's requirements."""
    keys = session.exec(select(Requirement.key)
                        .where(Requirement.catalogue_version_id == version_id)).all()
    mapping = key_map(session, version_id, cycle.catalogue_version_id)
    return {key: mapping[key] for key in keys if key in mapping}


def _overdue_actions(session: Session, flags: dict[int, MemberFlags], where,
                     today: date) -> None:
    rows = session.exec(
        select(Action.organisation_id, func.count())
        .join(Organisation, col(Organisation.id) == col(Action.organisation_id))
        .where(where, col(Action.status).in_(OPEN_ACTION_STATUSES),
               col(Action.due_on) < today)
        .group_by(Action.organisation_id)
    ).all()
    for organisation_id, count in rows:
        flags[organisation_id].reasons.append(FlagReason(
            FlagCode.OVERDUE_ACTIONS, POINTS["overdue"],
            NP_("%(num)s handling er over fristen.", "%(num)s handlinger er over fristen."),
            count=count))


def _recorded_injunctions(session: Session, flags: dict[int, MemberFlags], where) -> None:
    rows = session.exec(
        select(SupportCase.organisation_id, SupportCase.injunction_kind,
               SupportCase.opened_on)
        .join(Organisation, col(Organisation.id) == col(SupportCase.organisation_id))
        .where(where, SupportCase.status != CaseStatus.CLOSED,
               SupportCase.injunction_kind != "")
        .order_by(SupportCase.opened_on)
    ).all()
    for organisation_id, kind, opened_on in rows:
        flags[organisation_id].reasons.append(FlagReason(
            FlagCode.REPORTED_INJUNCTION, POINTS["injunction"],
            N_("LOS har registreret %(kind)s %(opened_on)s."),
            {"kind": label_of(InjunctionKind, kind).lower(), "opened_on": opened_on}))



def _inspection_sanctions(session: Session, flags: dict[int, MemberFlags], where,
                          today: date) -> None:
    rows = session.exec(
        select(Inspection.organisation_id, InspectionSanction.kind, Inspection.visited_on,
               InspectionSanction.deadline)
        .join(Inspection, col(Inspection.id) == col(InspectionSanction.inspection_id))
        .join(Organisation, col(Organisation.id) == col(Inspection.organisation_id))
        .where(where, col(Inspection.visited_on) > today - timedelta(days=365))
        .order_by(Inspection.visited_on, InspectionSanction.id)
    ).all()
    for organisation_id, kind, visited_on, deadline in rows:
        said = label_of(SanctionKind, kind).lower()
        if deadline is not None:
            reason = FlagReason(FlagCode.REPORTED_INJUNCTION, POINTS["injunction"], N_(
                "Socialtilsynet gav %(kind)s ved tilsynet %(visited_on)s, frist "
                "%(deadline)s."), {"kind": said, "visited_on": visited_on,
                                   "deadline": deadline})
        else:
            reason = FlagReason(FlagCode.REPORTED_INJUNCTION, POINTS["injunction"], N_(
                "Socialtilsynet gav %(kind)s ved tilsynet %(visited_on)s."),
                {"kind": said, "visited_on": visited_on})
        flags[organisation_id].reasons.append(reason)


def _above_official(session: Session, flags: dict[int, MemberFlags], cycle: Cycle, where,
                    rules: FlagSettings) -> None:
    themes = theme_map(session, cycle.catalogue_version_id)
    titles = {t.key: (t.number, t.title) for t in themes.themes} if themes else {}
    for found in members_above_official(session, cycle_id=cycle.id, themes=themes,
                                        threshold=rules.self_above_official, where=where):
        number, title = titles[found.theme_key]
        flags[found.organisation_id].reasons.append(FlagReason(
            FlagCode.SELF_ABOVE_OFFICIAL, POINTS["self_above_official"],
            N_("Tema %(number)s (%(title)s): selvevalueret %(self)s, Socialtilsynet gav "
               "%(official)s %(visited_on)s."),
            {"number": number, "title": title, "self": found.self_score,
             "official": found.official, "visited_on": found.visited_on}))
