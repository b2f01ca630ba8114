// Draws the board's Plotly figures, on load and again after htmx swaps the dashboard in.
//
// Markup: <div data-board-figure="ID"> beside <script type="application/json" id="ID">.
// charts.js (loaded first) puts the markers Plotly needs under our CSP in place.
(function () {
  "use strict";

  var NARROW = 560; // px: below this, the radar's angle axis shows only numbers

  var config = {
    displayModeBar: false,
    responsive: true,
    locale: document.documentElement.lang || "da",
  };

  function readFigure(id) {
    var block = document.getElementById(id);
    if (!block) { return null; }
    try { return JSON.parse(block.textContent); } catch (error) { return null; }
  }

  function fitToWidth(holder, figure) {
    var narrow = holder.clientWidth < NARROW;
    var axis = figure.layout.polar && figure.layout.polar.angularaxis;
    if (axis && axis.tickvals && narrow) {
      axis.ticktext = axis.tickvals.slice();
      figure.layout.margin = { l: 30, r: 30, t: 20, b: 20 };
    }
    if (narrow && figure.layout.legend) {
      figure.layout.legend.font = { size: 11 };
    }
  }

  function draw(holder) {
    if (holder.dataset.drawn) { return; }
    var figure = readFigure(holder.getAttribute("data-board-figure"));
    if (!figure || !window.Plotly) { return; }
    holder.dataset.drawn = "1";
    holder.textContent = "";
    fitToWidth(holder, figure);
    window.Plotly.newPlot(holder, figure.data, figure.layout, config);
  }

  function drawAll(root) {
    (root || document).querySelectorAll("[data-board-figure]").forEach(draw);
  }

  document.addEventListener("htmx:afterSettle", function (event) { drawAll(event.target); });
  if (document.readyState === "complete") {
    drawAll();
  } else {
    document.addEventListener("DOMContentLoaded", function () { drawAll(); });
  }
})();
