import { useEffect, useSyncExternalStore } from "react";
import { api, call } from "../../api/client.js";
import type { KeyPointMapItem } from "../../../../shared/api/keypoints.js";
import type { MapConfig } from "../../../../shared/api/map.js";
import type { Vehicle } from "../../../../shared/api/vehicles.js";
import { sheltersApi, type Shelter } from "../../../../shared/api/shelters.js";
import { eventStream } from "../../realtime/socket.js";
import { session } from "../../shared-ui/session.js";
import { keyPointDueState } from "../../../../shared/cadence.js";
import type { DomainEvent } from "../../../../shared/events.js";

/**
 * What the duty-room map shows besides cases: tile config, key points with due state, vehicles
 * with last position, and stations/shelters with free places. Vehicles and shelters come from other
 * modules' endpoints; when those are missing (404) or fail, the layer is simply empty, never an error.
 * Events change the one entry they name (a GPS fix moves one vehicle, a visit refreshes one key
 * point); only rare changes (a new key point, an alert level) re-read a layer, debounced. Due states
 * change with time alone, so they are recomputed here each minute rather than re-read.
 */
interface MapData {
  config: MapConfig | null;
  keyPoints: readonly KeyPointMapItem[];
  vehicles: readonly VehicleLite[];
  shelters: readonly Shelter[];
  /** False until the shelters endpoint answered (the map then falls back to stations' beds). */
  sheltersAvailable: boolean;
  /** True once every layer's first load has answered (so the map fits to all of them, not the first). */
  loaded: boolean;
}

/** The vehicle fields the map needs (vehicle.* event payloads carry exactly these). */
type VehicleLite = Pick<
  Vehicle,
  "id" | "stationId" | "callSign" | "plate" | "status" | "version" | "lastLat" | "lastLng" | "lastPositionAt"
>;

const FALLBACK_CONFIG: MapConfig = { tileUrl: "", attribution: "", crs: "wgs84", subdomains: [], maxZoom: 18 };
const EMPTY: MapData = {
  config: null,
  keyPoints: [],
  vehicles: [],
  shelters: [],
  sheltersAvailable: false,
  loaded: false,
};
let data: MapData = EMPTY;
let started = false;
let poll: ReturnType<typeof setInterval> | null = null;
const listeners = new Set<() => void>();
/**
 * How long changes gather before the map redraws: a hundred and fifty moving vehicles report
 * every few seconds each, and one redraw per fix would keep the main thread busy.
 */
const NOTIFY_MS = 100;
let notifyTimer: ReturnType<typeof setTimeout> | null = null;
const set = (patch: Partial<MapData>) => {
  data = { ...data, ...patch };
  notifyTimer ??= setTimeout(() => {
    notifyTimer = null;
    for (const l of listeners) l();
  }, NOTIFY_MS);
};

async function loadConfig() {
  try {
    set({ config: await call(api.map.config) });
  } catch {
    set({ config: FALLBACK_CONFIG });
  }
}
async function loadKeyPoints() {
  try {
    set({ keyPoints: (await call(api.keypoints.map)).items });
  } catch {
    /* keep what we have */
  }
}
async function loadVehicles() {
  try {
    set({ vehicles: (await call(api.vehicles.list)).items });
  } catch {
    /* module not there yet, or down */
  }
}
async function loadShelters() {
  try {
    set({ shelters: (await call(sheltersApi.list)).items, sheltersAvailable: true });
  } catch {
    /* idem */
  }
}

const timers = new Map<string, ReturnType<typeof setTimeout>>();
function soon(key: string, fn: () => Promise<void>, ms = 500) {
  if (timers.has(key)) return;
  timers.set(
    key,
    setTimeout(() => {
      timers.delete(key);
      void fn();
    }, ms),
  );
}

/** Replaces one entry of a list by id (a new array, every other entry the same object). */
function replaceById<T extends { id: string }>(list: readonly T[], id: string, next: (cur: T) => T): readonly T[] {
  const i = list.findIndex((x) => x.id === id);
  if (i < 0) return list;
  const copy = list.slice();
  copy[i] = next(list[i]!);
  return copy;
}

function upsertVehicle(v: VehicleLite) {
  const cur = data.vehicles.find((x) => x.id === v.id);
  if (cur && cur.version > v.version) return;
  // Position reports do not bump the version: keep the position we hold when it is the newer.
  if (!cur) set({ vehicles: [...data.vehicles, v] });
  else set({ vehicles: replaceById(data.vehicles, v.id, (c) => ({ ...c, ...v, ...newerPosition(c, v) })) });
}

type KeyPointEvent = Extract<DomainEvent, { type: "keypoint.updated" }>["payload"];
type Position = Pick<VehicleLite, "lastLat" | "lastLng" | "lastPositionAt">;
/** Times of fixes may carry any offset (the phone's), so they are compared as instants. */
const fixTime = (p: Position) => (p.lastPositionAt ? Date.parse(p.lastPositionAt) : -Infinity);
function newerPosition(a: Position, b: Position): Position {
  const pick = fixTime(a) > fixTime(b) ? a : b;
  return { lastLat: pick.lastLat, lastLng: pick.lastLng, lastPositionAt: pick.lastPositionAt };
}

/** A GPS fix moves its vehicle, nothing else (a vehicle we do not hold yet comes with the next reload). */
function moveVehicle(p: { vehicleId: string; lat: number; lng: number; recordedAt: string }) {
  const cur = data.vehicles.find((x) => x.id === p.vehicleId);
  if (!cur) return soon("vehicles", loadVehicles);
  const fix = { lastLat: p.lat, lastLng: p.lng, lastPositionAt: p.recordedAt };
  if (fixTime(cur) > fixTime(fix)) return;
  set({ vehicles: replaceById(data.vehicles, cur.id, (c) => ({ ...c, ...fix })) });
}

/** A visit refreshes its key point's last visit and due state. */
function visitKeyPoint(v: { keyPointId: string; visitedAt: string }) {
  const kp = data.keyPoints.find((k) => k.id === v.keyPointId);
  if (!kp) return;
  if (kp.lastVisitedAt && Date.parse(kp.lastVisitedAt) >= Date.parse(v.visitedAt)) return;
  set({ keyPoints: replaceById(data.keyPoints, kp.id, (k) => withDueState({ ...k, lastVisitedAt: v.visitedAt })) });
}

/** A key point's own fields changed (name, place, taken off the rounds): one entry, or it leaves. */
function editKeyPoint(p: KeyPointEvent) {
  const kp = data.keyPoints.find((k) => k.id === p.id);
  // Unknown, or moved to another station (another cadence): the server has its due state.
  if (!kp || kp.stationId !== p.stationId) return soon("keypoints", loadKeyPoints);
  if (kp.version > p.version) return;
  if (!p.active) return set({ keyPoints: data.keyPoints.filter((k) => k.id !== p.id) });
  const { name, lat, lng, version } = p;
  set({ keyPoints: replaceById(data.keyPoints, kp.id, (k) => ({ ...k, name, lat, lng, version })) });
}

/** The due state at `now`, from the last visit and the cadence of the key point's alert level. */
function withDueState(k: KeyPointMapItem, now = new Date()): KeyPointMapItem {
  const dueState = keyPointDueState(k.lastVisitedAt ? new Date(k.lastVisitedAt) : null, k.alertLevel ?? "blue", now);
  return dueState === k.dueState ? k : { ...k, dueState };
}

/** Due states change with time alone: recomputed here each minute, touching only those that changed. */
function ageKeyPoints() {
  const now = new Date();
  let changed = false;
  const next = data.keyPoints.map((k) => {
    const n = withDueState(k, now);
    if (n !== k) changed = true;
    return n;
  });
  if (changed) set({ keyPoints: next });
}

function start() {
  if (started) return;
  started = true;
  void Promise.all([loadConfig(), loadKeyPoints(), loadVehicles(), loadShelters()]).then(() => set({ loaded: true }));
  poll ??= setInterval(() => {
    if (started && session.get().status === "signedIn") ageKeyPoints();
  }, 60_000);
}

eventStream.subscribe((e) => {
  if (!started) return;
  // vehicle.* events other than positions carry the vehicle's own fields (the event contract's
  // VehiclePayload); a position fix moves one vehicle.
  if (e.type === "vehicle.created" || e.type === "vehicle.updated" || e.type === "vehicle.status_changed")
    upsertVehicle(e.payload);
  else if (e.type === "vehicle.position") moveVehicle(e.payload);
  else if (e.type === "keypoint.visited") visitKeyPoint(e.payload);
  else if (e.type === "keypoint.updated" || e.type === "keypoint.deactivated") editKeyPoint(e.payload);
  // New or returning key points need their due state and cadence from the server; alert levels
  // change every key point's cadence. Both are rare.
  else if (e.type === "keypoint.created" || e.type === "keypoint.reactivated" || e.type.startsWith("campaign."))
    soon("keypoints", loadKeyPoints);
  if (/^(shelter|stay|station)\./.test(e.type)) soon("shelters", loadShelters);
});
eventStream.onResync(() => {
  if (started) void Promise.all([loadKeyPoints(), loadVehicles(), loadShelters()]);
});
session.subscribe(() => {
  if (session.get().status !== "signedIn") {
    data = EMPTY;
    started = false;
  }
});

/** The map's layers, loading them on first use. */
export function useMapData(): MapData {
  const d = useSyncExternalStore(
    (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    () => data,
    () => data,
  );
  useEffect(start, []);
  return d;
}
