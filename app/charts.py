"""Plotly figure builders: data in, figure out, no queries.

The page carries the figure as JSON in a data block and app/static/js/charts.js draws it,
so no inline script is needed (our CSP allows only our own files).
"""

import textwrap
from dataclasses import dataclass
from functools import lru_cache

FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif'
INK = "#1d2a30"
MUTED = "#5b6b73"
GRID = "#d9d4c7"
# One look per series, told apart by line style and marker as well as by colour.
STYLES = {
    "own": {"line": {"color": "#1f4e5f", "width": 3}, "marker": {"size": 8},
            "fill": "toself", "fillcolor": "rgba(31, 78, 95, 0.16)"},
    "last_year": {"line": {"color": "#b06f00", "width": 2, "dash": "dash"},
                  "marker": {"size": 7, "symbol": "square"}},
    "peers": {"line": {"color": "#6b5b95", "width": 2, "dash": "dot"},
              "marker": {"size": 7, "symbol": "diamond"}},
    "threshold": {"line": {"color": "#a3262a", "width": 1, "dash": "dot"},
                  "marker": {"size": 1}},
    # Socialtilsynet's own scores, beside the member's self-assessment.
    "official": {"line": {"color": "#2f6b3a", "width": 2, "dash": "longdash"},
                 "marker": {"size": 8, "symbol": "triangle-up"}},
}


@dataclass(frozen=True)
class Series:
    """One line of the chart: a value per category (None where there is none)."""

    name: str
    values: list[float | None]
    style: str  # a key of STYLES


def _closed(values: list) -> list:
    """The polygon's first point again at the end, so the line goes all the way round."""
    return [*values, values[0]] if values else values


@lru_cache(maxsize=1024)
def tick_label(number: int, title: str, width: int = 22) -> str:
    """"3. Målgruppe, metoder og …" on at most two short lines (kept per title: wrapping
    costs ~0.1 ms, and the board labels the same ten titles dozens of times a page)."""
    lines = textwrap.wrap(f"{number}. {title}", width=width) or [str(number)]
    if len(lines) > 2:
        lines = [lines[0], textwrap.shorten(" ".join(lines[1:]), width=width, placeholder=" …")]
    return "<br>".join(lines)


# --- Charts built as plain figure data ----------------------------------------------------
# plotly.graph_objects costs ~20 ms per figure just to build and validate (more than all
# the queries of the member's results page), and the board draws seven. These builders
# write the same JSON Plotly reads; tests/services/board/test_board_charts.py checks each
# one against Plotly's schema instead, once, not on every request.

# From low to high: red through sand to the petrol of the own-score line; "not relevant"
# is grey. The data table beside each chart carries the numbers without colour.
STEP_COLOURS = ["#a3262a", "#d98b5f", "#e8d9a8", "#7fa8b8", "#1f4e5f"]
NOT_RELEVANT_COLOUR = "#bdbdbd"
SERIES_COLOURS = ["#1f4e5f", "#b06f00", "#6b5b95", "#3f7f4f", "#a3262a", "#5b6b73",
                  "#2f6fa3", "#8c5a3c", "#4b8b8b", "#7a4f7a"]
DASHES = ["solid", "dash", "dot", "dashdot", "longdash"]
SYMBOLS = ["circle", "square", "diamond", "triangle-up", "x"]


def _layout(**extra) -> dict:
    layout = {
        "template": {"layout": {}},
        "font": {"family": FONT, "size": 13, "color": INK},
        "margin": {"l": 60, "r": 20, "t": 20, "b": 50},
        "paper_bgcolor": "rgba(0,0,0,0)",
        "plot_bgcolor": "rgba(0,0,0,0)",
        "showlegend": True,
        "legend": {"orientation": "h", "x": 0, "y": -0.12, "yanchor": "top"},
    }
    layout.update(extra)
    return layout


def _axis(**extra) -> dict:
    return {"gridcolor": GRID, "linecolor": GRID, "zeroline": False,
            "tickfont": {"size": 12, "color": MUTED}, "automargin": True, **extra}


def distribution_data(*, labels: list[str], steps: list[str], step_names: list[str],
                      counts: list[list[int]], hover_titles: list[str]) -> dict:
    """Stacked horizontal bars: per category (requirement), how many at each step.

    `counts[i][j]` is the number at step `steps[j]` for `labels[i]`; the last step may be
    "not relevant", drawn grey.
    """
    traces = []
    for j, (step, name) in enumerate(zip(steps, step_names, strict=True)):
        colour = STEP_COLOURS[j] if j < len(STEP_COLOURS) else NOT_RELEVANT_COLOUR
        traces.append({
            "type": "bar", "orientation": "h", "name": name, "y": labels,
            "x": [row[j] for row in counts], "marker": {"color": colour,
                                                         "line": {"color": "#ffffff",
                                                                  "width": 1}},
            "customdata": hover_titles,
            "hovertemplate": "%{customdata}<br>" + name + ": %{x}<extra></extra>",
            "legendgroup": step,
        })
    return {"data": traces, "layout": _layout(
        barmode="stack", height=max(320, 44 * len(labels) + 110),
        margin={"l": 20, "r": 20, "t": 10, "b": 50},
        xaxis=_axis(title={"text": ""}, rangemode="tozero"),
        yaxis=_axis(autorange="reversed", type="category", gridcolor="rgba(0,0,0,0)"),
        legend={"orientation": "h", "x": 0, "y": 1.02, "yanchor": "bottom",
                "traceorder": "normal"})}


def trend_data(*, years: list[int], series: list[Series], scale_min: int, scale_max: int,
               threshold: float | None = None, threshold_name: str = "") -> dict:
    """Lines across cycles, one per series (None where a cycle is suppressed)."""
    x = [str(year) for year in years]
    traces = []
    if threshold is not None and years:
        traces.append({"type": "scatter", "mode": "lines", "name": threshold_name,
                       "x": x, "y": [threshold] * len(x),
                       "line": {"color": "#a3262a", "width": 1, "dash": "dot"},
                       "hoverinfo": "skip"})
    for n, line in enumerate(series):
        traces.append({
            "type": "scatter", "mode": "lines+markers", "name": line.name, "x": x,
            "y": line.values, "connectgaps": False,
            "line": {"color": SERIES_COLOURS[n % len(SERIES_COLOURS)], "width": 2,
                     "dash": DASHES[n % len(DASHES)]},
            "marker": {"size": 8, "symbol": SYMBOLS[n % len(SYMBOLS)]},
            "hovertemplate": line.name + " %{x}: %{y:.2f}<extra></extra>",
        })
    return {"data": traces, "layout": _layout(
        height=420, xaxis=_axis(type="category", categoryorder="array", categoryarray=x),
        yaxis=_axis(range=[scale_min - 0.2, scale_max + 0.2],
                    tickvals=list(range(scale_min, scale_max + 1))))}


def share_data(*, labels: list[str], shares: list[float | None], name: str,
               hover_titles: list[str]) -> dict:
    """Horizontal bars of a share in per cent (0..100), one per category."""
    return {"data": [{
        "type": "bar", "orientation": "h", "name": name, "y": labels, "x": shares,
        "marker": {"color": STYLES["own"]["line"]["color"]},
        "text": [f"{s:.0f} %" if s is not None else "" for s in shares],
        "textposition": "auto", "customdata": hover_titles,
        "hovertemplate": "%{customdata}: %{x:.0f} %<extra></extra>",
    }], "layout": _layout(
        showlegend=False, height=max(320, 40 * len(labels) + 80),
        margin={"l": 20, "r": 20, "t": 10, "b": 40},
        xaxis=_axis(range=[0, 100], ticksuffix=" %"),
        yaxis=_axis(autorange="reversed", type="category", gridcolor="rgba(0,0,0,0)"))}


def rate_data(*, years: list[int], rates: list[float | None], name: str) -> dict:
    """Columns of a rate in per cent per cycle; a suppressed cycle has no column."""
    return {"data": [{
        "type": "bar", "name": name, "x": [str(y) for y in years], "y": rates,
        "marker": {"color": STYLES["own"]["line"]["color"]},
        "text": [f"{r:.0f} %" if r is not None else "" for r in rates],
        "textposition": "auto",
        "hovertemplate": "%{x}: %{y:.0f} %<extra></extra>",
    }], "layout": _layout(showlegend=False, height=340, xaxis=_axis(type="category"),
                          yaxis=_axis(range=[0, 100], ticksuffix=" %"))}


def radar_data(*, categories: list[str], labels: list[str], series: list[Series],
               scale_min: int, scale_max: int, hover_titles: list[str],
               threshold: float | None = None, threshold_name: str = "",
               decimals: int = 2) -> dict:
    """A polar chart of scores per category: one closed line per series, and a dotted ring
    at `threshold` when given. `categories` are stable ids on the angle axis (requirement
    numbers), `labels` what is written at each, `hover_titles` the full names on hover."""
    traces = []
    if threshold is not None:
        style = STYLES["threshold"]
        traces.append({"type": "scatterpolar", "r": _closed([threshold] * len(categories)),
                       "theta": _closed(categories), "name": threshold_name, "mode": "lines",
                       "hoverinfo": "skip", "line": style["line"], "marker": style["marker"]})
    for line in series:
        style = STYLES[line.style]
        trace = {"type": "scatterpolar", "r": _closed(line.values),
                 "theta": _closed(categories), "name": line.name, "mode": "lines+markers",
                 "connectgaps": False, "customdata": _closed(hover_titles),
                 "hovertemplate": f"%{{customdata}}: %{{r:.{decimals}f}}<extra>"
                                  + line.name + "</extra>",
                 "line": style["line"], "marker": style["marker"]}
        if "fill" in style:
            trace.update(fill=style["fill"], fillcolor=style["fillcolor"])
        traces.append(trace)
    return {"data": traces, "layout": _layout(
        margin={"l": 80, "r": 80, "t": 40, "b": 30}, height=480,
        legend={"orientation": "h", "x": 0.5, "xanchor": "center", "y": -0.08,
                "yanchor": "top"},
        polar={
            "bgcolor": "rgba(0,0,0,0)",
            # Between the first two spokes, clear of their labels.
            "radialaxis": {"range": [0, scale_max],
                           "tickvals": list(range(scale_min, scale_max + 1)),
                           "angle": 72, "tickangle": 72, "gridcolor": GRID,
                           "linecolor": GRID, "tickfont": {"size": 11, "color": MUTED}},
            # "category": the ids are numbers as text, which Plotly would read as degrees.
            "angularaxis": {"type": "category", "direction": "clockwise", "rotation": 90,
                            "gridcolor": GRID, "linecolor": GRID, "tickmode": "array",
                            "tickvals": categories, "ticktext": labels,
                            "tickfont": {"size": 12}},
        })}


def heatmap_data(*, rows: list[str], columns: list[str], values: list[list[float | None]],
                 scale_min: int, scale_max: int, hover_columns: list[str]) -> dict:
    """A grid of means, rows by columns, each cell written out; empty cells are hidden."""
    text = [[f"{v:.1f}".replace(".", ",") if v is not None else "" for v in row]
            for row in values]
    return {"data": [{
        "type": "heatmap", "z": values, "x": columns, "y": rows, "text": text,
        "texttemplate": "%{text}", "zmin": scale_min, "zmax": scale_max,
        # Light to mid petrol, so the dark numbers written in the cells stay readable.
        "colorscale": [[0, "#f6f1e4"], [0.5, "#c9d8d6"], [1, "#6f9fae"]],
        "textfont": {"color": INK, "size": 13},
        "customdata": [hover_columns for _ in rows], "hoverongaps": False,
        "hovertemplate": "%{y}<br>%{customdata}: %{z:.2f}<extra></extra>",
        # No colour bar: Plotly draws it with inline styles, which our CSP refuses; every
        # cell has its number written in it.
        "xgap": 2, "ygap": 2, "showscale": False,
    }], "layout": _layout(
        showlegend=False, height=max(150, 48 * len(rows) + 80),
        margin={"l": 20, "r": 20, "t": 10, "b": 50},
        xaxis=_axis(type="category", side="bottom"),
        yaxis=_axis(type="category", autorange="reversed"))}


def grouped_bars_data(*, labels: list[str], series: list[Series], scale_min: int,
                      scale_max: int, hover_titles: list[str]) -> dict:
    """Horizontal bars side by side per category (theme), one colour and pattern per series;
    a missing value leaves its bar out. The first series is the members' own."""
    traces = []
    for n, bars in enumerate(series):
        colour = SERIES_COLOURS[n % len(SERIES_COLOURS)]
        traces.append({
            # A long legend entry wraps, so a phone shows all of it.
            "type": "bar", "orientation": "h", "y": labels, "x": bars.values,
            "name": "<br>".join(textwrap.wrap(bars.name, width=44)) or bars.name,
            "customdata": hover_titles,
            # Told apart by a pattern as well as by colour: white lines over the colour.
            "marker": {"color": colour, "line": {"color": colour, "width": 1},
                       "pattern": {"shape": ["", "/", ".", "x", "-"][n % 5],
                                   "fillmode": "overlay", "fgcolor": "#ffffff",
                                   "fgopacity": 0.6, "size": 7}},
            "text": [f"{v:.1f}".replace(".", ",") if v is not None else ""
                     for v in bars.values],
            "textposition": "auto",
            "hovertemplate": "%{customdata}<br>" + bars.name + ": %{x:.2f}<extra></extra>",
        })
    return {"data": traces, "layout": _layout(
        barmode="group", height=max(340, (26 * len(series) + 24) * len(labels) + 120),
        margin={"l": 20, "r": 20, "t": 10, "b": 50},
        xaxis=_axis(range=[0, scale_max], tickvals=list(range(scale_min, scale_max + 1))),
        yaxis=_axis(autorange="reversed", type="category", gridcolor="rgba(0,0,0,0)"),
        legend={"orientation": "h", "x": 0, "y": 1.02, "yanchor": "bottom",
                "traceorder": "normal"})}


@dataclass(frozen=True)
class Panel:
    """One small chart of a grid: a title and its series over the grid's years."""

    title: str
    series: list[Series]


PANEL_HEIGHT = 150


def _short(title: str, width: int) -> str:
    return textwrap.shorten(title, width=width, placeholder=" …")


def small_multiples_data(*, years: list[int], panels: list[Panel], scale_min: int,
                         scale_max: int, columns: int = 3, narrow_columns: int = 2) -> dict:
    """A grid of small line charts sharing their years and scale, one per panel (a theme),
    each series styled as in STYLES and named once in the legend. `layout.meta` tells
    charts.js how to lay the grid out again on a narrow screen."""
    x = [str(year) for year in years]
    traces, axes, titles = [], {}, []
    for n, panel in enumerate(panels, start=1):
        suffix = "" if n == 1 else str(n)
        for line in panel.series:
            style = STYLES[line.style]
            traces.append({
                "type": "scatter", "mode": "lines+markers", "name": line.name, "x": x,
                "y": line.values, "connectgaps": True, "xaxis": f"x{suffix}",
                "yaxis": f"y{suffix}", "legendgroup": line.style, "showlegend": n == 1,
                "line": style["line"], "marker": style["marker"],
                "hovertemplate": f"{panel.title}<br>{line.name} %{{x}}: %{{y:.1f}}"
                                 "<extra></extra>"})
        axes[f"xaxis{suffix}"] = _axis(type="category", categoryorder="array",
                                       categoryarray=x, tickfont={"size": 11, "color": MUTED})
        axes[f"yaxis{suffix}"] = _axis(range=[scale_min - 0.4, scale_max + 0.4],
                                       tickvals=list(range(scale_min, scale_max + 1)),
                                       tickfont={"size": 11, "color": MUTED})
        titles.append({"text": _short(panel.title, 34),
                       "xref": f"x{suffix} domain", "yref": f"y{suffix} domain", "x": 0,
                       "y": 1, "xanchor": "left", "yanchor": "bottom", "showarrow": False,
                       "font": {"size": 12, "color": INK}})
    rows = -(-len(panels) // columns) or 1
    return {"data": traces, "layout": _layout(
        height=rows * PANEL_HEIGHT + 90, margin={"l": 30, "r": 10, "t": 24, "b": 70},
        grid={"rows": rows, "columns": columns, "pattern": "independent",
              "roworder": "top to bottom", "xgap": 0.15, "ygap": 0.45},
        annotations=titles,
        # At the foot of the whole figure, clear of the bottom row's years.
        legend={"orientation": "h", "x": 0, "y": 0, "yref": "container",
                "yanchor": "bottom", "traceorder": "normal"},
        meta={"panels": len(panels), "columns": columns, "narrowColumns": narrow_columns,
              "panelHeight": PANEL_HEIGHT, "extraHeight": 90,
              "titles": [_short(p.title, 34) for p in panels],
              "narrowTitles": [_short(p.title, 20) for p in panels]},
        **axes)}
