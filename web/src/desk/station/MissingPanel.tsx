import { Alert, Table, Tag } from "antd";
import { api, call, type Campaign } from "../../api/client.js";
import { useLive, useStationTexts } from "./texts.js";

/** Which stations have not reported, longest silence first: silence is never mistaken for calm. */
export function MissingPanel({ campaign }: { campaign: Campaign }) {
  const t = useStationTexts();
  const m = useLive(() => call(api.reports.missing, { params: { id: campaign.id } }), [campaign.id], ["report."]);
  const late = (m.data?.items ?? []).filter((i) => i.missingCount > 0);
  return (
    <>
      {m.data && !late.length && <Alert type="success" showIcon title={t.missing.none} style={{ marginBottom: 12 }} />}
      <Table
        size="small"
        rowKey="stationId"
        loading={m.loading && !m.data}
        dataSource={m.data?.items ?? []}
        pagination={false}
        data-testid="missing-table"
        columns={[
          { title: t.station, render: (_, i) => `${i.code} ${i.name}` },
          {
            title: t.missing.missingCount,
            render: (_, i) => (i.missingCount ? <Tag color="red">{i.missingCount}</Tag> : 0),
          },
          { title: t.missing.overdue, dataIndex: "overdueDays" },
          { title: t.missing.last, render: (_, i) => i.lastReportedDay ?? "—" },
          { title: t.missing.reportedToday, render: (_, i) => (i.reportedToday ? "✓" : "—") },
          {
            title: t.missing.days,
            render: (_, i) => (i.missingCount > 7 ? "… " : "") + i.missingDays.slice(-7).join(", "),
          },
        ]}
      />
    </>
  );
}
