"""The board dashboard as data: the filter, a short summary, and six charts, each with the
table of exactly what it draws. The page, its htmx updates and the downloads share it."""

from dataclasses import dataclass, field

from sqlmodel import Session

from app import charts
from app.charts import Series
from app.config import Settings
from app.i18n import N_, gettext
from app.models import User
from app.services.board.aggregates import NOT_RELEVANT, CycleFigures, GroupFigures
from app.services.board.queries import SEGMENT_VALUES, aggregates, all_cycles, trend
from app.services.board.segments import Segment
from app.services.board.themes import (
    ReferenceSeries,
    ThemeMap,
    reference_series,
    theme_map,
    theme_means,
)
from app.services.calibration import SectorCalibration, sector_themes
from app.web.board.labels import SEGMENT_LABELS, segment_group_label, segment_label
from app.web.board.tables import HIDDEN, Column, Kind, Table

CHART_IDS = ("distribution", "trend", "threshold", "response-rate", "radar", "segments",
             "reference", "calibration")


@dataclass
class Filter:
    cycle_id: int | None
    segment: Segment | None
    value: str | None
    error: str = ""

    def query(self, **changes) -> dict:
        """The filter as URL parameters (empty ones left out), with `changes` applied."""
        values = {"cycle_id": self.cycle_id, "segment": self.segment, "value": self.value,
                  **changes}
        return {k: str(v) for k, v in values.items() if v not in (None, "")}


def read_filter(cycle_id: str | None, segment: str | None, value: str | None) -> Filter:
    """The filter from the URL; anything unusable is dropped and said so, never a 500."""
    error = ""
    try:
        cycle = int(cycle_id) if cycle_id else None
    except ValueError:
        cycle, error = None, N_("Runden findes ikke.")
    try:
        chosen = Segment(segment) if segment else None
    except ValueError:
        chosen, error = None, N_("Opdelingen findes ikke.")
    if chosen is None or value not in SEGMENT_VALUES[chosen]:
        # A group of another segment (the segment was just changed) is simply let go.
        value = None
    return Filter(cycle, chosen, value or None, error)


@dataclass
class Chart:
    id: str
    title: str
    caption: str
    table: Table
    figure: dict | None  # None: nothing to draw (the group is suppressed)
    empty: str = ""  # why there is no figure, when it is not that the group is suppressed
    note: str = ""  # said below the chart


@dataclass
class Dashboard:
    filter: Filter
    cycles: list  # (id, year) for the filter
    segments: list[tuple[str, str]]
    values: list[tuple[str, str]]  # groups of the chosen segment
    figures: CycleFigures | None
    selected: GroupFigures | None
    selected_label: str
    comparison: Segment
    charts: list[Chart] = field(default_factory=list)
    minimum: int = 5

    @property
    def summary(self) -> "Summary | None":
        return summary_of(self.selected, self.figures.threshold) if self.selected else None

    @property
    def cycle_id(self) -> int | None:
        return self.figures.cycle_id if self.figures else None

    @property
    def year(self) -> int | None:
        return self.figures.year if self.figures else None

    def chart(self, chart_id: str) -> Chart:
        return next(c for c in self.charts if c.id == chart_id)


@dataclass(frozen=True)
class Summary:
    highest: list  # RequirementFigures with the highest mean (ties all named)
    lowest: list
    below_threshold: list


def summary_of(group: GroupFigures, threshold: int) -> Summary | None:
    scored = [r for r in group.requirements if r.mean is not None]
    if group.suppressed or not scored:
        return None
    top, bottom = max(r.mean for r in scored), min(r.mean for r in scored)
    return Summary([r for r in scored if r.mean == top], [r for r in scored if r.mean == bottom],
                   [r for r in scored if r.mean < threshold])


def _short(number: int, title: str) -> str:
    return charts.tick_label(number, title, width=28).replace("<br>", " ")


def _distribution(figures: CycleFigures, group: GroupFigures) -> Chart:
    steps = [str(s) for s in range(figures.scale_min, figures.scale_max + 1)]
    names = [*steps, gettext(N_("Ikke relevant"))]
    table = Table([Column(gettext(N_("Fordring"))), *[Column(n, Kind.COUNT) for n in names],
                   Column(gettext(N_("Besvarelser")), Kind.COUNT)])
    chart = Chart("distribution", gettext(N_("Fordeling af scorer pr. fordring")),
                  gettext(N_("Antal medlemmer ved hver score (fordringens gennemsnit, rundet "
                             "til nærmeste hele trin; 3,5 tæller som 4).")), table, None)
    if group.suppressed:
        return chart
    counts = []
    for r in group.requirements:
        row = [r.distribution[s] for s in [*steps, NOT_RELEVANT]]
        counts.append(row)
        table.add(f"{r.number}. {r.title}", *row, sum(row))
    labels = [f"{r.number}." for r in group.requirements]
    chart.figure = charts.distribution_data(
        labels=labels, steps=[*steps, NOT_RELEVANT], step_names=names, counts=counts,
        hover_titles=[_short(r.number, r.title) for r in group.requirements])
    return chart


def _trend(points, latest: CycleFigures) -> Chart:
    years = [p.year for p in points]
    table = Table([Column(gettext(N_("Fordring"))),
                   *[Column(str(y), Kind.SCORE) for y in years]])
    chart = Chart("trend", gettext(N_("Gennemsnit pr. fordring over tid")),
                  gettext(N_("Gennemsnittet af medlemmernes score for hver fordring, år for "
                             "år. Et år med for få besvarelser er skjult.")), table, None)
    by_year = [{r.key: r.mean for r in p.figures.requirements} for p in points]
    requirements = (latest.total.requirements or [])
    keys = [(r.key, r.number, r.title) for r in requirements]
    if not keys:
        for p in reversed(points):  # the latest visible cycle's requirements
            if p.figures.requirements:
                keys = [(r.key, r.number, r.title) for r in p.figures.requirements]
                break
    series = []
    for key, number, title in keys:
        values = [None if p.figures.suppressed else means.get(key)
                  for p, means in zip(points, by_year, strict=True)]
        table.add(f"{number}. {title}", *[HIDDEN if p.figures.suppressed else v
                                          for p, v in zip(points, values, strict=True)])
        series.append(Series(f"{number}. {title[:24]}", values, "own"))
    if any(not p.figures.suppressed for p in points) and series:
        chart.figure = charts.trend_data(
            years=years, series=series, scale_min=latest.scale_min,
            scale_max=latest.scale_max, threshold=latest.threshold,
            threshold_name=gettext(N_("Tærskel (%(n)s)"), n=latest.threshold))
    return chart


def _threshold(figures: CycleFigures, group: GroupFigures) -> Chart:
    table = Table([Column(gettext(N_("Fordring"))),
                   Column(gettext(N_("Andel")), Kind.PERCENT),
                   Column(gettext(N_("Med en score")), Kind.COUNT)])
    chart = Chart("threshold", gettext(N_("Andel der når tærsklen")),
                  gettext("Andelen af de medlemmer, der har en score for fordringen, hvis "
                          "score er %(n)s eller mere.", n=figures.threshold), table, None)
    if group.suppressed:
        return chart
    for r in group.requirements:
        table.add(f"{r.number}. {r.title}", r.share_meeting_threshold, r.scored)
    chart.figure = charts.share_data(
        labels=[f"{r.number}." for r in group.requirements],
        shares=[s * 100 if (s := r.share_meeting_threshold) is not None else None
                for r in group.requirements],
        name=chart.title, hover_titles=[_short(r.number, r.title) for r in group.requirements])
    return chart


def _response_rate(points) -> Chart:
    table = Table([Column(gettext(N_("År"))), Column(gettext(N_("Besvarelser")), Kind.COUNT),
                   Column(gettext(N_("Medlemmer")), Kind.COUNT),
                   Column(gettext(N_("Svarprocent")), Kind.PERCENT)])
    chart = Chart("response-rate", gettext(N_("Svarprocent over tid")),
                  gettext(N_("Indsendte selvevalueringer i forhold til antal medlemmer i dag "
                             "(medlemstallet gemmes ikke år for år).")), table, None)
    rates = []
    for p in points:
        g = p.figures
        if g.suppressed:
            table.add(str(p.year), HIDDEN, HIDDEN, HIDDEN)
            rates.append(None)
        else:
            table.add(str(p.year), g.respondents, g.members, g.response_rate)
            rates.append(g.response_rate * 100 if g.response_rate is not None else None)
    if any(r is not None for r in rates):
        chart.figure = charts.rate_data(years=[p.year for p in points], rates=rates,
                                        name=chart.title)
    return chart


def _radar(figures: CycleFigures, group: GroupFigures, label: str) -> Chart:
    sector_label = gettext(N_("Alle medlemmer"))
    columns = [Column(gettext(N_("Fordring"))), Column(label, Kind.SCORE)]
    is_group = group is not figures.total
    if is_group:
        columns.append(Column(sector_label, Kind.SCORE))
    table = Table(columns)
    chart = Chart("radar", gettext(N_("Gennemsnit pr. fordring")),
                  gettext("Medlemmernes gennemsnitlige score pr. fordring på skalaen "
                          "%(min)s–%(max)s.", min=figures.scale_min,
                          max=figures.scale_max), table, None)
    if group.suppressed:
        return chart
    sector = {r.key: r.mean for r in figures.total.requirements}
    for r in group.requirements:
        table.add(f"{r.number}. {r.title}", r.mean,
                  *([HIDDEN if figures.total.suppressed else sector.get(r.key)]
                    if is_group else []))
    series = [Series(label, [r.mean for r in group.requirements], "own")]
    if is_group and not figures.total.suppressed:
        series.append(Series(sector_label, [sector.get(r.key) for r in group.requirements],
                             "peers"))
    chart.figure = charts.radar_data(
        categories=[str(r.number) for r in group.requirements],
        labels=[charts.tick_label(r.number, r.title) for r in group.requirements],
        series=series, scale_min=figures.scale_min, scale_max=figures.scale_max,
        hover_titles=[_short(r.number, r.title) for r in group.requirements])
    return chart


def _segments(figures: CycleFigures) -> Chart:
    keys = [(r.key, r.number) for r in figures.total.requirements]
    if not keys:
        keys = next(([(r.key, r.number) for r in g.requirements] for g in figures.groups
                     if g.requirements), [])
    table = Table([Column(segment_label(figures.segment)),
                   Column(gettext(N_("Besvarelser")), Kind.COUNT),
                   *[Column(f"{n}.", Kind.SCORE) for _, n in keys]])
    chart = Chart("segments", gettext("Sammenligning: %(segment)s",
                                      segment=segment_label(figures.segment).lower()),
                  gettext(N_("Gennemsnit pr. fordring for hver gruppe. Skjulte grupper har for "
                             "få besvarelser, eller er skjult, så en lille gruppe ikke kan "
                             "regnes ud af de andre.")), table, None)
    rows, values = [], []
    for g in figures.groups:
        label = segment_group_label(figures.segment, g.value)
        if g.suppressed:
            table.add(label, HIDDEN, *[HIDDEN for _ in keys])
            continue
        means = {r.key: r.mean for r in g.requirements}
        table.add(label, g.respondents, *[means.get(k) for k, _ in keys])
        rows.append(label)
        values.append([means.get(k) for k, _ in keys])
    if rows:
        chart.figure = charts.heatmap_data(
            rows=rows, columns=[f"{n}." for _, n in keys], values=values,
            scale_min=figures.scale_min, scale_max=figures.scale_max,
            hover_columns=[f"{n}." for _, n in keys])
    return chart


def _reference(figures: CycleFigures, group: GroupFigures, label: str,
               themes: ThemeMap | None, references: list[ReferenceSeries]) -> Chart:
    own = gettext(N_("%(group)s (selvevaluering)"), group=label)
    names = [gettext(N_("%(source)s %(year)s: %(group)s"), source=s.source, year=s.year,
                     group=s.provider_group.label) for s in references]
    table = Table([Column(gettext(N_("Tema i kvalitetsmodellen"))),
                   Column(gettext(N_("Fordringer"))), Column(own, Kind.SCORE),
                   *[Column(name, Kind.SCORE) for name in names]])
    chart = Chart("reference", gettext(N_("Selvevaluering og sektorreference pr. tema")),
                  gettext(N_("Temaets tal er gennemsnittet af de fordringer, kataloget knytter "
                             "til temaet. En selvevaluering er ikke en tilsynsvurdering: "
                             "medlemmerne vurderer sig selv, referencen er målt på anden vis, "
                             "så forskelle er et spørgsmål at stille, ikke et facit.")),
                  table, None)
    if themes is None or not themes.themes:
        chart.empty = gettext(N_("Rundens katalog er ikke knyttet til kvalitetsmodellens temaer."))
        return chart
    if themes.unmapped:
        chart.note = gettext(N_("Ikke knyttet til et tema og derfor ikke med: fordring "
                                "%(numbers)s."), numbers=", ".join(map(str, themes.unmapped)))
    if not references:
        chart.note = " ".join(filter(None, [chart.note, gettext(N_(
            "Der er endnu ingen referencetal for %(year)s eller før."), year=figures.year)]))
    means = theme_means(themes.themes, group)
    for theme in themes.themes:
        table.add(f"{theme.number}. {theme.title}",
                  ", ".join(map(str, theme.requirement_numbers)),
                  HIDDEN if group.suppressed else means[theme.key],
                  *[s.means.get(theme.key) for s in references])
    series = [Series(own, [means[t.key] for t in themes.themes], "own"),
              *[Series(name, [s.means.get(t.key) for t in themes.themes], "peers")
                for name, s in zip(names, references, strict=True)]]
    if any(v is not None for line in series for v in line.values):
        chart.figure = charts.grouped_bars_data(
            labels=[charts.tick_label(t.number, t.title, width=26) for t in themes.themes],
            series=series, scale_min=figures.scale_min, scale_max=figures.scale_max,
            hover_titles=[_short(t.number, t.title) for t in themes.themes])
    return chart


def _calibration(found: SectorCalibration | None, figures: CycleFigures, wanted: Filter,
                 references: list[ReferenceSeries], minimum: int) -> Chart:
    """Socialtilsynet's scores of the members beside their own and the sector reference:
    official beside official. The whole sector only (see services/calibration.py)."""
    names = [gettext(N_("%(source)s %(year)s: %(group)s"), source=s.source, year=s.year,
                     group=s.provider_group.label) for s in references]
    official = gettext(N_("Socialtilsynets score for medlemmerne"))
    own = gettext(N_("Medlemmernes egen score"))
    table = Table([Column(gettext(N_("Tema i kvalitetsmodellen"))),
                   Column(gettext(N_("Medlemmer med begge")), Kind.COUNT),
                   Column(official, Kind.SCORE), Column(own, Kind.SCORE),
                   *[Column(name, Kind.SCORE) for name in names]])
    chart = Chart("calibration", gettext(N_("Tilsynets og medlemmernes egne scorer pr. tema")),
                  gettext(N_("Blandt medlemmer, der både har indsendt en selvevaluering og "
                             "skrevet en score fra deres seneste tilsynsrapport ind: "
                             "gennemsnittet af tilsynets score og af deres egen score for "
                             "temaet. Et tema med færre end %(n)s sådanne medlemmer vises "
                             "ikke."), n=minimum), table, None)
    if wanted.value:
        chart.empty = gettext(N_("Tilsynets scorer vises kun for hele sektoren, ikke for en "
                                 "enkelt gruppe."))
        return chart
    if found is None:
        chart.empty = gettext(N_("Rundens katalog er ikke knyttet til kvalitetsmodellens temaer."))
        return chart
    for theme in found.themes:
        table.add(f"{theme.number}. {theme.title}",
                  HIDDEN if theme.suppressed else theme.members,
                  HIDDEN if theme.suppressed else theme.official_mean,
                  HIDDEN if theme.suppressed else theme.self_mean,
                  *[s.means.get(theme.key) for s in references])
    series = [Series(official, [t.official_mean for t in found.themes], "official"),
              Series(own, [t.self_mean for t in found.themes], "own"),
              *[Series(name, [s.means.get(t.key) for t in found.themes], "peers")
                for name, s in zip(names, references, strict=True)]]
    if any(v is not None for line in series[:2] for v in line.values):
        chart.figure = charts.grouped_bars_data(
            labels=[charts.tick_label(t.number, t.title, width=26) for t in found.themes],
            series=series, scale_min=figures.scale_min, scale_max=figures.scale_max,
            hover_titles=[_short(t.number, t.title) for t in found.themes])
    else:
        chart.empty = gettext(N_("For få medlemmer har skrevet tilsynets scorer ind til, at "
                                 "noget tema kan vises."))
    return chart


def build_dashboard(*, session: Session, user: User, settings: Settings,
                    wanted: Filter) -> Dashboard:
    """Every chart for the filter, in a fixed number of queries."""
    minimum = settings.anonymity_minimum
    cycles = all_cycles(session)
    segments = [(s.value, gettext(SEGMENT_LABELS[s])) for s in Segment]
    values = [(v, segment_group_label(wanted.segment, v))
              for v in SEGMENT_VALUES[wanted.segment]] if wanted.segment else []
    comparison = wanted.segment or Segment.SERVICE_TYPE
    label = segment_group_label(wanted.segment, wanted.value or "all")
    board = Dashboard(wanted, [(c.id, c.year) for c in reversed(cycles)], segments, values,
                      None, None, label, comparison, minimum=minimum)
    if not cycles:
        return board
    if wanted.cycle_id is not None and wanted.cycle_id not in {c.id for c in cycles}:
        wanted.error, wanted.cycle_id = N_("Runden findes ikke."), None
    # No chart shows a median, the one figure that needs every distinct score read.
    figures = aggregates(session=session, user=user, minimum=minimum,
                         cycle_id=wanted.cycle_id, segment=comparison, with_medians=False)
    points = trend(session=session, user=user, minimum=minimum,
                   segment=wanted.segment if wanted.value else None, value=wanted.value,
                   with_medians=False)
    themes = theme_map(session, figures.catalogue_version_id)
    references = reference_series(session, year=figures.year,
                                  theme_keys=[t.key for t in themes.themes]) if themes else []
    selected = figures.group(wanted.value) if wanted.value else figures.total
    if selected is None:
        selected = GroupFigures(wanted.value, True, None, None)
    board.figures, board.selected = figures, selected
    board.charts = [_distribution(figures, selected), _trend(points, figures),
                    _threshold(figures, selected), _response_rate(points),
                    _radar(figures, selected, label), _segments(figures),
                    _reference(figures, selected, label, themes, references),
                    _calibration(sector_themes(
                        session, cycle=next(c for c in cycles if c.id == figures.cycle_id),
                        themes=themes, minimum=minimum)
                        if themes and themes.themes and not wanted.value else None,
                        figures, wanted, references, minimum)]
    return board
