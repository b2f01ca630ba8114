"""The board's figures are plain data, so Plotly never validates them on a request: check
here, against Plotly's own schema, that every builder writes what Plotly reads."""

import json

import plotly.graph_objects as go
import pytest

from app import charts
from app.charts import Series

LABELS = ["1.", "2.", "3."]
FIGURES = {
    "distribution": lambda: charts.distribution_data(
        labels=LABELS, steps=["1", "2", "3", "4", "5", "na"],
        step_names=["1", "2", "3", "4", "5", "Ikke relevant"],
        counts=[[0, 1, 2, 3, 4, 1], [1, 1, 1, 1, 1, 6], [0, 0, 0, 0, 11, 0]],
        hover_titles=["a", "b", "c"]),
    "trend": lambda: charts.trend_data(
        years=[2023, 2024, 2025], series=[Series("1. Uddannelse", [3.1, None, 3.4], "own"),
                                          Series("2. Selvbestemmelse", [2.9, 3.0, 3.2], "own")],
        scale_min=1, scale_max=5, threshold=3, threshold_name="Tærskel"),
    "threshold": lambda: charts.share_data(labels=LABELS, shares=[50.0, None, 100.0],
                                           name="Andel", hover_titles=["a", "b", "c"]),
    "response-rate": lambda: charts.rate_data(years=[2024, 2025], rates=[None, 81.5],
                                              name="Svarprocent"),
    "radar": lambda: charts.radar_data(
        categories=["1", "2", "3"], labels=["1. A", "2. B", "3. C"],
        series=[Series("Alle", [3.2, 4.1, None], "own"), Series("Døgn", [3, 4, 5], "peers")],
        scale_min=1, scale_max=5, hover_titles=["a", "b", "c"]),
    "member-radar": lambda: charts.radar_data(
        categories=["1", "2", "3"], labels=["1. A", "2. B", "3. C"],
        series=[Series("I år", [3.2, 4.1, None], "own"),
                Series("Sidste gang", [3, 4, 5], "last_year"),
                Series("Median", [3, 3, 3], "peers")],
        scale_min=1, scale_max=5, hover_titles=["a", "b", "c"], threshold=3,
        threshold_name="Grænse (3)", decimals=1),
    "segments": lambda: charts.heatmap_data(
        rows=["Døgntilbud", "Kostskole"], columns=LABELS,
        values=[[3.2, None, 4.0], [2.5, 3.3, 4.9]], scale_min=1, scale_max=5,
        hover_columns=LABELS),
    "reference": lambda: charts.grouped_bars_data(
        labels=["1. Uddannelse", "2. Sundhed"], series=[
            Series("Alle medlemmer", [3.8, None], "own"),
            Series("Kilde 2024", [3.1, 3.5], "peers"),
            Series("Kilde 2024 – offentlige", [None, 3.2], "peers")],
        scale_min=1, scale_max=5, hover_titles=["Uddannelse", "Sundhed"]),
    "calibration-history": lambda: charts.small_multiples_data(
        years=[2023, 2024, 2025], panels=[
            charts.Panel("4. Sundhed og trivsel", [Series("Selv", [4.0, None, 3.5], "own"),
                                                   Series("Tilsyn", [3.0, 3.5, None],
                                                          "official")]),
            charts.Panel("6. Kompetencer", [Series("Selv", [2.0, 3.0, 3.0], "own"),
                                            Series("Tilsyn", [None, None, None], "official")])],
        scale_min=1, scale_max=5),
}


@pytest.mark.parametrize("name", FIGURES)
def test_each_board_figure_is_valid_for_plotly(name):
    data = FIGURES[name]()
    json.dumps(data)  # plain JSON, nothing Plotly-specific
    figure = go.Figure(data)  # raises ValueError on any property Plotly does not know
    assert len(figure.data) == len(data["data"])


def test_the_member_radar_has_its_threshold_ring_first_and_closed_lines():
    data = charts.radar_data(categories=["1", "2"], labels=["1", "2"],
                             series=[Series("Jer", [3.0, 4.0], "own")], scale_min=1,
                             scale_max=5, hover_titles=["a", "b"], threshold=3,
                             threshold_name="T", decimals=1)
    go.Figure(data)  # valid for Plotly
    ring, own = data["data"]
    assert ring["name"] == "T" and ring["r"] == [3, 3, 3] and ring["hoverinfo"] == "skip"
    assert own["r"] == [3.0, 4.0, 3.0] and own["theta"] == ["1", "2", "1"]
    assert "%{r:.1f}" in own["hovertemplate"]


def test_small_multiples_put_each_panel_on_its_own_axes_and_name_each_series_once():
    data = charts.small_multiples_data(
        years=[2024, 2025], panels=[charts.Panel(f"{n}. Tema", [
            Series("Selv", [3.0, 4.0], "own"), Series("Tilsyn", [2.0, None], "official")])
            for n in range(1, 5)], scale_min=1, scale_max=5, columns=3)
    go.Figure(data)  # valid for Plotly
    assert [(t["xaxis"], t["yaxis"]) for t in data["data"][::2]] == [
        ("x", "y"), ("x2", "y2"), ("x3", "y3"), ("x4", "y4")]
    assert [t["showlegend"] for t in data["data"]] == [True, True] + [False] * 6
    layout = data["layout"]
    assert (layout["grid"]["rows"], layout["grid"]["columns"]) == (2, 3)
    assert [a["xref"] for a in layout["annotations"]] == [
        "x domain", "x2 domain", "x3 domain", "x4 domain"]
    assert layout["meta"]["panels"] == 4
