import { boundingBox } from "../../shared/duplicates.js";
import { haversineMeters } from "../../shared/geo.js";
import type { Resubmission } from "../cases/cases.service.js";

/**
 * A partner system that could not read our answer resends the same report on its next run (GeoReport
 * clients do). The same partner, the same place within this distance and the same description within
 * this window is that report again: it answers the first request's id and opens no case.
 */
const RESUBMIT_RADIUS_M = 25;
const RESUBMIT_WINDOW_MS = 24 * 3600_000;

/** Description compared after Unicode normalisation and collapsing whitespace (clients re-wrap text). */
const normaliseDescription = (s: string): string => s.normalize("NFC").replace(/\s+/gu, " ").trim();

/** The rule for one incoming report, applied by intake under the partner's lock. */
export function resubmissionRule(r: { lat: number; lng: number; description: string; at: Date }): Resubmission {
  const text = normaliseDescription(r.description);
  return {
    since: new Date(r.at.getTime() - RESUBMIT_WINDOW_MS),
    box: boundingBox(r.lat, r.lng, RESUBMIT_RADIUS_M),
    same: (c) =>
      haversineMeters({ lat: r.lat, lng: r.lng }, { lat: c.lat, lng: c.lng }) <= RESUBMIT_RADIUS_M &&
      normaliseDescription(c.description) === text,
  };
}
