import { randomUUID } from "node:crypto";
import { roleScopeProblem, type User, type UserCreate, type UserUpdate } from "../../shared/api/users.js";
import type { Role } from "../../shared/roles.js";
import type { Db } from "../db/client.js";
import type { EventLog } from "../events/event-log.js";
import type { SessionUser } from "../auth/session-user.js";
import { requireRole } from "../auth/policy.js";
import { hashPassword } from "../auth/password.js";
import { deleteSessionsOfUser } from "../auth/auth.repo.js";
import { AppError, fieldError, notFound, versionConflict } from "../http/errors.js";
import { findRegion, findStation } from "../stations/stations.repo.js";
import * as repo from "./users.repo.js";
import { presentUser } from "./users.presenter.js";
import { assertSameRequest } from "../http/idempotency.js";

const ADMIN = ["admin"] as const;

/**
 * User accounts (admin only): list, create, change role/scope/name, switch off, reset a password.
 * Anything that changes what a user may do ends their sessions, so they sign in again under the
 * new rules rather than carrying an old scope in an open session.
 */
export class UsersService {
  constructor(
    private readonly db: Db,
    private readonly log: EventLog,
  ) {}

  /** A page of users, by account name. */
  async list(
    actor: SessionUser,
    q: { q?: string; role?: Role; stationId?: string; limit: number; offset: number },
  ): Promise<{ items: User[]; total: number }> {
    requireRole(actor, ADMIN);
    const { rows, total } = await repo.listUsers(this.db, q);
    return { items: rows.map(presentUser), total };
  }

  /** One user. */
  async get(actor: SessionUser, id: string): Promise<User> {
    requireRole(actor, ADMIN);
    const row = await repo.findUser(this.db, id);
    if (!row) throw notFound("User");
    return presentUser(row);
  }

  /**
   * Creates an account. A retry with the same id returns the first result (its password is not
   * changed by the retry); a taken account name is a 409 naming the field.
   */
  async create(actor: SessionUser, input: UserCreate): Promise<User> {
    requireRole(actor, ADMIN);
    const stationId = input.stationId ?? null,
      regionId = input.regionId ?? null;
    await this.checkScope(input.role, stationId, regionId);
    const id = input.id ?? randomUUID();
    // Hashed outside the transaction: scrypt takes tens of milliseconds and holds no lock.
    const passwordHash = await hashPassword(input.password);
    const row = await this.log.transact(async (tx, record) => {
      const created = await repo.insertUser(tx, {
        id,
        username: input.username,
        displayName: input.displayName,
        role: input.role,
        stationId,
        regionId,
        passwordHash,
        active: true,
      });
      if (created)
        record({
          type: "user.created",
          stationId: created.stationId,
          actorId: actor.id,
          payload: presentUser(created),
        });
      return created;
    });
    if (row) return presentUser(row);
    const existing = await repo.findUser(this.db, id);
    if (existing) {
      // The password is not kept (only its hash): a repeat is compared on the rest.
      assertSameRequest("user", id, existing, input, { fixed: ["username"] });
      return presentUser(existing);
    }
    throw new AppError(409, "CONFLICT", `body.username: the account name ${input.username} is taken`);
  }

  /**
   * Changes name, role, scope or active flag if `version` is still the one the admin loaded (409
   * VERSION_CONFLICT naming the account otherwise); the result must fit the role.
   */
  async update(actor: SessionUser, id: string, input: UserUpdate): Promise<User> {
    requireRole(actor, ADMIN);
    const { version, ...patch } = input;
    const current = await repo.findUser(this.db, id);
    if (!current) throw notFound("User");
    // The rules below are judged on `current`; the write only lands if the row is still that version.
    if (current.version !== version) throw versionConflict(`User ${current.username}`);
    const next = {
      role: patch.role ?? current.role,
      stationId: patch.stationId !== undefined ? patch.stationId : current.stationId,
      regionId: patch.regionId !== undefined ? patch.regionId : current.regionId,
      active: patch.active ?? current.active,
    };
    // An admin cannot lock themselves out; so there is always at least one admin left.
    if (id === actor.id && !next.active)
      throw new AppError(409, "CONFLICT", "body.active: you cannot switch off your own account");
    if (id === actor.id && next.role !== "admin")
      throw new AppError(409, "CONFLICT", "body.role: you cannot take the admin role from yourself");
    await this.checkScope(next.role, next.stationId, next.regionId);
    const rulesChanged =
      next.role !== current.role ||
      next.stationId !== current.stationId ||
      next.regionId !== current.regionId ||
      next.active !== current.active;
    const row = await this.log.transact(async (tx, record) => {
      const updated = await repo.updateUser(
        tx,
        id,
        { ...next, ...(patch.displayName !== undefined ? { displayName: patch.displayName } : {}) },
        version,
      );
      if (!updated) throw versionConflict(`User ${current.username}`);
      if (rulesChanged) await deleteSessionsOfUser(tx, id);
      record({
        type: "user.updated",
        stationId: updated.stationId,
        actorId: actor.id,
        payload: { ...presentUser(updated), sessionsEnded: rulesChanged },
      });
      return updated;
    });
    return presentUser(row);
  }

  /**
   * Sets a new password and ends every session of the user (a lost phone stays signed out). It needs
   * no version (nothing in an open form is overwritten) but bumps it like every change.
   */
  async resetPassword(actor: SessionUser, id: string, password: string): Promise<User> {
    requireRole(actor, ADMIN);
    if (!(await repo.findUser(this.db, id))) throw notFound("User");
    const passwordHash = await hashPassword(password);
    const row = await this.log.transact(async (tx, record) => {
      const updated = await repo.updateUser(tx, id, { passwordHash });
      if (!updated) throw notFound("User");
      await deleteSessionsOfUser(tx, id);
      record({
        type: "user.password_reset",
        stationId: updated.stationId,
        actorId: actor.id,
        payload: { id: updated.id, username: updated.username, version: updated.version },
      });
      return updated;
    });
    return presentUser(row);
  }

  /** The role's scope rule, then that the station or region named exists (400 naming the field). */
  private async checkScope(role: Role, stationId: string | null, regionId: string | null): Promise<void> {
    const p = roleScopeProblem(role, stationId, regionId);
    if (p) throw fieldError(`body.${p.field}`, p.message);
    if (stationId && !(await findStation(this.db, stationId))) throw fieldError("body.stationId", "no such station");
    if (regionId && !(await findRegion(this.db, regionId))) throw fieldError("body.regionId", "no such region");
  }
}
