"""The flag rules as SQL: one statement per rule, a row per reason.

Every statement starts with the member's organisation id and reads only the members a
condition on Organisation selects. The list (services/advisor/flags.py) uses them twice:
summed over every member to rank them, and then for the members of one page only, to say
each reason in a sentence. A rule's points are the same for all its rows, so a member's
severity is a sum in SQL; the three rules over this cycle's requirement scores share their
conditions (_requirement_conditions) and are ranked in one pass over those scores.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import (
    ColumnElement,
    Row,
    Select,
    and_,
    case,
    func,
    literal_column,
    or_,
    true,
    union_all,
)
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
)
from app.models.vocabulary import (
    OPEN_ACTION_STATUSES,
    CaseStatus,
    FlagCode,
    InjunctionKind,
    SanctionKind,
    label_of,
)
from app.services.board.themes import theme_map
from app.services.calibration import above_official_statement

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
class Rule:
    """One statement of a rule: its rows are reasons worth `points` each."""

    code: FlagCode
    points: int
    statement: Select  # the organisation id first, then the columns `reason` reads
    reason: Callable[[Row], FlagReason]
    order_by: tuple = ()  # the reasons' order within a member, when said
    # The member's id in the statement's own table: naming a page's members by it lets the
    # database look them up by its index (through the join to Organisation it scans).
    member: ColumnElement | None = None

    def for_members(self, ids: list[int]) -> Select:
        """The statement narrowed to these members, in the order their reasons are said."""
        member = self.member if self.member is not None else col(Organisation.id)
        return self.statement.where(member.in_(ids)).order_by(*self.order_by)


@dataclass(frozen=True)
class RuleContext:
    session: Session
    cycle: Cycle
    today: date
    settings: FlagSettings
    threshold: int


def rules_for(context: RuleContext, where: ColumnElement[bool]) -> list[Rule]:
    """Every rule's statements for the members `where` selects, in the order a member's
    reasons of equal points are said."""
    return [*_missing(context, where), _reported(context, where),
            *_low_scores(context, where), _declines(context, where),
            _overdue_actions(context, where), _recorded_injunctions(where),
            _inspection_sanctions(context, where), *_above_official(context, where)]


# The rules over this cycle's requirement scores: ranked together in one pass over them.
REQUIREMENT_CODES = frozenset({FlagCode.LOW_SCORE, FlagCode.DECLINED})


def reasons_statement(context: RuleContext, codes: frozenset[FlagCode]):
    """Every member's reasons, of all rules, as one subquery: organisation_id, points, and
    wanted (1 for a reason of `codes`, or of any code when none is given). The ranking
    filters the members once, on the sums."""
    def number(value: int):  # inlined: PostgreSQL types a bound literal in a UNION poorly
        return literal_column(str(int(value)))

    return union_all(_requirement_points(context, codes), *(
        select(rule.statement.subquery().c[0].label("organisation_id"),
               number(rule.points).label("points"),
               number(not codes or rule.code in codes).label("wanted"))
        for rule in rules_for(context, true()) if rule.code not in REQUIREMENT_CODES)
    ).subquery("reasons")


def _requirement_conditions(context: RuleContext):
    """(low, low indicator, declined): the three rules over a requirement score, on the
    stored figures; a score is low or has a low indicator, never both."""
    settings, score = context.settings, col(RequirementScore.score)
    return (score < context.threshold,
            and_(col(RequirementScore.lowest_score) <= settings.low_indicator,
                 score >= context.threshold),
            score <= col(RequirementScore.previous_score) - settings.decline)


def _requirement_points(context: RuleContext, codes: frozenset[FlagCode]) -> Select:
    """One row per requirement score with a reason: the points of _low_scores' and
    _declines' rows summed. Every member's, named by the assessment: the ranking filters
    the members on the sums, so nothing here needs the organisation."""
    low, low_indicator, declined = _requirement_conditions(context)
    points = (case((low, POINTS["low_requirement"]), else_=0)
              + case((low_indicator, POINTS["low_indicator"]), else_=0)
              + case((declined, POINTS["declined"]), else_=0))
    wanted = [condition for condition, code in ((low, FlagCode.LOW_SCORE),
                                                (low_indicator, FlagCode.LOW_SCORE),
                                                (declined, FlagCode.DECLINED))
              if not codes or code in codes]
    return (select(col(Assessment.organisation_id).label("organisation_id"),
                   points.label("points"),
                   case((or_(*wanted), 1), else_=0).label("wanted") if wanted
                   else literal_column("0").label("wanted"))
            .select_from(RequirementScore)
            .join(Assessment, col(Assessment.id) == col(RequirementScore.assessment_id))
            .where(_submitted(context.cycle), or_(low, low_indicator, declined)))


def this_cycle(cycle: Cycle):
    """Joins a member to its assessment of the cycle."""
    return and_(col(Assessment.organisation_id) == col(Organisation.id),
                Assessment.cycle_id == cycle.id)


def _missing(context: RuleContext, where) -> list[Rule]:
    cycle, today, settings = context.cycle, context.today, context.settings
    unsubmitted = (select(Organisation.id, Assessment.id, Assessment.answered_count,
                          Assessment.in_scope_count)
                   .select_from(Organisation)
                   .join(Assessment, this_cycle(cycle), isouter=True)
                   .where(where, col(Assessment.submitted_at).is_(None)))
    if today > cycle.deadline:
        return [Rule(FlagCode.MISSING_SUBMISSION, POINTS["past_deadline"], unsubmitted,
                     lambda row: FlagReason(
                         FlagCode.MISSING_SUBMISSION, POINTS["past_deadline"],
                         N_("Ikke indsendt; fristen var %(deadline)s."),
                         {"deadline": cycle.deadline}))]
    near = cycle.opens_on <= today and (cycle.deadline - today).days <= settings.deadline_days
    if not near or settings.min_progress <= 0:
        return []
    # Progress is answered / in scope, and nothing answered when not started.
    behind = or_(col(Assessment.id).is_(None), func.coalesce(Assessment.in_scope_count, 0) == 0,
                 col(Assessment.answered_count)
                 < col(Assessment.in_scope_count) * settings.min_progress)

    def reason(row) -> FlagReason:
        _, assessment_id, answered, in_scope = row
        progress = answered / in_scope if assessment_id and in_scope else 0.0
        message = (N_("Fristen er %(deadline)s, og %(percent)s %% er besvaret.")
                   if assessment_id else
                   N_("Fristen er %(deadline)s, og selvevalueringen er ikke startet."))
        return FlagReason(FlagCode.MISSING_SUBMISSION, POINTS["near_deadline"], message,
                          {"deadline": cycle.deadline, "percent": round(progress * 100)})

    return [Rule(FlagCode.MISSING_SUBMISSION, POINTS["near_deadline"],
                 unsubmitted.where(behind), reason)]


def _reported(context: RuleContext, where) -> Rule:
    def reason(row) -> FlagReason:
        kind = label_of(InjunctionKind, row[1]).lower() or gettext("påbud eller skærpet tilsyn")
        return FlagReason(FlagCode.REPORTED_INJUNCTION, POINTS["injunction"],
                          N_("Har meldt %(kind)s i selvevalueringen."), {"kind": kind})

    return Rule(FlagCode.REPORTED_INJUNCTION, POINTS["injunction"],
                select(Organisation.id, Assessment.injunction_kind)
                .join(Assessment, this_cycle(context.cycle))
                .where(where, col(Assessment.injunction_reported)), reason,
                member=col(Assessment.organisation_id))


def _submitted(cycle: Cycle):
    return and_(Assessment.cycle_id == cycle.id, col(Assessment.submitted_at).is_not(None))


def _low_scores(context: RuleContext, where) -> list[Rule]:
    cycle, threshold, low = context.cycle, context.threshold, context.settings.low_indicator
    low_requirement, low_indicator, _ = _requirement_conditions(context)
    low_requirements = (
        select(Organisation.id, Requirement.key, Requirement.number, RequirementScore.score)
        .select_from(RequirementScore)
        .join(Assessment, col(Assessment.id) == col(RequirementScore.assessment_id))
        .join(Organisation, col(Organisation.id) == col(Assessment.organisation_id))
        .join(Requirement, col(Requirement.id) == col(RequirementScore.requirement_id))
        .where(_submitted(cycle), where, low_requirement))
    # Low indicators in a requirement that is not low itself, one reason per requirement:
    # found by the stored lowest score, said by the answers themselves.
    low_indicators = (
        select(Organisation.id, Requirement.key, Requirement.number,
               func.count(), func.aggregate_strings(Indicator.ref, ", "))
        .select_from(Answer)
        .join(Assessment, col(Assessment.id) == col(Answer.assessment_id))
        .join(Organisation, col(Organisation.id) == col(Assessment.organisation_id))
        .join(Indicator, col(Indicator.id) == col(Answer.indicator_id))
        .join(Requirement, col(Requirement.id) == col(Indicator.requirement_id))
        .join(RequirementScore, and_(
            col(RequirementScore.assessment_id) == col(Assessment.id),
            col(RequirementScore.requirement_id) == col(Requirement.id)))
        .where(_submitted(cycle), where, low_indicator, col(Answer.score) <= low,
               ~col(Answer.not_applicable), ~col(Answer.carried_over))
        .group_by(Organisation.id, Requirement.key, Requirement.number))
    return [
        Rule(FlagCode.LOW_SCORE, POINTS["low_requirement"], low_requirements,
             lambda row: FlagReason(
                 FlagCode.LOW_SCORE, POINTS["low_requirement"],
                 N_("Fordring %(number)s ligger på %(score)s (under %(threshold)s)."),
                 {"number": row[2], "score": float(row[3]), "threshold": threshold}, row[1]),
             (Requirement.number,), col(Assessment.organisation_id)),
        Rule(FlagCode.LOW_SCORE, POINTS["low_indicator"], low_indicators,
             lambda row: FlagReason(
                 FlagCode.LOW_SCORE, POINTS["low_indicator"],
                 NP_("Fordring %(number)s: indikator %(refs)s er scoret %(low)s eller lavere.",
                     "Fordring %(number)s: indikatorerne %(refs)s er scoret %(low)s eller "
                     "lavere."),
                 {"number": row[2], "refs": ", ".join(sorted(row[4].split(", "))),
                  "low": low}, row[1], count=row[3]),
             (Requirement.number,), col(Assessment.organisation_id)),
    ]


def _declines(context: RuleContext, where) -> Rule:
    """The requirements of the member's submission down by at least the setting since its
    previous submission (the stored previous score, services/assessment/previous_scores.py)."""
    declined = _requirement_conditions(context)[2]
    return Rule(
        FlagCode.DECLINED, POINTS["declined"],
        select(Organisation.id, Requirement.key, Requirement.number,
               RequirementScore.previous_score, RequirementScore.score)
        .select_from(RequirementScore)
        .join(Assessment, col(Assessment.id) == col(RequirementScore.assessment_id))
        .join(Organisation, col(Organisation.id) == col(Assessment.organisation_id))
        .join(Requirement, col(Requirement.id) == col(RequirementScore.requirement_id))
        .where(_submitted(context.cycle), where, declined),
        lambda row: FlagReason(
            FlagCode.DECLINED, POINTS["declined"],
            N_("Fordring %(number)s faldt fra %(before)s til %(after)s."),
            {"number": row[2], "before": float(row[3]), "after": float(row[4])}, row[1]),
        (Requirement.number,), col(Assessment.organisation_id))


def _overdue_actions(context: RuleContext, where) -> Rule:
    return Rule(
        FlagCode.OVERDUE_ACTIONS, POINTS["overdue"],
        select(Organisation.id, func.count())
        .select_from(Action)
        .join(Organisation, col(Organisation.id) == col(Action.organisation_id))
        .where(where, col(Action.status).in_(OPEN_ACTION_STATUSES),
               col(Action.due_on) < context.today)
        .group_by(Organisation.id),
        lambda row: FlagReason(
            FlagCode.OVERDUE_ACTIONS, POINTS["overdue"],
            NP_("%(num)s handling er over fristen.", "%(num)s handlinger er over fristen."),
            count=row[1]), member=col(Action.organisation_id))


def _recorded_injunctions(where) -> Rule:
    return Rule(
        FlagCode.REPORTED_INJUNCTION, POINTS["injunction"],
        select(Organisation.id, SupportCase.injunction_kind, SupportCase.opened_on)
        .select_from(SupportCase)
        .join(Organisation, col(Organisation.id) == col(SupportCase.organisation_id))
        .where(where, SupportCase.status != CaseStatus.CLOSED,
               SupportCase.injunction_kind != ""),
        lambda row: FlagReason(
            FlagCode.REPORTED_INJUNCTION, POINTS["injunction"],
            N_("LOS har registreret %(kind)s %(opened_on)s."),
            {"kind": label_of(InjunctionKind, row[1]).lower(), "opened_on": row[2]}),
        (SupportCase.opened_on, SupportCase.id), col(SupportCase.organisation_id))


def _inspection_sanctions(context: RuleContext, where) -> Rule:
    def reason(row) -> FlagReason:
        _, kind, visited_on, deadline = row
        said = label_of(SanctionKind, kind).lower()
        if deadline is not None:
            return FlagReason(FlagCode.REPORTED_INJUNCTION, POINTS["injunction"], N_(
                "Socialtilsynet gav %(kind)s ved tilsynet %(visited_on)s, frist "
                "%(deadline)s."), {"kind": said, "visited_on": visited_on,
                                   "deadline": deadline})
        return FlagReason(FlagCode.REPORTED_INJUNCTION, POINTS["injunction"], N_(
            "Socialtilsynet gav %(kind)s ved tilsynet %(visited_on)s."),
            {"kind": said, "visited_on": visited_on})

    return Rule(
        FlagCode.REPORTED_INJUNCTION, POINTS["injunction"],
        select(Organisation.id, InspectionSanction.kind, Inspection.visited_on,
               InspectionSanction.deadline)
        .select_from(InspectionSanction)
        .join(Inspection, col(Inspection.id) == col(InspectionSanction.inspection_id))
        .join(Organisation, col(Organisation.id) == col(Inspection.organisation_id))
        .where(where, col(Inspection.visited_on) > context.today - timedelta(days=365)),
        reason, (Inspection.visited_on, InspectionSanction.id),
        col(Inspection.organisation_id))


def _above_official(context: RuleContext, where) -> list[Rule]:
    themes = theme_map(context.session, context.cycle.catalogue_version_id)
    if themes is None or not themes.themes:
        return []
    titles = {t.key: (t.number, t.title) for t in themes.themes}
    paired = above_official_statement(cycle_id=context.cycle.id,
                                      threshold=context.settings.self_above_official,
                                      where=where).subquery("above")

    def reason(row) -> FlagReason:
        _, theme_key, self_score, official, visited_on = row
        number, title = titles[theme_key]
        return FlagReason(
            FlagCode.SELF_ABOVE_OFFICIAL, POINTS["self_above_official"],
            N_("Tema %(number)s (%(title)s): selvevalueret %(self)s, Socialtilsynet gav "
               "%(official)s %(visited_on)s."),
            {"number": number, "title": title, "self": float(self_score),
             "official": float(official), "visited_on": visited_on})

    order = case({t.key: n for n, t in enumerate(themes.themes)}, value=paired.c.theme_key)
    return [Rule(FlagCode.SELF_ABOVE_OFFICIAL, POINTS["self_above_official"],
                 select(paired), reason, (order,), paired.c.organisation_id)]
