import { readFileSync } from "node:fs";
import { join } from "node:path";
import { sql } from "drizzle-orm";
import { MIGRATIONS_DIR, rawRows, type DbOrTx } from "./client.js";

/** Where the schema stands against the migrations folder this build carries. */
interface MigrationStatus {
  /** Migrations in migrations/meta/_journal.json. */
  expected: number;
  /** Of those, how many the database has applied. */
  applied: number;
}

/** Creation times of the journal's migrations (drizzle records each as `created_at`). */
function journalTimes(): number[] {
  const journal = JSON.parse(readFileSync(join(MIGRATIONS_DIR, "meta", "_journal.json"), "utf8")) as {
    entries: { when: number }[];
  };
  return journal.entries.map((e) => e.when);
}

/**
 * Compares the journal with drizzle's `__drizzle_migrations` table. drizzle's migrator applies every
 * journal entry newer than the newest applied one, so an entry counts as applied when it is not
 * newer than that. Throws when the database does not answer (the caller maps that to 503).
 */
export async function migrationStatus(db: DbOrTx): Promise<MigrationStatus> {
  const times = journalTimes();
  const [table] = await rawRows<{ present: boolean }>(
    db,
    sql`select to_regclass('drizzle.__drizzle_migrations') is not null as present`,
  );
  if (!table?.present) return { expected: times.length, applied: 0 };
  const [row] = await rawRows<{ last: string | number | null }>(
    db,
    sql`select max(created_at) as last from drizzle.__drizzle_migrations`,
  );
  const last = row?.last === null || row?.last === undefined ? -Infinity : Number(row.last);
  return { expected: times.length, applied: times.filter((t) => t <= last).length };
}
