import { useMemo } from "react";
import { Table, type TableColumnsType } from "antd";
import { useTranslation } from "react-i18next";
import type { Region, Station } from "../../../../shared/api/stations.js";

/** The station list of the admin page. */
export function StationsTable({
  stations,
  regions,
  loading,
}: {
  stations: readonly Station[];
  regions: readonly Region[];
  loading: boolean;
}) {
  const { t } = useTranslation("desk");
  const regionName = useMemo(() => new Map(regions.map((r) => [r.id, r.name])), [regions]);
  const columns: TableColumnsType<Station> = [
    { title: t("station.col.code"), dataIndex: "code", width: 90, sorter: (a, b) => a.code.localeCompare(b.code) },
    { title: t("station.col.name"), dataIndex: "name" },
    { title: t("station.col.region"), dataIndex: "regionId", render: (id: string) => regionName.get(id) ?? "—" },
    { title: t("station.col.address"), dataIndex: "address" },
    { title: t("station.col.hotline"), dataIndex: "hotline", width: 150 },
    { title: t("station.col.beds"), dataIndex: "beds", width: 80, align: "right" },
    {
      title: t("station.col.position"),
      key: "position",
      width: 190,
      // WGS-84 as stored; 5 decimals is about a metre, enough to find the door.
      render: (_, s) => `${s.lat.toFixed(5)}, ${s.lng.toFixed(5)}`,
    },
  ];
  return (
    <Table<Station>
      rowKey="id"
      size="middle"
      columns={columns}
      dataSource={stations as Station[]}
      loading={loading}
      pagination={{ pageSize: 50, hideOnSinglePage: true }}
    />
  );
}
