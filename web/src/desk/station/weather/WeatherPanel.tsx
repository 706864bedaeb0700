import { useState } from "react";
import { Alert, App, Button, Card, Col, List, Row, Space, Table, Tag, Typography } from "antd";
import { UploadOutlined } from "@ant-design/icons";
import { useTranslation } from "react-i18next";
import { api, call, type WeatherReading } from "../../../api/client.js";
import type { AlertLevel } from "../../../../../shared/vocab.js";
import { errorText } from "../../../i18n/errors.js";
import { fmt, useLive, useStationTexts } from "../texts.js";
import { encodeFile, fileProblems, reasonText, useWeatherTexts } from "./texts.js";
import { WeatherBacktest } from "./WeatherBacktest.js";
import { WeatherEntry } from "./WeatherEntry.js";
import { WeatherRule } from "./WeatherRule.js";

const COLORS: Record<AlertLevel, string> = { blue: "blue", yellow: "gold", orange: "orange", red: "red" };
const LIVE = ["weather.", "campaign.alert_changed"];

/**
 * Weather on the station page (issue 19): the proposal of the cold rule for tonight with its reasons
 * in words and a one-action confirm (heads for their station, supervisors for a station they pick),
 * the latest readings per region, the CSV upload, and the backtest. Every text from the server or a
 * file is shown as text.
 */
export function WeatherPanel({
  stationId,
  canWrite,
  isAdmin,
  isHead,
  today,
}: {
  stationId: string | undefined;
  canWrite: boolean;
  isAdmin: boolean;
  isHead: boolean;
  today: string;
}) {
  const w = useWeatherTexts();
  const readings = useLive(() => call(api.weather.readings, { query: { stationId } }), [stationId], LIVE);
  return (
    <Space orientation="vertical" size="middle" style={{ width: "100%" }} data-testid="weather-panel">
      <Row gutter={16}>
        <Col xs={24} xl={12}>
          {stationId ? (
            <ProposalCard stationId={stationId} canWrite={canWrite} isAdmin={isAdmin} />
          ) : (
            <Alert type="info" showIcon title={w.pickStation} />
          )}
        </Col>
        <Col xs={24} xl={12}>
          {canWrite && <UploadCard onDone={readings.reload} />}
        </Col>
      </Row>
      {canWrite && <WeatherEntry stationId={stationId} today={today} localOnly={isHead} onDone={readings.reload} />}
      <ReadingsTable items={readings.data?.items ?? []} loading={readings.loading} />
      {stationId && canWrite && <WeatherBacktest stationId={stationId} />}
    </Space>
  );
}

function ProposalCard({ stationId, canWrite, isAdmin }: { stationId: string; canWrite: boolean; isAdmin: boolean }) {
  const w = useWeatherTexts();
  const t = useStationTexts();
  const { t: tc } = useTranslation();
  const { message } = App.useApp();
  const [busy, setBusy] = useState(false);
  const p = useLive(() => call(api.weather.proposal, { query: { stationId } }), [stationId], LIVE);
  const d = p.data;

  async function confirm(id: string) {
    setBusy(true);
    try {
      await call(api.weather.confirm, { params: { id } });
      void message.success(w.confirmedOk);
      p.reload();
    } catch (err) {
      void message.error(errorText(tc, err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Card title={w.proposalTitle} size="small" loading={p.loading && !d}>
      {p.error != null && <Alert type="error" showIcon title={errorText(tc, p.error)} />}
      {d && (
        <Space orientation="vertical" style={{ width: "100%" }}>
          <Space wrap>
            <span>{w.proposed}</span>
            <Tag color={d.level ? COLORS[d.level] : undefined} data-testid="weather-proposed-level">
              {d.level ? t.alert.levels[d.level] : w.none}
            </Tag>
            <span>{w.current}</span>
            <Tag color={d.currentLevel ? COLORS[d.currentLevel] : undefined} data-testid="weather-current-level">
              {d.currentLevel ? t.alert.levels[d.currentLevel] : w.none}
            </Tag>
            <Typography.Text type="secondary">{d.date}</Typography.Text>
          </Space>
          {!d.reading && <Typography.Text>{w.noReading}</Typography.Text>}
          {d.reading && (
            <Typography.Text type="secondary">
              {fmt(w.basedOn, {
                region: d.reading.regionName,
                date: d.reading.date,
                min: d.reading.minTempC,
                wind: d.reading.windForce,
                feels: d.reading.feelsLikeC === null ? "" : fmt(w.feelsGiven, { feels: d.reading.feelsLikeC }),
              })}
            </Typography.Text>
          )}
          {d.reading && !d.level && <Typography.Text>{w.noLevel}</Typography.Text>}
          {d.reasons.length > 0 && (
            <List
              size="small"
              header={<Typography.Text strong>{w.reasons}</Typography.Text>}
              dataSource={d.reasons}
              data-testid="weather-reasons"
              renderItem={(r) => <List.Item>{reasonText(w, t.alert.levels, r)}</List.Item>}
            />
          )}
          {d.level && d.cadence && (
            <Typography.Text>
              {fmt(w.effects, {
                kp: d.cadence.keyPointHours,
                re: d.cadence.recheckHours,
                shelters: d.cadence.shelterHours === "all_day" ? w.sheltersAllDay : w.sheltersNight,
              })}
            </Typography.Text>
          )}
          {d.level && !d.campaignId && <Alert type="warning" showIcon title={w.noCampaign} />}
          {d.confirmed ? (
            <Typography.Text type="success" data-testid="weather-confirmed">
              {fmt(w.confirmed, { at: new Date(d.confirmed.setAt).toLocaleString() })}
            </Typography.Text>
          ) : (
            canWrite &&
            d.level &&
            d.id &&
            d.campaignId && (
              <Button
                type="primary"
                danger={d.level === "red" || d.level === "orange"}
                loading={busy}
                onClick={() => void confirm(d.id!)}
                data-testid="weather-confirm"
              >
                {fmt(w.confirm, { level: t.alert.levels[d.level] })}
              </Button>
            )
          )}
          <WeatherRule rule={d.rule} canEdit={isAdmin} onSaved={p.reload} />
        </Space>
      )}
    </Card>
  );
}

function UploadCard({ onDone }: { onDone: () => void }) {
  const w = useWeatherTexts();
  const { t: tc } = useTranslation();
  const { message } = App.useApp();
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  async function upload(file: File | undefined) {
    if (!file) return;
    setBusy(true);
    setError(null);
    try {
      const r = await call(api.weather.upload, { body: await encodeFile(file) });
      void message.success(fmt(w.uploaded, { created: r.created, updated: r.updated, unchanged: r.unchanged }));
      onDone();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  const problems = fileProblems(error);
  return (
    <Card title={w.uploadTitle} size="small">
      <Space orientation="vertical" style={{ width: "100%" }}>
        <Typography.Text type="secondary">{w.uploadHint}</Typography.Text>
        <label>
          <Typography.Text>
            <UploadOutlined /> {w.uploadFile}{" "}
          </Typography.Text>
          <input
            type="file"
            accept=".csv,.xlsx,text/csv"
            disabled={busy}
            data-testid="weather-file"
            onChange={(e) => {
              void upload(e.target.files?.[0]);
              e.target.value = "";
            }}
          />
        </label>
        {error != null && problems.length === 0 && <Alert type="error" showIcon title={errorText(tc, error)} />}
        {problems.length > 0 && (
          <Alert
            type="error"
            showIcon
            title={w.problems}
            description={
              <ul style={{ margin: 0 }} data-testid="weather-file-problems">
                {problems.map((p, i) => (
                  <li key={i}>{fmt(w.problemLine, p)}</li>
                ))}
              </ul>
            }
          />
        )}
      </Space>
    </Card>
  );
}

function ReadingsTable({ items, loading }: { items: WeatherReading[]; loading: boolean }) {
  const w = useWeatherTexts();
  const t = useStationTexts();
  return (
    <Card title={w.readingsTitle} size="small">
      <Table<WeatherReading>
        size="small"
        rowKey="id"
        loading={loading && !items.length}
        dataSource={items}
        pagination={{ pageSize: 10, hideOnSinglePage: true }}
        data-testid="weather-readings"
        columns={[
          { title: w.region, dataIndex: "regionName" },
          { title: w.date, dataIndex: "date" },
          { title: w.minTemp, dataIndex: "minTempC" },
          { title: w.wind, dataIndex: "windForce" },
          { title: w.feelsLike, render: (_, r) => r.feelsLikeC ?? "—" },
          {
            title: w.signal,
            render: (_, r) =>
              r.officialSignal ? <Tag color={COLORS[r.officialSignal]}>{t.alert.levels[r.officialSignal]}</Tag> : "—",
          },
          { title: w.source, render: (_, r) => w.sources[r.source] },
        ]}
      />
    </Card>
  );
}
