import { useState } from "react";
import { Button, Input, Radio, Space } from "antd";
import { PrinterOutlined } from "@ant-design/icons";
import { api, call, type Campaign, type Figures } from "../../api/client.js";
import type { Station } from "../../../../shared/api/stations.js";
import { useLanguage } from "../../i18n/index.js";
import { reportSentences } from "./reportText.js";
import { fmt, useLive, useStationTexts, yuan } from "./texts.js";
import "./station.css";

const TABLE = ["patrols", "sorties", "staffPersonTimes", "keyPointVisits", "aidedInStation", "aidedOnStreet", "escorts", "familiesFound"] as const;

/**
 * A printable A4 daily or campaign report. The daily one prints the submitted (frozen) figures
 * and remarks when there is a report, else the day's figures; sentences follow official phrasing.
 */
export function PrintView({ campaign, stationId, stations, today }: { campaign: Campaign; stationId: string | undefined; stations: readonly Station[]; today: string }) {
  const t = useStationTexts();
  const [lang] = useLanguage();
  const [mode, setMode] = useState<"daily" | "campaign">("campaign");
  const [day, setDay] = useState(today < campaign.endsOn ? today : campaign.endsOn);
  const unit = stationId ? stations.find((s) => s.id === stationId)?.name ?? "" : stations.map((s) => s.name).join("、");
  const totals = useLive(mode === "campaign" ? () => call(api.totals.get, { params: { id: campaign.id }, query: { stationId } }) : null, [mode, campaign.id, stationId], ["report."]);
  const form = useLive(mode === "daily" && stationId ? () => call(api.reports.form, { params: { id: campaign.id }, query: { stationId, day } }) : null, [mode, campaign.id, stationId, day], ["report."]);

  let figures: Figures | undefined;
  let from = day, to = day, remarks = "", zero = false;
  if (mode === "campaign" && totals.data) ({ figures, from, to } = { figures: totals.data.figures, from: totals.data.from, to: totals.data.to });
  if (mode === "daily" && form.data) {
    figures = form.data.report?.figures ?? form.data.prefill;
    remarks = form.data.report?.remarks ?? "";
    zero = form.data.report ? form.data.report.isZero : form.data.zero;
  }
  const l = lang === "en" ? "en" : "zh-CN";

  return (
    <Space orientation="vertical" size="middle" style={{ width: "100%" }}>
      <Space wrap>
        <Radio.Group value={mode} onChange={(e) => setMode(e.target.value)} optionType="button"
          options={[{ value: "campaign", label: t.print.campaign }, { value: "daily", label: t.print.daily, disabled: !stationId }]} />
        {mode === "daily" && <Input type="date" value={day} min={campaign.startsOn} max={today} onChange={(e) => e.target.value && setDay(e.target.value)} style={{ width: 170 }} />}
        <Button type="primary" icon={<PrinterOutlined />} onClick={() => window.print()} disabled={!figures}>{t.print.button}</Button>
      </Space>
      {figures && (
        <div className="wl-a4" data-testid="print-sheet">
          <h1>{fmt(t.print.heading, { name: campaign.name })}{mode === "daily" ? ` · ${t.print.daily}` : ""}</h1>
          <div className="wl-a4-meta">
            <span>{fmt(t.print.stationLine, { station: unit })}</span>
            <span>{fmt(t.print.period, { from, to })}</span>
          </div>
          {mode === "daily" && zero
            ? <p>{fmt(t.print.zero, { day })}</p>
            : reportSentences(figures, t, l, from, to).map((s, i) => <p key={i}>{s}</p>)}
          <table>
            <thead><tr>{TABLE.map((k) => <th key={k}>{t.figures[k]}</th>)}<th>{t.figures.suppliesValue}</th></tr></thead>
            <tbody><tr>{TABLE.map((k) => <td key={k}>{figures![k]}</td>)}<td>{yuan(figures.suppliesValueFen)}</td></tr></tbody>
          </table>
          {remarks && <p>{t.print.remarks}{remarks}</p>}
          <div className="wl-a4-foot">{fmt(t.print.generated, { at: new Date().toLocaleString() })}</div>
        </div>
      )}
    </Space>
  );
}
