import { useCallback, useEffect, useRef, useState } from "react";
import { Button, Space } from "antd";
import { api, call, type CrewAlert } from "../../api/client.js";
import type { LatLng } from "../../../../shared/geo.js";
import { useDomainEvents } from "../../realtime/hooks.js";
import { useSession } from "../../shared-ui/session.js";
import { clearAttentionExcept, raiseAttention } from "./attention.js";
import { fmt, useFleetTexts } from "../dispatch/texts.js";

const KEY = "crew:";
const hhmm = (iso: string) => new Date(iso).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });

/**
 * Open crew alerts in scope (issue 19), read over HTTP so they are right after a reload or a missed
 * push; every crew_alert.* and check_in.recorded event re-reads them, and a slow poll covers a lost
 * push. Panics come first (the server orders them so).
 */
export function useCrewAlerts(): { items: CrewAlert[]; reload: () => void } {
  const [items, setItems] = useState<CrewAlert[]>([]);
  const reload = useCallback(() => {
    call(api.checkIns.alerts, { query: {} })
      .then((r) => setItems(r.items))
      .catch(() => {});
  }, []);
  useEffect(() => {
    reload();
    const timer = setInterval(reload, 15_000);
    return () => clearInterval(timer);
  }, [reload]);
  useDomainEvents((e) => {
    if (e.type.startsWith("crew_alert.") || e.type === "check_in.recorded") reload();
  });
  return { items, reload };
}

/**
 * The crew alerts at the top of the duty room: a crew's panic and missed check-ins, each with the
 * crew, the vehicle, how long overdue and the last known position (shown on the map on request).
 * Each is focusable; new ones are announced to screen readers (an assertive live region) and raise
 * the attention signal (a panic beeps even when muted). Acknowledging is one button: the server
 * records who and when.
 */
export function CrewAlerts({
  items,
  onAcknowledged,
  onShowOnMap,
}: {
  items: CrewAlert[];
  onAcknowledged: () => void;
  onShowOnMap: (p: LatLng) => void;
}) {
  const tx = useFleetTexts();
  const t = tx.crewAlerts;
  const s = useSession();
  const role = s.status === "signedIn" ? s.me.role : null;
  const mayAck = role === "operator" || role === "head" || role === "admin";
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 15_000);
    return () => clearInterval(timer);
  }, []);
  // What the live region says: the newest alerts not announced before.
  const announced = useRef(new Set<string>());
  const [announcement, setAnnouncement] = useState("");
  useEffect(() => {
    const fresh = items.filter((a) => !announced.current.has(a.id));
    for (const a of fresh) announced.current.add(a.id);
    if (fresh.length)
      setAnnouncement(
        fresh
          .map((a) => fmt(t.announce, { kind: a.kind === "panic" ? t.panic : t.missed, callSign: a.callSign }))
          .join("; "),
      );
    for (const a of items)
      raiseAttention(KEY + a.id, `${a.callSign} ${a.kind === "panic" ? t.panic : t.missed}`, {
        urgent: a.kind === "panic",
      });
    clearAttentionExcept(KEY, new Set(items.map((a) => KEY + a.id)));
  }, [items, t]);
  useEffect(() => () => clearAttentionExcept(KEY, new Set()), []);
  const [busy, setBusy] = useState<string | null>(null);
  const acknowledge = (a: CrewAlert) => {
    setBusy(a.id);
    call(api.checkIns.acknowledge, { params: { id: a.id }, body: { version: a.version } })
      .catch(() => {})
      .finally(() => {
        setBusy(null);
        onAcknowledged();
      });
  };

  return (
    <section aria-label={t.title} data-testid="crew-alerts" className="wl-crew-alerts">
      <div aria-live="assertive" aria-atomic="true" className="wl-sr-only" data-testid="crew-alerts-live">
        {announcement}
      </div>
      {items.map((a) => {
        const overdue = a.kind === "missed_check_in" && a.dueAt ? Math.floor((now - Date.parse(a.dueAt)) / 60_000) : 0;
        const crew = a.crewNames.length ? a.crewNames.join("、") : String(a.crewCount);
        return (
          <div
            key={a.id}
            tabIndex={0}
            role="group"
            aria-label={`${a.kind === "panic" ? t.panic : t.missed} ${a.callSign}`}
            className={`wl-crew-alert ${a.kind === "panic" ? "is-panic" : "is-missed"}`}
            data-testid={a.kind === "panic" ? "crew-alert-panic" : "crew-alert-missed"}
          >
            <strong>{a.kind === "panic" ? `🆘 ${t.panic}` : `⏰ ${t.missed}`}</strong>{" "}
            <bdi>{fmt(t.item, { callSign: a.callSign, plate: a.plate, crew })}</bdi>
            {" · "}
            {a.kind === "missed_check_in"
              ? fmt(t.overdue, { min: Math.max(0, overdue) })
              : fmt(t.raised, { time: hhmm(a.raisedAt) })}
            {" · "}
            {a.position ? fmt(t.position, { time: hhmm(a.position.at) }) : t.noPosition}
            <Space size="small" style={{ marginLeft: 12 }}>
              {a.position && (
                <Button size="small" onClick={() => onShowOnMap({ lat: a.position!.lat, lng: a.position!.lng })}>
                  {t.showOnMap}
                </Button>
              )}
              {mayAck && (
                <Button
                  size="small"
                  type="primary"
                  danger={a.kind === "panic"}
                  loading={busy === a.id}
                  onClick={() => acknowledge(a)}
                  data-testid="crew-alert-ack"
                >
                  {t.acknowledge}
                </Button>
              )}
            </Space>
          </div>
        );
      })}
    </section>
  );
}
