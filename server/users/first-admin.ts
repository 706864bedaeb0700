import { count, sql } from "drizzle-orm";
import type { Db } from "../db/client.js";
import { users } from "../db/schema/index.js";
import { hashPassword } from "../auth/password.js";
import type { Logger } from "../logger.js";
import { insertUser } from "./users.repo.js";

/** Shared with the demo seed: both fill an empty database, and only one of them may. */
export const EMPTY_DATABASE_LOCK = 727002;

/**
 * A real deployment starts from an empty database with no way to sign in: the first start that finds
 * no user at all creates the administrator named in ADMIN_USERNAME / ADMIN_PASSWORD, once. Later
 * starts find users and touch nothing (the password is not reset by a restart with another value).
 * Nodes starting together wait on the same advisory lock as the demo seed, so exactly one creates it.
 */
export async function ensureFirstAdmin(
  db: Db,
  account: { username?: string; password?: string },
  log: Logger,
): Promise<boolean> {
  const [{ n }] = (await db.select({ n: count() }).from(users)) as [{ n: number }];
  if (Number(n) > 0) return false;
  if (!account.username || !account.password) {
    log.warn(
      "the database has no user: set ADMIN_USERNAME and ADMIN_PASSWORD and restart to create the first administrator",
    );
    return false;
  }
  const { username, password } = account;
  const hash = await hashPassword(password);
  const created = await db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${EMPTY_DATABASE_LOCK})`);
    const [{ n: again }] = (await tx.select({ n: count() }).from(users)) as [{ n: number }];
    if (Number(again) > 0) return false;
    return !!(await insertUser(tx, {
      username,
      displayName: "系统管理员 Administrator",
      passwordHash: hash,
      role: "admin",
    }));
  });
  if (created) log.info("first administrator created; sign in and change the password", { username });
  return created;
}
