import { ApiError, call } from "../api/http.js";
import { fleetRoutes } from "./fleet-api.js";
import { isNullIsland } from "../../../shared/geo.js";

/**
 * Sends the phone's position while on a sortie. Fixes from watchPosition are sampled to one every
 * SAMPLE_MS and kept in a buffer persisted in localStorage, so a track recorded in a dead zone
 * survives the sortie ending, the page being reloaded or killed in the background. A sender that
 * runs for the whole page (not only while tracking) posts the buffer oldest first, in chunks, one
 * chunk at a time, every SEND_MS and at once when the browser says the network is back; a chunk
 * leaves the buffer only when the server confirmed it. The server stores each (vehicle, time) once,
 * so a chunk resent after a lost response is harmless: the track arrives complete, once, in order.
 */
const SAMPLE_MS = 5_000;
const SEND_MS = 10_000;
/** Points per POST (the endpoint takes up to 500). */
const CHUNK = 200;
/** About seven hours at one fix per 5 s; beyond that the oldest half is thinned to every other fix. */
const MAX_BUFFER = 5000;
/** A request on a dead connection can hang for minutes; give up and retry instead. */
const REQUEST_TIMEOUT_MS = 20_000;
const KEY = "warmline.track.pending";

type Fix = { vehicleId: string; lat: number; lng: number; accuracy: number | null; recordedAt: string };

let buffer: Fix[] = readBuffer();
let sending: AbortController | null = null;

/** What the crew's status line says about the track: fixes waiting, a send under way, the last send failed. */
interface TrackState {
  waiting: number;
  sending: boolean;
  failed: boolean;
}
let failed = false;
let trackSnapshot: TrackState = { waiting: buffer.length, sending: false, failed };
const trackListeners = new Set<() => void>();
function trackChanged(): void {
  trackSnapshot = { waiting: buffer.length, sending: !!sending, failed };
  for (const l of trackListeners) l();
}
export const track = {
  subscribe(l: () => void): () => void {
    trackListeners.add(l);
    return () => trackListeners.delete(l);
  },
  get: (): TrackState => trackSnapshot,
};

function readBuffer(): Fix[] {
  try {
    return JSON.parse(localStorage.getItem(KEY) ?? "[]") as Fix[];
  } catch {
    return [];
  }
}
function saveBuffer(): void {
  try {
    localStorage.setItem(KEY, JSON.stringify(buffer));
  } catch {
    /* full or disabled: the in-memory buffer still goes */
  }
  trackChanged();
}

function push(f: Fix): void {
  buffer.push(f);
  if (buffer.length > MAX_BUFFER) {
    // Keep the shape of a very long track rather than only its end.
    const half = Math.floor(buffer.length / 2);
    buffer = [...buffer.slice(0, half).filter((_, i) => i % 2 === 0), ...buffer.slice(half)];
  }
  saveBuffer();
}

/** Posts buffered fixes, oldest first, until the buffer is empty or a post fails. */
async function sendTrack(): Promise<void> {
  if (sending) return;
  const ctl = new AbortController();
  sending = ctl;
  trackChanged();
  try {
    while (buffer.length && !ctl.signal.aborted) {
      const chunk = buffer.slice(0, CHUNK);
      const timer = setTimeout(() => ctl.abort(), REQUEST_TIMEOUT_MS);
      try {
        await call(fleetRoutes.positions, { body: { points: chunk }, signal: ctl.signal });
      } catch (err) {
        const status = err instanceof ApiError ? err.status : 0;
        // Offline, timed out, signed out or server trouble: keep everything for the next try.
        if (status === 0 || status === 401 || status === 429 || status >= 500) {
          failed = true;
          return;
        }
        // Refused for good (another vehicle, bad data): drop that chunk rather than block the track behind it.
      } finally {
        clearTimeout(timer);
      }
      const sent = new Set(chunk);
      buffer = buffer.filter((f) => !sent.has(f));
      failed = false;
      saveBuffer();
    }
  } catch {
    /* aborted */
  } finally {
    if (sending === ctl) sending = null;
    trackChanged();
  }
}

/** The network is back: drop a request that may hang on the old connection and send now. */
function resend(): void {
  sending?.abort();
  sending = null;
  void sendTrack();
}

if (typeof window !== "undefined") {
  window.addEventListener("online", resend);
  setInterval(() => void sendTrack(), SEND_MS);
  void sendTrack();
}

/** Starts tracking for `vehicleId`; returns a stop function. `onFix` reports the latest position. */
export function trackPosition(
  vehicleId: string,
  onFix: (f: { lat: number; lng: number; accuracy: number | null } | null) => void,
): () => void {
  if (!("geolocation" in navigator)) {
    onFix(null);
    return () => {};
  }
  let lastSample = 0;
  const watch = navigator.geolocation.watchPosition(
    (p) => {
      const accuracy = Number.isFinite(p.coords.accuracy) ? Math.min(p.coords.accuracy, 100000) : null;
      onFix({ lat: p.coords.latitude, lng: p.coords.longitude, accuracy });
      if (p.timestamp - lastSample < SAMPLE_MS) return;
      // The server refuses (0, 0) and a refused chunk is dropped whole: never queue one.
      if (isNullIsland(p.coords.latitude, p.coords.longitude)) return;
      lastSample = p.timestamp;
      push({
        vehicleId,
        lat: p.coords.latitude,
        lng: p.coords.longitude,
        accuracy,
        recordedAt: new Date(p.timestamp).toISOString(),
      });
    },
    () => onFix(null),
    { enableHighAccuracy: true, maximumAge: 5_000, timeout: 30_000 },
  );
  // What was buffered stays buffered after stop: the page-wide sender delivers it.
  return () => navigator.geolocation.clearWatch(watch);
}
