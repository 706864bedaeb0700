import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import postgres from "postgres";
import { createTestDatabase, ENGINE, type TestDatabase } from "../helpers/test-server.js";
import type { RunningServer } from "../../server/server.js";
import { signedIn, TestClient, type Reply } from "../helpers/http.js";
import { demoIds, openCase, receiveStock, type DemoIds } from "../helpers/fleet.js";
import { api } from "../../shared/api/index.js";

/**
 * Concurrent writes to one station's stock and one vehicle's load.
 * On PGlite everything is serialised by the single connection, so these mostly guard the rules;
 * on PostgreSQL they are the real concurrency tests (20 connections in the server's pool).
 */
describe(`locks and supply balances under concurrency [${ENGINE}]`, () => {
  let tdb: TestDatabase;
  let srv: RunningServer;
  let admin: TestClient, head: TestClient;
  let ids: DemoIds;
  /** Server log lines (stderr) written while a burst ran. */
  let logLines: string[] = [];
  const origWrite = process.stderr.write.bind(process.stderr);

  const start = () => tdb.start({ JOBS_ENABLED: "false", DB_POOL_SIZE: "20" });

  /** Captures what the server writes to stderr while `fn` runs (the test servers log errors only: a 500 is "unhandled error"). */
  async function capturingLog<T>(fn: () => Promise<T>): Promise<T> {
    logLines = [];
    process.stderr.write = ((chunk: string | Uint8Array, ...rest: never[]) => {
      logLines.push(typeof chunk === "string" ? chunk : Buffer.from(chunk).toString());
      return origWrite(chunk, ...rest);
    }) as typeof process.stderr.write;
    try {
      return await fn();
    } finally {
      process.stderr.write = origWrite;
    }
  }

  /** Deadlocks PostgreSQL has detected in the test database so far (stats reach the view when a backend goes idle or exits). */
  async function deadlocks(): Promise<number> {
    const sql = postgres(tdb.url!, { max: 1, onnotice: () => {} });
    try {
      const [row] = await sql<
        { n: string }[]
      >`select deadlocks::text as n from pg_stat_database where datname = current_database()`;
      return Number(row!.n);
    } finally {
      await sql.end();
    }
  }

  /** Restarts the server, so its pool's backends exit and flush their statistics (deadlock count included). */
  async function restart(): Promise<void> {
    await srv.close();
    srv = await start();
    admin = await signedIn(srv.url, "admin");
    head = await signedIn(srv.url, "head");
  }

  beforeAll(async () => {
    tdb = await createTestDatabase();
    srv = await start();
    [admin, head] = await Promise.all([signedIn(srv.url, "admin"), signedIn(srv.url, "head")]);
    ids = await demoIds(srv);
  });
  afterAll(async () => {
    process.stderr.write = origWrite;
    await srv?.close();
    await tdb?.destroy();
  });

  const stockLine = async (itemId: string) =>
    (
      (await head.call(api.supplies.stock, { query: { stationId: ids.dl } })).body.items as {
        itemId: string;
        station: number;
        vehicles: { vehicleId: string; quantity: number }[];
      }[]
    ).find((l) => l.itemId === itemId)!;

  it("20 crews start sorties with loads at one station at once: all succeed, no deadlock, no 500", async () => {
    const n = 20;
    const tag = randomUUID().slice(0, 6);
    const crews: { client: TestClient; vehicleId: string }[] = [];
    for (let i = 0; i < n; i++) {
      const v = await admin.call(api.vehicles.create, {
        body: { callSign: `DL-L${tag}-${i}`, plate: `黑A-L${i}`, seats: 5, stationId: ids.dl },
      });
      expect(v.status).toBe(201);
      const u = await admin.call(api.users.create, {
        body: {
          username: `crew${tag}${i}`,
          displayName: `巡查 ${i}`,
          role: "patrol",
          stationId: ids.dl,
          password: "crew-pass-1",
        },
      });
      expect(u.status).toBe(201);
      crews.push({
        client: await new TestClient(srv.url).login(`crew${tag}${i}`, "crew-pass-1"),
        vehicleId: v.body.id,
      });
    }
    const coat = ids.items.coat!.id,
      food = ids.items.food!.id;
    await receiveStock(srv, ids.dl, coat, 2 * n);
    await receiveStock(srv, ids.dl, food, 3 * n);
    const before = ENGINE === "postgres" ? await deadlocks() : 0;

    const results = await capturingLog(() =>
      Promise.all(
        crews.map((c) =>
          c.client.call(api.patrols.startSortie, {
            body: {
              id: randomUUID(),
              vehicleId: c.vehicleId,
              kind: "planned",
              crewCount: 2,
              load: [
                { itemId: coat, quantity: 2 },
                { itemId: food, quantity: 3 },
              ],
            },
          }),
        ),
      ),
    );

    expect(results.map((r) => r.status)).toEqual(Array(n).fill(201));
    expect(logLines.join("")).not.toMatch(/unhandled error|deadlock|40P01|40001|retry/i);
    // Every sortie joined or opened a patrol, and the whole stock is now on the vehicles.
    const coats = await stockLine(coat);
    expect(coats.station).toBe(0);
    expect(coats.vehicles.filter((v) => crews.some((c) => c.vehicleId === v.vehicleId)).map((v) => v.quantity)).toEqual(
      Array(n).fill(2),
    );
    if (ENGINE === "postgres") {
      await restart();
      let after = await deadlocks();
      for (let i = 0; i < 20 && after === before; i++) {
        await new Promise((r) => setTimeout(r, 100));
        after = await deadlocks();
      }
      expect(after - before).toBe(0);
    }
  });

  it("crews record hand-outs on their tasks while the same tasks step on scene: all succeed, no deadlock", async () => {
    // An encounter locks its vehicle and then inserts rows referencing the task and the case; a
    // task step locks the task and the case and then updates the vehicle. With FOR UPDATE on the
    // task and case, the two could wait for each other.
    const n = 12;
    const op = await signedIn(srv.url, "operator");
    const pairs: { crew: TestClient; sortieId: string; caseId: string; task: { id: string; version: number } }[] = [];
    for (let i = 0; i < n; i++) {
      const { vehicleId, sortieId, crew } = await vehicleWithCoats(3);
      const caseId = await openCase(srv, ids.dl, 45.77, 126.61);
      const v = (await admin.call(api.vehicles.get, { params: { id: vehicleId } })).body as { version: number };
      const t = await op.call(api.dispatch.assign, {
        body: { id: randomUUID(), caseId, vehicleId, vehicleVersion: v.version },
      });
      expect(t.status).toBe(201);
      pairs.push({ crew, sortieId, caseId, task: t.body });
    }
    const before = ENGINE === "postgres" ? await deadlocks() : 0;
    const results = await capturingLog(() =>
      Promise.all(
        pairs.flatMap((p) => [
          p.crew.call(api.encounters.create, {
            body: {
              id: randomUUID(),
              caseId: p.caseId,
              assignmentId: p.task.id,
              sortieId: p.sortieId,
              found: true,
              outcome: "street_aid",
              supplies: [{ itemId: ids.items.coat!.id, quantity: 1 }],
            },
          }),
          p.crew.call(api.dispatch.setStatus, {
            params: { id: p.task.id },
            body: { status: "on_scene", version: p.task.version },
          }),
        ]),
      ),
    );
    expect(results.map((r) => r.status)).toEqual(pairs.flatMap(() => [201, 200]));
    expect(logLines.join("")).not.toMatch(/unhandled error/);
    if (ENGINE === "postgres") {
      await restart();
      let after = await deadlocks();
      for (let i = 0; i < 20 && after === before; i++) {
        await new Promise((r) => setTimeout(r, 100));
        after = await deadlocks();
      }
      expect(after - before).toBe(0);
    }
  });

  /** A vehicle of DL out on a sortie with `coats` coats on board; returns its ids and a crew client. */
  async function vehicleWithCoats(coats: number): Promise<{ vehicleId: string; sortieId: string; crew: TestClient }> {
    const tag = randomUUID().slice(0, 6);
    const v = await admin.call(api.vehicles.create, {
      body: { callSign: `DL-H${tag}`, plate: `黑A-H${tag}`, seats: 5, stationId: ids.dl },
    });
    expect(v.status).toBe(201);
    const crew = await signedIn(srv.url, "patrol1");
    await receiveStock(srv, ids.dl, ids.items.coat!.id, coats);
    const sortieId = randomUUID();
    const s = await crew.call(api.patrols.startSortie, {
      body: {
        id: sortieId,
        vehicleId: v.body.id,
        crewCount: 2,
        load: [{ itemId: ids.items.coat!.id, quantity: coats }],
      },
    });
    expect(s.status).toBe(201);
    return { vehicleId: v.body.id, sortieId, crew };
  }

  const handOut = (crew: TestClient, sortieId: string, quantity = 1) =>
    crew.call(api.encounters.create, {
      body: {
        id: randomUUID(),
        sortieId,
        lat: 45.77,
        lng: 126.61,
        found: true,
        outcome: "street_aid",
        supplies: [{ itemId: ids.items.coat!.id, quantity }],
      },
    });
  const writeOff = (vehicleId: string, quantity = 1) =>
    head.call(api.supplies.writeOff, {
      body: {
        id: randomUUID(),
        stationId: ids.dl,
        vehicleId,
        itemId: ids.items.coat!.id,
        quantity,
        notes: "湿透",
      },
    });
  const load = async (crew: TestClient, vehicleId: string) =>
    (
      (await crew.call(api.vehicles.load, { params: { id: vehicleId } })).body.items as {
        itemId: string;
        quantity: number;
      }[]
    ).find((l) => l.itemId === ids.items.coat!.id)?.quantity ?? 0;
  /** The vehicle's coats summed straight from the ledger (loaded − handed out − returned − written off). */
  const ledgerLoad = async (vehicleId: string) => {
    const rows = await srv.database.db.query.supplyLedger.findMany({
      where: (l, { and, eq }) => and(eq(l.vehicleId, vehicleId), eq(l.itemId, ids.items.coat!.id)),
    });
    return rows.reduce((n, r) => n + (r.kind === "loaded" ? r.quantity : -r.quantity), 0);
  };
  const expectRefused = (r: Reply<unknown>) => {
    expect(r.status).toBe(409);
    expect(r.error.code).toBe("INSUFFICIENT_STOCK");
    expect(r.error.message).toMatch(/quantity/);
  };

  it("a write-off from a vehicle reduces its load: hand-outs beyond what is left are refused", async () => {
    const { vehicleId, sortieId, crew } = await vehicleWithCoats(10);
    expect((await writeOff(vehicleId, 8)).status).toBe(201);
    expect(await load(crew, vehicleId)).toBe(2);
    const results = await Promise.all(Array.from({ length: 5 }, () => handOut(crew, sortieId)));
    expect(results.filter((r) => r.status === 201)).toHaveLength(2);
    for (const r of results.filter((r) => r.status !== 201)) {
      expectRefused(r);
      expect(r.error.message).toMatch(/body\.supplies\.0\.quantity/);
    }
    expect(await load(crew, vehicleId)).toBe(0);
    expect(await ledgerLoad(vehicleId)).toBe(0);
    // Ending the sortie cannot return what was written off.
    expectRefused(
      await crew.call(api.patrols.endSortie, {
        params: { id: sortieId },
        body: { returned: [{ itemId: ids.items.coat!.id, quantity: 1 }] },
      }),
    );
  });

  it("30 hand-outs and 10 write-offs of one coat against a load of 10 at once: exactly 10 accepted, never below zero", async () => {
    const { vehicleId, sortieId, crew } = await vehicleWithCoats(10);
    const stationBefore = (await stockLine(ids.items.coat!.id)).station;
    const calls: Promise<Reply<unknown>>[] = [];
    for (let i = 0; i < 40; i++) calls.push(i % 4 === 3 ? writeOff(vehicleId) : handOut(crew, sortieId));
    const results = await capturingLog(() => Promise.all(calls));

    const accepted = results.filter((r) => r.status === 201);
    expect(accepted).toHaveLength(10);
    for (const r of results.filter((r) => r.status !== 201)) expectRefused(r);
    expect(logLines.join("")).not.toMatch(/unhandled error/);
    expect(await load(crew, vehicleId)).toBe(0);
    expect(await ledgerLoad(vehicleId)).toBe(0);
    const line = await stockLine(ids.items.coat!.id);
    expect(line.vehicles.find((v) => v.vehicleId === vehicleId)?.quantity ?? 0).toBe(0);
    expect(line.vehicles.every((v) => v.quantity >= 0)).toBe(true);
    expect(line.station).toBe(stationBefore);
  });

  it("a sortie ending with a return while hand-outs from its vehicle go on: never more out than was loaded", async () => {
    const { vehicleId, sortieId, crew } = await vehicleWithCoats(10);
    const calls: Promise<Reply<unknown>>[] = Array.from({ length: 8 }, () => handOut(crew, sortieId));
    calls.splice(
      4,
      0,
      crew.call(api.patrols.endSortie, {
        params: { id: sortieId },
        body: { returned: [{ itemId: ids.items.coat!.id, quantity: 5 }] },
      }),
    );
    const results = await capturingLog(() => Promise.all(calls));
    expect(logLines.join("")).not.toMatch(/unhandled error/);
    const end = results[4]!;
    const handed = results.filter((r, i) => i !== 4 && r.status === 201).length;
    for (const r of results.filter((r, i) => i !== 4 && r.status !== 201)) expectRefused(r);
    if (end.status !== 200) expectRefused(end);
    const returned = end.status === 200 ? 5 : 0;
    expect(handed + returned).toBeLessThanOrEqual(10);
    expect(await load(crew, vehicleId)).toBe(10 - handed - returned);
    expect(await ledgerLoad(vehicleId)).toBe(10 - handed - returned);
  });

  it("write-offs from the store and sortie loads at once never take the station's stock below zero", async () => {
    const coat = ids.items.coat!.id;
    const have = (await stockLine(coat)).station;
    await receiveStock(srv, ids.dl, coat, 10 - have);
    const tag = randomUUID().slice(0, 6);
    const vehicles: string[] = [];
    for (let i = 0; i < 6; i++)
      vehicles.push(
        (
          await admin.call(api.vehicles.create, {
            body: { callSign: `DL-S${tag}-${i}`, plate: `黑A-S${i}`, seats: 5, stationId: ids.dl },
          })
        ).body.id,
      );
    const crew = await signedIn(srv.url, "patrol1");
    const calls: Promise<Reply<unknown>>[] = [
      ...vehicles.map((vehicleId) =>
        crew.call(api.patrols.startSortie, {
          body: { id: randomUUID(), vehicleId, crewCount: 2, load: [{ itemId: coat, quantity: 2 }] },
        }),
      ),
      ...Array.from({ length: 6 }, () =>
        head.call(api.supplies.writeOff, {
          body: { id: randomUUID(), stationId: ids.dl, itemId: coat, quantity: 1, notes: "" },
        }),
      ),
    ];
    const results = await Promise.all(calls);
    for (const r of results.filter((r) => r.status !== 201)) expectRefused(r);
    const taken =
      results.slice(0, 6).filter((r) => r.status === 201).length * 2 +
      results.slice(6).filter((r) => r.status === 201).length;
    expect(taken).toBeLessThanOrEqual(10);
    expect(taken).toBeGreaterThanOrEqual(9);
    expect((await stockLine(coat)).station).toBe(10 - taken);
  });

  it.runIf(ENGINE === "postgres")(
    "PostgreSQL detected no deadlock in this file's database during any of the above",
    async () => {
      await restart();
      let n = await deadlocks();
      for (let i = 0; i < 10 && n === 0; i++) {
        await new Promise((r) => setTimeout(r, 100));
        n = await deadlocks();
      }
      expect(n).toBe(0);
    },
  );
});
