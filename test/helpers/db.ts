import { count, max } from "drizzle-orm";
import type { RunningServer } from "../../server/server.js";
import * as schema from "../../server/db/schema/index.js";

/** Row count of a table, read straight from the database under test. */
export async function rowCount(srv: RunningServer, table: keyof typeof schema): Promise<number> {
  const [row] = await srv.database.db.select({ n: count() }).from(schema[table] as never);
  return Number((row as unknown as { n: number }).n);
}

/** Highest event id in the log. */
export async function lastEventId(srv: RunningServer): Promise<number> {
  const [row] = await srv.database.db.select({ id: max(schema.events.id) }).from(schema.events);
  return Number(row?.id ?? 0);
}
