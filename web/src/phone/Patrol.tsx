import { useCallback, useEffect, useRef, useState, useSyncExternalStore } from "react";
import type { Me } from "../../../shared/api/auth.js";
import type { Task } from "../../../shared/api/dispatch.js";
import type { Vehicle, VehicleLoad } from "../../../shared/api/vehicles.js";
import type { CrewTaskStatus } from "../../../shared/api/dispatch.js";
import { call } from "../api/http.js";
import { useDomainEvents } from "../realtime/hooks.js";
import { useLanguage, useTranslation } from "./i18n.js";
import { fleetRoutes, outboxWrites } from "./fleet-api.js";
import { enqueue, outbox, withdraw } from "./outbox.js";
import { updateWhenSafe } from "./pwa.js";
import type { UndoableStep } from "./StepButtons.js";
import { track, trackPosition } from "./geo.js";
import { EncounterForm } from "./EncounterForm.js";
import { impliedTaskStatus, impliedVehicleStatus, recordedForTask } from "./pending.js";
import { preloadTaskMap } from "./TaskMapLazy.js";
import { EndSortie, StartSortie } from "./SortieForms.js";
import { KeyPointVisit } from "./KeyPointVisit.js";
import { TaskCard } from "./TaskCard.js";
import { OutboxPanel } from "./OutboxPanel.js";
import { CheckInCard } from "./CheckInCard.js";

const KEY = "warmline.phone.state";
interface Local {
  vehicleId: string | null;
  sortieId: string | null;
}
const readLocal = (): Local => {
  try {
    return { vehicleId: null, sortieId: null, ...JSON.parse(localStorage.getItem(KEY) ?? "{}") };
  } catch {
    return { vehicleId: null, sortieId: null };
  }
};
const writeLocal = (l: Local) => {
  try {
    localStorage.setItem(KEY, JSON.stringify(l));
  } catch {
    /* best effort */
  }
};
const uuid = () => crypto.randomUUID();
/** How long a task step can be taken back before it is sent. */
const UNDO_MS = 4000;

/**
 * What the server last said about this crew's vehicles, task and load, kept so a cold start with
 * no signal (the service worker serves the page) shows the last task instead of an empty screen.
 */
const CACHE_KEY = "warmline.phone.cache";
interface Cached {
  userId: string;
  vehicles: Vehicle[];
  task: Task | null;
  load: VehicleLoad["items"];
}
function readCache(userId: string): Cached | null {
  try {
    const c = JSON.parse(localStorage.getItem(CACHE_KEY) ?? "null") as Cached | null;
    return c?.userId === userId ? c : null;
  } catch {
    return null;
  }
}
function writeCache(c: Cached): void {
  try {
    localStorage.setItem(CACHE_KEY, JSON.stringify(c));
  } catch {
    /* best effort */
  }
}

type Mode = "home" | "start" | "end" | "record" | "found" | "visit";

/**
 * The patrol's working screen: pick the vehicle, start and end the sortie, the live task with
 * one tap per status and a link into the phone's navigation app, recording people and key-point
 * checks. Every write goes through the outbox, so the screen works the same with no signal.
 */
export function Patrol({ me }: { me: Me }) {
  const { t } = useTranslation("fleet");
  const [lang] = useLanguage();
  const [local, setLocalState] = useState<Local>(readLocal);
  const setLocal = (l: Local) => {
    writeLocal(l);
    setLocalState(l);
  };
  const [cached] = useState(() => readCache(me.id));
  const [vehicles, setVehicles] = useState<Vehicle[]>(cached?.vehicles ?? []);
  const [task, setTask] = useState<Task | null>(cached?.task ?? null);
  const [load, setLoad] = useState<VehicleLoad["items"]>(cached?.load ?? []);
  useEffect(() => writeCache({ userId: me.id, vehicles, task, load }), [me.id, vehicles, task, load]);
  const [mode, setMode] = useState<Mode>("home");
  const [fix, setFix] = useState<{ lat: number; lng: number; accuracy?: number | null } | null>(null);
  const box = useSyncExternalStore(outbox.subscribe, outbox.get, outbox.get);
  const trk = useSyncExternalStore(track.subscribe, track.get, track.get);
  const vehicle = vehicles.find((v) => v.id === local.vehicleId) ?? null;

  // Only the newest refresh applies what it read, and its task only if no task event came while
  // it was in flight (a read started before a dispatch must not blank the task the event brought).
  const latest = useRef(0);
  const taskEvents = useRef(0);
  // Read through a ref, so a sortie id the refresh itself corrects does not make a new refresh
  // (the vehicle list was fetched three times per load).
  const localNow = useRef(local);
  localNow.current = local;
  const refresh = useCallback(async () => {
    const local = localNow.current;
    const mine = ++latest.current;
    const eventsBefore = taskEvents.current;
    try {
      const vs = (await call(fleetRoutes.vehicles, { query: me.stationId ? { stationId: me.stationId } : {} })).items;
      if (mine !== latest.current) return;
      setVehicles(vs);
      const v = vs.find((x) => x.id === local.vehicleId);
      if (!v) return;
      const [tasks, l] = await Promise.all([
        call(fleetRoutes.tasks, { query: { vehicleId: v.id, active: "true", limit: 1 } }),
        call(fleetRoutes.load, { params: { id: v.id } }),
      ]);
      if (mine !== latest.current) return;
      if (eventsBefore === taskEvents.current) setTask(tasks.items[0] ?? null);
      setLoad(l.items);
      // The server's word on the sortie wins once nothing about it waits in the outbox.
      if (!outbox.get().waiting.length && (v.currentSortie?.id ?? null) !== local.sortieId)
        setLocal({ ...local, sortieId: v.currentSortie?.id ?? null });
    } catch {
      /* offline: keep what is shown */
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [me.stationId]);

  // Once on load and when another vehicle is picked; then when the outbox has sent everything
  // (not on load: it starts idle, and the first read is already on its way).
  useEffect(() => {
    void refresh();
  }, [refresh, local.vehicleId]);
  const outboxBusy = useRef(box.waiting.length > 0 || box.sending);
  useEffect(() => {
    const busy = box.waiting.length > 0 || box.sending;
    if (outboxBusy.current && !busy) void refresh();
    outboxBusy.current = busy;
  }, [box.waiting.length, box.sending, refresh]);
  useDomainEvents((e) => {
    if (
      (e.type === "assignment.created" ||
        e.type === "assignment.status_changed" ||
        e.type === "assignment.cancelled" ||
        e.type === "assignment.unacknowledged") &&
      e.payload.vehicleId === local.vehicleId
    ) {
      const next: Task = e.payload;
      taskEvents.current++;
      setTask(next.status === "cleared" || next.status === "cancelled" ? null : next);
    }
    if (e.type === "sortie.started" || e.type === "sortie.ended" || e.type === "vehicle.status_changed") void refresh();
    if (e.type === "vehicle.position" && e.payload.vehicleId === local.vehicleId) {
      const pos = e.payload;
      setVehicles((vs) =>
        vs.map((v) =>
          v.id === pos.vehicleId ? { ...v, lastLat: pos.lat, lastLng: pos.lng, lastPositionAt: pos.recordedAt } : v,
        ),
      );
    }
  });
  // The map's code is fetched once a vehicle is picked, while the signal is likely still good.
  useEffect(() => {
    if (local.vehicleId) preloadTaskMap();
  }, [local.vehicleId]);
  useEffect(
    () => (local.sortieId && local.vehicleId ? trackPosition(local.vehicleId, setFix) : undefined),
    [local.sortieId, local.vehicleId],
  );

  // The last step, still held in the outbox for its undo window (UNDO_MS).
  const [undo, setUndo] = useState<(UndoableStep & { seq: number | null; before: Task }) | null>(null);
  const step = (status: CrewTaskStatus) => {
    if (!shownTask) return;
    const before = shownTask;
    const until = Date.now() + UNDO_MS;
    setUndo({ status, until, seq: null, before });
    // `from` chains the crew's own steps: the server accepts a step from the status the crew saw
    // even when its earlier step (queued or in flight) moved the version on meanwhile.
    void enqueue(
      outboxWrites.taskStatus,
      {
        params: { id: before.id },
        body: { status, version: before.version, from: before.status, at: new Date().toISOString() },
      },
      t("outbox.status", { s: t(`taskStatus.${status}`) }),
      { holdMs: UNDO_MS },
    ).then((seq) => setUndo((u) => (u && u.until === until ? { ...u, seq } : u)));
    taskEvents.current++;
    setTask(status === "cleared" ? null : { ...before, status, version: before.version + 1 });
  };
  const undoStep = () => {
    const u = undo;
    setUndo(null);
    if (u?.seq == null) return;
    void withdraw(u.seq).then((ok) => {
      if (ok) setTask(u.before);
    });
  };
  // The task as the crew's queued steps leave it: an older server answer never rolls a step back.
  const shownTask = task && { ...task, status: impliedTaskStatus(task.status, task.id, box.waiting) };
  const nobodyRecorded = !!task && !recordedForTask(task.id, [...box.waiting, ...box.done]);
  useEffect(() => updateWhenSafe(!local.sortieId && box.waiting.length === 0), [local.sortieId, box.waiting.length]);

  if (!vehicle) {
    return (
      <section className="ph-card ph-form" aria-label={t("phone.pickVehicle")}>
        <h2>{t("phone.pickVehicle")}</h2>
        {vehicles.map((v) => (
          <button
            key={v.id}
            type="button"
            className="ph-btn ph-btn-secondary"
            onClick={() => setLocal({ vehicleId: v.id, sortieId: v.currentSortie?.id ?? null })}
          >
            {/* bdi: a bidi override in a call sign must not reverse the status after it */}
            <bdi>{v.callSign}</bdi> · {t(`vehicleStatus.${v.status}`)}
          </button>
        ))}
      </section>
    );
  }

  if (mode === "start")
    return (
      <StartSortie
        vehicle={vehicle}
        stationId={me.stationId}
        onDone={(id) => {
          if (id) setLocal({ ...local, sortieId: id });
          setMode("home");
        }}
      />
    );
  if (mode === "end")
    return (
      <EndSortie
        sortieId={local.sortieId!}
        load={load}
        onDone={(ended) => {
          if (ended) setLocal({ ...local, sortieId: null });
          setMode("home");
        }}
      />
    );
  if (mode === "visit")
    return <KeyPointVisit sortieId={local.sortieId} stationId={me.stationId} onDone={() => setMode("home")} />;
  if (mode === "record" || mode === "found") {
    return (
      <EncounterForm
        load={load}
        title={mode === "found" ? t("phone.foundHere") : t("phone.record")}
        askPlace={mode === "found"}
        onCancel={() => setMode("home")}
        onSave={(e) => {
          const body = {
            ...e,
            id: uuid(),
            sortieId: local.sortieId ?? undefined,
            occurredAt: new Date().toISOString(),
            ...(mode === "record" && task
              ? { caseId: task.caseId, assignmentId: task.id }
              : { lat: fix?.lat ?? vehicle.lastLat ?? undefined, lng: fix?.lng ?? vehicle.lastLng ?? undefined }),
          };
          void enqueue(outboxWrites.encounter, { body }, t("outbox.encounter", { o: t(`outcome.${e.outcome}`) }));
          // Take what was handed out off the local load at once; the server's figure follows.
          setLoad(
            load
              .map((l) => ({
                ...l,
                quantity: l.quantity - (e.supplies?.find((s) => s.itemId === l.itemId)?.quantity ?? 0),
              }))
              .filter((l) => l.quantity > 0),
          );
          setMode("home");
        }}
      />
    );
  }

  // What the queue implies is shown first, marked as waiting; the server's status beside it until it agrees.
  const pendingStatus = impliedVehicleStatus(vehicle.status, vehicle.id, box.waiting);
  return (
    <>
      <section className="ph-card" aria-label={t("phone.vehicle")}>
        <h2>
          {vehicle.callSign} ·{" "}
          <span data-testid="vehicle-status" data-state={pendingStatus ? "waiting" : "confirmed"}>
            {t(`vehicleStatus.${pendingStatus ?? vehicle.status}`)}
          </span>
        </h2>
        <p className={pendingStatus ? "ph-vstatus ph-vstatus-wait" : "ph-vstatus ph-vstatus-ok"}>
          {pendingStatus
            ? `⏳ ${t("phone.statusWaiting")} · ${t("phone.statusServer", { s: t(`vehicleStatus.${vehicle.status}`) })}`
            : `✓ ${t("phone.confirmed")}`}
        </p>
        <p className="ph-hint">
          {local.sortieId ? t("phone.sortieOn", { callSign: vehicle.callSign }) : ""}{" "}
          {local.sortieId && (
            <span data-testid="gps-state">
              {
                // In the crew's words: what the phone is doing with its position right now.
                !fix
                  ? t("phone.gpsSearching")
                  : trk.sending && trk.waiting
                    ? t("phone.gpsSending")
                    : trk.waiting && (trk.failed || !navigator.onLine)
                      ? t("phone.gpsWaitingSignal")
                      : t("phone.gpsLocated")
              }
            </span>
          )}
        </p>
        {!local.sortieId && (
          <button type="button" className="ph-btn ph-btn-primary" onClick={() => setMode("start")}>
            {t("phone.startSortie")}
          </button>
        )}
        {!local.sortieId && (
          <button
            type="button"
            className="ph-btn ph-btn-secondary"
            onClick={() => setLocal({ vehicleId: null, sortieId: null })}
          >
            {t("phone.changeVehicle")}
          </button>
        )}
      </section>

      {local.sortieId && <CheckInCard sortieId={local.sortieId} fix={fix} />}

      <TaskCard
        task={shownTask}
        vehicle={vehicle}
        fix={fix}
        onStep={step}
        onRecord={() => setMode("record")}
        undo={undo}
        onUndo={undoStep}
        nobodyRecorded={nobodyRecorded}
      />

      {local.sortieId && (
        <section className="ph-card ph-form">
          <button type="button" className="ph-btn ph-btn-primary" onClick={() => setMode("found")}>
            {t("phone.foundHere")}
          </button>
          <button type="button" className="ph-btn ph-btn-secondary" onClick={() => setMode("visit")}>
            {t("phone.keyPoint")}
          </button>
          <p className="ph-hint">
            {load.map((l) => `${lang === "en" ? l.nameEn : l.nameZh} ${l.quantity}`).join(" · ")}
          </p>
          <button type="button" className="ph-btn ph-btn-secondary" disabled={!!task} onClick={() => setMode("end")}>
            {t("phone.endSortie")}
          </button>
        </section>
      )}
      <OutboxPanel />
    </>
  );
}
