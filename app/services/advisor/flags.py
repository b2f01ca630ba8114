"""Flag rules: which members need an advisor this cycle, and why, in one sentence per reason.

Every rule is an SQL statement over the stored requirement scores, answers, actions and
cases of the members a filter selects (services/advisor/flag_rules.py). The list is ranked
in SQL, severity summed over every member, and only the members of the page asked for have
their reasons said, so a page costs the same queries and nearly the same time for ten
members as for fifty thousand. The thresholds are settings (ETIK_FLAG_*); the page that
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
from datetime import date

from sqlalchemy import and_, func, true
from sqlmodel import Session, col, select

from app.i18n import N_, format_score, gettext
from app.models import Assessment, Cycle, Organisation, User
from app.models.vocabulary import FlagCode
from app.services.access import require_staff
from app.services.advisor.flag_rules import (
    POINTS,
    FlagReason,
    FlagSettings,
    RuleContext,
    reasons_statement,
    rules_for,
)
from app.services.advisor.segments import MemberFilter
from app.services.catalogue.versions import model_of_version

__all__ = [
    "POINTS",
    "FlagPage",
    "FlagReason",
    "FlagSettings",
    "Member",
    "MemberFlags",
    "flag_page",
    "flagged_members",
    "points_explained",
    "rule_texts",
    "severity_bands",
    "threshold_of",
]

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
class Member:
    """The columns of a member organisation a flag list shows (plain rows load ~30x faster
    than ORM objects at 5,000 members)."""

    id: int
    name: str
    service_type: str
    region: str
    places: int
    advisor_id: int | None


MEMBER_COLUMNS = ("id", "name", "service_type", "region", "places", "advisor_id")


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
class FlagPage:
    total: int  # members with a reason (of the codes asked for), on every page
    members: list[MemberFlags]


def rule_texts(rules: FlagSettings, threshold: int) -> dict[FlagCode, str]:
    """Each rule in a sentence, with the thresholds in force."""
    params = {"threshold": threshold, "low": rules.low_indicator,
              "decline": format_score(rules.decline), "days": rules.deadline_days,
              "percent": round(rules.min_progress * 100),
              "above": format_score(rules.self_above_official)}
    return {code: gettext(text, **params) for code, text in RULES.items()}


def points_explained() -> list[tuple[str, int]]:
    """(what, points) for the page that explains the severity."""
    return [(gettext(POINT_LABELS[name]), points) for name, points in POINTS.items()]


def severity_bands() -> list[tuple[str, int]]:
    return [(gettext(label), lowest) for lowest, _, label in SEVERITY_LEVELS]


def threshold_of(session: Session, cycle: Cycle) -> int:
    return model_of_version(session, cycle.catalogue_version_id).scale.threshold


def flag_page(*, session: Session, user: User, cycle: Cycle, today: date,
              rules: FlagSettings, members: MemberFilter = MemberFilter(),
              codes: frozenset[FlagCode] = frozenset(), offset: int = 0,
              limit: int | None = None) -> FlagPage:
    """The members with at least one reason (of `codes`, when given), most severe first and
    then by name: `limit` of them from `offset` (all when None), with their reasons."""
    require_staff(user)
    context = RuleContext(session, cycle, today, rules, threshold_of(session, cycle))
    where = members.where(user)
    ranked, total = _ranked(context, where, codes, offset, limit)
    if not ranked:
        return FlagPage(total, [])
    found = {member.organisation.id: member for member in ranked}
    # Said only for the page: one statement per rule, the page's members named (the filter
    # chose them already).
    ids = list(found)
    for rule in rules_for(context, where if limit is None else true()):
        statement = (rule.statement.order_by(*rule.order_by) if limit is None
                     else rule.for_members(ids))
        for row in _rows(session, statement):
            if (member := found.get(row[0])) is not None:
                member.reasons.append(rule.reason(row))
    for member in ranked:
        member.reasons.sort(key=lambda reason: -reason.points)
    return FlagPage(total, ranked)


def flagged_members(*, session: Session, user: User, cycle: Cycle, today: date,
                    rules: FlagSettings, members: MemberFilter = MemberFilter(),
                    codes: frozenset[FlagCode] = frozenset()) -> list[MemberFlags]:
    """Every member flag_page() would list, on one page."""
    return flag_page(session=session, user=user, cycle=cycle, today=today, rules=rules,
                     members=members, codes=codes).members


def _ranked(context: RuleContext, where, codes: frozenset[FlagCode], offset: int,
            limit: int | None) -> tuple[list[MemberFlags], int]:
    """One statement: every reason's points summed per member, sorted, one page taken, and
    the number of members on all pages counted beside it."""
    # Every member's reasons, the filter applied once to the sums rather than in each
    # rule (a fifth of the ranking's time at 50,000 members).
    reasons = reasons_statement(context, codes)
    scored = (select(reasons.c.organisation_id, func.sum(reasons.c.points).label("severity"))
              .group_by(reasons.c.organisation_id)
              .having(func.max(reasons.c.wanted) == 1).subquery("scored"))
    # Sorted and cut to the page first, and only the page's rows joined to their assessment.
    page = (
        select(Organisation.id, Organisation.name, Organisation.service_type,
               Organisation.region, Organisation.places, Organisation.advisor_id,
               scored.c.severity, func.lower(Organisation.name).label("sort_name"),
               func.count().over().label("total"))
        .select_from(scored)
        .join(Organisation, col(Organisation.id) == scored.c.organisation_id)
        .where(where)
        .order_by(scored.c.severity.desc(), func.lower(Organisation.name), Organisation.id)
        .offset(offset).limit(limit)).subquery("page")
    statement = (
        select(*(page.c[name] for name in MEMBER_COLUMNS), Assessment.id, page.c.total)
        .select_from(page)
        .join(Assessment, and_(col(Assessment.organisation_id) == page.c.id,
                               Assessment.cycle_id == context.cycle.id), isouter=True)
        .order_by(page.c.severity.desc(), page.c.sort_name, page.c.id))
    rows = _rows(context.session, statement)
    if rows:
        return [MemberFlags(Member(*row[:6]), row[6]) for row in rows], rows[0][7]
    if offset == 0:
        return [], 0
    # Past the last page: the count alone.
    return [], context.session.connection().execute(
        select(func.count()).select_from(scored)
        .join(Organisation, col(Organisation.id) == scored.c.organisation_id)
        .where(where)).scalar_one()


def _rows(session: Session, statement) -> list:
    """Plain rows through the connection: ORM row processing costs more than the query."""
    return session.connection().execute(statement).all()
