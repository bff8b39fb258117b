/* Report charts (Chart.js, served locally). Data comes from the page's #report-data JSON. */
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("report-data").textContent);
  var lang = document.documentElement.lang || "en";
  var rtl = document.documentElement.dir === "rtl";
  var numbers = new Intl.NumberFormat(lang === "ar" ? "ar-SA-u-nu-arab" : lang);
  var colours = ["#0f4c5c", "#c0392b", "#1f8a4c", "#c98a00", "#7b1fa2", "#2563eb",
                 "#e07a5f", "#3d405b", "#81b29a", "#f2cc8f", "#6d597a", "#b56576"];

  Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
  Chart.defaults.animation = false;
  Chart.defaults.maintainAspectRatio = false;
  Chart.defaults.locale = lang === "ar" ? "ar-SA-u-nu-arab" : lang;

  function digits(text) { return lang === "ar" ? String(text).replace(/\d/g, function (d) { return "٠١٢٣٤٥٦٧٨٩"[d]; }) : text; }
  function axes(yTitle) {
    return {
      x: { reverse: rtl, ticks: { autoSkip: true, maxTicksLimit: 12, maxRotation: 0,
                                  callback: function (v) { return digits(this.getLabelForValue(v)); } } },
      y: { beginAtZero: true, position: rtl ? "right" : "left", title: { display: !!yTitle, text: yTitle },
           ticks: { callback: function (v) { return numbers.format(v); } } }
    };
  }
  function options(yTitle) {
    return { scales: axes(yTitle), plugins: { legend: { rtl: rtl } }, interaction: { mode: "index", intersect: false } };
  }

  new Chart(document.getElementById("chart-traffic"), {
    type: "bar",
    data: { labels: data.days, datasets: [
      { label: data.labels.entries, data: data.entries, backgroundColor: colours[0] },
      { label: data.labels.exits, data: data.exits, backgroundColor: colours[1] }] },
    options: options("")
  });
  new Chart(document.getElementById("chart-parking"), {
    type: "line",
    data: { labels: data.days, datasets: [
      { label: data.labels.average, data: data.avg_minutes, borderColor: colours[0], backgroundColor: colours[0] },
      { label: data.labels.median, data: data.median_minutes, borderColor: colours[3], backgroundColor: colours[3] }] },
    options: options("")
  });
  new Chart(document.getElementById("chart-occupancy"), {
    type: "line",
    data: { labels: data.times, datasets: data.zones.map(function (zone, i) {
      var colour = colours[i % colours.length];
      return { label: zone.label, data: zone.points, borderColor: colour, backgroundColor: colour,
               pointRadius: 0, borderWidth: 1.5, spanGaps: true };
    }) },
    options: options(data.labels.percent)
  });
})();
