import { and, eq, gt, inArray, lte, sql, type SQL } from "drizzle-orm";
import type { DbOrTx } from "../db/client.js";
import { loginFailures } from "../db/schema/index.js";

/** Start of the oldest window still running, on the database clock (so every node agrees). */
const cutoff = (windowMs: number): SQL => sql`now() - ${Math.round(windowMs)}::integer * interval '1 millisecond'`;

/**
 * Counts one failed sign-in for each key in one statement: a key with no row, or whose window has
 * passed, starts a new window at 1; otherwise its count goes up by one. The increment happens in
 * the row under PostgreSQL's row lock, so concurrent failures on any number of nodes are all
 * counted. Keys are written in sorted order, so two such statements cannot deadlock.
 */
export async function addLoginFailures(db: DbOrTx, keys: string[], windowMs: number): Promise<void> {
  if (!keys.length) return;
  const expired = sql`${loginFailures.windowStart} <= ${cutoff(windowMs)}`;
  await db
    .insert(loginFailures)
    .values([...new Set(keys)].sort().map((key) => ({ key, windowStart: sql`now()`, count: 1 })))
    .onConflictDoUpdate({
      target: loginFailures.key,
      set: {
        count: sql`case when ${expired} then 1 else ${loginFailures.count} + 1 end`,
        windowStart: sql`case when ${expired} then now() else ${loginFailures.windowStart} end`,
      },
    });
}

/** A key's failures in its running window, and the seconds until that window ends. */
interface LiveFailures {
  count: number;
  secondsLeft: number;
}

/** Failures counted in the running window of each key (keys with none are left out). */
export async function liveLoginFailures(
  db: DbOrTx,
  keys: string[],
  windowMs: number,
): Promise<Map<string, LiveFailures>> {
  if (!keys.length) return new Map();
  const rows = await db
    .select({
      key: loginFailures.key,
      count: loginFailures.count,
      secondsLeft: sql<number>`ceil(extract(epoch from (${loginFailures.windowStart} + ${Math.round(windowMs)}::integer * interval '1 millisecond' - now())))::integer`,
    })
    .from(loginFailures)
    .where(and(inArray(loginFailures.key, keys), gt(loginFailures.windowStart, cutoff(windowMs))));
  return new Map(rows.map((r) => [r.key, { count: Number(r.count), secondsLeft: Math.max(1, Number(r.secondsLeft)) }]));
}

/** Forgets a key's failures (a successful sign-in clears its own address's tries at the account). */
export async function clearLoginFailures(db: DbOrTx, key: string): Promise<void> {
  await db.delete(loginFailures).where(eq(loginFailures.key, key));
}

/** Deletes the rows whose window has passed; returns how many. */
export async function pruneLoginFailures(db: DbOrTx, windowMs: number): Promise<number> {
  const gone = await db
    .delete(loginFailures)
    .where(lte(loginFailures.windowStart, cutoff(windowMs)))
    .returning({ key: loginFailures.key });
  return gone.length;
}
