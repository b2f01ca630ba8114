// Draws the Plotly figures a page carries as JSON data blocks, and wires the print button.
//
// Markup: <div data-figure="ID"> beside <script type="application/json" id="ID">{figure}</script>.
// Our CSP allows no inline script or style: the data block is never executed, and Plotly's
// own CSS comes from etik.css (see "Charts" there) instead of a <style> element it would add.
(function () {
  "use strict";

  // Plotly adds CSS as inline <style> elements, which our CSP refuses, unless an element
  // with the same id is already there. This file loads before plotly.min.js, so these
  // markers are in place when Plotly starts:
  // - its base rules ("no-inline-styles" is plotly.js's own switch for strict CSP; the
  //   rules we need are in etik.css);
  // - the map library's CSS, bundled in plotly.min.js 4.x under this id (we draw no maps).
  //   A new plotly.js may use another id: tests/browser/test_results_browser.py notices.
  [["plotly.js-style-global", "no-inline-styles"],
   ["9f215cf04c5486422605d13261cb87401f4e7763b6296af81e98efbc0130da53", ""]
  ].forEach(function (pair) {
    if (document.getElementById(pair[0])) { return; }
    var marker = document.createElement("meta");
    marker.id = pair[0];
    marker.className = pair[1];
    document.head.appendChild(marker);
  });

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

  // A grid of small charts (charts.small_multiples_data) gets fewer columns on a phone,
  // so each panel keeps a readable width; the figure grows taller instead.
  function fitGrid(holder, figure) {
    var layout = figure.layout || {};
    var meta = layout.meta;
    if (!layout.grid || !meta || !meta.panels) { return; }
    var narrow = holder.clientWidth < NARROW;
    var columns = narrow ? meta.narrowColumns : meta.columns;
    var titles = narrow ? meta.narrowTitles : meta.titles;
    layout.grid.columns = columns;
    layout.grid.rows = Math.ceil(meta.panels / columns);
    layout.height = layout.grid.rows * meta.panelHeight + meta.extraHeight;
    (layout.annotations || []).forEach(function (title, n) {
      if (titles && titles[n]) { title.text = titles[n]; }
    });
  }

  function fit(holder, figure) {
    fitLabels(holder, figure);
    fitGrid(holder, figure);
  }

  function draw(holder) {
    var figure = readFigure(holder.getAttribute("data-figure"));
    if (!figure || !window.Plotly) { return; }
    holder.textContent = "";
    fit(holder, figure);
    window.Plotly.newPlot(holder, figure.data, figure.layout, config);
    var wasNarrow = holder.clientWidth < NARROW;
    window.addEventListener("resize", function () {
      var narrow = holder.clientWidth < NARROW;
      if (narrow === wasNarrow) { return; }
      wasNarrow = narrow;
      fit(holder, figure);
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

  // A deferred script runs while readyState is already "interactive", but before the
  // deferred plotly.min.js after it: wait for DOMContentLoaded, which follows them all.
  if (document.readyState === "complete") {
    start();
  } else {
    document.addEventListener("DOMContentLoaded", start);
  }
})();
