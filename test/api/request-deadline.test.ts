import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import postgres from "postgres";
import { createTestDatabase, ENGINE, type TestDatabase } from "../helpers/test-server.js";
import type { RunningServer } from "../../server/server.js";
import { signedIn } from "../helpers/http.js";
import { rowCount } from "../helpers/db.js";
import { demoIds } from "../helpers/fleet.js";
import { EventRecorder, waitFor } from "../helpers/socket.js";
import { api } from "../../shared/api/index.js";

/**
 * A write stuck behind a lock or a busy database answers 503 + Retry-After within its deadline and is
 * kept exactly once when retried with the same id (issue 20: in the province simulation, intake
 * requests queued behind a station's intake lock stayed unanswered for more than 20 s).
 */
const sighting = (k: number) => ({
  id: randomUUID(),
  source: "public_hotline" as const,
  lat: 45.7 + k * 0.009,
  lng: 126.61,
  description: "一名老人躺在桥下",
  newCase: true,
});

/** Holds the database busy until `release()`: every station's intake lock on PostgreSQL, the one connection on PGlite. */
async function holdDatabase(tdb: TestDatabase, srv: RunningServer): Promise<{ release(): Promise<void> }> {
  if (ENGINE === "postgres") {
    const sql = postgres(tdb.url!, { max: 1, onnotice: () => {} });
    const held = await sql.reserve();
    // The same key space as lockStationIntake's transaction-level lock (cases.repo.ts).
    await held`select pg_advisory_lock(727100, hashtext(id::text)) from stations`;
    return {
      release: async () => {
        await held`select pg_advisory_unlock_all()`;
        held.release();
        await sql.end();
      },
    };
  }
  // PGlite runs one transaction at a time: an open one makes every other query wait.
  let release!: () => void;
  const released = new Promise<void>((r) => (release = r));
  let began!: () => void;
  const begun = new Promise<void>((r) => (began = r));
  const tx = srv.database.db.transaction(async () => {
    began();
    await released;
  });
  await begun;
  return {
    release: async () => {
      release();
      await tx;
    },
  };
}

describe(`a write that cannot get through answers 503 + Retry-After, then is kept once [${ENGINE}]`, () => {
  let tdb: TestDatabase;

  beforeAll(async () => {
    tdb = await createTestDatabase();
  });
  afterAll(async () => {
    await tdb.destroy();
  });

  it("REQUEST_DEADLINE_MS: a sighting queued behind the database answers 503, and its retry stores it once", async () => {
    const srv = await tdb.start({ JOBS_ENABLED: "false", REQUEST_DEADLINE_MS: "600", DB_LOCK_TIMEOUT_MS: "0" });
    try {
      const op = await signedIn(srv.url, "operator");
      const callsBefore = await rowCount(srv, "calls");
      const body = sighting(1);
      const hold = await holdDatabase(tdb, srv);
      let first;
      try {
        first = await op.call(api.cases.createSighting, { body });
      } finally {
        await hold.release();
      }
      expect(first.status).toBe(503);
      expect(first.error.code).toBe("DATABASE_UNAVAILABLE");
      expect(Number(first.headers.get("retry-after"))).toBeGreaterThan(0);
      // The phone's outbox and partners retry with the same body: one call, whether or not the first
      // attempt committed after its 503.
      const again = await op.call(api.cases.createSighting, { body });
      expect([200, 201]).toContain(again.status);
      expect(again.body.callId).toBe(body.id);
      const third = await op.call(api.cases.createSighting, { body });
      expect(third.body.callId).toBe(body.id);
      expect(await rowCount(srv, "calls")).toBe(callsBefore + 1);
      // Reads answer normally again once the database is free.
      expect((await op.call(api.cases.list, { query: {} })).status).toBe(200);
    } finally {
      await srv.close();
    }
  });

  it.runIf(ENGINE === "postgres")(
    "DB_LOCK_TIMEOUT_MS: a lock not granted in time is 503 (55P03), not a wait without end, and the retry is kept once",
    async () => {
      const srv = await tdb.start({ JOBS_ENABLED: "false", REQUEST_DEADLINE_MS: "0", DB_LOCK_TIMEOUT_MS: "300" });
      try {
        const op = await signedIn(srv.url, "operator");
        const callsBefore = await rowCount(srv, "calls");
        const body = sighting(2);
        const hold = await holdDatabase(tdb, srv);
        let first;
        try {
          first = await op.call(api.cases.createSighting, { body });
        } finally {
          await hold.release();
        }
        expect(first.status).toBe(503);
        expect(first.error.code).toBe("DATABASE_UNAVAILABLE");
        expect(first.headers.get("retry-after")).toMatch(/^\d+$/);
        // Rolled back, so nothing of it was stored; the retry stores it.
        expect(await rowCount(srv, "calls")).toBe(callsBefore);
        const again = await op.call(api.cases.createSighting, { body });
        expect(again.status).toBe(201);
        expect(await rowCount(srv, "calls")).toBe(callsBefore + 1);
      } finally {
        await srv.close();
      }
    },
  );

  it.runIf(ENGINE === "postgres")(
    "a full pool does not hold the live feed back: another node's event reaches this node's dashboard while its requests queue",
    async () => {
      // Node A: two pool connections, no deadline, no lock timeout: its requests queue for as long as the lock is held.
      const a = await tdb.start({
        JOBS_ENABLED: "false",
        DB_POOL_SIZE: "2",
        REQUEST_DEADLINE_MS: "0",
        DB_LOCK_TIMEOUT_MS: "0",
      });
      const b = await tdb.start({ JOBS_ENABLED: "false" });
      const dashboard = new EventRecorder(a.url, (await signedIn(a.url, "admin")).cookie);
      try {
        await dashboard.ready();
        const op = await signedIn(a.url, "operator");
        const hold = await holdDatabase(tdb, a);
        const stuck: Promise<unknown>[] = [];
        try {
          // Two sightings wait on the intake lock holding A's two connections, two more wait for a connection.
          for (let k = 0; k < 4; k++) stuck.push(op.call(api.cases.createSighting, { body: sighting(10 + k) }));
          await waitFor(() => a.database.pool().waiting >= 2, 30_000);
          const admin = await signedIn(b.url, "admin");
          const body = {
            id: randomUUID(),
            stationId: (await demoIds(b)).ng,
            name: "新华桥桥洞（馈送）",
            kind: "bridge_underpass" as const,
            lat: 45.761,
            lng: 126.622,
          };
          expect((await admin.call(api.keypoints.create, { body })).status).toBe(201);
          await waitFor(() => dashboard.ofType("keypoint.created").some((e) => e.payload.id === body.id), 30_000);
          expect(a.database.pool().waiting).toBeGreaterThanOrEqual(1);
        } finally {
          await hold.release();
        }
        await Promise.all(stuck);
      } finally {
        dashboard.close();
        await a.close();
        await b.close();
      }
    },
  );

  it("downloads and spreadsheet imports are exempt; every other endpoint has the deadline", () => {
    const all = Object.values(api).flatMap((noun) => Object.values(noun));
    const exempt = all.filter((ep) => "slow" in ep && ep.slow).map((ep) => `${ep.method} ${ep.path}`);
    expect(exempt.sort()).toEqual(["POST /api/imports/:kind", "POST /api/imports/:kind/preview"]);
  });
});
