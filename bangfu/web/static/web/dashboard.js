/* The start page's chart: data from the page's JSON block, drawn with the vendored ECharts. */
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var holder = document.getElementById("chart");
    var source = document.getElementById("chart-data");
    if (!holder || !source || typeof echarts === "undefined") { return; }
    var data = JSON.parse(source.textContent);
    var chart = echarts.init(holder, null, { renderer: "canvas" });
    chart.setOption({
      color: ["#a4262c"],
      grid: { left: 48, right: 16, top: 16, bottom: 56 },
      tooltip: { trigger: "axis" },
      xAxis: { type: "category", data: data.labels, axisLabel: { interval: 0, rotate: data.labels.length > 6 ? 30 : 0 } },
      yAxis: { type: "value", minInterval: 1 },
      series: [{ type: "bar", data: data.values, name: "家庭数", label: { show: true, position: "top" } }]
    });
    window.addEventListener("resize", function () { chart.resize(); });
  });
})();
