import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import { and, asc, gt, inArray } from "drizzle-orm";
import { createPairDatabase, pgBinariesAvailable, startPgPair, type PgPair } from "../../bench/pg-pair.js";
import { loadEnv } from "../../server/env.js";
import { createLogger } from "../../server/logger.js";
import { startServer, type RunningServer } from "../../server/server.js";
import { openDatabase } from "../../server/db/client.js";
import { calls, events } from "../../server/db/schema/index.js";
import { ENGINE, TEST_ENV_BASE } from "../helpers/test-server.js";
import { EventRecorder, waitFor } from "../helpers/socket.js";
import { TestClient } from "../helpers/http.js";
import { Fixtures, signInAll } from "../helpers/fixtures.js";
import { lastEventId } from "../helpers/db.js";
import { api } from "../../shared/api/index.js";
import postgres from "postgres";

/**
 * A primary with a synchronous streaming standby, both made by deploy/replication/local-pair.sh on
 * ports of their own; the server connects with a multi-host URL. On the PostgreSQL project the
 * binaries are required (FAILOVER_REQUIRED=0 lets a machine without them skip).
 */
const required = process.env.FAILOVER_REQUIRED !== "0";
const runnable = ENGINE === "postgres" && (pgBinariesAvailable() || required);

describe.runIf(runnable)("primary lost during intake, standby promoted [postgres]", () => {
  let pair: PgPair | undefined;
  let srv: RunningServer | undefined;
  const dashboards: EventRecorder[] = [];

  beforeAll(async () => {
    pair = await startPgPair("sync");
    await createPairDatabase(pair, "wl");
    const env = loadEnv({
      ...TEST_ENV_BASE,
      DATABASE_URL: pair.multiHostUrl("wl"),
      DATABASE_REPLICA_URL: pair.url(pair.standbyPort, "wl"),
      DB_POOL_SIZE: "10",
      JOBS_ENABLED: "false",
    });
    srv = await startServer(env, createLogger("error"));
  });
  afterAll(async () => {
    for (const d of dashboards) d.close();
    await srv?.close().catch(() => {});
    await pair?.down();
  });

  it("serves totals from the replica when it is current and never older than a write just made; lag shown in health", async () => {
    const url = srv!.url;
    const [supervisor, head, crew] = await signInAll(url, ["supervisor", "head", "patrol1"] as const);
    const demo = await new Fixtures(srv!.database.db).demo();
    const city = demo.regions.find((r) => r.level === "city")!;
    const today = srv!.services.totals.today();
    const campaign = await supervisor.call(api.campaigns.create, {
      body: { name: "replica", regionId: city.id, startsOn: today, endsOn: today, alertLevel: "yellow" },
    });
    expect(campaign.status).toBe(201);
    const vehicles = (await crew.call(api.vehicles.list)).body.items;
    const vehicle = vehicles.find((v) => v.callSign === "DL-03")!;
    const sortie = await crew.call(api.patrols.startSortie, {
      body: { id: randomUUID(), vehicleId: vehicle.id, crewCount: 2 },
    });
    expect(sortie.status).toBe(201);
    const found = async () =>
      (await head.call(api.totals.get, { params: { id: campaign.body.id }, query: { stationId: vehicle.stationId } }))
        .body.figures.foundPersonTimes;
    const encounter = async (i: number) => {
      const r = await crew.call(api.encounters.create, {
        body: {
          id: randomUUID(),
          sortieId: sortie.body.id,
          lat: 45.75,
          lng: 126.62 + i * 0.001,
          found: true,
          outcome: "street_aid",
        },
      });
      expect(r.status).toBe(201);
    };
    const base = await found();
    const reads = srv!.services.reads;
    // Replay running: each read right after a write shows it (the replica serves once it has replayed it).
    for (let i = 1; i <= 10; i++) {
      await encounter(i);
      expect(await found()).toBe(base + i);
    }
    expect(reads.counts.replica).toBeGreaterThan(0);
    // Replay paused: the replica falls behind, and reads go to the primary rather than answer older.
    const standby = postgres(pair!.url(pair!.standbyPort, "wl"), { max: 1, onnotice: () => {} });
    try {
      await standby`select pg_wal_replay_pause()`;
      const toPrimary = reads.counts.primary;
      for (let i = 11; i <= 15; i++) {
        await encounter(i);
        expect(await found()).toBe(base + i);
      }
      expect(reads.counts.primary).toBeGreaterThanOrEqual(toPrimary + 5);
      const health = await head.call(api.health.health);
      expect(health.body.replica?.streaming).toBe(true);
      expect(health.body.replica?.lagBytes).toBeGreaterThan(0);
    } finally {
      await standby`select pg_wal_replay_resume()`;
      await standby.end();
    }
    const caughtUp = await head.call(api.health.health);
    expect(caughtUp.body.replica?.streaming).toBe(true);
    console.info(`replica reads: ${reads.counts.replica} on the replica, ${reads.counts.primary} on the primary`);
  });

  it("keeps every acknowledged write, answers 503 + Retry-After meanwhile, and every dashboard gets every committed event once, in order", async () => {
    const url = srv!.url;
    const op = await new TestClient(url).login("operator");
    // Three desks on the admin role (which sees every case event), each with its own session.
    for (let i = 0; i < 3; i++)
      dashboards.push(new EventRecorder(url, (await new TestClient(url).login("admin")).cookie));
    await Promise.all(dashboards.map((d) => d.ready()));
    const startId = await lastEventId(srv!);

    const acked: string[] = [];
    const unavailable: { status: number; retryAfter: string | null; code: unknown }[] = [];
    let retriedOk = 0;
    let phase: "before" | "down" | "after" = "before";
    let ackedAfter = 0;
    let stop = false;
    // Each writer sends a sighting; a non-2xx must be a 503 with Retry-After, and the same request
    // (same id) is sent again until it is acknowledged, as the phone's outbox does.
    const writer = async (w: number) => {
      for (let i = 0; !stop; i++) {
        const body = {
          id: randomUUID(),
          source: "public_hotline" as const,
          lat: 45.7 + w * 0.01 + i * 0.0001,
          lng: 126.6,
          description: `failover ${w}/${i}`,
          newCase: true,
        };
        for (let attempt = 0; ; attempt++) {
          const r = await op.call(api.cases.createSighting, { body });
          if (r.status === 201 || r.status === 200) {
            acked.push(body.id);
            if (attempt > 0) retriedOk++;
            if (phase === "after") ackedAfter++;
            break;
          }
          unavailable.push({ status: r.status, retryAfter: r.headers.get("retry-after"), code: r.error.code });
          if (r.status !== 503 || attempt > 50) return;
          await new Promise((res) => setTimeout(res, Number(r.headers.get("retry-after") ?? 1) * 100));
        }
      }
    };
    const writers = Array.from({ length: 6 }, (_, w) => writer(w));

    // Stop the primary once intake is flowing, promote as soon as a write has felt it (or 2 s).
    await waitFor(() => acked.length >= 30, 30_000);
    const ackedBefore = acked.length;
    phase = "down";
    await pair!.stopPrimary();
    const stoppedAt = Date.now();
    await waitFor(() => unavailable.length > 0, 2000).catch(() => {});
    await pair!.promote();
    phase = "after";
    await waitFor(() => ackedAfter >= 30 || unavailable.some((u) => u.status !== 503), 60_000);
    const intakeGapMs = Date.now() - stoppedAt;
    stop = true;
    await Promise.all(writers);

    // Nothing but 503 + Retry-After, each followed by an acknowledged retry of the same id.
    expect(unavailable.filter((u) => u.status !== 503 || !u.retryAfter || u.code !== "DATABASE_UNAVAILABLE")).toEqual(
      [],
    );
    expect(retriedOk).toBeGreaterThanOrEqual(unavailable.length > 0 ? 1 : 0);
    expect(ackedAfter).toBeGreaterThanOrEqual(30);
    expect(acked.length).toBeGreaterThan(ackedBefore);

    // Every acknowledged write is on the new primary.
    const check = await openDatabase({ databaseUrl: pair!.url(pair!.standbyPort, "wl"), dataDir: "" });
    try {
      const stored = new Set(
        (await check.db.select({ id: calls.id }).from(calls).where(inArray(calls.id, acked))).map((r) => r.id),
      );
      expect(acked.filter((id) => !stored.has(id))).toEqual([]);

      // Every dashboard ends with every committed case event after the start, once, in id order.
      const committed = (
        await check.db
          .select({ id: events.id })
          .from(events)
          .where(and(gt(events.id, startId), inArray(events.type, ["case.created", "call.added"])))
          .orderBy(asc(events.id))
      ).map((r) => r.id);
      const last = committed.at(-1)!;
      for (const d of dashboards) {
        await waitFor(() => (d.lastEventId ?? 0) >= last, 30_000);
        const got = d.events.filter((e) => e.id > startId && (e.type === "case.created" || e.type === "call.added"));
        expect(got.map((e) => e.id)).toEqual(committed);
      }
    } finally {
      await check.close();
    }
    console.info(
      `failover: ${acked.length} acknowledged (${ackedBefore} before the stop), ${unavailable.length} answered 503, ` +
        `${retriedOk} acknowledged on retry; ${ackedAfter} after promotion; stop to 30 writes after promotion ${intakeGapMs} ms`,
    );
  });
});
