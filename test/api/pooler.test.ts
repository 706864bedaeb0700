import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadEnv } from "../../server/env.js";
import { createLogger } from "../../server/logger.js";
import { startServer, type RunningServer } from "../../server/server.js";
import { createTestDatabase, ENGINE, TEST_ENV_BASE, type TestDatabase } from "../helpers/test-server.js";
import { pgbouncerBinary, startPgBouncer, type PgBouncer } from "../helpers/pgbouncer.js";
import { EventRecorder, waitFor } from "../helpers/socket.js";
import { signedIn } from "../helpers/http.js";
import { api } from "../../shared/api/index.js";

/**
 * Two app nodes whose queries go through PgBouncer, as docs/SCALING.md deploys them. The event poll
 * is set to an hour, so a dashboard on one node sees another node's commit only if LISTEN/NOTIFY
 * works through the pooler configuration. On the PostgreSQL project PgBouncer is required
 * (POOLER_REQUIRED=0 lets a machine without it skip).
 */
const required = process.env.POOLER_REQUIRED !== "0";
const runnable = ENGINE === "postgres" && (!!pgbouncerBinary() || required);

const MODES = [
  // Session mode: one server connection per client connection, so LISTEN may go through it.
  { mode: "session", direct: false },
  // Transaction mode: connections are shared between transactions, so LISTEN (and the migration's
  // session lock) take the direct URL, and named prepared statements are off.
  { mode: "transaction", direct: true },
] as const;

describe.runIf(runnable).each(MODES)("LISTEN through PgBouncer in $mode mode [postgres]", ({ mode, direct }) => {
  let tdb: TestDatabase;
  let bouncer: PgBouncer;
  const nodes: RunningServer[] = [];
  let dashboard: EventRecorder | undefined;

  beforeAll(async () => {
    tdb = await createTestDatabase();
    bouncer = await startPgBouncer(tdb.url!, mode);
    for (let i = 0; i < 2; i++) {
      const env = loadEnv({
        ...TEST_ENV_BASE,
        DATABASE_URL: bouncer.url,
        ...(direct ? { DATABASE_DIRECT_URL: tdb.url!, DB_PREPARE: "false" } : {}),
        DB_POOL_SIZE: "4",
        EVENT_POLL_MS: "3600000",
        JOBS_ENABLED: "false",
      });
      nodes.push(await startServer(env, createLogger("error")));
    }
  });
  afterAll(async () => {
    dashboard?.close();
    for (const n of nodes) await n.close().catch(() => {});
    await bouncer?.stop();
    await tdb?.destroy();
  });

  it("a dashboard on one node gets every commit made on the other, by NOTIFY alone", async () => {
    const [a, b] = nodes as [RunningServer, RunningServer];
    // The nodes' queries really pass through the bouncer (its console lists them as clients).
    expect(
      bouncer
        .show("CLIENTS")
        .split("\n")
        .filter((l) => l.includes("warmline")).length,
    ).toBeGreaterThan(0);

    const admin = await signedIn(a.url, "admin");
    const watcher = await signedIn(b.url, "supervisor");
    dashboard = new EventRecorder(b.url, watcher.cookie);
    await dashboard.ready();
    const regionId = (await admin.call(api.stations.regions)).body.items[0]!.id;
    const codes = ["PB1", "PB2", "PB3"].map((c) => `${c}${mode[0]}`);
    for (const code of codes) {
      const r = await admin.call(api.stations.create, {
        body: { code, name: `站 ${code}`, regionId, lat: 45.7, lng: 126.6 },
      });
      expect(r.status).toBe(201);
    }
    await waitFor(() => dashboard!.ofType("station.created").length >= codes.length, 20_000);
    expect(dashboard.ofType("station.created").map((e) => e.payload.code)).toEqual(codes);
  });

  it("intake works through the pooler: a sighting is filed and read back on the other node", async () => {
    const [a, b] = nodes as [RunningServer, RunningServer];
    const operator = await signedIn(a.url, "operator");
    const reader = await signedIn(b.url, "operator");
    const kp = (await operator.call(api.keypoints.list)).body.items[0]!;
    const filed = await operator.call(api.cases.createSighting, {
      body: { id: crypto.randomUUID(), source: "grid_worker", keyPointId: kp.id, flags: [] },
    });
    expect(filed.status, JSON.stringify(filed.body)).toBe(201);
    const read = await reader.call(api.cases.get, { params: { id: filed.body.case.id } });
    expect(read.status).toBe(200);
  });
});
