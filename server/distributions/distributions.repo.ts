import { and, desc, eq, inArray } from "drizzle-orm";
import type { DbOrTx } from "../db/client.js";
import { distributions, supplyLedger } from "../db/schema/index.js";

export type DistributionRow = typeof distributions.$inferSelect;
export type DistributedRow = { distributionId: string; itemId: string; quantity: number; unitValueFen: number };

/** One distribution. */
export async function findDistribution(db: DbOrTx, id: string): Promise<DistributionRow | undefined> {
  const [row] = await db.select().from(distributions).where(eq(distributions.id, id)).limit(1);
  return row;
}

/** Inserts a distribution unless its id exists. */
export async function insertDistribution(
  db: DbOrTx,
  values: typeof distributions.$inferInsert,
): Promise<DistributionRow | undefined> {
  const [row] = await db.insert(distributions).values(values).onConflictDoNothing().returning();
  return row;
}

/** A station's distributions, newest first. */
export async function listDistributions(db: DbOrTx, stationId: string, limit: number): Promise<DistributionRow[]> {
  return db
    .select()
    .from(distributions)
    .where(eq(distributions.stationId, stationId))
    .orderBy(desc(distributions.occurredAt))
    .limit(limit);
}

/** The handed-out lines of the given distributions (ledger_distribution_idx). */
export async function linesOf(db: DbOrTx, ids: string[]): Promise<DistributedRow[]> {
  if (!ids.length) return [];
  const rows = await db
    .select({
      distributionId: supplyLedger.distributionId,
      itemId: supplyLedger.itemId,
      quantity: supplyLedger.quantity,
      unitValueFen: supplyLedger.unitValueFen,
    })
    .from(supplyLedger)
    .where(and(inArray(supplyLedger.distributionId, ids), eq(supplyLedger.kind, "handed_out")));
  return rows as DistributedRow[];
}
