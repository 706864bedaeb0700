import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { createTestDatabase, ENGINE, type TestDatabase } from "../helpers/test-server.js";
import type { RunningServer } from "../../server/server.js";
import { openDatabase, rawRows, type Database, type Db } from "../../server/db/client.js";
import { createLogger } from "../../server/logger.js";
import { JobRunner, type JobDefinition } from "../../server/jobs/job-runner.js";
import { waitFor } from "../helpers/socket.js";

const silent = createLogger("silent");
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A job body that records each run as a row, so duplicates are counted by the database itself. */
function probeJob(name: string, everyMs: number, extra: Partial<JobDefinition> = {}): JobDefinition {
  return {
    name,
    everyMs,
    run: async ({ slot, nodeId }) => {
      // Held briefly, so a run overlapping on another node would show as a second row.
      await probeDb.execute(sql`insert into job_probe (job, slot, node) values (${name}, ${slot}, ${nodeId})`);
      await sleep(5);
    },
    ...extra,
  };
}

let probeDb: Db;

async function probeRows(db: Db, job: string) {
  const rows = await rawRows<{ slot: string; node: string }>(
    db,
    sql`select slot, node from job_probe where job = ${job} order by slot`,
  );
  return rows.map((r) => ({ slot: Number(r.slot), node: r.node }));
}

describe(`scheduled jobs run once across the cluster [${ENGINE}]`, () => {
  let tdb: TestDatabase;
  let srv: RunningServer;
  /** Two "nodes": on PostgreSQL each has its own connection pool; PGlite has one process. */
  let nodes: Database[] = [];
  const runners: JobRunner[] = [];

  const runner = (i: number, tickMs = 20) => {
    const r = new JobRunner({ db: nodes[i % nodes.length]!.db, log: silent, tickMs, nodeId: `node-${i}` });
    runners.push(r);
    return r;
  };

  beforeAll(async () => {
    tdb = await createTestDatabase();
    srv = await tdb.start({ JOB_TICK_MS: "50" });
    probeDb = srv.database.db;
    await probeDb.execute(sql`create table job_probe (job text not null, slot bigint not null, node text not null)`);
    nodes =
      ENGINE === "postgres"
        ? await Promise.all([0, 1].map(() => openDatabase({ databaseUrl: tdb.url, dataDir: "", poolSize: 4 })))
        : [srv.database];
  });
  afterAll(async () => {
    await Promise.all(runners.map((r) => r.close()));
    if (ENGINE === "postgres") await Promise.all(nodes.map((n) => n.close().catch(() => {})));
    await srv?.close();
    await tdb?.destroy();
  });

  it("runs the job of a server's services (on PGlite the runner simply runs it)", async () => {
    let runs = 0;
    srv.services.jobs.register({
      name: "wired",
      everyMs: 100,
      run: async () => {
        runs++;
      },
    });
    await waitFor(() => runs >= 2, 5000);
    const [row] = await rawRows<{ runs: number; last_error: string | null }>(
      probeDb,
      sql`select runs, last_error from scheduled_jobs where name = 'wired'`,
    );
    expect(row!.runs).toBeGreaterThanOrEqual(2);
    expect(row!.last_error).toBeNull();
  });

  it("many concurrent ticks from two runners claim one slot once", async () => {
    const a = runner(0),
      b = runner(1);
    // An hour-long slot: all 80 ticks fall in one slot (or two, if the test crosses the hour).
    for (const r of [a, b]) r.register(probeJob("hourly", 3_600_000));
    const started = await Promise.all(Array.from({ length: 40 }, (_, i) => (i % 2 ? a : b).tick()));
    await Promise.all([a.idle(), b.idle()]);
    const rows = await probeRows(probeDb, "hourly");
    expect(rows.length).toBeGreaterThanOrEqual(1);
    expect(rows.length).toBeLessThanOrEqual(2);
    expect(new Set(rows.map((r) => r.slot)).size).toBe(rows.length);
    expect(started.flat().length).toBe(rows.length);
  });

  it("two runners ticking every 20 ms run a 200 ms job exactly once per slot", async () => {
    const a = runner(2),
      b = runner(3);
    for (const r of [a, b]) r.register(probeJob("fast", 200));
    a.start();
    b.start();
    // Bound by progress, not by time: on a loaded machine a stalled tick lets a slot pass unrun
    // (by design the next slot covers it), so the test waits for ten runs instead of counting slots.
    for (let waited = 0; (await probeRows(probeDb, "fast")).length < 10 && waited < 60_000; waited += 100)
      await sleep(100);
    await Promise.all([a.close(), b.close()]);
    const rows = await probeRows(probeDb, "fast");
    const slots = rows.map((r) => r.slot);
    expect(new Set(slots).size).toBe(slots.length); // never twice
    expect(slots.length).toBeGreaterThanOrEqual(10);
    const [row] = await rawRows<{ runs: number }>(probeDb, sql`select runs from scheduled_jobs where name = 'fast'`);
    expect(row!.runs).toBe(slots.length);
  });

  it("records a failure, frees the lease and runs the next slot", async () => {
    const a = runner(4);
    let calls = 0;
    a.register({
      name: "flaky",
      everyMs: 150,
      run: async () => {
        if (++calls === 1) throw new Error("boom");
      },
    });
    await a.tick();
    await a.idle();
    const [failed] = await rawRows<{ last_error: string | null; locked_by: string | null }>(
      probeDb,
      sql`select last_error, locked_by from scheduled_jobs where name = 'flaky'`,
    );
    expect(failed!.last_error).toBe("Error: boom");
    expect(failed!.locked_by).toBeNull();
    a.start();
    await waitFor(() => calls >= 2, 5000);
    await a.close();
    const [ok] = await rawRows<{ last_error: string | null }>(
      probeDb,
      sql`select last_error from scheduled_jobs where name = 'flaky'`,
    );
    expect(ok!.last_error).toBeNull();
  });

  it.skipIf(ENGINE !== "postgres")("a node that dies mid-run blocks the job only until its lease lapses", async () => {
    // Node A claims a slot and then loses its database (as if killed): its lease stops renewing.
    const dying = await openDatabase({ databaseUrl: tdb.url, dataDir: "", poolSize: 2 });
    let releaseA!: () => void;
    const a = new JobRunner({ db: dying.db, log: silent, tickMs: 20, nodeId: "dying" });
    a.register({
      name: "leased",
      everyMs: 100,
      leaseMs: 900,
      run: () =>
        new Promise<void>((r) => {
          releaseA = r;
        }),
    });
    expect(await a.tick()).toEqual(["leased"]);
    const claimedAt = Date.now();
    await dying.close();

    const b = runner(5);
    const runsB: number[] = [];
    b.register({
      name: "leased",
      everyMs: 100,
      leaseMs: 900,
      run: async () => {
        runsB.push(Date.now());
      },
    });
    b.start();
    await waitFor(() => runsB.length >= 1, 5000);
    // Slots came and went every 100 ms, but none ran while the dead node's lease was valid.
    expect(runsB[0]! - claimedAt).toBeGreaterThanOrEqual(800);
    await waitFor(() => runsB.length >= 3, 5000); // and then it runs every slot again
    releaseA();
    await a.close();
  });
});
