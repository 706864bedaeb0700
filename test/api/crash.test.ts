import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import type { ChildProcess } from "node:child_process";
import { freePort, spawnServer } from "../../bench/lib.js";
import { inArray, sql } from "drizzle-orm";
import { createTestDatabase, ENGINE, type TestDatabase } from "../helpers/test-server.js";
import { EventRecorder, waitFor } from "../helpers/socket.js";
import { TestClient } from "../helpers/http.js";
import { openDatabase } from "../../server/db/client.js";
import { calls, cases, events } from "../../server/db/schema/index.js";

describe(`kill -9 during writes [${ENGINE}]`, () => {
  let tdb: TestDatabase;
  let proc: ChildProcess | undefined;
  beforeAll(async () => { tdb = await createTestDatabase(); });
  afterAll(async () => { proc?.kill("SIGKILL"); await tdb?.destroy(); });

  it("keeps every acknowledged write, half-writes nothing, and dashboards catch up by replay", async () => {
    const port = await freePort();
    const env = { PORT: String(port), ...(tdb.url ? { DATABASE_URL: tdb.url } : { DATA_DIR: tdb.dir! }) };
    const url = `http://127.0.0.1:${port}`;
    proc = (await spawnServer({ SEED: "demo", SEED_STOCK: "0", ...env })).proc;
    const op = await new TestClient(url).login("operator");
    const dash = new EventRecorder(url, (await new TestClient(url).login("admin")).cookie);
    await dash.ready();

    // ~100 writes per second from 10 writers until the kill.
    const acked: string[] = [];
    let stop = false;
    const writer = async (w: number) => {
      for (let i = 0; !stop; i++) {
        const id = randomUUID();
        const at = Date.now();
        try {
          const r = await op.post("/api/sightings", {
            id, source: "public_hotline", lat: 45.70 + w * 0.01 + i * 0.0001, lng: 126.60, description: `crash ${w}/${i}`, newCase: true,
          });
          if (r.status === 201) acked.push(id);
          else if (r.status >= 500) throw new Error(`5xx before the kill: ${JSON.stringify(r.body)}`);
        } catch (e) {
          if (!stop && !String(e).includes("fetch failed")) throw e;
        }
        await new Promise((r) => setTimeout(r, Math.max(0, 100 - (Date.now() - at))));
      }
    };
    const writers = Array.from({ length: 10 }, (_, w) => writer(w));
    await new Promise((r) => setTimeout(r, 3000));
    proc.kill("SIGKILL");
    await new Promise((r) => proc!.once("exit", r));
    await new Promise((r) => setTimeout(r, 300));
    stop = true;
    await Promise.all(writers);
    expect(acked.length).toBeGreaterThan(20);

    proc = (await spawnServer({ SEED: "demo", SEED_STOCK: "0", ...env })).proc;
    // The dashboard reconnects by itself and replays from its last event id.
    const after = new TestClient(url);
    await after.login("operator");
    const more = randomUUID();
    expect((await after.post("/api/sightings", { id: more, source: "police_110", lat: 45.8, lng: 126.7, newCase: true })).status).toBe(201);
    // Writes in flight at the kill may have committed without their 2xx, so wait for the last one.
    const hasCall = (id: string) => dash.ofType("case.created").some((e) => (e.payload as { call?: { id: string } }).call?.id === id);
    await waitFor(() => hasCall(more), 30_000).catch((e) => {
      throw new Error(`dashboard has ${dash.ofType("case.created").length} events (acked ${acked.length}); connected=${dash.socket.connected}, last=${dash.lastEventId}, replays=${dash.replayDone}: ${e}`);
    });
    expect(acked.every(hasCall)).toBe(true);

    proc.kill("SIGTERM");
    await new Promise((r) => proc!.once("exit", r));
    proc = undefined;

    const db = await openDatabase({ databaseUrl: tdb.url, dataDir: tdb.dir ?? "" });
    try {
      const rows = await db.db.select({ id: calls.id, caseId: calls.caseId }).from(calls).where(inArray(calls.id, [...acked, more]));
      expect(rows.length).toBe(acked.length + 1); // every 2xx is there
      // Nothing half-written: every call has its case and its event, every case its call, and the
      // events table and the dashboard agree one for one.
      const [{ orphans }] = (await db.db.select({ orphans: sql<number>`count(*)::int` }).from(calls)
        .where(sql`not exists (select 1 from ${cases} where ${cases.id} = ${calls.caseId})`)) as [{ orphans: number }];
      expect(orphans).toBe(0);
      const [{ empty }] = (await db.db.select({ empty: sql<number>`count(*)::int` }).from(cases)
        .where(sql`not exists (select 1 from ${calls} where ${calls.caseId} = ${cases.id})`)) as [{ empty: number }];
      expect(empty).toBe(0);
      const created = await db.db.select({ id: events.id }).from(events).where(sql`${events.type} = 'case.created'`).orderBy(events.id);
      const [{ n: callCount }] = (await db.db.select({ n: sql<number>`count(*)::int` }).from(calls)) as [{ n: number }];
      expect(created.length).toBe(callCount);
      const seen = dash.ofType("case.created").map((e) => e.id);
      const missing = created.map((e) => e.id).filter((id) => !seen.includes(id));
      if (missing.length) {
        const all = await db.db.select({ id: events.id, type: events.type, at: events.at }).from(events).where(sql`${events.id} > ${missing[0]! - 4}`).orderBy(events.id).limit(12);
        console.log("missing", missing, "dashboard ids", dash.events.map((e) => e.id).filter((id) => id > missing[0]! - 4).slice(0, 12), "db", all);
      }
      expect(seen).toEqual(created.map((e) => e.id)); // every event exactly once, in order
    } finally {
      dash.close();
      await db.close();
    }
  });
});
