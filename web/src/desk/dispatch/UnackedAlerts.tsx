import { useCallback, useEffect, useState } from "react";
import { Alert, Space } from "antd";
import { api, call } from "../../api/client.js";
import type { UnackedTask } from "../../../../shared/api/dispatch.js";
import { useDomainEvents } from "../../realtime/hooks.js";
import { clearAttentionExcept, raiseAttention } from "../duty/attention.js";
import { fmt, useFleetTexts } from "./texts.js";

const KEY = "unacked:";

/**
 * Tasks the crew has not acknowledged within ACK_TIMEOUT_SECONDS, as a red banner in the duty
 * room, with the attention signal (beep, title flash) until each is acknowledged, reassigned or
 * cancelled. Read over HTTP (so it is right after a reload or a missed push); the server's
 * assignment.unacknowledged event (raised by a job a few seconds after the deadline) and every
 * other assignment.* event re-read it, and a slow poll covers a missed push.
 */
export function UnackedAlerts({ onOpenCase }: { onOpenCase?: (caseId: string) => void }) {
  const tx = useFleetTexts();
  const [items, setItems] = useState<UnackedTask[]>([]);
  const load = useCallback(() => {
    call(api.dispatch.unacknowledged)
      .then((r) => setItems(r.items))
      .catch(() => {});
  }, []);
  useEffect(() => {
    load();
    const timer = setInterval(load, 15_000);
    return () => clearInterval(timer);
  }, [load]);
  useDomainEvents((e) => {
    if (e.type.startsWith("assignment.")) load();
  });
  useEffect(() => {
    for (const u of items) raiseAttention(KEY + u.assignmentId, `${u.callSign} ${tx.unacked.title}`);
    clearAttentionExcept(KEY, new Set(items.map((u) => KEY + u.assignmentId)));
  }, [items, tx]);
  // Leaving the page takes its reasons with it.
  useEffect(() => () => clearAttentionExcept(KEY, new Set()), []);
  if (!items.length) return null;
  return (
    <Alert
      type="error"
      showIcon
      role="alert"
      data-testid="unacked-alert"
      title={tx.unacked.title}
      description={
        <Space orientation="vertical" size={2}>
          {items.map((u) => (
            <a key={u.assignmentId} onClick={() => onOpenCase?.(u.caseId)}>
              {fmt(tx.unacked.item, { callSign: u.callSign, min: Math.max(1, Math.round(u.waitingSeconds / 60)) })}
            </a>
          ))}
        </Space>
      }
    />
  );
}
