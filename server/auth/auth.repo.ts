import { and, eq, gt, inArray } from "drizzle-orm";
import type { DbOrTx } from "../db/client.js";
import { sessions, users } from "../db/schema/index.js";

export type UserRow = typeof users.$inferSelect;

/** Finds an active user by account name. */
export async function findUserByUsername(db: DbOrTx, username: string): Promise<UserRow | undefined> {
  const [row] = await db
    .select()
    .from(users)
    .where(and(eq(users.username, username), eq(users.active, true)))
    .limit(1);
  return row;
}

/** Stores a new session. */
export async function insertSession(db: DbOrTx, tokenHash: string, userId: string, expiresAt: Date): Promise<void> {
  await db.insert(sessions).values({ tokenHash, userId, expiresAt });
}

/** The user behind an unexpired session, with its expiry, if any. */
export async function findSessionUser(
  db: DbOrTx,
  tokenHash: string,
): Promise<{ user: UserRow; expiresAt: Date } | undefined> {
  const [row] = await db
    .select({ user: users, expiresAt: sessions.expiresAt })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(and(eq(sessions.tokenHash, tokenHash), gt(sessions.expiresAt, new Date()), eq(users.active, true)))
    .limit(1);
  return row;
}

/** Which of the given session hashes are still live (unexpired, user active). */
export async function liveSessionHashes(db: DbOrTx, tokenHashes: string[]): Promise<Set<string>> {
  if (!tokenHashes.length) return new Set();
  const rows = await db
    .select({ tokenHash: sessions.tokenHash })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(and(inArray(sessions.tokenHash, tokenHashes), gt(sessions.expiresAt, new Date()), eq(users.active, true)));
  return new Set(rows.map((r) => r.tokenHash));
}

/** Ends a session. */
export async function deleteSession(db: DbOrTx, tokenHash: string): Promise<void> {
  await db.delete(sessions).where(eq(sessions.tokenHash, tokenHash));
}

/** Ends every session of a user (password reset, role change, account switched off). */
export async function deleteSessionsOfUser(db: DbOrTx, userId: string): Promise<void> {
  await db.delete(sessions).where(eq(sessions.userId, userId));
}
