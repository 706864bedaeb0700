import { and, asc, eq, ilike, or, sql, type SQL } from "drizzle-orm";
import type { DbOrTx } from "../db/client.js";
import { users } from "../db/schema/index.js";

export type UserRow = typeof users.$inferSelect;
type UserInsert = typeof users.$inferInsert;

/** One user, active or not. */
export async function findUser(db: DbOrTx, id: string, forUpdate = false): Promise<UserRow | undefined> {
  const q = db.select().from(users).where(eq(users.id, id)).limit(1);
  const [row] = forUpdate ? await q.for("update") : await q;
  return row;
}

/** A page of users by account name, with an optional search in account and display names. */
export async function listUsers(
  db: DbOrTx,
  o: {
    q?: string;
    role?: string;
    stationId?: string;
    limit: number;
    offset: number;
  },
): Promise<{ rows: UserRow[]; total: number }> {
  const conds: (SQL | undefined)[] = [];
  if (o.role) conds.push(eq(users.role, o.role as UserRow["role"]));
  if (o.stationId) conds.push(eq(users.stationId, o.stationId));
  if (o.q) {
    const like = `%${o.q.replace(/[\\%_]/g, (m) => `\\${m}`)}%`;
    conds.push(or(ilike(users.username, like), ilike(users.displayName, like)));
  }
  const where = and(...conds);
  const [rows, [count]] = await Promise.all([
    db.select().from(users).where(where).orderBy(asc(users.username)).limit(o.limit).offset(o.offset),
    db
      .select({ n: sql<number>`count(*)::int` })
      .from(users)
      .where(where),
  ]);
  return { rows, total: Number(count?.n ?? 0) };
}

/** Inserts a user; undefined when the id or the account name exists already. */
export async function insertUser(db: DbOrTx, values: UserInsert): Promise<UserRow | undefined> {
  const [row] = await db.insert(users).values(values).onConflictDoNothing().returning();
  return row;
}

/**
 * Changes a user's fields and bumps the version; undefined when the user does not exist or, when
 * `version` is given, no longer has it (one statement, so of two changes naming the same version
 * exactly one succeeds).
 */
export async function updateUser(
  db: DbOrTx,
  id: string,
  patch: Omit<Partial<UserInsert>, "id" | "version">,
  version?: number,
): Promise<UserRow | undefined> {
  const where = version === undefined ? eq(users.id, id) : and(eq(users.id, id), eq(users.version, version));
  const [row] = await db
    .update(users)
    .set({ ...patch, version: sql`${users.version} + 1` })
    .where(where)
    .returning();
  return row;
}
