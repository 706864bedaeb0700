import { useEffect, useRef } from "react";
import { Card, Empty, Spin } from "antd";
import { useVirtualizer } from "@tanstack/react-virtual";
import type { Case } from "../../../../shared/api/cases.js";
import type { Station } from "../../../../shared/api/stations.js";
import type { QueueFilter } from "../../../../shared/queue.js";
import { QueueFilters } from "./QueueFilters.js";
import { QueueRow } from "./QueueRow.js";
import { fmt, useDutyTexts } from "./texts.js";

/** A row's height before it is measured (one line of tags and one of meta). */
const ROW_ESTIMATE = 64;
/** Ask for the next page when the last rendered row is this close to the end of what is held. */
const PREFETCH_ROWS = 20;

/**
 * The queue beside the map: most urgent first, then longest waiting, with a live timer since the
 * first call. Virtualized: only the rows on screen (and a few around) are in the DOM, so thousands
 * of open cases cost what twenty do. The title says how many are held of how many match; scrolling
 * near the end fetches the next page, so every case can be reached.
 */
export function QueueList({
  cases,
  total,
  complete,
  loadingMore,
  filter,
  stations,
  selectedId,
  onSelect,
  onFilter,
  onNeedMore,
}: {
  cases: readonly Case[];
  total: number;
  complete: boolean;
  loadingMore: boolean;
  filter: QueueFilter;
  stations: readonly Station[];
  selectedId: string | null;
  onSelect: (id: string) => void;
  onFilter: (f: QueueFilter) => void;
  onNeedMore: () => void;
}) {
  const tx = useDutyTexts();
  const scroller = useRef<HTMLDivElement>(null);
  const v = useVirtualizer({
    count: cases.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_ESTIMATE,
    getItemKey: (i) => cases[i]!.id,
    overscan: 6,
  });
  const rows = v.getVirtualItems();
  const lastShown = rows.at(-1)?.index ?? -1;
  useEffect(() => {
    if (!complete && !loadingMore && lastShown >= cases.length - PREFETCH_ROWS) onNeedMore();
  }, [complete, loadingMore, lastShown, cases.length, onNeedMore]);

  const title =
    complete && cases.length === total
      ? fmt(tx.queue.title, { count: total })
      : fmt(tx.queue.titleOf, { shown: cases.length, total });
  return (
    <Card
      size="small"
      title={
        <span data-testid="queue-title" data-total={total} data-shown={cases.length}>
          {title}
        </span>
      }
      styles={{ body: { padding: 0 } }}
      className="wl-duty-queue-card"
    >
      <QueueFilters filter={filter} stations={stations} onChange={onFilter} />
      <div className="wl-duty-queue" data-testid="queue" ref={scroller} id="wl-queue" tabIndex={-1}>
        {cases.length === 0 && <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={tx.queue.empty} />}
        <div style={{ height: v.getTotalSize(), position: "relative" }}>
          <div
            style={{
              position: "absolute",
              top: 0,
              left: 0,
              right: 0,
              transform: `translateY(${rows[0]?.start ?? 0}px)`,
            }}
          >
            {rows.map((r) => {
              const c = cases[r.index]!;
              return (
                <QueueRow
                  key={c.id}
                  c={c}
                  index={r.index}
                  measure={v.measureElement}
                  selected={selectedId === c.id}
                  onSelect={onSelect}
                />
              );
            })}
          </div>
        </div>
        {loadingMore && (
          <div className="wl-duty-qmore">
            <Spin size="small" /> {tx.queue.loadingMore}
          </div>
        )}
      </div>
    </Card>
  );
}
