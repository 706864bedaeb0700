import { useEffect, useState } from "react";
import { Badge, Card, Empty, Space, Tag, Typography } from "antd";
import type { Case } from "../../../../shared/api/cases.js";
import { URGENCY_TAG } from "../../map/colors.js";
import { fmt, useDutyTexts } from "./texts.js";

/** The current time, ticking every second (one timer for the whole list). */
function useNow(): number {
  const [now, setNow] = useState(Date.now);
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, []);
  return now;
}

/** "12:05" or "1:02:05" since a time; never negative (clock skew between browser and server). */
function elapsed(sinceIso: string, now: number): string {
  const s = Math.max(0, Math.floor((now - new Date(sinceIso).getTime()) / 1000));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  const pad = (n: number) => String(n).padStart(2, "0");
  return h ? `${h}:${pad(m)}:${pad(sec)}` : `${pad(m)}:${pad(sec)}`;
}

/**
 * The queue beside the map: most urgent first, then longest waiting, with a live timer since the
 * first call. Open cases waiting long turn their timer red so nobody is forgotten.
 */
export function QueueList({
  cases,
  selectedId,
  onSelect,
}: {
  cases: readonly Case[];
  selectedId: string | null;
  onSelect: (id: string) => void;
}) {
  const tx = useDutyTexts();
  const now = useNow();
  return (
    <Card
      size="small"
      title={fmt(tx.queue.title, { count: cases.length })}
      styles={{ body: { padding: 0 } }}
      className="wl-duty-queue-card"
    >
      <div className="wl-duty-queue" data-testid="queue">
        {cases.length === 0 && <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={tx.queue.empty} />}
        {cases.map((c) => {
          const waitedMin = (now - new Date(c.receivedAt).getTime()) / 60_000;
          const late = c.status === "open" && waitedMin > 15;
          return (
            <div
              key={c.id}
              role="button"
              tabIndex={0}
              data-case-id={c.id}
              className={`wl-duty-qitem${selectedId === c.id ? " is-selected" : ""}`}
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
                <Typography.Text className="wl-duty-timer" type={late ? "danger" : undefined} title={tx.queue.waiting}>
                  {elapsed(c.receivedAt, now)}
                </Typography.Text>
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
        })}
      </div>
    </Card>
  );
}
