import { and, desc, eq, inArray, isNotNull } from "drizzle-orm";
import type { DbOrTx } from "../db/client.js";
import { calls, cases, encounters, people, supplyLedger } from "../db/schema/index.js";

export type EncounterRow = typeof encounters.$inferSelect;
export type PersonRow = typeof people.$inferSelect;
export type HandedOutRow = { encounterId: string; itemId: string; quantity: number; unitValueFen: number };

const NO_ID = "00000000-0000-0000-0000-000000000000";

/** One encounter. */
export async function findEncounter(db: DbOrTx, id: string): Promise<EncounterRow | undefined> {
  const [row] = await db.select().from(encounters).where(eq(encounters.id, id)).limit(1);
  return row;
}

/** Inserts an encounter unless its id exists. */
export async function insertEncounter(
  db: DbOrTx,
  values: typeof encounters.$inferInsert,
): Promise<EncounterRow | undefined> {
  const [row] = await db.insert(encounters).values(values).onConflictDoNothing().returning();
  return row;
}

/** Encounters in scope, newest first. */
export async function listEncounters(
  db: DbOrTx,
  opts: {
    stationIds?: string[];
    caseId?: string;
    sortieId?: string;
    limit: number;
  },
): Promise<EncounterRow[]> {
  const conds = [];
  if (opts.stationIds) conds.push(inArray(encounters.stationId, opts.stationIds.length ? opts.stationIds : [NO_ID]));
  if (opts.caseId) conds.push(eq(encounters.caseId, opts.caseId));
  if (opts.sortieId) conds.push(eq(encounters.sortieId, opts.sortieId));
  return db
    .select()
    .from(encounters)
    .where(and(...conds))
    .orderBy(desc(encounters.occurredAt))
    .limit(opts.limit);
}

/** Supplies handed out in the given encounters (ledger_encounter_idx). */
export async function handedOutOf(db: DbOrTx, encounterIds: string[]): Promise<HandedOutRow[]> {
  if (!encounterIds.length) return [];
  const rows = await db
    .select({
      encounterId: supplyLedger.encounterId,
      itemId: supplyLedger.itemId,
      quantity: supplyLedger.quantity,
      unitValueFen: supplyLedger.unitValueFen,
    })
    .from(supplyLedger)
    .where(
      and(
        inArray(supplyLedger.encounterId, encounterIds),
        eq(supplyLedger.kind, "handed_out"),
        isNotNull(supplyLedger.encounterId),
      ),
    );
  return rows as HandedOutRow[];
}

/** People by id. */
export async function peopleById(db: DbOrTx, ids: string[]): Promise<Map<string, PersonRow>> {
  if (!ids.length) return new Map();
  const rows = await db.select().from(people).where(inArray(people.id, ids));
  return new Map(rows.map((r) => [r.id, r]));
}

/** A person of the station with this ID number (identity links encounters: 人 vs 人次). */
export async function personByIdNumber(
  db: DbOrTx,
  stationId: string,
  idNumber: string,
): Promise<PersonRow | undefined> {
  const [row] = await db
    .select()
    .from(people)
    .where(and(eq(people.stationId, stationId), eq(people.idNumber, idNumber)))
    .limit(1);
  return row;
}

/** Inserts a person. */
export async function insertPerson(db: DbOrTx, values: typeof people.$inferInsert): Promise<PersonRow> {
  const [row] = await db.insert(people).values(values).returning();
  return row!;
}

/** Inserts the case (and its one "call", the crew's own report) for "found someone here". */
export async function insertFoundCase(
  db: DbOrTx,
  c: typeof cases.$inferInsert,
  call: typeof calls.$inferInsert,
): Promise<{ c: typeof cases.$inferSelect; call: typeof calls.$inferSelect }> {
  const [row] = await db.insert(cases).values(c).returning();
  const [callRow] = await db.insert(calls).values(call).returning();
  return { c: row!, call: callRow! };
}
