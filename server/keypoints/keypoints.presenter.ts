import type { KeyPointMapItem, KeyPointStatus } from "../../shared/api/keypoints.js";
import { CADENCE, keyPointDueState } from "../../shared/cadence.js";
import type { AlertLevel, KeyPointKind } from "../../shared/vocab.js";
import type { KeyPointRow } from "./keypoints.repo.js";
import type { EventPayloads } from "../../shared/events/contract.js";

/**
 * A key point as the API shows it, with its due state at the station's alert level (blue cadence
 * when no campaign runs). Key points hold no personal data: every role in scope may see them.
 */
export function presentKeyPoint(
  r: KeyPointRow & { lastVisitedAt: Date | null },
  alert: AlertLevel | null,
  now: Date,
): KeyPointStatus {
  const level = alert ?? "blue";
  return {
    id: r.id,
    stationId: r.stationId,
    name: r.name,
    kind: r.kind as KeyPointKind,
    lat: r.lat,
    lng: r.lng,
    address: r.address,
    notes: r.notes,
    active: r.active,
    version: r.version,
    lastVisitedAt: r.lastVisitedAt ? r.lastVisitedAt.toISOString() : null,
    dueState: keyPointDueState(r.lastVisitedAt, level, now),
    intervalHours: CADENCE[level].keyPointHours,
    alertLevel: alert,
  };
}

/** The map's slim entry: a whitelist of the full one. */
export function presentKeyPointForMap(k: KeyPointStatus): KeyPointMapItem {
  const { id, stationId, name, lat, lng, version, lastVisitedAt, dueState, alertLevel } = k;
  return { id, stationId, name, lat, lng, version, lastVisitedAt, dueState, alertLevel };
}

/**
 * Payload of keypoint.* events: the key point's own fields with its version after the change (maps
 * reload their layer on them; an open edit form can tell its copy is stale).
 */
export function keyPointEventPayload(r: KeyPointRow): EventPayloads["keypoint.updated"] {
  return {
    id: r.id,
    stationId: r.stationId,
    name: r.name,
    kind: r.kind,
    lat: r.lat,
    lng: r.lng,
    address: r.address,
    notes: r.notes,
    active: r.active,
    version: r.version,
  };
}
