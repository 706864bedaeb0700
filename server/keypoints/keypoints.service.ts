import { randomUUID } from "node:crypto";
import type {
  KeyPointActiveChange,
  KeyPointCreate,
  KeyPointMapItem,
  KeyPointStatus,
  KeyPointUpdate,
} from "../../shared/api/keypoints.js";
import type { AlertLevel } from "../../shared/vocab.js";
import type { Db, DbOrTx } from "../db/client.js";
import type { EventLog } from "../events/event-log.js";
import type { SessionUser } from "../auth/session-user.js";
import { canSeeStation, requireRole, requireStation } from "../auth/policy.js";
import { AppError, fieldError, forbidden, notFound, versionConflict } from "../http/errors.js";
import { currentAlertLevel } from "../cases/alert-level.repo.js";
import { findStation } from "../stations/stations.repo.js";
import * as repo from "./keypoints.repo.js";
import { keyPointEventPayload, presentKeyPoint, presentKeyPointForMap } from "./keypoints.presenter.js";
import { assertSameRequest } from "../http/idempotency.js";

/** Who may add, change or take off key points: admins anywhere, heads at their own station. */
const EDITORS = ["admin", "head"] as const;

/** Key points (重点点位): the list with how overdue their patrol is, and their upkeep. */
export class KeyPointsService {
  constructor(
    private readonly db: Db,
    private readonly log: EventLog,
  ) {}

  /**
   * Key points in the user's scope (active ones unless `includeInactive`), each with its last visit
   * and due state at the cold-alert level of the campaign running over its station (blue cadence
   * when none runs). Every role may read them: patrols plan their round with them.
   */
  async list(
    user: SessionUser,
    query: { stationId?: string; includeInactive?: boolean },
    now: Date = new Date(),
  ): Promise<KeyPointStatus[]> {
    if (query.stationId) requireStation(user, query.stationId);
    const stationIds = query.stationId ? [query.stationId] : user.allStations ? undefined : user.stationIds;
    const rows = await repo.listKeyPointsWithLastVisit(this.db, {
      stationIds,
      includeInactive: query.includeInactive,
      limit: 5000,
    });
    return this.present(rows, now);
  }

  /**
   * The map's key points: active ones in scope, optionally within a view, each with only the
   * fields the map draws (the full entries are three times the size, for thousands of points).
   */
  async forMap(
    user: SessionUser,
    query: { stationId?: string; south?: number; west?: number; north?: number; east?: number },
    now: Date = new Date(),
  ): Promise<KeyPointMapItem[]> {
    if (query.stationId) requireStation(user, query.stationId);
    const stationIds = query.stationId ? [query.stationId] : user.allStations ? undefined : user.stationIds;
    const { south, west, north, east } = query;
    const view =
      south !== undefined && west !== undefined && north !== undefined && east !== undefined
        ? { south, west, north, east }
        : undefined;
    const rows = await repo.listKeyPointsWithLastVisit(this.db, { stationIds, view, limit: 5000 });
    return (await this.present(rows, now)).map(presentKeyPointForMap);
  }

  /**
   * Adds a key point. A retry with the same id returns the first result without a new event; an
   * id already used for a different key point is a conflict.
   */
  async create(user: SessionUser, input: KeyPointCreate): Promise<KeyPointStatus> {
    requireRole(user, EDITORS);
    await this.checkStation(user, input.stationId);
    const id = input.id ?? randomUUID();
    const row = await this.log.transact(async (tx, record) => {
      const created = await repo.insertKeyPoint(tx, { ...input, id, active: true });
      if (created)
        record({
          type: "keypoint.created",
          stationId: created.stationId,
          actorId: user.id,
          payload: keyPointEventPayload(created),
        });
      return created;
    });
    if (row) return this.one(row.id);
    const existing = await repo.findKeyPoint(this.db, id);
    if (existing && existing.stationId === input.stationId) {
      assertSameRequest("key point", id, existing, input, { fixed: ["stationId"] });
      return this.one(id);
    }
    throw new AppError(409, "CONFLICT", "body.id: already used for another key point");
  }

  /**
   * Changes a key point's details if `version` is still the one the editor loaded (409
   * VERSION_CONFLICT naming the key point otherwise); moving it to another station needs that
   * station in scope too. Sending no field changes nothing and records nothing.
   */
  async update(user: SessionUser, id: string, input: KeyPointUpdate): Promise<KeyPointStatus> {
    requireRole(user, EDITORS);
    const { version, ...patch } = input;
    await this.editable(user, id);
    if (patch.stationId) await this.checkStation(user, patch.stationId);
    const changes = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) as typeof patch;
    await this.log.transact(async (tx, record) => {
      const before = await this.lockAt(tx, id, version);
      if (!Object.keys(changes).length) return;
      const after = await repo.updateKeyPoint(tx, id, version, changes);
      if (!after) throw versionConflict(`Key point ${before.name}`);
      const payload = keyPointEventPayload(after);
      record({ type: "keypoint.updated", stationId: after.stationId, actorId: user.id, payload });
      // The old station's maps and due-now lists must drop it too.
      if (before.stationId !== after.stationId)
        record({ type: "keypoint.updated", stationId: before.stationId, actorId: user.id, payload });
    });
    return this.one(id);
  }

  /**
   * Takes a key point off the rounds (it leaves the due-now list and the maps; its recorded visits
   * stay counted) or puts it back, if `version` is still current (409 VERSION_CONFLICT otherwise).
   * Setting what is already set changes nothing and records nothing.
   */
  async setActive(user: SessionUser, id: string, input: KeyPointActiveChange): Promise<KeyPointStatus> {
    requireRole(user, EDITORS);
    const { active, version } = input;
    await this.editable(user, id);
    await this.log.transact(async (tx, record) => {
      const before = await this.lockAt(tx, id, version);
      if (before.active === active) return;
      const after = await repo.updateKeyPoint(tx, id, version, { active });
      if (!after) throw versionConflict(`Key point ${before.name}`);
      record({
        type: active ? "keypoint.reactivated" : "keypoint.deactivated",
        stationId: after.stationId,
        actorId: user.id,
        payload: keyPointEventPayload(after),
      });
    });
    return this.one(id);
  }

  /**
   * Locks the key point's row for the rest of the transaction (edits of one key point queue up)
   * and checks that it is still at `version`: 404 when gone, 409 VERSION_CONFLICT when changed.
   */
  private async lockAt(tx: DbOrTx, id: string, version: number): Promise<repo.KeyPointRow> {
    const row = await repo.lockKeyPoint(tx, id);
    if (!row) throw notFound("Key point");
    if (row.version !== version) throw versionConflict(`Key point ${row.name}`);
    return row;
  }

  /** The key point if it exists (404) and its station is the user's to edit (403). */
  private async editable(user: SessionUser, id: string): Promise<repo.KeyPointRow> {
    const row = await repo.findKeyPoint(this.db, id);
    if (!row) throw notFound("Key point");
    if (!canSeeStation(user, row.stationId)) throw forbidden("That key point belongs to a station outside your scope");
    return row;
  }

  /** Scope first (a head naming another station gets 403), then existence (an admin's typo gets 400). */
  private async checkStation(user: SessionUser, stationId: string): Promise<void> {
    requireStation(user, stationId);
    if (!(await findStation(this.db, stationId))) throw fieldError("body.stationId", "no such station");
  }

  private async one(id: string, now = new Date()): Promise<KeyPointStatus> {
    const rows = await repo.listKeyPointsWithLastVisit(this.db, { ids: [id], includeInactive: true, limit: 1 });
    if (!rows[0]) throw notFound("Key point");
    return (await this.present(rows, now))[0]!;
  }

  private async present(
    rows: (repo.KeyPointRow & { lastVisitedAt: Date | null })[],
    now: Date,
  ): Promise<KeyPointStatus[]> {
    const levels = new Map<string, AlertLevel | null>();
    for (const r of rows)
      if (!levels.has(r.stationId)) levels.set(r.stationId, await currentAlertLevel(this.db, r.stationId, now));
    return rows.map((r) => presentKeyPoint(r, levels.get(r.stationId) ?? null, now));
  }
}
