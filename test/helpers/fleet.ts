import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import type { RunningServer } from "../../server/server.js";
import { cases, stations, supplyItems, supplyLedger, users } from "../../server/db/schema/index.js";

/** Ids of the demo city the fleet tests use. */
export interface DemoIds {
  dl: string;
  ng: string;
  items: Record<string, { id: string; unitValueFen: number }>;
  headId: string;
}

/** Looks up the seeded stations, catalog and head user. */
export async function demoIds(srv: RunningServer): Promise<DemoIds> {
  const db = srv.database.db;
  const st = await db.select().from(stations);
  const its = await db.select().from(supplyItems);
  const [head] = await db.select().from(users).where(eq(users.username, "head"));
  return {
    dl: st.find((s) => s.code === "DL")!.id,
    ng: st.find((s) => s.code === "NG")!.id,
    items: Object.fromEntries(its.map((i) => [i.code, { id: i.id, unitValueFen: i.unitValueFen }])),
    headId: head!.id,
  };
}

/**
 * Inserts an open case straight into the database under test, as intake would have left it (the
 * intake API belongs to the duty-room domain; these tests are about what happens after).
 */
export async function openCase(
  srv: RunningServer,
  stationId: string,
  lat: number,
  lng: number,
  extra: Partial<typeof cases.$inferInsert> = {},
): Promise<string> {
  const id = randomUUID();
  const now = new Date();
  await srv.database.db.insert(cases).values({
    id,
    stationId,
    status: "open",
    urgency: "high",
    lat,
    lng,
    placeText: "桥洞下",
    description: "老人躺在地上",
    source: "public_hotline",
    receivedAt: now,
    ...extra,
  });
  return id;
}

/** Receives stock into a station (what the station head's stock screen would record). */
export async function receiveStock(
  srv: RunningServer,
  stationId: string,
  itemId: string,
  quantity: number,
): Promise<void> {
  await srv.database.db
    .insert(supplyLedger)
    .values({ id: randomUUID(), stationId, itemId, kind: "received", quantity, unitValueFen: 100 });
}
