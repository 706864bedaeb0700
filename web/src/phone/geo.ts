import { call } from "../api/http.js";
import { fleetRoutes } from "./fleet-api.js";

/**
 * Sends the phone's position while on a sortie. Fixes are collected from watchPosition, sampled
 * to one every SAMPLE_MS, and posted in batches every SEND_MS; when the post fails (no signal)
 * they stay in memory (bounded) and go with the next batch. The server stores every fix and
 * throttles what it broadcasts, so batching here only saves the phone's radio and battery.
 */
const SAMPLE_MS = 5_000;
const SEND_MS = 10_000;
const MAX_BUFFER = 500;

type Fix = { vehicleId: string; lat: number; lng: number; accuracy: number | null; recordedAt: string };

/** Starts tracking for `vehicleId`; returns a stop function. `onFix` reports the latest position. */
export function trackPosition(vehicleId: string, onFix: (f: { lat: number; lng: number } | null) => void): () => void {
  if (!("geolocation" in navigator)) {
    onFix(null);
    return () => {};
  }
  let buffer: Fix[] = [];
  let lastSample = 0;
  const watch = navigator.geolocation.watchPosition(
    (p) => {
      onFix({ lat: p.coords.latitude, lng: p.coords.longitude });
      if (p.timestamp - lastSample < SAMPLE_MS) return;
      lastSample = p.timestamp;
      buffer.push({
        vehicleId, lat: p.coords.latitude, lng: p.coords.longitude,
        accuracy: Number.isFinite(p.coords.accuracy) ? Math.min(p.coords.accuracy, 100000) : null,
        recordedAt: new Date(p.timestamp).toISOString(),
      });
      if (buffer.length > MAX_BUFFER) buffer = buffer.slice(-MAX_BUFFER);
    },
    () => onFix(null),
    { enableHighAccuracy: true, maximumAge: 5_000, timeout: 30_000 },
  );
  let inFlight = false;
  const timer = setInterval(() => {
    if (inFlight || !buffer.length) return;
    const batch = buffer;
    inFlight = true;
    call(fleetRoutes.positions, { body: { points: batch } })
      .then(() => { buffer = buffer.filter((f) => !batch.includes(f)); })
      .catch(() => { /* kept for the next try */ })
      .finally(() => { inFlight = false; });
  }, SEND_MS);
  return () => {
    navigator.geolocation.clearWatch(watch);
    clearInterval(timer);
  };
}
