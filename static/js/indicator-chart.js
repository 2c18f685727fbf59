// The indicator page's chart: the value per quarter against the target line, and the
// year to date and the baseline year where there is one. Data comes from the page
// (json_script), drawn by the vendored Chart.js; no inline script (CSP).
(function () {
  "use strict";
  var canvas = document.getElementById("indicator-chart");
  var source = document.getElementById("chart-data");
  if (!canvas || !source || typeof Chart === "undefined") return;
  var data = JSON.parse(source.textContent);
  var flat = function (value) { return data.labels.map(function () { return value; }); };
  var datasets = [{
    type: "line", label: data.series, data: data.values, spanGaps: false,
    borderColor: "#0b5394", backgroundColor: "#0b5394", pointRadius: 5, borderWidth: 2
  }];
  if (data.target !== null) {
    datasets.push({ type: "line", label: data.target_label, data: flat(data.target),
      borderColor: "#b3261e", borderDash: [6, 4], pointRadius: 0, fill: false });
  }
  if (data.year !== null) {
    datasets.push({ type: "line", label: data.year_label, data: flat(data.year),
      borderColor: "#1e7b34", pointRadius: 0, fill: false });
  }
  if (data.baseline !== null) {
    datasets.push({ type: "line", label: data.baseline_label, data: flat(data.baseline),
      borderColor: "#8a5a00", borderDash: [2, 3], pointRadius: 0, fill: false });
  }
  new Chart(canvas, {
    data: { labels: data.labels, datasets: datasets },
    options: {
      responsive: true, animation: false,
      plugins: { legend: { position: "bottom" } },
      scales: { y: { beginAtZero: false, grace: "5%" } }
    }
  });
})();
