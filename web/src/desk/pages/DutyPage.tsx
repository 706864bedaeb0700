import { useMemo, useState, useSyncExternalStore } from "react";
import { Alert, Button, Card, Space, Table, Tag, Typography, type TableColumnsType } from "antd";
import { useTranslation } from "react-i18next";
import type { DomainEvent } from "../../../../shared/events.js";
import { eventFeed, FEED_SIZE } from "../../realtime/feed.js";
import { useEventStream, useResync } from "../../realtime/hooks.js";
import { useLanguage } from "../../i18n/index.js";
import { useStations } from "../data/stations.js";
import { ConnectionStatus } from "../components/ConnectionStatus.js";

/** A short human hint from a payload, without knowing every event type yet. */
function summarize(payload: Record<string, unknown>): string {
  for (const k of ["name", "title", "callSign", "status", "code"]) {
    const v = payload[k];
    if (typeof v === "string" && v) return v;
  }
  return "";
}

/** Colour by noun so related events are easy to spot in a busy feed. */
function nounColor(type: string): string {
  const palette = ["blue", "green", "orange", "purple", "cyan", "magenta", "gold", "geekblue"];
  const noun = type.split(".")[0] ?? type;
  let h = 0;
  for (const ch of noun) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  return palette[h % palette.length]!;
}

/**
 * Duty room (placeholder for the live map and case queue): shows the live event feed, so one
 * can watch updates arrive, and proves the stream's replay and resync paths end to end.
 */
export function DutyPage() {
  const { t } = useTranslation("desk");
  const [lang] = useLanguage();
  const events = useSyncExternalStore(eventFeed.subscribe, eventFeed.get, eventFeed.get);
  const { lastEventId } = useEventStream();
  const { stations } = useStations();
  const [resynced, setResynced] = useState(false);
  useResync(() => setResynced(true));

  const stationLabel = useMemo(() => {
    const byId = new Map(stations.map((s) => [s.id, `${s.code} · ${s.name}`]));
    return (id: string | null) => (id === null ? t("duty.global") : (byId.get(id) ?? id.slice(0, 8)));
  }, [stations, t]);

  const timeFormat = useMemo(
    () => new Intl.DateTimeFormat(lang, { dateStyle: "short", timeStyle: "medium" }),
    [lang],
  );

  const columns: TableColumnsType<DomainEvent> = [
    { title: t("duty.col.id"), dataIndex: "id", width: 90 },
    {
      title: t("duty.col.type"), dataIndex: "type", width: 220,
      render: (type: string) => <Tag color={nounColor(type)}>{type}</Tag>,
    },
    { title: t("duty.col.time"), dataIndex: "at", width: 200, render: (at: string) => timeFormat.format(new Date(at)) },
    { title: t("duty.col.station"), dataIndex: "stationId", render: (id: string | null) => stationLabel(id) },
    { title: t("duty.col.summary"), dataIndex: "payload", render: (p: Record<string, unknown>) => summarize(p) },
  ];

  return (
    <Space orientation="vertical" size="large" style={{ width: "100%" }}>
      <div>
        <Typography.Title level={3}>{t("duty.title")}</Typography.Title>
        <Typography.Paragraph type="secondary">{t("duty.intro")}</Typography.Paragraph>
      </div>
      {resynced && <Alert type="warning" showIcon closable={{ onClose: () => setResynced(false) }} title={t("duty.resynced")} />}
      <Card
        title={t("duty.feedTitle", { count: FEED_SIZE })}
        extra={
          <Space size="large">
            <ConnectionStatus />
            <Typography.Text type="secondary">{t("duty.lastEventId")}: {lastEventId ?? "—"}</Typography.Text>
            <Button size="small" onClick={eventFeed.clear} disabled={!events.length}>{t("duty.clear")}</Button>
          </Space>
        }
      >
        <div data-testid="event-feed">
          <Table<DomainEvent>
            rowKey="id"
            size="small"
            columns={columns}
            dataSource={events as DomainEvent[]}
            pagination={false}
            locale={{ emptyText: t("duty.empty") }}
            scroll={{ y: 560 }}
          />
        </div>
      </Card>
    </Space>
  );
}
