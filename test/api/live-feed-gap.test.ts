import { afterAll, beforeAll, describe, expect, it } from "vitest";
import postgres from "postgres";
import { randomBytes } from "node:crypto";
import { createTestDatabase, ENGINE, type TestDatabase } from "../helpers/test-server.js";
import type { RunningServer } from "../../server/server.js";
import { TestClient, signedIn } from "../helpers/http.js";
import { EventRecorder, waitFor } from "../helpers/socket.js";
import { appendEvents } from "../../server/events/events.repo.js";
import { testDatabaseUrl } from "../../server/env.js";
import { api } from "../../shared/api/index.js";

/** Burns one event id: an event appended in a transaction that then rolls back. */
async function rollBackOneEventId(srv: RunningServer): Promise<void> {
  await srv.database.db
    .transaction(async (tx) => {
      await appendEvents(tx, [{ type: "station.updated", stationId: null, actorId: null, payload: {} }]);
      throw new Error("roll back on purpose");
    })
    .catch((err: Error) => {
      if (err.message !== "roll back on purpose") throw err;
    });
}

/** Commits one event (a station created by the admin) and returns its code. */
async function commitStation(admin: TestClient, regionId: string, code: string): Promise<void> {
  const r = await admin.call(api.stations.create, {
    body: { code, name: `站 ${code}`, regionId, lat: 45.7, lng: 126.6 },
  });
  if (r.status !== 201) throw new Error(`commit failed: ${r.status} ${JSON.stringify(r.body)}`);
}

const codes = (rec: EventRecorder) => rec.ofType("station.created").map((e) => String(e.payload.code));

describe(`live feed past rolled-back ids and unrelated open transactions [${ENGINE}]`, () => {
  let tdb: TestDatabase;
  let srv: RunningServer;
  let admin: TestClient;
  let regionId: string;
  beforeAll(async () => {
    tdb = await createTestDatabase();
    srv = await tdb.start();
    admin = await signedIn(srv.url, "admin");
    regionId = (await admin.call(api.stations.regions)).body.items[0]!.id;
  });
  afterAll(async () => {
    await srv?.close();
    await tdb?.destroy();
  });

  it("delivers every event after a rolled-back id within 1 s, in order, none skipped", async () => {
    const dashboards = [new EventRecorder(srv.url, admin.cookie), new EventRecorder(srv.url, admin.cookie)];
    await Promise.all(dashboards.map((d) => d.ready()));
    const sent: string[] = [];
    for (let i = 0; i < 3; i++) {
      await rollBackOneEventId(srv);
      const code = `RB${i}`;
      await commitStation(admin, regionId, code);
      sent.push(code);
      for (const d of dashboards) await waitFor(() => codes(d).includes(code), 1000);
    }
    for (const d of dashboards) {
      expect(codes(d)).toEqual(sent);
      const ids = d.events.map((e) => e.id);
      expect(ids).toEqual([...ids].sort((a, b) => a - b));
      d.close();
    }
  });

  it.skipIf(ENGINE !== "postgres")(
    "keeps delivering within 1 s while write transactions that wrote no event stay open 30 s (another database, and this one)",
    async () => {
      const adminUrl = testDatabaseUrl()!;
      const otherName = `wl_other_${randomBytes(4).toString("hex")}`;
      const server = postgres(adminUrl, { max: 1, onnotice: () => {} });
      await server.unsafe(`create database ${otherName}`);
      const otherUrl = new URL(adminUrl);
      otherUrl.pathname = `/${otherName}`;
      const other = postgres(otherUrl.toString(), { max: 1, onnotice: () => {} });
      const same = postgres(tdb.url!, { max: 1, onnotice: () => {} });
      await other.unsafe("create table scratch (n int)");
      await same.unsafe("create table scratch_same (n int)");

      const dashboards = [
        new EventRecorder(srv.url, admin.cookie),
        new EventRecorder(srv.url, admin.cookie),
        new EventRecorder(srv.url, admin.cookie),
      ];
      await Promise.all(dashboards.map((d) => d.ready()));

      // Two write transactions held open 30 s, each with a transaction id, neither writing an event.
      let release!: () => void;
      const held = new Promise<void>((r) => {
        release = r;
      });
      const holdOpen = (sql: postgres.Sql, table: string) =>
        sql.begin(async (tx) => {
          await tx.unsafe(`insert into ${table} values (1)`);
          await held;
        });
      const holders = [holdOpen(other, "scratch"), holdOpen(same, "scratch_same")];
      const heldSince = Date.now();
      const timer = setTimeout(release, 30_000);
      try {
        await waitFor(() => false, 200).catch(() => {}); // let both transactions take their ids
        const sent: string[] = [];
        const lags: number[] = [];
        let i = 0;
        while (Date.now() - heldSince < 28_000) {
          if (i % 2 === 0) await rollBackOneEventId(srv);
          const code = `HO${i++}`;
          const t0 = Date.now();
          await commitStation(admin, regionId, code);
          sent.push(code);
          for (const d of dashboards) await waitFor(() => codes(d).includes(code), 1000);
          lags.push(Date.now() - t0);
          await new Promise((r) => setTimeout(r, 2000));
        }
        const health = await admin.call(api.health.health);
        expect(health.body.liveFeed.waitingMs).toBe(0);
        expect(sent.length).toBeGreaterThanOrEqual(8);
        for (const d of dashboards) {
          expect(codes(d)).toEqual(sent);
          const ids = d.events.map((e) => e.id);
          expect(ids).toEqual([...ids].sort((a, b) => a - b));
          expect(new Set(ids).size).toBe(ids.length);
        }
        expect(Math.max(...lags)).toBeLessThan(1500);
      } finally {
        clearTimeout(timer);
        release();
        await Promise.all(holders);
        for (const d of dashboards) d.close();
        await other.end();
        await same.end();
        await server.unsafe(`drop database if exists ${otherName} with (force)`);
        await server.end();
      }
    },
    90_000,
  );

  it.skipIf(ENGINE !== "postgres")(
    "holds later events behind an open transaction that wrote one, says how long in health, then delivers both in order",
    async () => {
      const writer = postgres(tdb.url!, { max: 1, onnotice: () => {} });
      const dashboard = new EventRecorder(srv.url, admin.cookie);
      await dashboard.ready();
      let release!: () => void;
      const held = new Promise<void>((r) => {
        release = r;
      });
      const open = writer.begin(async (tx) => {
        await tx`insert into events (type, station_id, actor_id, payload) values ('station.created', null, null, ${tx.json({ code: "SLOW" })})`;
        await held;
      });
      try {
        await new Promise((r) => setTimeout(r, 100));
        await commitStation(admin, regionId, "AFTER");
        // The later event is committed but must wait: the open transaction holds a lower id.
        await waitFor(() => false, 5500).catch(() => {});
        expect(codes(dashboard)).not.toContain("AFTER");
        const health = await admin.call(api.health.health);
        expect(health.body.liveFeed.waitingMs).toBeGreaterThanOrEqual(5000);
        release();
        await open;
        await waitFor(() => codes(dashboard).includes("AFTER"), 2000);
        expect(codes(dashboard)).toEqual(["SLOW", "AFTER"]);
        expect((await admin.call(api.health.health)).body.liveFeed.waitingMs).toBe(0);
      } finally {
        release();
        await open.catch(() => {});
        dashboard.close();
        await writer.end();
      }
    },
    60_000,
  );
});
