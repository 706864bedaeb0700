import { useCallback, useEffect, useState } from "react";
import { Alert, Space } from "antd";
import { api, call } from "../../api/client.js";
import type { UnackedTask } from "../../../../shared/api/dispatch.js";
import { useDomainEvents } from "../../realtime/hooks.js";
import { fmt, useFleetTexts } from "./texts.js";

/**
 * Tasks the crew has not acknowledged within ACK_TIMEOUT_SECONDS, as a red banner in the duty
 * room. Read over HTTP (so it is right after a reload or a missed push), refreshed by
 * assignment.* events and every 15 s (a task becomes overdue with no event at all).
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
  if (!items.length) return null;
  return (
    <Alert
      type="error"
      showIcon
      role="alert"
      message={tx.unacked.title}
      description={
        <Space direction="vertical" size={2}>
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

export default UnackedAlerts;
