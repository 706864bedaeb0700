import { useState } from "react";
import { DayPicker } from "../components/DayPicker.js";
import { Button, Input, Radio, Space } from "antd";
import { PrinterOutlined } from "@ant-design/icons";
import { api, call, type Campaign, type Figures } from "../../api/client.js";
import type { Station } from "../../../../shared/api/stations.js";
import { useLanguage } from "../../i18n/index.js";
import { reportPeriod, reportSentences } from "../../../../shared/report-text.js";
import { fmt, useLive, useStationTexts, yuan } from "./texts.js";
import "./station.css";

const TABLE = [
  "patrols",
  "sorties",
  "staffPersonTimes",
  "keyPointsCovered",
  "keyPointVisits",
  "aidedInStation",
  "aidedOnStreet",
  "escortedHome",
  "familyPickup",
  "settled",
  "familiesFound",
  "householdSettled",
  "pastNotice",
  "distributionRecipients",
] as const;

/**
 * A printable A4 daily or campaign report. The daily one prints the submitted (frozen) figures
 * and remarks when there is a report, else the day's figures. The campaign one covers the whole
 * campaign or a chosen range, for one station or rolled up over every station in scope, with
 * each station's own sentences and a table whose last row is the total. Sentences follow official
 * phrasing, built by shared/report-text.ts (the server's GET /api/reports/text uses the same function)
 * from the same figures the totals show, so paper, screen and the official text agree; a submitted
 * daily report prints the text frozen with it.
 */
export function PrintView({
  campaign,
  stationId,
  stations,
  today,
}: {
  campaign: Campaign;
  stationId: string | undefined;
  stations: readonly Station[];
  today: string;
}) {
  const t = useStationTexts();
  const [lang] = useLanguage();
  const [mode, setMode] = useState<"daily" | "campaign">("campaign");
  const lastDay = today < campaign.endsOn ? today : campaign.endsOn;
  const [day, setDay] = useState(lastDay);
  const [range, setRange] = useState({ from: "", to: "" });
  const stationName = (id: string) => stations.find((s) => s.id === id)?.name ?? id;
  const unit = stationId ? stationName(stationId) : stations.map((s) => s.name).join("、");
  const query = { stationId, from: range.from || undefined, to: range.to || undefined };
  const totals = useLive(
    mode === "campaign" ? () => call(api.totals.get, { params: { id: campaign.id }, query }) : null,
    [mode, campaign.id, stationId, range.from, range.to],
    ["report.", "encounter", "patrol", "sortie", "key_point", "stay.", "supply"],
  );
  const form = useLive(
    mode === "daily" && stationId
      ? () => call(api.reports.form, { params: { id: campaign.id }, query: { stationId, day } })
      : null,
    [mode, campaign.id, stationId, day],
    ["report."],
  );

  let figures: Figures | undefined;
  let from = day,
    to = day,
    remarks = "",
    zero = false,
    dayStart = "00:00";
  let frozenText: string[] | undefined;
  const parts =
    mode === "campaign" && !stationId && totals.data && totals.data.byStation.length > 1 ? totals.data.byStation : [];
  if (mode === "campaign" && totals.data)
    ({ figures, from, to, dayStart } = {
      figures: totals.data.figures,
      from: totals.data.from,
      to: totals.data.to,
      dayStart: totals.data.dayStart,
    });
  if (mode === "daily" && form.data) {
    figures = form.data.report?.amendments.at(-1)?.figures ?? form.data.report?.figures ?? form.data.prefill;
    remarks = form.data.report?.remarks ?? "";
    zero = form.data.report ? form.data.report.isZero : form.data.zero;
    dayStart = form.data.dayStart;
  }
  const l = lang === "en" ? "en" : "zh-CN";
  // The latest amendment's frozen text, if any, replaces the submission's.
  const frozen = form.data?.report?.amendments.at(-1)?.text ?? form.data?.report?.text;
  if (mode === "daily" && frozen) frozenText = frozen[l];
  const sentences = (f: Figures, z = false) => reportSentences({ figures: f, from, to, dayStart, lang: l, zero: z });
  const row = (label: string, f: Figures, key: string) => (
    <tr key={key}>
      <td>{label}</td>
      {TABLE.map((k) => (
        <td key={k}>{f[k]}</td>
      ))}
      <td>{yuan(f.suppliesValueFen)}</td>
    </tr>
  );

  return (
    <Space orientation="vertical" size="middle" style={{ width: "100%" }}>
      <Space wrap>
        <Radio.Group
          value={mode}
          onChange={(e) => setMode(e.target.value)}
          optionType="button"
          options={[
            { value: "campaign", label: t.print.campaign },
            { value: "daily", label: t.print.daily, disabled: !stationId },
          ]}
        />
        {mode === "daily" && (
          <DayPicker
            value={day}
            min={campaign.startsOn}
            max={today}
            onChange={(d) => d && setDay(d)}
            width={170}
            testId="print-day"
          />
        )}
        {mode === "campaign" && (
          <>
            <span>{t.print.from}</span>
            <DayPicker
              value={range.from}
              min={campaign.startsOn}
              max={lastDay}
              allowClear
              onChange={(d) => setRange((r) => ({ ...r, from: d }))}
              testId="print-from"
            />
            <span>{t.print.to}</span>
            <DayPicker
              value={range.to}
              min={campaign.startsOn}
              max={lastDay}
              allowClear
              onChange={(d) => setRange((r) => ({ ...r, to: d }))}
              testId="print-to"
            />
            <Button onClick={() => setRange({ from: "", to: "" })} disabled={!range.from && !range.to}>
              {t.print.wholeCampaign}
            </Button>
          </>
        )}
        <Button type="primary" icon={<PrinterOutlined />} onClick={() => window.print()} disabled={!figures}>
          {t.print.button}
        </Button>
      </Space>
      {figures && (
        <div className="wl-a4" data-testid="print-sheet">
          <h1>
            {fmt(t.print.heading, { name: campaign.name })}
            {mode === "daily" ? ` · ${t.print.daily}` : ""}
          </h1>
          <div className="wl-a4-meta">
            <span>{fmt(t.print.stationLine, { station: unit })}</span>
            <span>{fmt(t.print.period, { period: reportPeriod(from, to, dayStart, l) })}</span>
          </div>
          {(frozenText ?? sentences(figures, mode === "daily" && zero)).map((s, i) => (
            <p key={i} data-testid="print-sentence">
              {s}
            </p>
          ))}
          {parts.length > 0 && (
            <>
              <h2 style={{ fontSize: "14pt", margin: "4mm 0 2mm" }}>{t.print.byStation}</h2>
              {parts.map((p) => (
                <p key={p.stationId} data-testid="print-station-sentence">
                  {fmt(t.print.stationSentence, { station: stationName(p.stationId) })}
                  {sentences(p.figures).join(l === "en" ? " " : "")}
                </p>
              ))}
            </>
          )}
          <table>
            <thead>
              <tr>
                <th>{t.station}</th>
                {TABLE.map((k) => (
                  <th key={k}>{t.figures[k]}</th>
                ))}
                <th>{t.figures.suppliesValue}</th>
              </tr>
            </thead>
            <tbody>
              {parts.map((p) => row(stationName(p.stationId), p.figures, p.stationId))}
              {row(parts.length ? t.print.rollup : unit, figures, "total")}
            </tbody>
          </table>
          {remarks && (
            <p>
              {t.print.remarks}
              {remarks}
            </p>
          )}
          <div className="wl-a4-sign" data-testid="print-signatures">
            {[t.print.preparedBy, t.print.reviewedBy, t.print.unitHead].map((label) => (
              <span key={label}>
                {label}
                <span className="wl-a4-line" />
              </span>
            ))}
          </div>
          <div className="wl-a4-seal">
            <span>{t.print.seal}</span>
            <span>{t.print.date}</span>
          </div>
          <div className="wl-a4-foot">{fmt(t.print.generated, { at: new Date().toLocaleString() })}</div>
        </div>
      )}
    </Space>
  );
}
