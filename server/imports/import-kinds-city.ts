import { randomUUID } from "node:crypto";
import type { z } from "zod";
import type { ImportProblem } from "../../shared/api/imports.js";
import { UserCreate } from "../../shared/api/users.js";
import { ShelterCreate } from "../../shared/api/shelters.js";
import { hashPassword } from "../auth/password.js";
import { insertUser } from "../users/users.repo.js";
import { presentUser } from "../users/users.presenter.js";
import { insertShelter } from "../shelters/shelters.repo.js";
import { presentShelter } from "../shelters/shelters.presenter.js";
import { servicePeriod } from "../shelters/shelters.service.js";
import type { SheetRow } from "./sheet.js";
import { check, num, opt, withStation, type ImportContext, type ImportKindSpec } from "./import-kinds.js";
import * as repo from "./imports.repo.js";

type User = z.output<typeof UserCreate>;
type Shelter = z.output<typeof ShelterCreate>;

/** A problem on one cell. */
const problem = (row: SheetRow, field: string, message: string): ImportProblem => ({ row: row.row, field, message });

/**
 * The station (by code) and region (by name or path) a user row names; both optional here, the
 * role decides which it needs (the shared role/scope rule reports a missing one).
 */
function scopeOf(row: SheetRow, ctx: ImportContext) {
  const problems: ImportProblem[] = [];
  const code = row.cells.station_code ?? "";
  const stationId = code ? ctx.stationIdByCode.get(code) : undefined;
  if (code && !stationId) problems.push(problem(row, "station_code", `no station with code ${code}`));
  const region = (row.cells.region ?? "").replace(/\s*\/\s*/g, "/");
  const regionId = region ? ctx.regionIdByName.get(region) : undefined;
  if (region && regionId === undefined) problems.push(problem(row, "region", `no region named ${region}`));
  if (region && regionId === null)
    problems.push(problem(row, "region", `${region} names several regions; give the path, e.g. 哈尔滨市/道里区`));
  return { stationId, regionId: regionId ?? undefined, problems };
}

/**
 * Users by account name. The initial password is hashed when the row is written and never echoed
 * (problems name the column only); a row for an existing account is compared without the password,
 * so re-importing never resets a password someone has since changed.
 */
export const userImport: ImportKindSpec<User> = {
  table: "users",
  identityField: "username",
  read(row, ctx) {
    const scope = scopeOf(row, ctx);
    const checked = check(
      UserCreate,
      {
        username: row.cells.username,
        displayName: row.cells.display_name,
        role: row.cells.role,
        stationId: scope.stationId ?? (scope.problems.some((p) => p.field === "station_code") ? randomUUID() : null),
        regionId: scope.regionId ?? (scope.problems.some((p) => p.field === "region") ? randomUUID() : null),
        password: row.cells.password,
      },
      row.row,
      {
        username: "username",
        displayName: "display_name",
        role: "role",
        stationId: "station_code",
        regionId: "region",
        password: "password",
      },
    );
    const problems = [...scope.problems, ...checked.problems];
    return problems.length ? { problems } : checked;
  },
  identity: (v) => v.username,
  async stored(db, values) {
    const rows = await repo.usersByName(
      db,
      values.map((v) => v.username),
    );
    return new Map(
      rows.map((r) => [
        r.username,
        (v: User) =>
          r.displayName === v.displayName &&
          r.role === v.role &&
          r.stationId === (v.stationId ?? null) &&
          r.regionId === (v.regionId ?? null),
      ]),
    );
  },
  async insert(tx, v, record, actorId) {
    const row = await insertUser(tx, {
      id: randomUUID(),
      username: v.username,
      displayName: v.displayName,
      role: v.role,
      stationId: v.stationId ?? null,
      regionId: v.regionId ?? null,
      passwordHash: await hashPassword(v.password),
      active: true,
    });
    if (row) record({ type: "user.created", stationId: row.stationId, actorId, payload: presentUser(row) });
    return !!row;
  },
};

/** Kind cells as a clerk writes them: the key or its zh-CN name. */
const SHELTER_KIND: Record<string, string> = {
  临时避寒场所: "warming_shelter",
  避寒场所: "warming_shelter",
  站外救助服务点: "service_point",
  室外救助点: "service_point",
  救助点: "service_point",
};

/** A date cell: YYYY-MM-DD (or with / or .) is the start of that report day; anything else goes to the ISO check. */
function when(cell: string | undefined, ctx: ImportContext): string | undefined {
  const v = opt(cell);
  if (v === undefined) return undefined;
  const m = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$/.exec(v);
  if (!m) return v;
  const day = `${m[1]}-${m[2]!.padStart(2, "0")}-${m[3]!.padStart(2, "0")}`;
  const at = ctx.dayStart(day);
  return Number.isNaN(at.getTime()) ? v : at.toISOString();
}

const sameTime = (a: Date | null, b: string | undefined) =>
  a === null ? b === undefined : a.getTime() === Date.parse(b ?? "");

/**
 * Shelters and outdoor aid points by station code + name, with their service period: the opening
 * date is required here (a default of "now" would make every re-import differ).
 */
export const shelterImport: ImportKindSpec<Shelter> = {
  table: "shelters",
  identityField: "name",
  read(row, ctx) {
    const kind = row.cells.kind ?? "";
    const r = withStation(
      ShelterCreate,
      row,
      ctx,
      {
        name: row.cells.name,
        kind: SHELTER_KIND[kind] ?? kind,
        lat: num(row.cells.lat),
        lng: num(row.cells.lng),
        address: opt(row.cells.address),
        capacity: num(row.cells.capacity),
        openedAt: when(row.cells.opened_at, ctx),
        closedAt: when(row.cells.closed_at, ctx),
      },
      {
        stationId: "station_code",
        name: "name",
        kind: "kind",
        lat: "lat",
        lng: "lng",
        address: "address",
        capacity: "capacity",
        openedAt: "opened_at",
        closedAt: "closed_at",
      },
    );
    if (opt(row.cells.opened_at) !== undefined) return r;
    return { problems: [...r.problems, problem(row, "opened_at", "required")].sort((a, b) => a.row - b.row) };
  },
  identity: (v) => `${v.stationId}\u0000${v.name}`,
  async stored(db, values) {
    const rows = await repo.sheltersOf(db, [...new Set(values.map((v) => v.stationId))]);
    return new Map(
      rows.map((r) => [
        `${r.stationId}\u0000${r.name}`,
        (v: Shelter) =>
          r.kind === v.kind &&
          r.lat === v.lat &&
          r.lng === v.lng &&
          r.address === v.address &&
          r.capacity === v.capacity &&
          sameTime(r.openedAt, v.openedAt) &&
          sameTime(r.closedAt, v.closedAt),
      ]),
    );
  },
  async insert(tx, v, record, actorId) {
    const { openedAt, closedAt, ...fields } = v;
    const row = await insertShelter(tx, { ...fields, ...servicePeriod({ openedAt, closedAt }), id: randomUUID() });
    if (row) record({ type: "shelter.created", stationId: row.stationId, actorId, payload: presentShelter(row, 0) });
    return !!row;
  },
};
