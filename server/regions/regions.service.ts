import { randomUUID } from "node:crypto";
import { REGION_LEVELS, type Region, type RegionLevel } from "../../shared/api/stations.js";
import type { RegionCreate, RegionUpdate } from "../../shared/api/regions.js";
import type { Db, DbOrTx } from "../db/client.js";
import type { EventLog } from "../events/event-log.js";
import type { SessionUser } from "../auth/session-user.js";
import { requireRole } from "../auth/policy.js";
import { fieldError, notFound, versionConflict } from "../http/errors.js";
import { assertSameRequest } from "../http/idempotency.js";
import { findRegion, type RegionRow } from "../stations/stations.repo.js";
import { presentRegion } from "../stations/stations.presenter.js";
import * as repo from "./regions.repo.js";

const rank = (level: RegionLevel) => REGION_LEVELS.indexOf(level);

/** Refuses a parent that is not of a strictly higher level than `level`. */
function requireHigherParent(parent: RegionRow, level: RegionLevel): void {
  if (rank(parent.level) >= rank(level)) {
    throw fieldError(
      "body.parentId",
      `a ${level} cannot be placed under a ${parent.level}: a parent's level must be higher`,
    );
  }
}

/**
 * The region hierarchy, as an admin builds it: create, rename, move. A region's stations, the
 * supervisors scoped to it and its whole subtree follow a move: scope is read through the
 * materialised `path`, which the move rewrites in the same transaction.
 */
export class RegionsService {
  constructor(
    private readonly db: Db,
    private readonly log: EventLog,
  ) {}

  /** Creates a region (admin). A retry with the same id returns the first result. */
  async create(user: SessionUser, input: RegionCreate): Promise<Region> {
    requireRole(user, ["admin"]);
    const id = input.id ?? randomUUID();
    const row = await this.log.transact(async (tx, record) => {
      await repo.lockHierarchy(tx);
      const parent = await this.parentOf(tx, input.parentId);
      if (parent) requireHigherParent(parent, input.level);
      const created = await repo.insertRegionOnce(tx, { id, name: input.name, level: input.level, parent });
      if (created)
        record({ type: "region.created", stationId: null, actorId: user.id, payload: presentRegion(created) });
      return created;
    });
    if (row) return presentRegion(row);
    const existing = (await findRegion(this.db, id))!;
    assertSameRequest("region", id, existing, input, { fixed: ["level"] });
    return presentRegion(existing);
  }

  /** Renames and/or moves a region (admin) if the version still matches. */
  async update(user: SessionUser, id: string, input: RegionUpdate): Promise<Region> {
    requireRole(user, ["admin"]);
    const row = await this.log.transact(async (tx, record) => {
      await repo.lockHierarchy(tx);
      const current = await findRegion(tx, id);
      if (!current) throw notFound("Region");
      if (current.version !== input.version) throw versionConflict("Region");
      const patch: { name?: string; parentId?: string | null; path?: string } = {};
      if (input.name !== undefined) patch.name = input.name;
      if (input.parentId !== undefined && input.parentId !== current.parentId) {
        const parent = await this.parentOf(tx, input.parentId);
        if (parent?.path.includes(`/${id}/`)) {
          throw fieldError("body.parentId", "a region cannot be moved under itself or a region below it");
        }
        if (parent) requireHigherParent(parent, current.level);
        patch.parentId = parent?.id ?? null;
        patch.path = `${parent?.path ?? "/"}${id}/`;
        await repo.movePathsBelow(tx, current.path, patch.path);
      }
      const updated = await repo.updateRegion(tx, id, patch);
      record({ type: "region.updated", stationId: null, actorId: user.id, payload: presentRegion(updated) });
      return updated;
    });
    return presentRegion(row);
  }

  private async parentOf(tx: DbOrTx, parentId: string | null): Promise<RegionRow | undefined> {
    if (parentId === null) return undefined;
    const parent = await findRegion(tx, parentId);
    if (!parent) throw fieldError("body.parentId", "no such region");
    return parent;
  }
}
