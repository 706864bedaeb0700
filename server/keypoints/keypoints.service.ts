import type { KeyPointStatus } from "../../shared/api/keypoints.js";
import { CADENCE, keyPointDueState } from "../../shared/cadence.js";
import type { AlertLevel, KeyPointKind } from "../../shared/vocab.js";
import type { Db } from "../db/client.js";
import type { SessionUser } from "../auth/session-user.js";
import { requireStation } from "../auth/policy.js";
import { currentAlertLevel } from "../cases/alert-level.repo.js";
import * as repo from "./keypoints.repo.js";

/** Key points (重点点位) with how overdue their patrol is. */
export class KeyPointsService {
  constructor(private readonly db: Db) {}

  /**
   * Active key points in the user's scope, each with its last visit and due state at the cold-alert
   * level of the campaign running over its station (blue cadence when none runs). Every role may
   * read them: patrols plan their round with them.
   */
  async list(user: SessionUser, query: { stationId?: string }, now: Date = new Date()): Promise<KeyPointStatus[]> {
    if (query.stationId) requireStation(user, query.stationId);
    const stationIds = query.stationId ? [query.stationId] : user.allStations ? undefined : user.stationIds;
    const rows = await repo.listKeyPointsWithLastVisit(this.db, { stationIds, limit: 2000 });
    const levels = new Map<string, AlertLevel | null>();
    for (const r of rows) if (!levels.has(r.stationId)) levels.set(r.stationId, await currentAlertLevel(this.db, r.stationId, now));
    return rows.map((r) => {
      const alert = levels.get(r.stationId) ?? null;
      const level = alert ?? "blue";
      return {
        id: r.id, stationId: r.stationId, name: r.name, kind: r.kind as KeyPointKind, lat: r.lat, lng: r.lng, address: r.address,
        lastVisitedAt: r.lastVisitedAt ? r.lastVisitedAt.toISOString() : null,
        dueState: keyPointDueState(r.lastVisitedAt, level, now),
        intervalHours: CADENCE[level].keyPointHours, alertLevel: alert,
      };
    });
  }
}
