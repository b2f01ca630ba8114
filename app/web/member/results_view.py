"""What the results page shows: the table of requirement scores, gaps and declines, the
radar chart's figure, the summary sentences and the action plan's forms."""

from dataclasses import dataclass, field
from datetime import date

from sqlmodel import Session

from app import charts, i18n
from app.config import Settings
from app.i18n import gettext, localised, ngettext
from app.models import User
from app.models.vocabulary import (
    OPEN_ACTION_STATUSES,
    ActionPriority,
    ActionStatus,
    Role,
)
from app.services.action_owners import Owner, owner_choices
from app.services.actions import ActionRow, list_actions
from app.services.assessment.access import get_assessment_for_user
from app.services.assessment.results import Results, results_for
from app.services.assessment.view import AssessmentView, load_view
from app.services.board.themes import theme_map_of
from app.services.calibration import Calibration, compare, latest_official, rule_text

# A fall of at least this much from last year is shown as a decline.
DECLINE = 0.5


@dataclass(frozen=True)
class ResultLine:
    """One requirement's row of the results table."""

    number: int
    key: str
    title: str
    node: object  # the catalogue's requirement, for description and guidance
    score: float | None
    last_year: float | None
    peer_median: float | None
    is_gap: bool
    in_scope: int
    what_to_improve: str

    @property
    def change(self) -> float | None:
        if self.score is None or self.last_year is None:
            return None
        return round(self.score - self.last_year, 2)

    @property
    def declined(self) -> bool:
        return self.change is not None and self.change <= -DECLINE


@dataclass
class ActionForm:
    """The "Tilføj handling" form of one gap ("" = the general form), as typed."""

    requirement_key: str
    values: dict = field(default_factory=dict)
    errors: dict = field(default_factory=dict)
    message: str = ""


@dataclass
class ActionMessage:
    """The outcome of a status change, shown beside that action."""

    action_id: int
    text: str
    ok: bool
    conflict: bool = False
    typed: dict = field(default_factory=dict)  # what was sent, when it was not saved


@dataclass
class ResultsPage:
    user: User
    view: AssessmentView
    results: Results
    lines: list[ResultLine]
    actions: list[ActionRow]
    today: date
    owners: list[Owner] = field(default_factory=list)  # whom a new action may be given to
    calibration: Calibration | None = None  # None: the catalogue maps to no quality model

    @property
    def assessment(self):
        return self.view.assessment

    @property
    def base(self) -> str:
        return f"/assessments/{self.assessment.id}"

    @property
    def gaps(self) -> list[ResultLine]:
        return [line for line in self.lines if line.is_gap]

    @property
    def declines(self) -> list[ResultLine]:
        return [line for line in self.lines if line.declined]

    @property
    def scale(self):
        return self.view.catalogue.scale

    @property
    def open_count(self) -> int:
        return sum(1 for row in self.actions if row.action.status in OPEN_ACTION_STATUSES)

    @property
    def overdue_count(self) -> int:
        return sum(1 for row in self.actions if row.overdue)


def load_results(session: Session, settings: Settings, user: User, assessment_id: int,
                 today: date) -> ResultsPage:
    """Authorizes (404 for another organisation, 403 for the board) and loads everything."""
    assessment = get_assessment_for_user(session=session, user=user, assessment_id=assessment_id)
    view = load_view(session=session, assessment=assessment)
    results = results_for(session=session, view=view,
                          threshold=view.catalogue.scale.threshold,
                          anonymity_minimum=settings.anonymity_minimum)
    nodes = {node.id: node for node in view.catalogue.requirements}
    requirements = {r.key: r for r in view.requirements}
    lines = []
    for row in results.rows:
        node = nodes.get(row.key)
        reflection = view.reflections.get(row.requirement_id)
        lines.append(ResultLine(
            row.number, row.key, localised(node, "title") if node else row.title, node,
            row.score, row.last_year, row.peer_median, row.is_gap,
            len(view.indicators_of(requirements[row.key].id)),
            reflection.what_to_improve if reflection else ""))
    actions = list_actions(session=session, user=user, today=today,
                           organisation_id=assessment.organisation_id)
    owners = owner_choices(session=session, organisation_id=assessment.organisation_id)
    themes = theme_map_of(session, view.catalogue)
    calibration = compare(themes, {line.key: line.score for line in lines}, latest_official(
        session, assessment.organisation_id)) if themes else None
    return ResultsPage(user, view, results, lines, actions, today, owners=owners,
                       calibration=calibration)


def calibration_radar(page: ResultsPage) -> dict | None:
    """Self-assessment and Socialtilsynet's scores per theme; None without any official."""
    found = page.calibration
    if found is None or not found.has_official:
        return None
    themes = found.themes
    scale = page.scale
    return charts.radar_data(
        categories=[str(t.number) for t in themes],
        labels=[charts.tick_label(t.number, t.title) for t in themes],
        hover_titles=[f"{t.number}. {t.title}" for t in themes],
        series=[charts.Series(gettext("Jeres selvevaluering"),
                              [t.self_score for t in themes], "own"),
                charts.Series(gettext("Socialtilsynets seneste score"),
                              [t.official.score if t.official else None for t in themes],
                              "official")],
        scale_min=scale.min, scale_max=scale.max, decimals=1)


def radar(page: ResultsPage) -> dict:
    """The chart's figure as JSON data: this year, last year and the peers' median."""
    lines = page.lines
    series = [charts.Series(gettext("I år (%(year)s)", year=page.view.cycle.year),
                            [line.score for line in lines], "own")]
    if page.results.previous_year is not None:
        series.append(charts.Series(
            gettext("Sidste gang (%(year)s)", year=page.results.previous_year),
            [line.last_year for line in lines], "last_year"))
    if page.results.peers_shown:
        series.append(charts.Series(gettext("Median for tilbud af samme type"),
                                    [line.peer_median for line in lines], "peers"))
    scale = page.scale
    return charts.radar_data(
        categories=[str(line.number) for line in lines],
        labels=[charts.tick_label(line.number, line.title) for line in lines],
        hover_titles=[f"{line.number}. {line.title}" for line in lines],
        series=series, scale_min=scale.min, scale_max=scale.max,
        threshold=scale.threshold, threshold_name=gettext("Grænse (%(threshold)s)",
                                                          threshold=scale.threshold),
        decimals=1)


def labels() -> dict:
    return {"score_text": i18n.format_score,
            "status_labels": {status.value: status.label for status in ActionStatus},
            "priority_labels": {priority.value: priority.label for priority in ActionPriority},
            "priorities": [priority.value for priority in ActionPriority]}


def summary(page: ResultsPage) -> dict[str, str]:
    """The sentences of the "Kort fortalt" box (plural forms with more than the number)."""
    threshold, previous = page.scale.threshold, page.results.previous_year
    return {
        "gaps": ngettext("%(num)s fordring under %(threshold)s",
                         "%(num)s fordringer under %(threshold)s", len(page.gaps),
                         threshold=threshold),
        "declines": ngettext("%(num)s fordring er faldet siden %(year)s",
                             "%(num)s fordringer er faldet siden %(year)s", len(page.declines),
                             year=previous),
        "plan": ngettext("%(num)s åben handling i planen", "%(num)s åbne handlinger i planen",
                         page.open_count),
        "overdue": ngettext("heraf %(num)s med overskredet frist",
                            "heraf %(num)s med overskredet frist", page.overdue_count),
    }


def results_context(page: ResultsPage, *, form: ActionForm | None = None,
                    message: ActionMessage | None = None) -> dict:
    view = page.view
    return {
        "page": page, "view": view, "assessment": page.assessment,
        "organisation": view.organisation, "cycle": view.cycle, "base": page.base,
        "editable": view.editable and page.user.role == Role.MEMBER,
        "results": page.results, "lines": page.lines, "figure": radar(page),
        "calibration": page.calibration, "calibration_figure": calibration_radar(page),
        "calibration_rule": rule_text(),
        "summary": summary(page),
        "form": form, "action_message": message, "today": page.today, "owners": page.owners,
        "can_plan": page.user.role in (Role.MEMBER, Role.ADVISOR, Role.ADMIN),
        # LOS staff read about the member ("Egebos scorer"), members about themselves.
        "staff": page.user.role in (Role.ADVISOR, Role.ADMIN),
        "whose": i18n.possessive(view.organisation.name),
        **labels(),
    }


