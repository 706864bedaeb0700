import { Alert, Card, Col, Collapse, Row, Statistic, Table, Typography } from "antd";
import { useTranslation } from "react-i18next";
import { api, call } from "../../api/client.js";
import type { OutcomeMeasures } from "../../../../shared/api/outcomes.js";
import type { Station } from "../../../../shared/api/stations.js";
import { ratio } from "../../../../shared/outcomes.js";
import { errorText } from "../../i18n/errors.js";
import { fmt, useLive, useStationTexts } from "./texts.js";

/** The query of the page: one station or a region (or all in scope) and the days. */
interface OutcomesQuery {
  stationId?: string;
  regionId?: string;
  from?: string;
  to?: string;
}

/** A share as "62.5%", or a dash when nothing to divide by. */
export function percent(num: number, den: number): string {
  const r = ratio(num, den);
  return r === null ? "—" : `${(Math.round(r * 1000) / 10).toFixed(1)}%`;
}

/** Loads the outcome measures of a scope, refetched when encounters or people change. */
export function useOutcomes(campaignId: string, q: OutcomesQuery) {
  return useLive(
    () => call(api.outcomes.get, { params: { id: campaignId }, query: q }),
    [campaignId, q.stationId, q.regionId, q.from, q.to],
    ["encounter", "person."],
  );
}

/**
 * Outcome measures on the station page (shared/outcomes.ts): contacts against engagement, people new
 * to the street and whether they were seen again within 1, 7 and 30 nights (open windows shown apart),
 * returners, and the definitions in words. Counts only: no person is named.
 */
export function OutcomesPanel({
  campaignId,
  query,
  stations,
}: {
  campaignId: string;
  query: OutcomesQuery;
  stations: readonly Station[];
}) {
  const t = useStationTexts();
  const o = t.measures;
  const { t: tc } = useTranslation();
  const data = useOutcomes(campaignId, query);
  const r = data.data;
  const m = r?.measures;
  const start = r?.dayStart ?? "08:00";
  const name = (id: string) => stations.find((s) => s.id === id)?.name ?? id;

  return (
    <section aria-labelledby="outcomes-title" data-testid="outcomes-panel">
      <Card
        size="small"
        loading={data.loading && !r}
        title={
          <span id="outcomes-title" role="heading" aria-level={2}>
            {o.title}
          </span>
        }
      >
        {data.error != null && <Alert type="error" showIcon title={errorText(tc, data.error)} />}
        {r && m && (
          <>
            <Typography.Paragraph type="secondary">{fmt(o.hint, { start, asOf: r.asOf })}</Typography.Paragraph>
            <Row gutter={[12, 12]}>
              <Col xs={12} md={8} xl={4}>
                <Statistic
                  title={o.contacts}
                  value={fmt(o.personTimes, { n: m.contacts })}
                  suffix={<small>{fmt(o.persons, { n: m.contactPersons })}</small>}
                  data-testid="out-contacts"
                />
              </Col>
              <Col xs={12} md={8} xl={4}>
                <Statistic
                  title={o.engaged}
                  value={fmt(o.personTimes, { n: m.engagedContacts })}
                  suffix={<small>{fmt(o.persons, { n: m.engagedPersons })}</small>}
                  data-testid="out-engaged"
                />
              </Col>
              <Col xs={12} md={8} xl={4}>
                <Statistic
                  title={o.engagementRate}
                  value={percent(m.engagedPersons, m.contactPersons)}
                  suffix={<small>{fmt(o.rateOf, { num: m.engagedPersons, den: m.contactPersons })}</small>}
                  data-testid="out-engagement-rate"
                />
              </Col>
              <Col xs={12} md={8} xl={4}>
                <Statistic
                  title={o.newPersons}
                  value={fmt(o.persons, { n: m.newPersons })}
                  data-testid="out-new-persons"
                />
              </Col>
              <Col xs={12} md={8} xl={4}>
                <Statistic title={o.returners} value={fmt(o.persons, { n: m.returners })} data-testid="out-returners" />
              </Col>
              <Col xs={12} md={8} xl={4}>
                <Statistic title={o.untracked} value={fmt(o.personTimes, { n: m.untrackedContacts })} />
              </Col>
            </Row>
            <WindowsTable m={m} />
            {r.byStation.length > 1 && (
              <Table
                size="small"
                rowKey="stationId"
                pagination={false}
                style={{ marginTop: 12 }}
                dataSource={r.byStation}
                columns={[
                  { title: t.station, render: (_, s) => name(s.stationId) },
                  { title: o.newPersons, render: (_, s) => s.measures.newPersons },
                  ...r.measures.windows.map((w, i) => ({
                    title: `${fmt(o.nights, { n: w.nights })} · ${o.rate}`,
                    render: (_: unknown, s: { measures: OutcomeMeasures }) =>
                      percent(s.measures.windows[i]!.returnedOfClosed, s.measures.windows[i]!.closed),
                  })),
                  {
                    title: o.engagementRate,
                    render: (_, s) => percent(s.measures.engagedPersons, s.measures.contactPersons),
                  },
                  { title: o.returners, render: (_, s) => s.measures.returners },
                ]}
              />
            )}
            <Collapse
              ghost
              style={{ marginTop: 8 }}
              items={[
                {
                  key: "defs",
                  label: o.definitionsTitle,
                  children: (
                    <ul data-testid="outcomes-definitions">
                      {Object.entries(o.definitions).map(([k, text]) => (
                        <li key={k}>{fmt(text, { start })}</li>
                      ))}
                    </ul>
                  ),
                },
              ]}
            />
          </>
        )}
      </Card>
    </section>
  );
}

/** Seen again within 1, 7 and 30 nights: counts, open windows, and the rate over closed windows. */
function WindowsTable({ m }: { m: OutcomeMeasures }) {
  const o = useStationTexts().measures;
  return (
    <Table
      size="small"
      rowKey="nights"
      pagination={false}
      style={{ marginTop: 12 }}
      title={() => <span>{o.windowsTitle}</span>}
      data-testid="outcomes-windows"
      dataSource={m.windows}
      columns={[
        { title: o.window, render: (_, w) => fmt(o.nights, { n: w.nights }) },
        { title: o.returned, dataIndex: "returned" },
        { title: o.notReturned, dataIndex: "notReturned" },
        { title: o.pending, dataIndex: "pending" },
        {
          title: o.rate,
          render: (_, w) => `${percent(w.returnedOfClosed, w.closed)} (${w.returnedOfClosed} / ${w.closed})`,
        },
      ]}
    />
  );
}
