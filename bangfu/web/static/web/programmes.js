/* A programme across its rounds: included, paid and failed amounts per round (vendored ECharts). */
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var holder = document.getElementById("programme-chart");
    var source = document.getElementById("programme-chart-data");
    if (!holder || !source || typeof echarts === "undefined") { return; }
    var data = JSON.parse(source.textContent);
    var chart = echarts.init(holder, null, { renderer: "canvas" });
    chart.setOption({
      color: ["#8a8886", "#107c10", "#a4262c"],
      legend: { top: 0 },
      grid: { left: 64, right: 16, top: 32, bottom: 56 },
      tooltip: { trigger: "axis" },
      xAxis: { type: "category", data: data.labels, axisLabel: { interval: 0, rotate: data.labels.length > 4 ? 30 : 0 } },
      yAxis: { type: "value" },
      series: [
        { type: "bar", name: "纳入", data: data.included },
        { type: "bar", name: "已发放", data: data.paid },
        { type: "bar", name: "发放失败", data: data.failed }
      ]
    });
    window.addEventListener("resize", function () { chart.resize(); });
  });
})();
