import { randomUUID } from "node:crypto";
import type { z } from "zod";
import type { Shelter, ShelterCreate, ShelterUpdate } from "../../shared/api/shelters.js";
import type { Db } from "../db/client.js";
import type { EventLog } from "../events/event-log.js";
import type { SessionUser } from "../auth/session-user.js";
import { requireRole, requireStation } from "../auth/policy.js";
import { AppError, notFound, versionConflict } from "../http/errors.js";
import { allStationIds, listStations } from "../stations/stations.repo.js";
import * as repo from "./shelters.repo.js";
import { place, presentShelter } from "./shelters.presenter.js";
import { assertSameRequest } from "../http/idempotency.js";

/**
 * Warming shelters and service points, and the stations' own beds, with free places computed from
 * open stays (never stored, so it cannot drift). The duty-room map reads GET /api/shelters.
 */
export class SheltersService {
  constructor(
    private readonly db: Db,
    private readonly log: EventLog,
  ) {}

  /** Stations and shelters in scope, with capacity and free places. */
  async list(user: SessionUser, stationId?: string): Promise<Shelter[]> {
    if (stationId) requireStation(user, stationId);
    const ids = stationId ? [stationId] : user.allStations ? await allStationIds(this.db) : user.stationIds;
    const [stations, shelters, occ] = await Promise.all([
      listStations(this.db, ids),
      repo.listShelters(this.db, ids),
      repo.occupancy(this.db, ids),
    ]);
    return [
      ...stations.map((s) => ({
        id: s.id,
        stationId: s.id,
        name: s.name,
        kind: "station" as const,
        lat: s.lat,
        lng: s.lng,
        address: s.address,
        ...place(s.beds, occ.get(`station:${s.id}`) ?? 0),
        active: true,
        openedAt: null,
        closedAt: null,
        version: s.version,
      })),
      ...shelters.map((s) => presentShelter(s, occ.get(s.id) ?? 0)),
    ];
  }

  /** Adds a shelter or service point (head of the station, admin). */
  async create(user: SessionUser, input: z.infer<typeof ShelterCreate>): Promise<Shelter> {
    requireRole(user, ["head", "admin"]);
    requireStation(user, input.stationId);
    const id = input.id ?? randomUUID();
    const row = await this.log.transact(async (tx, record) => {
      const { openedAt, closedAt, ...fields } = input;
      const created = await repo.insertShelter(tx, { ...fields, ...servicePeriod({ openedAt, closedAt }), id });
      if (created)
        record({
          type: "shelter.created",
          stationId: created.stationId,
          actorId: user.id,
          payload: presentShelter(created, 0),
        });
      return created;
    });
    const s = row ?? (await repo.findShelter(this.db, id));
    if (!s || s.stationId !== input.stationId) throw new AppError(409, "CONFLICT", "body.id: already used");
    if (!row) {
      const { openedAt: _o, closedAt: _c, ...rest } = input;
      assertSameRequest("shelter", id, s, rest, { fixed: ["stationId", "kind"] });
    }
    return presentShelter(s, (await repo.occupancy(this.db, [s.stationId])).get(s.id) ?? 0);
  }

  /** Changes a shelter. */
  async update(user: SessionUser, id: string, input: z.infer<typeof ShelterUpdate>): Promise<Shelter> {
    requireRole(user, ["head", "admin"]);
    const s = await repo.findShelter(this.db, id);
    if (!s) throw notFound("Shelter");
    requireStation(user, s.stationId);
    const { version, openedAt, closedAt, ...rest } = input;
    const patch = { ...rest, ...servicePeriod({ openedAt, closedAt }) };
    const occupied = (await repo.occupancy(this.db, [s.stationId])).get(id) ?? 0;
    const row = await this.log.transact(async (tx, record) => {
      const updated = await repo.updateShelter(tx, id, version, patch);
      if (updated)
        record({
          type: "shelter.updated",
          stationId: updated.stationId,
          actorId: user.id,
          payload: presentShelter(updated, occupied),
        });
      return updated;
    });
    if (!row) throw versionConflict("Shelter");
    return presentShelter(row, occupied);
  }
}

/**
 * The service period as stored: opening default now; a closing time given means it closed then
 * (not active), so it counts in shelters in service only for ranges before that.
 */
export function servicePeriod(input: { openedAt?: string; closedAt?: string }): {
  openedAt?: Date;
  closedAt?: Date;
  active?: boolean;
} {
  return {
    ...(input.openedAt ? { openedAt: new Date(input.openedAt) } : {}),
    ...(input.closedAt ? { closedAt: new Date(input.closedAt), active: false } : {}),
  };
}
