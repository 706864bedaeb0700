import { useCallback, useEffect, useState, useSyncExternalStore } from "react";
import type { Me } from "../../../shared/api/auth.js";
import type { Task } from "../../../shared/api/dispatch.js";
import type { Vehicle, VehicleLoad } from "../../../shared/api/vehicles.js";
import type { CrewTaskStatus } from "../../../shared/api/dispatch.js";
import { call } from "../api/http.js";
import { useDomainEvents } from "../realtime/hooks.js";
import { useLanguage, useTranslation } from "./i18n.js";
import { fleetRoutes, otherRoutes, outboxWrites } from "./fleet-api.js";
import { enqueue, outbox } from "./outbox.js";
import { trackPosition } from "./geo.js";
import { EncounterForm } from "./EncounterForm.js";
import { impliedVehicleStatus } from "./pending.js";
import { roundedDistance } from "./distance.js";
import { preloadTaskMap, TaskMapLazy } from "./TaskMapLazy.js";

const KEY = "warmline.phone.state";
interface Local { vehicleId: string | null; sortieId: string | null }
const readLocal = (): Local => { try { return { vehicleId: null, sortieId: null, ...JSON.parse(localStorage.getItem(KEY) ?? "{}") }; } catch { return { vehicleId: null, sortieId: null }; } };
const writeLocal = (l: Local) => { try { localStorage.setItem(KEY, JSON.stringify(l)); } catch { /* best effort */ } };
const uuid = () => crypto.randomUUID();

/** The next step button(s) a crew sees for a task status. */
const NEXT: Record<string, CrewTaskStatus[]> = {
  assigned: ["acknowledged"], acknowledged: ["en_route", "on_scene"], en_route: ["on_scene"], on_scene: ["cleared"],
};
const STEP_LABEL = { acknowledged: "ack", en_route: "enRoute", on_scene: "onScene", cleared: "clear" } as const;

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
  const setLocal = (l: Local) => { writeLocal(l); setLocalState(l); };
  const [vehicles, setVehicles] = useState<Vehicle[]>([]);
  const [task, setTask] = useState<Task | null>(null);
  const [load, setLoad] = useState<VehicleLoad["items"]>([]);
  const [mode, setMode] = useState<Mode>("home");
  const [fix, setFix] = useState<{ lat: number; lng: number; accuracy?: number | null } | null>(null);
  const box = useSyncExternalStore(outbox.subscribe, outbox.get, outbox.get);
  const vehicle = vehicles.find((v) => v.id === local.vehicleId) ?? null;

  const refresh = useCallback(async () => {
    try {
      const vs = (await call(fleetRoutes.vehicles, { query: me.stationId ? { stationId: me.stationId } : {} })).items;
      setVehicles(vs);
      const v = vs.find((x) => x.id === local.vehicleId);
      if (!v) return;
      const [tasks, l] = await Promise.all([
        call(fleetRoutes.tasks, { query: { vehicleId: v.id, active: "true", limit: 1 } }),
        call(fleetRoutes.load, { params: { id: v.id } }),
      ]);
      setTask(tasks.items[0] ?? null);
      setLoad(l.items);
      // The server's word on the sortie wins once nothing about it waits in the outbox.
      if (!outbox.get().waiting.length && (v.currentSortie?.id ?? null) !== local.sortieId) setLocal({ ...local, sortieId: v.currentSortie?.id ?? null });
    } catch { /* offline: keep what is shown */ }
  }, [local.vehicleId, local.sortieId, me.stationId]);

  useEffect(() => { void refresh(); }, [refresh]);
  useEffect(() => { if (!box.waiting.length && !box.sending) void refresh(); }, [box.waiting.length, box.sending]);
  useDomainEvents((e) => {
    if ((e.type === "assignment.created" || e.type === "assignment.status_changed" || e.type === "assignment.cancelled" || e.type === "assignment.unacknowledged")
      && e.payload.vehicleId === local.vehicleId) {
      const next: Task = e.payload;
      setTask(next.status === "cleared" || next.status === "cancelled" ? null : next);
    }
    if (e.type === "sortie.started" || e.type === "sortie.ended" || e.type === "vehicle.status_changed") void refresh();
    if (e.type === "vehicle.position" && e.payload.vehicleId === local.vehicleId) {
      const pos = e.payload;
      setVehicles((vs) => vs.map((v) => (v.id === pos.vehicleId ? { ...v, lastLat: pos.lat, lastLng: pos.lng, lastPositionAt: pos.recordedAt } : v)));
    }
  });
  // The map's code is fetched once a vehicle is picked, while the signal is likely still good.
  useEffect(() => { if (local.vehicleId) preloadTaskMap(); }, [local.vehicleId]);
  useEffect(() => (local.sortieId && local.vehicleId ? trackPosition(local.vehicleId, setFix) : undefined), [local.sortieId, local.vehicleId]);

  const step = (status: CrewTaskStatus) => {
    if (!task) return;
    void enqueue(outboxWrites.taskStatus, { params: { id: task.id }, body: { status, version: task.version, at: new Date().toISOString() } },
      t("outbox.status", { s: t(`taskStatus.${status}`) }));
    // Optimistic: the next step's version is one more; the server treats replays as no-ops.
    setTask(status === "cleared" ? null : { ...task, status, version: task.version + 1 });
  };

  if (!vehicle) {
    return (
      <section className="ph-card ph-form" aria-label={t("phone.pickVehicle")}>
        <h2>{t("phone.pickVehicle")}</h2>
        {vehicles.map((v) => (
          <button key={v.id} type="button" className="ph-btn ph-btn-secondary" onClick={() => setLocal({ vehicleId: v.id, sortieId: v.currentSortie?.id ?? null })}>
            {/* bdi: a bidi override in a call sign must not reverse the status after it */}
            <bdi>{v.callSign}</bdi> · {t(`vehicleStatus.${v.status}`)}
          </button>
        ))}
      </section>
    );
  }

  const outboxPanel = (
    <section className="ph-card ph-outbox" aria-label={t("phone.waiting")}>
      <h2>{t("phone.waiting")} {box.waiting.length}{box.sending ? ` · ${t("phone.sending")}` : ""}</h2>
      <ul>
        {box.waiting.map((w) => <li key={w.seq} className="ph-wait">⏳ {w.label}</li>)}
        {box.done.slice(0, 8).map((d) => (
          <li key={`${d.seq}-${d.at}`} className={d.result === "confirmed" ? "ph-ok" : "ph-bad"}>
            {d.result === "confirmed" ? `✓ ${t("phone.confirmed")}` : `✗ ${t("phone.rejected")}`} · {d.label}{d.error ? ` — ${d.error}` : ""}
          </li>
        ))}
      </ul>
    </section>
  );

  if (mode === "start") return <StartSortie vehicle={vehicle} stationId={me.stationId} onDone={(id) => { if (id) setLocal({ ...local, sortieId: id }); setMode("home"); }} />;
  if (mode === "end") return <EndSortie sortieId={local.sortieId!} load={load} onDone={(ended) => { if (ended) setLocal({ ...local, sortieId: null }); setMode("home"); }} />;
  if (mode === "visit") return <KeyPointVisit sortieId={local.sortieId} stationId={me.stationId} onDone={() => setMode("home")} />;
  if (mode === "record" || mode === "found") {
    return (
      <EncounterForm load={load} title={mode === "found" ? t("phone.foundHere") : t("phone.record")} askPlace={mode === "found"}
        onCancel={() => setMode("home")}
        onSave={(e) => {
          const body = {
            ...e, id: uuid(), sortieId: local.sortieId ?? undefined, occurredAt: new Date().toISOString(),
            ...(mode === "record" && task ? { caseId: task.caseId, assignmentId: task.id } : { lat: fix?.lat ?? vehicle.lastLat ?? undefined, lng: fix?.lng ?? vehicle.lastLng ?? undefined }),
          };
          void enqueue(outboxWrites.encounter, { body }, t("outbox.encounter", { o: t(`outcome.${e.outcome}`) }));
          // Take what was handed out off the local load at once; the server's figure follows.
          setLoad(load.map((l) => ({ ...l, quantity: l.quantity - (e.supplies?.find((s) => s.itemId === l.itemId)?.quantity ?? 0) })).filter((l) => l.quantity > 0));
          setMode("home");
        }} />
    );
  }

  const c = task?.case;
  // What the queue implies is shown first, marked as waiting; the server's status beside it until it agrees.
  const pendingStatus = impliedVehicleStatus(vehicle.status, vehicle.id, box.waiting);
  const from = fix ?? (vehicle.lastLat != null && vehicle.lastLng != null ? { lat: vehicle.lastLat, lng: vehicle.lastLng } : null);
  const dist = c && from ? roundedDistance(from, c) : null;
  const distText = dist ? t(dist.unit === "km" ? "map.km" : "map.m", { n: dist.value }) : null;
  return (
    <>
      <section className="ph-card" aria-label={t("phone.vehicle")}>
        <h2>{vehicle.callSign} · <span data-testid="vehicle-status" data-state={pendingStatus ? "waiting" : "confirmed"}>
          {t(`vehicleStatus.${pendingStatus ?? vehicle.status}`)}</span></h2>
        <p className={pendingStatus ? "ph-vstatus ph-vstatus-wait" : "ph-vstatus ph-vstatus-ok"}>
          {pendingStatus
            ? `⏳ ${t("phone.statusWaiting")} · ${t("phone.statusServer", { s: t(`vehicleStatus.${vehicle.status}`) })}`
            : `✓ ${t("phone.confirmed")}`}
        </p>
        <p className="ph-hint">{local.sortieId ? t("phone.sortieOn", { callSign: vehicle.callSign }) : ""} {local.sortieId ? (fix ? t("phone.gps") : t("phone.gpsOff")) : ""}</p>
        {!local.sortieId && <button type="button" className="ph-btn ph-btn-primary" onClick={() => setMode("start")}>{t("phone.startSortie")}</button>}
        {!local.sortieId && <button type="button" className="ph-btn ph-btn-secondary" onClick={() => setLocal({ vehicleId: null, sortieId: null })}>{t("phone.changeVehicle")}</button>}
      </section>

      <section className="ph-card ph-task" aria-live="polite" aria-label={t("phone.task")}>
        <h2>{t("phone.task")}</h2>
        {!task || !c ? <p className="ph-task-none">{t("phone.noTask")}</p> : (
          <>
            <p className="ph-task-status">{t(`taskStatus.${task.status}`)} · {t(`urgency.${c.urgency}`)}</p>
            <p><strong>{c.placeText || `${c.lat.toFixed(5)}, ${c.lng.toFixed(5)}`}</strong></p>
            {c.description && <p>{c.description}</p>}
            {distText && <p className="ph-dist" data-testid="task-distance">{t("map.distance", { d: distText })}</p>}
            <TaskMapLazy task={{ lat: c.lat, lng: c.lng, title: c.placeText }} me={fix}
              vehicle={vehicle.lastLat != null && vehicle.lastLng != null ? { lat: vehicle.lastLat, lng: vehicle.lastLng, callSign: vehicle.callSign } : null}
              distance={distText}
              texts={{ task: t("map.task"), me: t("map.me"), noTiles: t("map.noTiles"), tilesDown: t("map.tilesDown"), fit: t("map.fit") }}
              loading={t("map.loading")} unavailable={t("map.unavailable")} retry={t("map.retry")} />
            <p className="ph-hint">{t("phone.people")}: {c.peopleCount} {c.flags.map((f) => t(`flag.${f}`)).join(" · ")}</p>
            <div className="ph-grid3">
              <a className="ph-btn ph-btn-secondary" href={`geo:${c.lat},${c.lng}?q=${c.lat},${c.lng}`}>{t("phone.navigate")}</a>
              <a className="ph-btn ph-btn-secondary" target="_blank" rel="noreferrer"
                href={`https://uri.amap.com/marker?position=${c.lng},${c.lat}&coordinate=wgs84&callnative=1&name=${encodeURIComponent(c.placeText)}`}>{t("phone.amap")}</a>
              <a className="ph-btn ph-btn-secondary" target="_blank" rel="noreferrer"
                href={`https://api.map.baidu.com/marker?location=${c.lat},${c.lng}&coord_type=wgs84&title=${encodeURIComponent(c.placeText || "Warmline")}&content=${encodeURIComponent(c.description)}&output=html&src=warmline`}>{t("phone.baidu")}</a>
            </div>
            {(NEXT[task.status] ?? []).map((s) => (
              <button key={s} type="button" className="ph-btn ph-btn-primary ph-btn-big" onClick={() => step(s)}>{t(`phone.${STEP_LABEL[s]}`)}</button>
            ))}
            {task.status === "on_scene" && <button type="button" className="ph-btn ph-btn-secondary" onClick={() => setMode("record")}>{t("phone.record")}</button>}
          </>
        )}
      </section>

      {local.sortieId && (
        <section className="ph-card ph-form">
          <button type="button" className="ph-btn ph-btn-primary" onClick={() => setMode("found")}>{t("phone.foundHere")}</button>
          <button type="button" className="ph-btn ph-btn-secondary" onClick={() => setMode("visit")}>{t("phone.keyPoint")}</button>
          <p className="ph-hint">{load.map((l) => `${lang === "en" ? l.nameEn : l.nameZh} ${l.quantity}`).join(" · ")}</p>
          <button type="button" className="ph-btn ph-btn-secondary" disabled={!!task} onClick={() => setMode("end")}>{t("phone.endSortie")}</button>
        </section>
      )}
      {outboxPanel}
    </>
  );
}

/** 出车: crew, joint patrol or new, supplies from the station's stock. */
function StartSortie({ vehicle, stationId, onDone }: { vehicle: Vehicle; stationId: string | null; onDone: (id: string | null) => void }) {
  const { t } = useTranslation("fleet");
  const [lang] = useLanguage();
  const [crew, setCrew] = useState(2);
  const [names, setNames] = useState("");
  const [patrolId, setPatrolId] = useState<string | null>(null);
  const [patrols, setPatrols] = useState<{ id: string; callSigns: string[] }[]>([]);
  const [stock, setStock] = useState<{ itemId: string; name: string; station: number }[]>([]);
  const [qty, setQty] = useState<Record<string, number>>({});
  useEffect(() => {
    call(fleetRoutes.openPatrols).then((r) => setPatrols(r.items)).catch(() => {});
    if (stationId) call(otherRoutes.stock, { query: { stationId } }).then((r) => setStock(r.items.map((i) => ({ itemId: i.itemId, name: lang === "en" ? i.nameEn : i.nameZh, station: i.station })))).catch(() => {});
  }, [stationId, lang]);
  const start = () => {
    const id = uuid();
    void enqueue(outboxWrites.startSortie, { body: {
      id, vehicleId: vehicle.id, crewCount: crew, crewNames: names.split(/[,，、\s]+/).filter(Boolean),
      ...(patrolId ? { patrolId } : { kind: "planned" }), startedAt: new Date().toISOString(),
      load: Object.entries(qty).filter(([, q]) => q > 0).map(([itemId, quantity]) => ({ itemId, quantity })),
    } }, t("outbox.startSortie"));
    onDone(id);
  };
  return (
    <section className="ph-card ph-form" aria-label={t("phone.startSortie")}>
      <h2>{t("phone.startSortie")} · {vehicle.callSign}</h2>
      <div className="ph-stepper"><span>{t("phone.crewCount")}</span>
        <button type="button" className="ph-btn ph-btn-secondary" onClick={() => setCrew(Math.max(1, crew - 1))}>−</button><output>{crew}</output>
        <button type="button" className="ph-btn ph-btn-secondary" onClick={() => setCrew(Math.min(vehicle.seats, crew + 1))}>+</button></div>
      <label className="ph-field">{t("phone.crewNames")}<input value={names} onChange={(e) => setNames(e.target.value)} /></label>
      <div className="ph-grid2">
        <button type="button" className="ph-btn ph-btn-toggle" aria-pressed={patrolId === null} onClick={() => setPatrolId(null)}>{t("phone.newPatrol")}</button>
        {patrols.map((p) => (
          <button key={p.id} type="button" className="ph-btn ph-btn-toggle" aria-pressed={patrolId === p.id} onClick={() => setPatrolId(p.id)}>{t("phone.joinPatrol")}: {p.callSigns.join("+")}</button>
        ))}
      </div>
      {stock.length > 0 && <h3>{t("phone.load")}</h3>}
      {stock.map((s) => (
        <div key={s.itemId} className="ph-stepper"><span>{s.name} <small>({s.station})</small></span>
          <button type="button" className="ph-btn ph-btn-secondary" onClick={() => setQty({ ...qty, [s.itemId]: Math.max(0, (qty[s.itemId] ?? 0) - 5) })}>−5</button>
          <output>{qty[s.itemId] ?? 0}</output>
          <button type="button" className="ph-btn ph-btn-secondary" onClick={() => setQty({ ...qty, [s.itemId]: Math.min(s.station, (qty[s.itemId] ?? 0) + 5) })}>+5</button></div>
      ))}
      <button type="button" className="ph-btn ph-btn-primary" onClick={start}>{t("phone.startSortie")}</button>
      <button type="button" className="ph-btn ph-btn-secondary" onClick={() => onDone(null)}>{t("phone.back")}</button>
    </section>
  );
}

/** 收车: what comes back to the station (defaults to everything on board). */
function EndSortie({ sortieId, load, onDone }: { sortieId: string; load: VehicleLoad["items"]; onDone: (ended: boolean) => void }) {
  const { t } = useTranslation("fleet");
  const [lang] = useLanguage();
  const [back, setBack] = useState<Record<string, number>>(Object.fromEntries(load.map((l) => [l.itemId, l.quantity])));
  const end = () => {
    void enqueue(outboxWrites.endSortie, { params: { id: sortieId }, body: {
      returned: Object.entries(back).filter(([, q]) => q > 0).map(([itemId, quantity]) => ({ itemId, quantity })), endedAt: new Date().toISOString(),
    } }, t("outbox.endSortie"));
    onDone(true);
  };
  return (
    <section className="ph-card ph-form" aria-label={t("phone.endSortie")}>
      <h2>{t("phone.endSortie")}</h2>
      {load.length > 0 && <h3>{t("phone.returned")}</h3>}
      {load.map((l) => (
        <div key={l.itemId} className="ph-stepper"><span>{lang === "en" ? l.nameEn : l.nameZh}</span>
          <button type="button" className="ph-btn ph-btn-secondary" onClick={() => setBack({ ...back, [l.itemId]: Math.max(0, (back[l.itemId] ?? 0) - 1) })}>−</button>
          <output>{back[l.itemId] ?? 0}</output>
          <button type="button" className="ph-btn ph-btn-secondary" onClick={() => setBack({ ...back, [l.itemId]: Math.min(l.quantity, (back[l.itemId] ?? 0) + 1) })}>+</button></div>
      ))}
      <button type="button" className="ph-btn ph-btn-primary" onClick={end}>{t("phone.endSortie")}</button>
      <button type="button" className="ph-btn ph-btn-secondary" onClick={() => onDone(false)}>{t("phone.back")}</button>
    </section>
  );
}

/** A key-point check: nobody, or how many people. */
function KeyPointVisit({ sortieId, stationId, onDone }: { sortieId: string | null; stationId: string | null; onDone: () => void }) {
  const { t } = useTranslation("fleet");
  const [points, setPoints] = useState<{ id: string; name: string }[]>([]);
  const [kp, setKp] = useState<string | null>(null);
  const [n, setN] = useState(0);
  useEffect(() => { call(otherRoutes.keyPoints, { query: stationId ? { stationId } : {} }).then((r) => setPoints(r.items)).catch(() => {}); }, [stationId]);
  const save = () => {
    if (!kp) return;
    void enqueue(outboxWrites.visit, { body: { id: uuid(), keyPointId: kp, sortieId: sortieId ?? undefined, peopleFound: n, visitedAt: new Date().toISOString() } },
      `${t("outbox.visit")}: ${points.find((p) => p.id === kp)?.name ?? ""} (${n})`);
    onDone();
  };
  return (
    <section className="ph-card ph-form" aria-label={t("phone.keyPoint")}>
      <h2>{t("phone.keyPoint")}</h2>
      {points.map((p) => <button key={p.id} type="button" className="ph-btn ph-btn-toggle" aria-pressed={kp === p.id} onClick={() => setKp(p.id)}>{p.name}</button>)}
      <div className="ph-stepper"><span>{t("phone.peopleFound")}</span>
        <button type="button" className="ph-btn ph-btn-secondary" onClick={() => setN(Math.max(0, n - 1))}>−</button><output>{n === 0 ? t("phone.nobody") : n}</output>
        <button type="button" className="ph-btn ph-btn-secondary" onClick={() => setN(n + 1)}>+</button></div>
      <button type="button" className="ph-btn ph-btn-primary" disabled={!kp} onClick={save}>{t("phone.save")}</button>
      <button type="button" className="ph-btn ph-btn-secondary" onClick={onDone}>{t("phone.back")}</button>
    </section>
  );
}
