import { Select, Space } from "antd";
import type { Station } from "../../../../shared/api/stations.js";
import type { QueueFilter, QueueStatus } from "../../../../shared/queue.js";
import { ACTIVE_CASE_STATUSES } from "../../../../shared/status.js";
import { URGENCIES, type Urgency } from "../../../../shared/vocab.js";
import { fmt, useDutyTexts } from "./texts.js";

/** Waiting-time choices, minutes. */
const WAITS = [15, 60, 240];
const ALL = "";

/** The queue's filters: status, urgency, station (when there is more than one) and waiting time. */
export function QueueFilters({
  filter,
  stations,
  onChange,
}: {
  filter: QueueFilter;
  stations: readonly Station[];
  onChange: (f: QueueFilter) => void;
}) {
  const tx = useDutyTexts();
  const set = (patch: Partial<QueueFilter>) => onChange({ ...filter, ...patch });
  return (
    <Space size={4} wrap className="wl-duty-qfilters" role="group" aria-label={tx.queue.filters}>
      <Select<QueueStatus>
        size="small"
        data-testid="queue-filter-status"
        aria-label={tx.queue.allStatuses}
        value={filter.status}
        popupMatchSelectWidth={false}
        options={[
          { value: "active", label: tx.queue.allStatuses },
          ...ACTIVE_CASE_STATUSES.map((s) => ({ value: s, label: tx.status[s] })),
        ]}
        onChange={(status) => set({ status })}
      />
      <Select<Urgency | typeof ALL>
        size="small"
        data-testid="queue-filter-urgency"
        aria-label={tx.queue.allUrgencies}
        value={filter.urgency ?? ALL}
        popupMatchSelectWidth={false}
        options={[
          { value: ALL, label: tx.queue.allUrgencies },
          ...URGENCIES.map((u) => ({ value: u, label: tx.urgency[u] })),
        ]}
        onChange={(u) => set({ urgency: u || undefined })}
      />
      {stations.length > 1 && (
        <Select<string>
          size="small"
          data-testid="queue-filter-station"
          aria-label={tx.queue.allStations}
          value={filter.stationId ?? ALL}
          popupMatchSelectWidth={false}
          options={[
            { value: ALL, label: tx.queue.allStations },
            ...stations.map((s) => ({ value: s.id, label: s.name })),
          ]}
          onChange={(id) => set({ stationId: id || undefined })}
        />
      )}
      <Select<number>
        size="small"
        data-testid="queue-filter-wait"
        aria-label={tx.queue.anyWait}
        value={filter.minWaitMin ?? 0}
        popupMatchSelectWidth={false}
        options={[
          { value: 0, label: tx.queue.anyWait },
          ...WAITS.map((min) => ({ value: min, label: fmt(tx.queue.waitAtLeast, { min }) })),
        ]}
        onChange={(min) => set({ minWaitMin: min || undefined })}
      />
    </Space>
  );
}
