// Draws the Plotly figures a page carries as JSON data blocks, and wires the print button.
//
// Markup: <div data-figure="ID"> beside <script type="application/json" id="ID">{figure}</script>.
// Our CSP allows no inline script or style: the data block is never executed, and Plotly's
// own CSS comes from etik.css (see "Charts" there) instead of a <style> element it would add.
(function () {
  "use strict";

  // Plotly adds its base CSS as an inline <style> unless an element with this id carries
  // the class "no-inline-styles" (plotly.js's switch for strict CSP). This file loads
  // before plotly.min.js, so the marker is in place when Plotly starts.
  if (!document.getElementById("plotly.js-style-global")) {
    var marker = document.createElement("meta");
    marker.id = "plotly.js-style-global";
    marker.className = "no-inline-styles";
    document.head.appendChild(marker);
  }

  var NARROW = 560; // px: below this, the angle axis shows only the requirement numbers

  var config = {
    displayModeBar: false, // its buttons need inline styles; the table has the numbers
    responsive: true,
    locale: document.documentElement.lang || "da",
  };

  function readFigure(id) {
    var block = document.getElementById(id);
    if (!block) { return null; }
    try {
      return JSON.parse(block.textContent);
    } catch (error) {
      return null;
    }
  }

  // On a phone the long labels would squeeze the chart to nothing: numbers only.
  function fitLabels(holder, figure) {
    var axis = figure.layout && figure.layout.polar && figure.layout.polar.angularaxis;
    if (!axis || !axis.tickvals) { return; }
    if (!holder.dataset.ticktext) { holder.dataset.ticktext = JSON.stringify(axis.ticktext); }
    var narrow = holder.clientWidth < NARROW;
    axis.ticktext = narrow ? axis.tickvals.slice() : JSON.parse(holder.dataset.ticktext);
    figure.layout.margin = narrow ? { l: 30, r: 30, t: 20, b: 20 } : figure.layout.margin;
  }

  function draw(holder) {
    var figure = readFigure(holder.getAttribute("data-figure"));
    if (!figure || !window.Plotly) { return; }
    holder.textContent = "";
    fitLabels(holder, figure);
    window.Plotly.newPlot(holder, figure.data, figure.layout, config);
    var wasNarrow = holder.clientWidth < NARROW;
    window.addEventListener("resize", function () {
      var narrow = holder.clientWidth < NARROW;
      if (narrow === wasNarrow) { return; }
      wasNarrow = narrow;
      fitLabels(holder, figure);
      window.Plotly.react(holder, figure.data, figure.layout, config);
    });
  }

  function start() {
    document.querySelectorAll("[data-figure]").forEach(draw);
    document.querySelectorAll("[data-print]").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () { window.print(); });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
