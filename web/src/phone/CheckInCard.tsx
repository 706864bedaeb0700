import { useCallback, useEffect, useRef, useState, useSyncExternalStore } from "react";
import type { CheckInStatus } from "../../../shared/api/check-ins.js";
import { call } from "../api/http.js";
import { useDomainEvents } from "../realtime/hooks.js";
import { useTranslation } from "./i18n.js";
import { fleetRoutes, outboxWrites } from "./fleet-api.js";
import { enqueue, outbox } from "./outbox.js";
import { isRequestTo } from "./outbox-request.js";

/** How long the panic's confirm step stays open before it cancels itself. */
const CONFIRM_MS = 5000;
const STATUS_KEY = "warmline.phone.checkin";
const hhmm = (iso: string) => new Date(iso).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });

function readStatus(sortieId: string): CheckInStatus | null {
  try {
    const s = JSON.parse(localStorage.getItem(STATUS_KEY) ?? "null") as CheckInStatus | null;
    return s?.sortieId === sortieId ? s : null;
  } catch {
    return null;
  }
}

/**
 * Check-ins and the panic action of an open sortie (issue 19). The server decides when a check-in
 * is due and when one is missed; this card shows its deadline (kept for a cold start offline) and
 * sends each tap through the outbox, so a tap with no signal is kept and counts from when it was
 * made. The panic needs a second press within 5 s (no pocket presses) and goes first in the
 * outbox, beside anything already being sent.
 */
export function CheckInCard({
  sortieId,
  fix,
}: {
  sortieId: string;
  fix: { lat: number; lng: number; accuracy?: number | null } | null;
}) {
  const { t } = useTranslation("fleet");
  const box = useSyncExternalStore(outbox.subscribe, outbox.get, outbox.get);
  const [status, setStatusState] = useState<CheckInStatus | null>(() => readStatus(sortieId));
  const setStatus = (s: CheckInStatus) => {
    setStatusState(s);
    try {
      localStorage.setItem(STATUS_KEY, JSON.stringify(s));
    } catch {
      /* best effort */
    }
  };
  const [now, setNow] = useState(() => Date.now());
  const [armed, setArmed] = useState(false);
  const [panicId, setPanicId] = useState<string | null>(null);
  const confirmRef = useRef<HTMLButtonElement>(null);

  const load = useCallback(() => {
    call(fleetRoutes.checkInStatus, { params: { id: sortieId } })
      .then(setStatus)
      .catch(() => {});
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [sortieId]);
  useEffect(() => {
    load();
    const tick = setInterval(() => setNow(Date.now()), 15_000);
    const poll = setInterval(load, 60_000);
    return () => {
      clearInterval(tick);
      clearInterval(poll);
    };
  }, [load]);
  useDomainEvents((e) => {
    if (e.type === "check_in.schedule_changed" && e.payload.sortieId === sortieId) setStatus(e.payload);
    if (e.type === "check_in.recorded" && e.payload.status.sortieId === sortieId) setStatus(e.payload.status);
    // A sortie started offline is known to the server only once its 出车 went out.
    if (e.type === "sortie.started" && e.payload.id === sortieId) load();
  });
  useEffect(() => {
    if (!armed) return;
    confirmRef.current?.focus();
    const timer = setTimeout(() => setArmed(false), CONFIRM_MS);
    return () => clearTimeout(timer);
  }, [armed]);

  // A tap still in the outbox counts from when it was made: the deadline it will set is shown, marked waiting.
  const queued = box.waiting
    .filter((w) => isRequestTo(outboxWrites.checkIn, w) && w.body.sortieId === sortieId)
    .map((w) => (w.body as { at?: string }).at ?? w.queuedAt ?? "")
    .sort()
    .pop();
  const interval = status?.required ? status.intervalMinutes : null;
  const lastAt = queued && (!status?.lastCheckInAt || queued > status.lastCheckInAt) ? queued : status?.lastCheckInAt;
  const dueAt =
    interval && queued && lastAt === queued
      ? new Date(Date.parse(queued) + interval * 60_000).toISOString()
      : (status?.nextDueAt ?? null);
  const overdueMin = dueAt ? Math.floor((now - Date.parse(dueAt)) / 60_000) : -1;

  const checkIn = () => {
    const at = new Date().toISOString();
    void enqueue(
      outboxWrites.checkIn,
      {
        body: {
          id: crypto.randomUUID(),
          sortieId,
          at,
          ...(fix ? { position: { lat: fix.lat, lng: fix.lng, accuracy: fix.accuracy ?? null } } : {}),
        },
      },
      t("outbox.checkIn"),
    );
    setNow(Date.now());
  };
  const panic = () => {
    setArmed(false);
    const id = crypto.randomUUID();
    setPanicId(id);
    void enqueue(
      outboxWrites.panic,
      {
        body: {
          id,
          sortieId,
          at: new Date().toISOString(),
          ...(fix ? { position: { lat: fix.lat, lng: fix.lng, accuracy: fix.accuracy ?? null } } : {}),
        },
      },
      t("outbox.panic"),
      { urgent: true },
    );
  };
  const panicWaiting =
    panicId !== null && box.waiting.some((w) => isRequestTo(outboxWrites.panic, w) && w.body.id === panicId);
  const panicRejected = box.done.some(
    (d) => d.result === "rejected" && isRequestTo(outboxWrites.panic, d) && d.body.id === panicId,
  );

  return (
    <section className="ph-card ph-form" aria-label={t("crew.checkInTitle")} data-testid="check-in-card">
      <p className="ph-hint" data-testid="check-in-due" aria-live="polite">
        {/* Unknown until the server has answered once (a sortie started offline): no claim either way. */}
        {!status
          ? ""
          : !interval || !dueAt
            ? t("crew.notRequired")
            : overdueMin >= 0
              ? t("crew.overdue", { min: Math.max(1, overdueMin) })
              : `${t("crew.dueBy", { time: hhmm(dueAt) })} ${t("crew.every", { min: interval })}`}
      </p>
      {lastAt && (
        <p className="ph-hint">
          {t("crew.last", { time: hhmm(lastAt) })} {queued && lastAt === queued ? t("crew.waiting") : ""}
        </p>
      )}
      <button
        type="button"
        className={`ph-btn ph-btn-big ${interval ? "ph-btn-primary" : "ph-btn-secondary"}`}
        onClick={checkIn}
        data-testid="check-in"
      >
        {t("crew.checkIn")}
      </button>
      {!armed ? (
        <button type="button" className="ph-btn ph-btn-danger" onClick={() => setArmed(true)} data-testid="panic">
          {t("crew.panic")}
        </button>
      ) : (
        <div role="group" aria-label={t("crew.panic")}>
          <p className="ph-hint">{t("crew.panicHint")}</p>
          <button type="button" className="ph-btn ph-btn-secondary" onClick={() => setArmed(false)}>
            {t("crew.panicCancel")}
          </button>
          <button
            ref={confirmRef}
            type="button"
            className="ph-btn ph-btn-big ph-btn-danger"
            onClick={panic}
            data-testid="panic-confirm"
          >
            {t("crew.panicConfirm")}
          </button>
        </div>
      )}
      {panicId && (
        <p className="ph-hint" role="status" data-testid="panic-state">
          {panicWaiting ? t("crew.panicQueued") : panicRejected ? `✗ ${t("phone.rejected")}` : t("crew.panicSent")}
        </p>
      )}
    </section>
  );
}
