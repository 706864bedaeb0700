import { useEffect, useRef } from "react";
import { Button, Tooltip } from "antd";
import { MutedOutlined, SoundOutlined } from "@ant-design/icons";
import type { Case } from "../../../../shared/api/cases.js";
import {
  clearAttention,
  clearAttentionExcept,
  raiseAttention,
  setMuted,
  useAttention,
  useAttentionSignal,
} from "./attention.js";
import { fmt, useDutyTexts } from "./texts.js";

const KEY = "critical:";
/** A new critical case calls for attention this long, or until the operator opens it. */
const CRITICAL_MS = 60_000;

/**
 * The duty room's attention signal and its mute toggle; also raises the signal for a critical case
 * that arrives (or is escalated to critical) while the page is open. Cases already open when the
 * page loads were seen by whoever had the page open then, so they do not ring.
 */
export function AttentionControl({
  cases,
  loaded,
  openedId,
}: {
  cases: readonly Case[];
  loaded: boolean;
  openedId: string | null;
}) {
  const tx = useDutyTexts();
  const { muted, reasons } = useAttention();
  useAttentionSignal((what) => fmt(tx.attention.title, { what }));
  const seen = useRef<Set<string> | null>(null);
  const timers = useRef(new Map<string, ReturnType<typeof setTimeout>>());

  useEffect(() => {
    if (!loaded) return;
    const critical = cases.filter((c) => c.urgency === "critical" && c.status === "open").map((c) => c.id);
    if (seen.current === null) {
      seen.current = new Set(critical);
      return;
    }
    for (const id of critical) {
      if (seen.current.has(id)) continue;
      seen.current.add(id);
      raiseAttention(KEY + id, tx.attention.newCritical);
      timers.current.set(
        id,
        setTimeout(() => clearAttention(KEY + id), CRITICAL_MS),
      );
    }
  }, [cases, loaded, tx]);

  useEffect(() => {
    if (openedId) clearAttention(KEY + openedId);
  }, [openedId]);

  useEffect(() => {
    const t = timers.current;
    return () => {
      for (const timer of t.values()) clearTimeout(timer);
      clearAttentionExcept(KEY, new Set());
    };
  }, []);

  const active = reasons.size > 0;
  return (
    <Tooltip title={muted ? tx.attention.unmute : tx.attention.mute}>
      <Button
        size="small"
        danger={active}
        type={active ? "primary" : "default"}
        aria-pressed={muted}
        aria-label={muted ? tx.attention.unmute : tx.attention.mute}
        data-testid="attention-toggle"
        data-attention={active ? "on" : "off"}
        icon={muted ? <MutedOutlined /> : <SoundOutlined />}
        onClick={() => setMuted(!muted)}
      />
    </Tooltip>
  );
}
