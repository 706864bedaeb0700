import { randomUUID } from "node:crypto";
import type { Station, StationCreate, StationUpdate, Region } from "../../shared/api/stations.js";
import type { Db } from "../db/client.js";
import type { EventLog } from "../events/event-log.js";
import type { SessionUser } from "../auth/session-user.js";
import { requireRole, requireStation } from "../auth/policy.js";
import { AppError, fieldError, notFound, versionConflict } from "../http/errors.js";
import * as repo from "./stations.repo.js";
import { presentRegion, presentStation } from "./stations.presenter.js";
import { assertSameRequest } from "../http/idempotency.js";

/** Stations and regions: who may see and change them. */
export class StationsService {
  constructor(
    private readonly db: Db,
    private readonly log: EventLog,
  ) {}

  /** Stations within the user's scope. */
  async list(user: SessionUser): Promise<Station[]> {
    const rows = await repo.listStations(this.db, user.allStations ? undefined : user.stationIds);
    return rows.map(presentStation);
  }

  /** The region hierarchy (names only; not sensitive). */
  async regions(): Promise<Region[]> {
    return (await repo.listRegions(this.db)).map(presentRegion);
  }

  /** Creates a station (admin). A retry with the same id returns the first result. */
  async create(user: SessionUser, input: StationCreate): Promise<Station> {
    requireRole(user, ["admin"]);
    if (!(await repo.findRegion(this.db, input.regionId))) throw fieldError("body.regionId", "no such region");
    const id = input.id ?? randomUUID();
    const row = await this.log.transact(async (tx, record) => {
      const created = await repo.insertStation(tx, { ...input, id });
      if (!created) return undefined;
      record({ type: "station.created", stationId: created.id, actorId: user.id, payload: presentStation(created) });
      return created;
    });
    if (row) return presentStation(row);
    const existing = await repo.findStation(this.db, id);
    if (existing) {
      assertSameRequest("station", id, existing, input, { fixed: ["code"] });
      return presentStation(existing);
    }
    throw new AppError(409, "CONFLICT", `body.code: a station with code ${input.code} already exists`, [
      { path: "body.code", message: "already exists" },
    ]);
  }

  /** Updates a station (admin) if the version still matches. */
  async update(user: SessionUser, id: string, input: StationUpdate): Promise<Station> {
    requireRole(user, ["admin"]);
    requireStation(user, id);
    const { version, ...patch } = input;
    if (patch.regionId && !(await repo.findRegion(this.db, patch.regionId)))
      throw fieldError("body.regionId", "no such region");
    const row = await this.log.transact(async (tx, record) => {
      const updated = await repo.updateStation(tx, id, version, patch);
      if (updated)
        record({ type: "station.updated", stationId: id, actorId: user.id, payload: presentStation(updated) });
      return updated;
    });
    if (row) return presentStation(row);
    if (!(await repo.findStation(this.db, id))) throw notFound("Station");
    throw versionConflict("Station");
  }
}
