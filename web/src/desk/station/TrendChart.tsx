import { useEffect, useRef } from "react";
import * as echarts from "echarts/core";
import { LineChart, BarChart } from "echarts/charts";
import { GridComponent, LegendComponent, TooltipComponent } from "echarts/components";
import { CanvasRenderer } from "echarts/renderers";
import type { Totals } from "../../../../shared/api/totals.js";
import type { StationTexts } from "../../i18n/locales/zh-CN/station.js";

// Only the parts used, so the chart library adds little to the desk bundle.
echarts.use([LineChart, BarChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);

const SERIES = ["staffPersonTimes", "sorties", "keyPointVisits", "aidedInStation", "aidedOnStreet", "escorts"] as const;

/** Daily trend of the main figures (bars: staff and sorties; lines: people aided). */
export function TrendChart({ daily, t }: { daily: Totals["daily"]; t: StationTexts }) {
  const el = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!el.current) return;
    const chart = echarts.init(el.current);
    chart.setOption({
      tooltip: { trigger: "axis" },
      legend: { top: 0 },
      grid: { left: 40, right: 40, top: 40, bottom: 30 },
      xAxis: { type: "category", data: daily.map((d) => d.day.slice(5)) },
      yAxis: [
        { type: "value", minInterval: 1 },
        { type: "value", minInterval: 1 },
      ],
      series: SERIES.map((k, i) => ({
        name: t.figures[k],
        type: i < 3 ? "bar" : "line",
        yAxisIndex: i < 3 ? 0 : 1,
        data: daily.map((d) => d.figures[k]),
      })),
    });
    const onResize = () => chart.resize();
    window.addEventListener("resize", onResize);
    return () => {
      window.removeEventListener("resize", onResize);
      chart.dispose();
    };
  }, [daily, t]);
  return <div ref={el} style={{ width: "100%", height: 300 }} data-testid="trend-chart" />;
}
