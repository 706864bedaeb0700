import { randomUUID } from "node:crypto";
import type { z } from "zod";
import type { ImportKind, ImportProblem } from "../../shared/api/imports.js";
import { KeyPointCreate } from "../../shared/api/keypoints.js";
import { VehicleCreate } from "../../shared/api/vehicles.js";
import { SupplyItemCreate } from "../../shared/api/supplies.js";
import type { DbOrTx } from "../db/client.js";
import type { RecordEvent } from "../events/event-log.js";
import { insertKeyPoint } from "../keypoints/keypoints.repo.js";
import { keyPointEventPayload } from "../keypoints/keypoints.presenter.js";
import { insertVehicle } from "../vehicles/vehicles.repo.js";
import { vehicleEventPayload } from "../vehicles/vehicles.presenter.js";
import { insertSupplyItem } from "../supplies/supplies.repo.js";
import { presentItem } from "../supplies/supplies.presenter.js";
import type { SheetRow } from "./sheet.js";
import * as repo from "./imports.repo.js";
import { shelterImport, userImport } from "./import-kinds-city.js";
import { placeImport } from "./import-kinds-places.js";

/** What every kind knows: station codes (read once per import). */
export interface ImportContext {
  stationIdByCode: Map<string, string>;
  /** Region ids by name and by path of names ("哈尔滨市/道里区"); null when a name is not unique. */
  regionIdByName: Map<string, string | null>;
  /** The instant a report day (YYYY-MM-DD) starts, for dates given without a time. */
  dayStart(day: string): Date;
}

/** Tables an import writes (locked while it runs). */
export type ImportTable = "key_points" | "vehicles" | "supply_items" | "users" | "shelters" | "places";

/** How one kind of record is read from a row, identified, compared and written. */
export interface ImportKindSpec<T> {
  table: ImportTable;
  /** The create input of a row, or its problems (named by column key). */
  read(row: SheetRow, ctx: ImportContext): { value?: T; problems: ImportProblem[] };
  /** The row's identity: equal identities are the same record. */
  identity(value: T): string;
  /** For each identity among `values` already stored: whether the stored record equals the row. */
  stored(db: DbOrTx, values: T[]): Promise<Map<string, (value: T) => boolean>>;
  /** The column a clash with a stored record is reported on. */
  identityField: string;
  insert(tx: DbOrTx, value: T, record: RecordEvent, actorId: string): Promise<boolean>;
}

/** Text cell → number when it reads as one, so the shared schema names the column if not. */
export const num = (s: string | undefined) =>
  s === undefined || s === "" ? undefined : Number.isFinite(Number(s)) ? Number(s) : s;
export const opt = (s: string | undefined) => (s === undefined || s === "" ? undefined : s);

/** Parses `input` with a shared create schema; issues come back on the row's column keys. */
export function check<S extends z.ZodType>(
  schema: S,
  input: unknown,
  row: number,
  keyOf: Record<string, string>,
): { value?: z.output<S>; problems: ImportProblem[] } {
  const r = schema.safeParse(input);
  if (r.success) return { value: r.data, problems: [] };
  return {
    problems: r.error.issues.map((i) => ({
      row,
      field: keyOf[String(i.path[0] ?? "")] ?? String(i.path[0] ?? "row"),
      message: i.message,
    })),
  };
}

/** The station a row names by code, or a problem on station_code. */
function stationOf(row: SheetRow, ctx: ImportContext): { stationId?: string; problems: ImportProblem[] } {
  const code = row.cells.station_code ?? "";
  const stationId = ctx.stationIdByCode.get(code);
  return stationId
    ? { stationId, problems: [] }
    : {
        problems: [
          { row: row.row, field: "station_code", message: code ? `no station with code ${code}` : "required" },
        ],
      };
}

/** Runs the station lookup and the schema check together, so a row lists all its problems at once. */
export function withStation<S extends z.ZodType>(
  schema: S,
  row: SheetRow,
  ctx: ImportContext,
  input: Record<string, unknown>,
  keyOf: Record<string, string>,
) {
  const st = stationOf(row, ctx);
  const checked = check(schema, { ...input, stationId: st.stationId ?? randomUUID() }, row.row, keyOf);
  const problems = [...st.problems, ...checked.problems];
  return problems.length ? { problems } : checked;
}

type KeyPoint = z.output<typeof KeyPointCreate>;
type Vehicle = z.output<typeof VehicleCreate>;
type Item = z.output<typeof SupplyItemCreate>;

const keyPoints: ImportKindSpec<KeyPoint> = {
  table: "key_points",
  identityField: "name",
  read: (row, ctx) =>
    withStation(
      KeyPointCreate,
      row,
      ctx,
      {
        name: row.cells.name,
        kind: row.cells.kind,
        lat: num(row.cells.lat),
        lng: num(row.cells.lng),
        address: opt(row.cells.address),
        notes: opt(row.cells.notes),
      },
      {
        stationId: "station_code",
        name: "name",
        kind: "kind",
        lat: "lat",
        lng: "lng",
        address: "address",
        notes: "notes",
      },
    ),
  identity: (v) => `${v.stationId}\u0000${v.name}`,
  async stored(db, values) {
    const rows = await repo.keyPointsOf(db, [...new Set(values.map((v) => v.stationId))]);
    return new Map(
      rows.map((r) => [
        `${r.stationId}\u0000${r.name}`,
        (v: KeyPoint) =>
          r.kind === v.kind && r.lat === v.lat && r.lng === v.lng && r.address === v.address && r.notes === v.notes,
      ]),
    );
  },
  async insert(tx, v, record, actorId) {
    const row = await insertKeyPoint(tx, { ...v, id: randomUUID(), active: true });
    if (row)
      record({ type: "keypoint.created", stationId: row.stationId, actorId, payload: keyPointEventPayload(row) });
    return !!row;
  },
};

const vehicles: ImportKindSpec<Vehicle> = {
  table: "vehicles",
  identityField: "call_sign",
  read: (row, ctx) =>
    withStation(
      VehicleCreate,
      row,
      ctx,
      {
        callSign: row.cells.call_sign,
        plate: row.cells.plate,
        seats: num(row.cells.seats),
      },
      { stationId: "station_code", callSign: "call_sign", plate: "plate", seats: "seats" },
    ),
  identity: (v) => v.callSign,
  async stored(db, values) {
    const rows = await repo.vehiclesByCallSign(
      db,
      values.map((v) => v.callSign),
    );
    return new Map(
      rows.map((r) => [
        r.callSign,
        (v: Vehicle) => r.stationId === v.stationId && r.plate === v.plate && r.seats === v.seats,
      ]),
    );
  },
  async insert(tx, v, record, actorId) {
    const row = await insertVehicle(tx, { ...v, id: randomUUID(), status: "off_duty" });
    if (row) record({ type: "vehicle.created", stationId: row.stationId, actorId, payload: vehicleEventPayload(row) });
    return !!row;
  },
};

const supplies: ImportKindSpec<Item> = {
  table: "supply_items",
  identityField: "code",
  read: (row) =>
    check(
      SupplyItemCreate,
      {
        code: row.cells.code,
        nameZh: row.cells.name_zh,
        nameEn: row.cells.name_en,
        unitZh: row.cells.unit_zh,
        unitEn: row.cells.unit_en,
        unitValueFen: num(row.cells.unit_value_fen),
        lowStockThreshold: num(row.cells.low_stock_threshold),
      },
      row.row,
      {
        code: "code",
        nameZh: "name_zh",
        nameEn: "name_en",
        unitZh: "unit_zh",
        unitEn: "unit_en",
        unitValueFen: "unit_value_fen",
        lowStockThreshold: "low_stock_threshold",
      },
    ),
  identity: (v) => v.code,
  async stored(db, values) {
    const rows = await repo.supplyItemsByCode(
      db,
      values.map((v) => v.code),
    );
    return new Map(
      rows.map((r) => [
        r.code,
        (v: Item) =>
          r.nameZh === v.nameZh &&
          r.nameEn === v.nameEn &&
          r.unitZh === v.unitZh &&
          r.unitEn === v.unitEn &&
          r.unitValueFen === v.unitValueFen &&
          r.lowStockThreshold === v.lowStockThreshold,
      ]),
    );
  },
  async insert(tx, v, record, actorId) {
    const row = await insertSupplyItem(tx, { ...v, id: randomUUID() });
    if (row) record({ type: "supply_item.created", stationId: null, actorId, payload: presentItem(row) });
    return !!row;
  },
};

/**
 * A kind's spec over rows of unknown type: the service handles every kind alike, and the values it
 * passes back are always the ones this spec's `read` produced.
 */
function erased<T>(spec: ImportKindSpec<T>): ImportKindSpec<unknown> {
  return {
    table: spec.table,
    identityField: spec.identityField,
    read: spec.read,
    identity: (v) => spec.identity(v as T),
    stored: async (db, values) => {
      const m = await spec.stored(db, values as T[]);
      return new Map([...m].map(([k, same]) => [k, (v: unknown) => same(v as T)]));
    },
    insert: (tx, v, record, actorId) => spec.insert(tx, v as T, record, actorId),
  };
}

/** Every importable kind. */
export const IMPORT_SPECS: Record<ImportKind, ImportKindSpec<unknown>> = {
  keypoints: erased(keyPoints),
  vehicles: erased(vehicles),
  supplies: erased(supplies),
  users: erased(userImport),
  shelters: erased(shelterImport),
  places: erased(placeImport),
};
