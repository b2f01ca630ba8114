// Draws the board's Plotly figures, on load and again after htmx swaps the dashboard in.
//
// Markup: <div data-board-figure="{figure as JSON}">. Not a JSON script block as on the
// member's results page: htmx drops script elements from the content it swaps in.
// charts.js (loaded first) puts the markers Plotly needs under our CSP in place.
(function () {
  "use strict";

  var NARROW = 560; // px: below this, the radar's angle axis shows only numbers

  var config = {
    displayModeBar: false,
    responsive: true,
    locale: document.documentElement.lang || "da",
  };

  function readFigure(holder) {
    try { return JSON.parse(holder.getAttribute("data-board-figure")); } catch (error) {
      return null;
    }
  }

  function fitToWidth(holder, figure) {
    var narrow = holder.clientWidth < NARROW;
    var axis = figure.layout.polar && figure.layout.polar.angularaxis;
    if (axis && axis.tickvals && narrow) {
      axis.ticktext = axis.tickvals.slice();
      figure.layout.margin = { l: 30, r: 30, t: 20, b: 20 };
    }
    if (narrow && figure.layout.legend && figure.layout.showlegend !== false) {
      // A long legend under a phone-wide chart: room for it, instead of a scrolled box.
      figure.layout.legend.font = { size: 11 };
      figure.layout.height = (figure.layout.height || 400) + 20 * figure.data.length;
    }
  }

  function draw(holder) {
    if (holder.dataset.drawn) { return; }
    var figure = readFigure(holder);
    if (!figure || !window.Plotly) { return; }
    holder.dataset.drawn = "1";
    holder.textContent = "";
    fitToWidth(holder, figure);
    window.Plotly.newPlot(holder, figure.data, figure.layout, config);
  }

  function drawAll(root) {
    (root || document).querySelectorAll("[data-board-figure]").forEach(draw);
  }

  // After a swap: every holder not yet drawn (an outerHTML swap replaces the target).
  document.addEventListener("htmx:afterSettle", function () { drawAll(); });
  if (document.readyState === "complete") {
    drawAll();
  } else {
    document.addEventListener("DOMContentLoaded", function () { drawAll(); });
  }
})();
