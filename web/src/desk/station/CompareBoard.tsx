import { useMemo } from "react";
import { Table, Tag, Typography } from "antd";
import { api, call, type Campaign } from "../../api/client.js";
import { TOTALS_EVENTS, useLive, useStationTexts } from "./texts.js";
import { percent, useOutcomes } from "./OutcomesPanel.js";

interface StationRef {
  id: string;
  name: string;
  code: string;
}

/** Seconds as minutes, one decimal ("—" when there was no response). */
const minutes = (s: number | null) => (s === null ? "—" : (s / 60).toFixed(1));

/**
 * The supervisor's comparison of stations at a glance (市/区民政局): main figures and response
 * times from the campaign totals, outcome measures (new to the street, out again the next night over
 * closed windows, engagement rate, returners), overdue key-point checks from due-now, missing days and zero
 * reports from the reports. Every figure comes from the endpoints the station view uses, in the
 * caller's scope; clicking a station opens that station's view.
 */
export function CompareBoard({
  campaign,
  stations,
  regionId,
  from,
  to,
  onPick,
}: {
  campaign: Campaign;
  stations: StationRef[];
  regionId: string | undefined;
  from: string;
  to: string;
  onPick: (stationId: string) => void;
}) {
  const t = useStationTexts();
  const c = t.compare;
  const totals = useLive(
    () =>
      call(api.totals.get, {
        params: { id: campaign.id },
        query: { regionId, from: from || undefined, to: to || undefined },
      }),
    [campaign.id, regionId, from, to],
    TOTALS_EVENTS,
  );
  const outcomes = useOutcomes(campaign.id, { regionId, from: from || undefined, to: to || undefined });
  const due = useLive(() => call(api.campaigns.dueNow), [], ["keypoint", "key_point", "patrol"]);
  const missing = useLive(() => call(api.reports.missing, { params: { id: campaign.id } }), [campaign.id], ["report."]);
  const reports = useLive(
    () => call(api.reports.list, { params: { id: campaign.id }, query: { limit: 500 } }),
    [campaign.id],
    ["report."],
  );

  const rows = useMemo(() => {
    const byId = new Map(stations.map((s) => [s.id, s]));
    return (totals.data?.byStation ?? []).map(({ stationId, figures }) => {
      const m = missing.data?.items.find((i) => i.stationId === stationId);
      return {
        stationId,
        name: byId.get(stationId)?.name ?? m?.name ?? stationId.slice(0, 6),
        figures,
        outcomes: outcomes.data?.byStation.find((o) => o.stationId === stationId)?.measures,
        overdue: (due.data?.keyPoints ?? []).filter((k) => k.stationId === stationId && k.state === "overdue").length,
        missingCount: m?.missingCount ?? 0,
        reportedToday: m?.reportedToday ?? false,
        zero: (reports.data?.items ?? []).filter((r) => r.stationId === stationId && r.isZero).length,
      };
    });
  }, [stations, totals.data, outcomes.data, due.data, missing.data, reports.data]);

  return (
    <>
      <Typography.Paragraph type="secondary">{c.hint}</Typography.Paragraph>
      <Table
        size="small"
        rowKey="stationId"
        data-testid="compare-table"
        loading={totals.loading && !totals.data}
        dataSource={rows}
        pagination={false}
        scroll={{ x: "max-content" }}
        onRow={(r) => ({ onClick: () => onPick(r.stationId), style: { cursor: "pointer" } })}
        columns={[
          { title: t.station, dataIndex: "name", fixed: "left" },
          {
            title: c.patrols,
            render: (_, r) => r.figures.patrols,
            sorter: (a, b) => a.figures.patrols - b.figures.patrols,
          },
          { title: c.found, render: (_, r) => r.figures.foundPersonTimes },
          { title: c.persons, render: (_, r) => r.figures.foundPersons },
          { title: c.aided, render: (_, r) => r.figures.aidedTotal },
          { title: c.newPersons, render: (_, r) => r.outcomes?.newPersons ?? "—" },
          {
            title: c.again1,
            render: (_, r) => {
              const w = r.outcomes?.windows[0];
              return w ? percent(w.returnedOfClosed, w.closed) : "—";
            },
          },
          {
            title: c.engagement,
            render: (_, r) => (r.outcomes ? percent(r.outcomes.engagedPersons, r.outcomes.contactPersons) : "—"),
          },
          { title: c.returners, render: (_, r) => r.outcomes?.returners ?? "—" },
          { title: c.families, render: (_, r) => r.figures.familiesFound },
          { title: c.settledLocal, render: (_, r) => r.figures.householdSettled },
          {
            title: c.pastNotice,
            sorter: (a, b) => a.figures.pastNotice - b.figures.pastNotice,
            render: (_, r) => (r.figures.pastNotice ? <Tag color="red">{r.figures.pastNotice}</Tag> : 0),
          },
          {
            title: c.pastSteps,
            render: (_, r) =>
              r.figures.pastFingerprintCheck + r.figures.pastDnaRequest + r.figures.pastSettleReview || 0,
          },
          { title: c.p50, render: (_, r) => minutes(r.figures.responseP50Sec) },
          { title: c.p90, render: (_, r) => minutes(r.figures.responseP90Sec) },
          {
            title: c.overdue,
            sorter: (a, b) => a.overdue - b.overdue,
            render: (_, r) => (r.overdue ? <Tag color="red">{r.overdue}</Tag> : 0),
          },
          {
            title: c.missing,
            sorter: (a, b) => a.missingCount - b.missingCount,
            render: (_, r) => (r.missingCount ? <Tag color="red">{r.missingCount}</Tag> : 0),
          },
          { title: c.zero, render: (_, r) => r.zero },
          { title: c.today, render: (_, r) => (r.reportedToday ? "✓" : <Tag color="orange">{c.notYet}</Tag>) },
        ]}
      />
    </>
  );
}
