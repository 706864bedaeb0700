import { and, count, eq, isNotNull } from "drizzle-orm";
import type { DbOrTx } from "../db/client.js";
import { assignments, cases } from "../db/schema/index.js";

/** When the case's call was received, and how many of its tasks were dispatched / reached the scene. */
export async function caseResponseFacts(
  db: DbOrTx,
  caseId: string,
): Promise<{ receivedAt: Date; dispatched: number; onScene: number } | undefined> {
  const [c] = await db.select({ receivedAt: cases.receivedAt }).from(cases).where(eq(cases.id, caseId));
  if (!c) return undefined;
  const [d] = await db.select({ n: count() }).from(assignments).where(eq(assignments.caseId, caseId));
  const [s] = await db
    .select({ n: count() })
    .from(assignments)
    .where(and(eq(assignments.caseId, caseId), isNotNull(assignments.onSceneAt)));
  return { receivedAt: c.receivedAt, dispatched: Number(d?.n ?? 0), onScene: Number(s?.n ?? 0) };
}
