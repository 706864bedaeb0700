import { useState } from "react";
import { DayPicker } from "../components/DayPicker.js";
import { Alert, App, Button, Card, Descriptions, Input, Space, Tag, Typography } from "antd";
import { useTranslation } from "react-i18next";
import { api, call, type Campaign } from "../../api/client.js";
import type { Me } from "../../../../shared/api/auth.js";
import { errorText } from "../../i18n/errors.js";
import { uuid } from "../../shared-ui/uuid.js";
import { FigureGrid } from "./TotalsPanel.js";
import { useLive, useStationTexts } from "./texts.js";

/**
 * The daily report of one station and day: prefilled from the day's records; the head adds remarks
 * and submits (a zero report when nothing happened). Once submitted it is frozen; corrections are
 * amendments listed beside it.
 */
export function ReportPanel({
  campaign,
  stationId,
  me,
  today,
}: {
  campaign: Campaign;
  stationId: string;
  me: Me;
  today: string;
}) {
  const t = useStationTexts();
  const { t: tc } = useTranslation();
  const { message } = App.useApp();
  const [day, setDay] = useState(today < campaign.endsOn ? today : campaign.endsOn);
  const [remarks, setRemarks] = useState("");
  const [reason, setReason] = useState("");
  const [busy, setBusy] = useState(false);
  const form = useLive(
    () => call(api.reports.form, { params: { id: campaign.id }, query: { stationId, day } }),
    [campaign.id, stationId, day],
    ["report."],
  );
  const f = form.data;
  const isHead = me.role === "head";

  async function run(work: () => Promise<unknown>, ok: string) {
    setBusy(true);
    try {
      await work();
      void message.success(ok);
      form.reload();
    } catch (err) {
      void message.error(errorText(tc, err));
    } finally {
      setBusy(false);
    }
  }
  const submit = (zero: boolean) =>
    run(
      () =>
        call(api.reports.submit, { params: { id: campaign.id }, body: { id: uuid(), stationId, day, remarks, zero } }),
      t.report.done,
    );
  const amend = (reportId: string) =>
    run(async () => {
      await call(api.reports.amend, { params: { id: reportId }, body: { id: uuid(), reason } });
      setReason("");
    }, t.report.done);

  return (
    <Space orientation="vertical" size="middle" style={{ width: "100%" }}>
      <Space>
        <span>{t.report.day}</span>
        <DayPicker
          value={day}
          min={campaign.startsOn}
          max={today < campaign.endsOn ? today : campaign.endsOn}
          onChange={(d) => d && setDay(d)}
          width={170}
          testId="report-day"
        />
      </Space>
      {f?.report ? (
        <Card
          size="small"
          title={
            <Space>
              {t.report.submitted}
              <Tag color={f.report.isZero ? "default" : "green"}>
                {f.report.isZero ? t.report.zeroTag : t.report.dailyTag}
              </Tag>
            </Space>
          }
        >
          <Alert type="info" showIcon title={t.report.frozen} style={{ marginBottom: 12 }} />
          <FigureGrid f={f.report.figures} />
          <Descriptions
            size="small"
            column={1}
            style={{ marginTop: 12 }}
            items={[
              { key: "r", label: t.report.remarks, children: f.report.remarks || "—" },
              { key: "s", label: t.report.submitted, children: new Date(f.report.submittedAt).toLocaleString() },
            ]}
          />
          {f.report.amendments.length > 0 && (
            <Card size="small" type="inner" title={t.report.amendments} style={{ marginTop: 12 }}>
              {f.report.amendments.map((a) => (
                <div key={a.id} style={{ marginBottom: 12 }}>
                  <Typography.Text strong>
                    {new Date(a.amendedAt).toLocaleString()} · {a.reason}
                  </Typography.Text>
                  <FigureGrid f={a.figures} />
                </div>
              ))}
            </Card>
          )}
          {isHead && (
            <Space style={{ marginTop: 12 }}>
              <Input
                value={reason}
                onChange={(e) => setReason(e.target.value)}
                placeholder={t.report.amendReason}
                style={{ width: 320 }}
                maxLength={2000}
              />
              <Button onClick={() => void amend(f.report!.id)} disabled={!reason.trim()} loading={busy}>
                {t.report.amend}
              </Button>
            </Space>
          )}
        </Card>
      ) : f ? (
        <Card size="small" title={t.report.prefill}>
          <FigureGrid f={f.prefill} />
          {f.zero && <Alert type="warning" showIcon title={t.report.zeroHint} style={{ marginTop: 12 }} />}
          <Input.TextArea
            value={remarks}
            onChange={(e) => setRemarks(e.target.value)}
            placeholder={t.report.remarksPh}
            rows={3}
            maxLength={4000}
            style={{ marginTop: 12 }}
          />
          <Space style={{ marginTop: 12 }}>
            {isHead ? (
              f.zero ? (
                <Button type="primary" onClick={() => void submit(true)} loading={busy} data-testid="submit-zero">
                  {t.report.submitZero}
                </Button>
              ) : (
                <Button type="primary" onClick={() => void submit(false)} loading={busy} data-testid="submit-report">
                  {t.report.submit}
                </Button>
              )
            ) : (
              <Typography.Text type="secondary">{t.report.noHead}</Typography.Text>
            )}
          </Space>
        </Card>
      ) : null}
      {form.error != null && <Alert type="error" showIcon title={errorText(tc, form.error)} />}
    </Space>
  );
}
