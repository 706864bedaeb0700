import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { createTestDatabase, ENGINE, type TestDatabase } from "../helpers/test-server.js";
import type { RunningServer } from "../../server/server.js";
import type { BodyOf, TestClient } from "../helpers/http.js";
import { Fixtures, signInAll } from "../helpers/fixtures.js";
import { receiveStock } from "../helpers/fleet.js";
import { addDays, localDay } from "../../shared/counting.js";
import { encounters, keyPointVisits, sorties, supplyLedger, vehicles } from "../../server/db/schema/index.js";
import { api } from "../../shared/api/index.js";

const TZ = "Asia/Shanghai";

/** A patrol log body with the lists a test reads and edits always present. */
type LogBody = BodyOf<typeof api.patrolLogs.create>;
type SortieLog = LogBody &
  Required<Pick<LogBody, "kind" | "footStaff" | "crewNames" | "load" | "returned" | "keyPoints" | "encounters">>;

/**
 * The patrol log (补录): one request records a whole sortie after the fact and gives the
 * same records and figures as the same sortie entered live.
 */
describe(`patrol log [${ENGINE}]`, () => {
  let tdb: TestDatabase;
  let srv: RunningServer;
  let admin: TestClient, supervisor: TestClient;
  let fx: Fixtures;
  let demo: Awaited<ReturnType<Fixtures["demo"]>>;
  let campaignId: string;
  const today = localDay(new Date(), TZ);
  // Four hours ago, so the whole sortie lies in the past and, most days, in one local day.
  const T = Date.now() - 4 * 3600_000;
  const at = (min: number) => new Date(T + min * 60_000).toISOString();

  beforeAll(async () => {
    tdb = await createTestDatabase();
    srv = await tdb.start({ JOBS_ENABLED: "false" });
    [admin, supervisor] = await signInAll(srv.url, ["admin", "supervisor"] as const);
    fx = new Fixtures(srv.database.db);
    demo = await fx.demo();
    const city = demo.regions.find((r) => r.level === "city")!;
    const c = await supervisor.call(api.campaigns.create, {
      body: {
        name: "补录测试",
        regionId: city.id,
        startsOn: addDays(today, -5),
        endsOn: addDays(today, 5),
        alertLevel: "yellow",
      },
    });
    expect(c.status).toBe(201);
    campaignId = c.body.id;
  }, 300_000);
  afterAll(async () => {
    await srv?.close();
    await tdb?.destroy();
  });

  const coat = () => demo.item("coat").id;
  const food = () => demo.item("food").id;

  /** A new vehicle of the station and its two first key points, with stock to load. */
  async function station(stationId: string) {
    const tag = randomUUID().slice(0, 6);
    const v = await admin.call(api.vehicles.create, {
      body: { callSign: `L-${tag}`, plate: `黑A-L${tag}`, seats: 5, stationId },
    });
    expect(v.status).toBe(201);
    await receiveStock(srv, stationId, coat(), 20);
    await receiveStock(srv, stationId, food(), 40);
    const [kp0, kp1] = demo.keyPoints(stationId);
    return { stationId, vehicleId: v.body.id, kp0: kp0!.id, kp1: kp1!.id };
  }

  /** The same sortie, as a log body with fresh ids. */
  function sortieLog(s: Awaited<ReturnType<typeof station>>): SortieLog {
    const v0 = randomUUID(),
      v1 = randomUUID();
    return {
      id: randomUUID(),
      vehicleId: s.vehicleId,
      kind: "planned",
      footStaff: [{ agency: "police", count: 2 }],
      crewCount: 3,
      crewNames: ["张伟", "李强", "王芳"],
      startedAt: at(0),
      endedAt: at(120),
      load: [
        { itemId: coat(), quantity: 5 },
        { itemId: food(), quantity: 10 },
      ],
      returned: [
        { itemId: coat(), quantity: 4 },
        { itemId: food(), quantity: 7 },
      ],
      keyPoints: [
        { id: v0, keyPointId: s.kp0, peopleFound: 2, notes: "", visitedAt: at(30) },
        { id: v1, keyPointId: s.kp1, peopleFound: 0, notes: "无人", visitedAt: at(90) },
      ],
      encounters: [
        {
          id: randomUUID(),
          keyPointVisitId: v0,
          found: true,
          outcome: "street_aid",
          lat: 45.77,
          lng: 126.61,
          occurredAt: at(35),
          supplies: [
            { itemId: coat(), quantity: 1 },
            { itemId: food(), quantity: 2 },
          ],
        },
        {
          id: randomUUID(),
          keyPointVisitId: v0,
          found: true,
          outcome: "refused",
          lat: 45.77,
          lng: 126.61,
          occurredAt: at(40),
          supplies: [{ itemId: food(), quantity: 1 }],
        },
        {
          id: randomUUID(),
          found: true,
          outcome: "brought_in",
          lat: 45.78,
          lng: 126.62,
          occurredAt: at(70),
          identity: { name: "赵六", approxAge: 60 },
        },
      ],
    };
  }

  /** Enters the log's sortie live, call by call, as the phone would. */
  async function enterLive(log: SortieLog) {
    const start = await admin.call(api.patrols.startSortie, {
      body: {
        id: log.id,
        vehicleId: log.vehicleId,
        kind: log.kind,
        footStaff: log.footStaff,
        crewCount: log.crewCount,
        crewNames: log.crewNames,
        load: log.load,
        startedAt: log.startedAt,
      },
    });
    expect(start.status).toBe(201);
    const steps = [
      ...log.keyPoints.map((k) => ({
        t: k.visitedAt,
        o: 0,
        send: () => admin.call(api.patrols.visitKeyPoint, { body: { ...k, sortieId: log.id } }),
      })),
      ...log.encounters.map((e) => ({
        t: e.occurredAt,
        o: 1,
        send: () => admin.call(api.encounters.create, { body: { ...e, sortieId: log.id } }),
      })),
    ].sort((a, b) => a.t.localeCompare(b.t) || a.o - b.o);
    for (const s of steps) expect((await s.send()).status).toBe(201);
    expect(
      (
        await admin.call(api.patrols.endSortie, {
          params: { id: log.id },
          body: { returned: log.returned, endedAt: log.endedAt },
        })
      ).status,
    ).toBe(200);
  }

  const figures = async (stationId: string) => {
    const r = await supervisor.call(api.totals.get, { params: { id: campaignId }, query: { stationId } });
    expect(r.status).toBe(200);
    return r.body.figures;
  };
  /** The station's ledger movements of a sortie's vehicle, per kind and item. */
  const ledger = async (vehicleId: string) => {
    const rows = await srv.database.db.select().from(supplyLedger).where(eq(supplyLedger.vehicleId, vehicleId));
    const out: Record<string, number> = {};
    for (const r of rows)
      out[`${r.kind}:${r.itemId}:${r.unitValueFen}`] =
        (out[`${r.kind}:${r.itemId}:${r.unitValueFen}`] ?? 0) + r.quantity;
    return out;
  };

  it("a logged sortie equals the same sortie entered live, figure by figure and in the ledger", async () => {
    const live = await station(demo.dl.id);
    const logged = await station(demo.ng.id);
    const beforeLive = await figures(live.stationId),
      beforeLog = await figures(logged.stationId);
    await enterLive(sortieLog(live));
    const r = await admin.call(api.patrolLogs.create, { body: sortieLog(logged) });
    expect(r.status).toBe(201);
    expect(r.body.sortie.endedAt).not.toBeNull();
    expect(r.body.keyPointVisits).toHaveLength(2);

    const afterLive = await figures(live.stationId),
      afterLog = await figures(logged.stationId);
    const delta = (a: any, b: any) =>
      Object.fromEntries(
        Object.keys(a)
          .filter((k) => typeof a[k] === "number")
          .map((k) => [k, a[k] - b[k]]),
      );
    const liveDelta = delta(afterLive, beforeLive);
    expect(liveDelta).toMatchObject({
      patrols: 1,
      sorties: 1,
      staffPersonTimes: 5,
      keyPointVisits: 2,
      foundPersonTimes: 3,
      aidedOnStreet: 2,
      aidedInStation: 1,
      suppliesQuantity: 4,
    });
    expect(delta(afterLog, beforeLog)).toEqual(liveDelta);
    expect(await ledger(logged.vehicleId)).toEqual(await ledger(live.vehicleId));
    const [v] = await srv.database.db.select().from(vehicles).where(eq(vehicles.id, logged.vehicleId));
    const [w] = await srv.database.db.select().from(vehicles).where(eq(vehicles.id, live.vehicleId));
    expect(v!.status).toBe(w!.status);
  });

  it("a log with one bad nested row writes nothing and names the path", async () => {
    const s = await station(demo.ng.id);
    const before = await figures(s.stationId);
    const log = sortieLog(s);
    log.encounters[1]!.supplies = [{ itemId: food(), quantity: 50 }];
    const r = await admin.call(api.patrolLogs.create, { body: log });
    expect(r.status).toBe(409);
    expect(r.error.code).toBe("INSUFFICIENT_STOCK");
    expect(r.error.message).toContain("body.encounters.1.supplies.0.quantity");
    expect(await srv.database.db.select().from(sorties).where(eq(sorties.id, log.id))).toHaveLength(0);
    expect(
      await srv.database.db.select().from(keyPointVisits).where(eq(keyPointVisits.id, log.keyPoints[0]!.id)),
    ).toHaveLength(0);
    expect(
      await srv.database.db.select().from(encounters).where(eq(encounters.id, log.encounters[0]!.id)),
    ).toHaveLength(0);
    expect(await ledger(s.vehicleId)).toEqual({});
    expect(await figures(s.stationId)).toEqual(before);

    const late = sortieLog(s);
    late.encounters[2]!.occurredAt = at(150);
    const bad = await admin.call(api.patrolLogs.create, { body: late });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.error)).toContain("body.encounters.2.occurredAt");
  });

  it("the same log twice changes nothing; other content under its id is 409 IDEMPOTENCY_MISMATCH", async () => {
    const s = await station(demo.ng.id);
    const log = sortieLog(s);
    const first = await admin.call(api.patrolLogs.create, { body: log });
    expect(first.status).toBe(201);
    const f = await figures(s.stationId);
    const l = await ledger(s.vehicleId);
    const again = await admin.call(api.patrolLogs.create, { body: log });
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    expect(await figures(s.stationId)).toEqual(f);
    expect(await ledger(s.vehicleId)).toEqual(l);
    const changed = structuredClone(log);
    changed.encounters[0]!.outcome = "hospital";
    const other = await admin.call(api.patrolLogs.create, { body: changed });
    expect(other.status).toBe(409);
    expect(other.error.code).toBe("IDEMPOTENCY_MISMATCH");
  });
});
