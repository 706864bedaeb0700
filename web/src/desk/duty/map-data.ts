import { useEffect, useSyncExternalStore } from "react";
import { api, call } from "../../api/client.js";
import type { KeyPointStatus } from "../../../../shared/api/keypoints.js";
import type { MapConfig } from "../../../../shared/api/map.js";
import type { Vehicle } from "../../../../shared/api/vehicles.js";
import { sheltersApi, type Shelter } from "../../../../shared/api/shelters.js";
import { eventStream } from "../../realtime/socket.js";
import { session } from "../../shared-ui/session.js";

/**
 * What the duty-room map shows besides cases: tile config, key points with due state, vehicles
 * with last position, and stations/shelters with free places. Vehicles and shelters come from other
 * modules' endpoints; when those are missing (404) or fail, the layer is simply empty, never an error.
 * Events re-read the affected layer (debounced); key points are also re-read every minute because
 * their due state changes with time alone.
 */
interface MapData {
  config: MapConfig | null;
  keyPoints: readonly KeyPointStatus[];
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
const set = (patch: Partial<MapData>) => {
  data = { ...data, ...patch };
  for (const l of listeners) l();
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
    set({ keyPoints: (await call(api.keypoints.list)).items });
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

function upsertVehicle(v: VehicleLite) {
  const cur = data.vehicles.find((x) => x.id === v.id);
  if (cur && cur.version > v.version) return;
  // Position reports do not bump the version: keep the newest position too.
  set({ vehicles: [...data.vehicles.filter((x) => x.id !== v.id), { ...cur, ...v }] });
}

function start() {
  if (started) return;
  started = true;
  void Promise.all([loadConfig(), loadKeyPoints(), loadVehicles(), loadShelters()]).then(() => set({ loaded: true }));
  poll ??= setInterval(() => {
    if (started && session.get().status === "signedIn") void loadKeyPoints();
  }, 60_000);
}

eventStream.subscribe((e) => {
  if (!started) return;
  // vehicle.* events other than positions carry the vehicle's own fields (the event contract's
  // VehiclePayload); a position fix has no version, so the layer is re-read instead.
  if (e.type === "vehicle.created" || e.type === "vehicle.updated" || e.type === "vehicle.status_changed")
    upsertVehicle(e.payload);
  else if (e.type === "vehicle.position") soon("vehicles", loadVehicles);
  if (/^(keypoint|key_point|visit|encounter|patrol)/.test(e.type) || e.type.startsWith("campaign."))
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
