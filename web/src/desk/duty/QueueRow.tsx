import { memo } from "react";
import { Badge, Space, Tag, Typography } from "antd";
import type { Case } from "../../../../shared/api/cases.js";
import { URGENCY_TAG } from "../../map/colors.js";
import { useClock } from "./clock.js";
import { fmt, useDutyTexts } from "./texts.js";

/** An open case waiting longer than this turns its timer red, so nobody is forgotten. */
const LATE_MIN = 15;

/** "12:05" or "1:02:05" since a time; never negative (clock skew between browser and server). */
function elapsed(sinceMs: number, now: number): string {
  const s = Math.max(0, Math.floor((now - sinceMs) / 1000));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  const pad = (n: number) => String(n).padStart(2, "0");
  return h ? `${h}:${pad(m)}:${pad(sec)}` : `${pad(m)}:${pad(sec)}`;
}

/** The live timer of one row: the only part of a row that changes every second. */
function WaitTimer({ since, open, title }: { since: string; open: boolean; title: string }) {
  const now = useClock();
  const sinceMs = Date.parse(since);
  const late = open && now - sinceMs > LATE_MIN * 60_000;
  return (
    <Typography.Text className="wl-duty-timer" type={late ? "danger" : undefined} title={title}>
      {elapsed(sinceMs, now)}
    </Typography.Text>
  );
}

/**
 * One queue row. Memoized: a live event replaces one case object and leaves every other row's
 * props identical, so only the changed row renders; the clock re-renders only the timers on screen.
 */
export const QueueRow = memo(function QueueRow({
  c,
  selected,
  onSelect,
  index,
  measure,
}: {
  c: Case;
  selected: boolean;
  onSelect: (id: string) => void;
  /** Position in the list (the virtualizer measures rows by it). */
  index: number;
  measure: (el: HTMLElement | null) => void;
}) {
  const tx = useDutyTexts();
  return (
    <div
      ref={measure}
      data-index={index}
      role="button"
      tabIndex={0}
      data-case-id={c.id}
      className={`wl-duty-qitem${selected ? " is-selected" : ""}`}
      onClick={() => onSelect(c.id)}
      onKeyDown={(e) => {
        if (e.key === "Enter") onSelect(c.id);
      }}
    >
      <div className="wl-duty-qrow">
        <Tag color={URGENCY_TAG[c.urgency]}>
          {tx.urgency[c.urgency]}
          {c.urgencyOverridden ? " *" : ""}
        </Tag>
        <Tag>{tx.status[c.status]}</Tag>
        <span className="wl-duty-qplace">{c.placeText || c.description || "—"}</span>
        <WaitTimer since={c.receivedAt} open={c.status === "open"} title={tx.queue.waiting} />
      </div>
      <Space size={4} wrap className="wl-duty-qmeta">
        <Typography.Text type="secondary">{tx.source[c.source]}</Typography.Text>
        {c.callerCount > 1 && (
          <Badge count={fmt(tx.queue.callers, { count: c.callerCount })} style={{ background: "#595959" }} />
        )}
        {c.peopleCount > 1 && <Tag>×{c.peopleCount}</Tag>}
        {c.flags.map((f) => (
          <Tag key={f} bordered={false}>
            {tx.flag[f]}
          </Tag>
        ))}
      </Space>
    </div>
  );
});
