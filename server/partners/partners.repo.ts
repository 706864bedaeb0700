import { count, eq } from "drizzle-orm";
import type { DbOrTx } from "../db/client.js";
import { partners } from "../db/schema/index.js";

export type PartnerRow = typeof partners.$inferSelect;

/** The partner whose api key hashes to `hash`. */
export async function findPartnerByKeyHash(db: DbOrTx, hash: string): Promise<PartnerRow | undefined> {
  const [row] = await db.select().from(partners).where(eq(partners.apiKeyHash, hash)).limit(1);
  return row;
}

/** Inserts a partner unless its key hash exists. */
export async function insertPartner(db: DbOrTx, values: typeof partners.$inferInsert): Promise<void> {
  await db.insert(partners).values(values).onConflictDoNothing();
}

/** Number of partners (the seed only adds the demo partner to an empty table). */
export async function partnerCount(db: DbOrTx): Promise<number> {
  const [row] = await db.select({ n: count() }).from(partners);
  return Number(row?.n ?? 0);
}
