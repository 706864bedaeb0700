import { useState } from "react";
import { Alert, Button, Card, Space, Table, Tag, Typography } from "antd";
import { useTranslation } from "react-i18next";
import { api, call } from "../../../api/client.js";
import type { AlertLevel } from "../../../../../shared/vocab.js";
import type { EndpointOutput } from "../../../../../shared/api/endpoint.js";
import { errorText } from "../../../i18n/errors.js";
import { fmt, useStationTexts } from "../texts.js";
import { encodeFile, fileProblems, reasonText, useWeatherTexts } from "./texts.js";

const COLORS: Record<AlertLevel, string> = { blue: "blue", yellow: "gold", orange: "orange", red: "red" };
type Result = EndpointOutput<typeof api.weather.backtest>;

/**
 * The backtest (issue 19): the nights the city's rule would have set higher than the level set at
 * the station, over the stored weather of its regions or an uploaded winter.
 */
export function WeatherBacktest({ stationId }: { stationId: string }) {
  const w = useWeatherTexts();
  const t = useStationTexts();
  const { t: tc } = useTranslation();
  const [result, setResult] = useState<Result | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  async function run(file?: File) {
    setBusy(true);
    setError(null);
    try {
      setResult(
        await call(api.weather.backtest, {
          body: { stationId, ...(file ? { file: await encodeFile(file) } : {}) },
        }),
      );
    } catch (err) {
      setError(err);
      setResult(null);
    } finally {
      setBusy(false);
    }
  }

  const problems = fileProblems(error);
  return (
    <Card title={w.backtestTitle} size="small">
      <Space orientation="vertical" style={{ width: "100%" }}>
        <Space wrap>
          <Button onClick={() => void run()} loading={busy} data-testid="weather-backtest">
            {w.backtestRun}
          </Button>
          <label>
            <Typography.Text>{w.backtestFile} </Typography.Text>
            <input
              type="file"
              accept=".csv,.xlsx,text/csv"
              disabled={busy}
              onChange={(e) => {
                const f = e.target.files?.[0];
                if (f) void run(f);
                e.target.value = "";
              }}
            />
          </label>
        </Space>
        {error != null && (
          <Alert
            type="error"
            showIcon
            title={errorText(tc, error)}
            description={
              problems.length ? (
                <ul style={{ margin: 0 }}>
                  {problems.map((p, i) => (
                    <li key={i}>{fmt(w.problemLine, p)}</li>
                  ))}
                </ul>
              ) : undefined
            }
          />
        )}
        {result && (
          <>
            <Typography.Text data-testid="weather-backtest-summary">
              {fmt(w.backtestSummary, {
                nights: result.nights,
                from: result.from ?? "—",
                to: result.to ?? "—",
                n: result.items.length,
              })}
            </Typography.Text>
            <Table
              size="small"
              rowKey="date"
              dataSource={result.items}
              pagination={{ pageSize: 15, hideOnSinglePage: true }}
              locale={{ emptyText: w.backtestNone }}
              data-testid="weather-backtest-table"
              columns={[
                { title: w.night, dataIndex: "date" },
                {
                  title: w.proposed,
                  render: (_, u) => <Tag color={COLORS[u.proposed]}>{t.alert.levels[u.proposed]}</Tag>,
                },
                {
                  title: w.set,
                  render: (_, u) => (u.set ? <Tag color={COLORS[u.set]}>{t.alert.levels[u.set]}</Tag> : w.none),
                },
                {
                  title: w.reasons,
                  render: (_, u) => (
                    <ul style={{ margin: 0, paddingInlineStart: 16 }}>
                      {u.reasons.map((r, i) => (
                        <li key={i}>{reasonText(w, t.alert.levels, r)}</li>
                      ))}
                    </ul>
                  ),
                },
              ]}
            />
          </>
        )}
      </Space>
    </Card>
  );
}
