import { and, asc, desc, eq, inArray, isNull, ne } from "drizzle-orm";
import type { DbOrTx } from "../db/client.js";
import {
  keyPoints,
  keyPointVisits,
  patrols,
  sorties,
  supplyItems,
  supplyLedger,
  vehicles,
} from "../db/schema/index.js";

export type PatrolRow = typeof patrols.$inferSelect;
export type SortieRow = typeof sorties.$inferSelect;
export type VisitRow = typeof keyPointVisits.$inferSelect;
type ItemRow = typeof supplyItems.$inferSelect;
/** A patrol with its vehicles' call signs. */
export interface PatrolInfo {
  patrol: PatrolRow;
  callSigns: string[];
}

const NO_ID = "00000000-0000-0000-0000-000000000000";
const scope = <T>(col: T, ids: string[]) => inArray(col as never, ids.length ? ids : [NO_ID]);

/**
 * One sortie; `forUpdate` locks it (lock order 4, FOR NO KEY UPDATE: encounters and positions
 * referencing it may still be inserted; see server/supplies/supplies.repo.ts).
 */
export async function findSortie(db: DbOrTx, id: string, forUpdate = false): Promise<SortieRow | undefined> {
  const q = db.select().from(sorties).where(eq(sorties.id, id)).limit(1);
  const [row] = forUpdate ? await q.for("no key update") : await q;
  return row;
}

/**
 * One patrol; `forUpdate` locks it (joining and ending a joint patrol must not interleave). Lock
 * order 3, FOR NO KEY UPDATE: sorties of the patrol may still be inserted meanwhile.
 */
export async function findPatrol(db: DbOrTx, id: string, forUpdate = false): Promise<PatrolRow | undefined> {
  const q = db.select().from(patrols).where(eq(patrols.id, id)).limit(1);
  const [row] = forUpdate ? await q.for("no key update") : await q;
  return row;
}

/** Inserts a patrol. */
export async function insertPatrol(db: DbOrTx, values: typeof patrols.$inferInsert): Promise<PatrolRow> {
  const [row] = await db.insert(patrols).values(values).returning();
  return row!;
}

/** Inserts a sortie unless its id exists. */
export async function insertSortie(db: DbOrTx, values: typeof sorties.$inferInsert): Promise<SortieRow | undefined> {
  const [row] = await db.insert(sorties).values(values).onConflictDoNothing().returning();
  return row;
}

/** Ends an open sortie; undefined when it had already ended. */
export async function endSortie(db: DbOrTx, id: string, endedAt: Date): Promise<SortieRow | undefined> {
  const [row] = await db
    .update(sorties)
    .set({ endedAt })
    .where(and(eq(sorties.id, id), isNull(sorties.endedAt)))
    .returning();
  return row;
}

/** Open sorties of a patrol other than `exceptId`. */
export async function otherOpenSorties(db: DbOrTx, patrolId: string, exceptId: string): Promise<number> {
  const rows = await db
    .select({ id: sorties.id })
    .from(sorties)
    .where(and(eq(sorties.patrolId, patrolId), ne(sorties.id, exceptId), isNull(sorties.endedAt)))
    .limit(100);
  return rows.length;
}

/** Closes a patrol. */
export async function endPatrol(db: DbOrTx, id: string, endedAt: Date): Promise<void> {
  await db
    .update(patrols)
    .set({ endedAt })
    .where(and(eq(patrols.id, id), isNull(patrols.endedAt)));
}

/** Sorties in scope, newest first. */
export async function listSorties(
  db: DbOrTx,
  opts: {
    stationIds?: string[];
    open?: boolean;
    vehicleId?: string;
    ids?: string[];
    limit: number;
  },
): Promise<SortieRow[]> {
  const conds = [];
  if (opts.stationIds) conds.push(scope(sorties.stationId, opts.stationIds));
  if (opts.open) conds.push(isNull(sorties.endedAt));
  if (opts.vehicleId) conds.push(eq(sorties.vehicleId, opts.vehicleId));
  if (opts.ids) conds.push(scope(sorties.id, opts.ids));
  return db
    .select()
    .from(sorties)
    .where(and(...conds))
    .orderBy(desc(sorties.startedAt))
    .limit(opts.limit);
}

/** Patrols with the call signs of their vehicles. */
export async function patrolInfo(db: DbOrTx, patrolIds: string[]): Promise<Map<string, PatrolInfo>> {
  const map = new Map<string, PatrolInfo>();
  if (!patrolIds.length) return map;
  const ps = await db.select().from(patrols).where(scope(patrols.id, patrolIds));
  for (const p of ps) map.set(p.id, { patrol: p, callSigns: [] });
  const rows = await db
    .select({ patrolId: sorties.patrolId, callSign: vehicles.callSign })
    .from(sorties)
    .innerJoin(vehicles, eq(vehicles.id, sorties.vehicleId))
    .where(scope(sorties.patrolId, patrolIds))
    .orderBy(asc(sorties.startedAt));
  for (const r of rows) map.get(r.patrolId)?.callSigns.push(r.callSign);
  return map;
}

/** Open patrols in scope, newest first. */
export async function openPatrols(db: DbOrTx, stationIds: string[] | undefined, limit: number): Promise<PatrolRow[]> {
  const conds = [isNull(patrols.endedAt)];
  if (stationIds) conds.push(scope(patrols.stationId, stationIds));
  return db
    .select()
    .from(patrols)
    .where(and(...conds))
    .orderBy(desc(patrols.startedAt))
    .limit(limit);
}

/** Catalog items by id. */
export async function itemsById(db: DbOrTx, ids: string[]): Promise<Map<string, ItemRow>> {
  if (!ids.length) return new Map();
  const rows = await db.select().from(supplyItems).where(scope(supplyItems.id, ids));
  return new Map(rows.map((r) => [r.id, r]));
}

/** Appends ledger rows. */
export async function insertLedger(db: DbOrTx, rows: (typeof supplyLedger.$inferInsert)[]): Promise<void> {
  if (rows.length) await db.insert(supplyLedger).values(rows);
}

/** One key point. */
export async function findKeyPoint(db: DbOrTx, id: string): Promise<typeof keyPoints.$inferSelect | undefined> {
  const [row] = await db.select().from(keyPoints).where(eq(keyPoints.id, id)).limit(1);
  return row;
}

/** Inserts a key-point visit unless its id exists. */
export async function insertVisit(
  db: DbOrTx,
  values: typeof keyPointVisits.$inferInsert,
): Promise<VisitRow | undefined> {
  const [row] = await db.insert(keyPointVisits).values(values).onConflictDoNothing().returning();
  return row;
}

/** One key-point visit. */
export async function findVisit(db: DbOrTx, id: string): Promise<VisitRow | undefined> {
  const [row] = await db.select().from(keyPointVisits).where(eq(keyPointVisits.id, id)).limit(1);
  return row;
}
