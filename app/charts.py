"""Plotly figure builders: data in, figure out, no queries.

The page carries the figure as JSON in a data block and app/static/js/charts.js draws it,
so no inline script is needed (our CSP allows only our own files).
"""

import json
import textwrap
from dataclasses import dataclass

import plotly.graph_objects as go

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


def tick_label(number: int, title: str, width: int = 22) -> str:
    """"3. Målgruppe, metoder og …" on at most two short lines."""
    lines = textwrap.wrap(f"{number}. {title}", width=width) or [str(number)]
    if len(lines) > 2:
        lines = [lines[0], textwrap.shorten(" ".join(lines[1:]), width=width, placeholder=" …")]
    return "<br>".join(lines)


def radar_figure(*, categories: list[str], labels: list[str], series: list[Series],
                 scale_min: int, scale_max: int, threshold: float | None = None,
                 threshold_name: str = "", hover_titles: list[str] | None = None
                 ) -> go.Figure:
    """A polar chart of scores per category: one closed line per series.

    `categories` are stable ids on the angle axis (requirement numbers), `labels` what is
    written at each of them, `hover_titles` the full names shown on hover.
    """
    hover = hover_titles or labels
    figure = go.Figure()
    if threshold is not None:
        figure.add_trace(go.Scatterpolar(
            r=_closed([threshold] * len(categories)), theta=_closed(categories),
            name=threshold_name, mode="lines", hoverinfo="skip", **STYLES["threshold"]))
    for line in series:
        figure.add_trace(go.Scatterpolar(
            r=_closed(line.values), theta=_closed(categories), name=line.name,
            mode="lines+markers", connectgaps=False,
            customdata=_closed(hover),
            hovertemplate="%{customdata}: %{r:.1f}<extra>" + line.name + "</extra>",
            **STYLES[line.style]))
    figure.update_layout(
        template="none",
        font={"family": FONT, "size": 13, "color": INK},
        margin={"l": 80, "r": 80, "t": 50, "b": 30},
        showlegend=True,
        legend={"orientation": "h", "x": 0.5, "xanchor": "center", "y": -0.08,
                "yanchor": "top"},
        paper_bgcolor="rgba(0,0,0,0)",
        polar={
            "bgcolor": "rgba(0,0,0,0)",
            "radialaxis": {"range": [0, scale_max], "tickvals": list(range(scale_min,
                                                                         scale_max + 1)),
                           # Between the first two spokes, clear of their labels.
                           "angle": 72, "tickangle": 72, "gridcolor": GRID,
                           "linecolor": GRID, "tickfont": {"size": 11, "color": MUTED}},
            # "category": the ids are numbers as text, which Plotly would read as degrees.
            "angularaxis": {"type": "category", "direction": "clockwise", "rotation": 90,
                            "gridcolor": GRID,
                            "linecolor": GRID, "tickmode": "array", "tickvals": categories,
                            "ticktext": labels, "tickfont": {"size": 12}},
        },
    )
    return figure


def figure_data(figure: go.Figure) -> dict:
    """The figure as plain JSON data, for a `<script type="application/json">` block."""
    return json.loads(figure.to_json())
