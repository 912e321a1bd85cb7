/* 统计报表: each [data-chart] drawn with the vendored ECharts from the page's JSON block (no inline script, CSP). */
(function () {
  "use strict";
  function option(data) {
    if (data.type === "pie") {
      return { tooltip: { trigger: "item" }, legend: { bottom: 0 },
        series: [{ type: "pie", radius: "65%", label: { formatter: "{b}: {c}" },
          data: data.labels.map(function (l, i) { return { name: l, value: data.values[i] }; }) }] };
    }
    var series = data.series || [{ name: data.title, values: data.values }];
    return {
      color: ["#a4262c", "#2b579a", "#498205"],
      grid: { left: 56, right: 16, top: 24, bottom: 56 }, tooltip: { trigger: "axis" },
      legend: series.length > 1 ? { top: 0 } : undefined,
      xAxis: { type: "category", data: data.labels, axisLabel: { interval: 0, rotate: data.labels.length > 6 ? 30 : 0 } },
      yAxis: { type: "value", minInterval: 1 },
      series: series.map(function (s) { return { type: data.type, name: s.name, data: s.values, label: { show: true, position: "top" } }; })
    };
  }
  document.addEventListener("DOMContentLoaded", function () {
    var source = document.getElementById("report-charts");
    if (!source || typeof echarts === "undefined") { return; }
    var charts = JSON.parse(source.textContent), drawn = [];
    document.querySelectorAll("[data-chart]").forEach(function (holder) {
      var data = charts[holder.getAttribute("data-chart")];
      if (!data) { return; }
      var chart = echarts.init(holder, null, { renderer: "svg" });
      chart.setOption(option(data));
      drawn.push(chart);
    });
    window.addEventListener("resize", function () { drawn.forEach(function (c) { c.resize(); }); });
    window.addEventListener("beforeprint", function () { drawn.forEach(function (c) { c.resize(); }); });
  });
})();
