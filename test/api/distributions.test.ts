import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { createTestDatabase, ENGINE, type TestDatabase } from "../helpers/test-server.js";
import type { RunningServer } from "../../server/server.js";
import { signedIn, type BodyOf, type Reply, type TestClient } from "../helpers/http.js";
import { Fixtures, signInAll } from "../helpers/fixtures.js";
import { receiveStock } from "../helpers/fleet.js";
import { addDays, computeFigures, dayRange, localDay } from "../../shared/counting.js";
import { distributions, supplyLedger } from "../../server/db/schema/index.js";
import { api } from "../../shared/api/index.js";
import { parseCsv } from "../helpers/csv.js";

const TZ = "Asia/Shanghai";

/**
 * Distributions (发放): supplies handed out to a number of recipients without a record per
 * person. They count in supplies handed out and in their own recipients figure, never as people found.
 */
describe(`distributions [${ENGINE}]`, () => {
  let tdb: TestDatabase;
  let srv: RunningServer;
  let admin: TestClient, head: TestClient, supervisor: TestClient;
  let fx: Fixtures;
  let demo: Awaited<ReturnType<Fixtures["demo"]>>;
  let campaignId: string;
  const today = localDay(new Date(), TZ);

  beforeAll(async () => {
    tdb = await createTestDatabase();
    srv = await tdb.start({ JOBS_ENABLED: "false", DB_POOL_SIZE: "20" });
    [admin, head, supervisor] = await signInAll(srv.url, ["admin", "head", "supervisor"] as const);
    fx = new Fixtures(srv.database.db);
    demo = await fx.demo();
    const city = demo.regions.find((r) => r.level === "city")!;
    const c = await supervisor.call(api.campaigns.create, {
      body: {
        name: "发放测试",
        regionId: city.id,
        startsOn: addDays(today, -5),
        endsOn: addDays(today, 5),
        alertLevel: "yellow",
      },
    });
    expect(c.status).toBe(201);
    campaignId = c.body.id;
  });
  afterAll(async () => {
    await srv?.close();
    await tdb?.destroy();
  });

  const dl = () => demo.dl.id;
  const coat = () => demo.item("coat");
  const food = () => demo.item("food");
  const totals = async () => {
    const r = await head.call(api.totals.get, { params: { id: campaignId }, query: { stationId: dl() } });
    expect(r.status).toBe(200);
    return r.body;
  };

  /** A new vehicle of DL out on a sortie with `coats` coats on board. */
  async function vehicleWithCoats(coats: number): Promise<{ vehicleId: string; crew: TestClient }> {
    const tag = randomUUID().slice(0, 6);
    const v = await admin.call(api.vehicles.create, {
      body: { callSign: `DL-D${tag}`, plate: `黑A-D${tag}`, seats: 5, stationId: dl() },
    });
    expect(v.status).toBe(201);
    const crew = await signedIn(srv.url, "patrol1");
    await receiveStock(srv, dl(), coat().id, coats);
    const s = await crew.call(api.patrols.startSortie, {
      body: { id: randomUUID(), vehicleId: v.body.id, crewCount: 2, load: [{ itemId: coat().id, quantity: coats }] },
    });
    expect(s.status).toBe(201);
    return { vehicleId: v.body.id, crew };
  }
  const vehicleCoats = async (vehicleId: string) => {
    const rows = await srv.database.db.select().from(supplyLedger).where(eq(supplyLedger.vehicleId, vehicleId));
    return rows
      .filter((r) => r.itemId === coat().id)
      .reduce((n, r) => n + (r.kind === "loaded" ? r.quantity : -r.quantity), 0);
  };
  const expectRefused = (r: Reply<unknown>) => {
    expect(r.status).toBe(409);
    expect(r.error.code).toBe("INSUFFICIENT_STOCK");
  };

  it("counts in supplies handed out (件/份 and 元) and in distribution recipients, never in people found; SQL equals the pure rules", async () => {
    const before = (await totals()).figures;
    await receiveStock(srv, dl(), food().id, 100);
    const { vehicleId } = await vehicleWithCoats(20);
    const point = await head.call(api.distributions.create, {
      body: {
        id: randomUUID(),
        stationId: dl(),
        placeKind: "distribution_point",
        placeText: "火车站广场发放点",
        recipients: 40,
        supplies: [{ itemId: food().id, quantity: 60 }],
      },
    });
    expect(point.status).toBe(201);
    expect(point.body.vehicleId).toBeNull();
    const fromVehicle = await head.call(api.distributions.create, {
      body: {
        id: randomUUID(),
        stationId: dl(),
        placeKind: "vehicle",
        vehicleId,
        placeText: "桥洞",
        recipients: 12,
        supplies: [{ itemId: coat().id, quantity: 12 }],
        occurredAt: new Date(Date.now() - 60_000).toISOString(),
      },
    });
    expect(fromVehicle.status).toBe(201);
    // Without a count of recipients: supplies still count, recipients do not.
    const uncounted = await head.call(api.distributions.create, {
      body: {
        id: randomUUID(),
        stationId: dl(),
        placeKind: "distribution_point",
        placeText: "地下通道",
        supplies: [{ itemId: food().id, quantity: 5 }],
      },
    });
    expect(uncounted.status).toBe(201);
    expect(uncounted.body.recipients).toBeNull();

    const after = (await totals()).figures;
    const valueFen = 65 * food().unitValueFen + 12 * coat().unitValueFen;
    expect(after.suppliesQuantity - before.suppliesQuantity).toBe(77);
    expect(after.suppliesValueFen - before.suppliesValueFen).toBe(valueFen);
    expect(after.distributionRecipients - before.distributionRecipients).toBe(52);
    for (const k of ["foundPersonTimes", "foundPersons", "aidedOnStreet", "aidedTotal", "aidedInStation"] as const)
      expect(after[k]).toBe(before[k]);
    expect(await vehicleCoats(vehicleId)).toBe(8);

    // The recipients figure is in the official sentences (both languages) and in the totals export.
    for (const lang of ["zh-CN", "en"] as const) {
      const text = await head.call(api.reports.text, {
        query: { scope: "station", id: dl(), kind: "campaign", from: addDays(today, -1), to: today, lang },
      });
      expect(text.status, JSON.stringify(text.body)).toBe(200);
      const n = text.body.figures.distributionRecipients;
      expect(n).toBeGreaterThanOrEqual(52);
      expect(text.body.sentences.join(" ")).toContain(
        lang === "en" ? `${n} recipient person-times at bulk distributions` : `其中集中发放物资受助${n}人次`,
      );
    }
    const exported = await head.call(api.exports.totalsCsv, {
      query: { campaignId, stationId: dl(), lang: "zh-CN" },
    });
    expect(exported.status).toBe(200);
    const rows = parseCsv(String(exported.body));
    const col = rows[0]!.indexOf("集中发放受助人次");
    expect(col, rows[0]!.join(",")).toBeGreaterThan(0);
    expect(rows.slice(1).map((r) => Number(r[col]))).toContain(after.distributionRecipients);

    const listed = await head.call(api.distributions.list, { query: { stationId: dl() } });
    expect(listed.body.items.map((d: { id: string }) => d.id)).toEqual(
      expect.arrayContaining([point.body.id, fromVehicle.body.id]),
    );

    const whole = (await supervisor.call(api.totals.get, { params: { id: campaignId } })).body;
    const strip = (x: any) => ({
      ...x,
      supplies: x.supplies.map((s: any) => ({ itemId: s.itemId, quantity: s.quantity, valueFen: s.valueFen })),
    });
    expect(strip(whole.figures)).toEqual(
      computeFigures(await fx.countingInput(whole.stationIds), dayRange(whole.from, whole.to, TZ)),
    );
    for (const d of whole.daily)
      expect(strip(d.figures)).toEqual(
        computeFigures(await fx.countingInput(whole.stationIds), dayRange(d.day, d.day, TZ)),
      );
  });

  it("a distribution beyond the vehicle's load is 409 INSUFFICIENT_STOCK and writes nothing; beyond the store too", async () => {
    const { vehicleId } = await vehicleWithCoats(3);
    const id = randomUUID();
    const over = await head.call(api.distributions.create, {
      body: {
        id,
        stationId: dl(),
        placeKind: "vehicle",
        vehicleId,
        recipients: 4,
        supplies: [{ itemId: coat().id, quantity: 4 }],
      },
    });
    expectRefused(over);
    expect(over.error.message).toMatch(/body\.supplies\.0\.quantity/);
    expect(await srv.database.db.select().from(distributions).where(eq(distributions.id, id))).toHaveLength(0);
    expect(await vehicleCoats(vehicleId)).toBe(3);

    const storeId = randomUUID();
    const fromStore = await head.call(api.distributions.create, {
      body: {
        id: storeId,
        stationId: dl(),
        placeKind: "distribution_point",
        placeText: "广场",
        supplies: [
          { itemId: food().id, quantity: 1 },
          { itemId: coat().id, quantity: 1_000 },
        ],
      },
    });
    expectRefused(fromStore);
    expect(fromStore.error.message).toMatch(/body\.supplies\.1\.quantity/);
    expect(
      await srv.database.db.select().from(supplyLedger).where(eq(supplyLedger.distributionId, storeId)),
    ).toHaveLength(0);
  });

  it("repeats idempotently by id; other content under the same id is 409 IDEMPOTENCY_MISMATCH; a future time is refused", async () => {
    await receiveStock(srv, dl(), food().id, 10);
    const body: BodyOf<typeof api.distributions.create> = {
      id: randomUUID(),
      stationId: dl(),
      placeKind: "distribution_point",
      placeText: "广场",
      recipients: 3,
      supplies: [{ itemId: food().id, quantity: 3 }],
    };
    const first = await head.call(api.distributions.create, { body });
    expect(first.status).toBe(201);
    const q = (await totals()).figures;
    const again = await head.call(api.distributions.create, { body });
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    expect((await totals()).figures.suppliesQuantity).toBe(q.suppliesQuantity);
    const other = await head.call(api.distributions.create, {
      body: { ...body, supplies: [{ itemId: food().id, quantity: 4 }] },
    });
    expect(other.status).toBe(409);
    expect(other.error.code).toBe("IDEMPOTENCY_MISMATCH");
    const future = await head.call(api.distributions.create, {
      body: { ...body, id: randomUUID(), occurredAt: new Date(Date.now() + 3_600_000).toISOString() },
    });
    expect(future.status).toBe(400);
    expect(future.error.message).toMatch(/body\.occurredAt/);
  });

  it("concurrent distributions against one vehicle never take its load below zero", async () => {
    const { vehicleId } = await vehicleWithCoats(10);
    const results = await Promise.all(
      Array.from({ length: 30 }, () =>
        head.call(api.distributions.create, {
          body: {
            id: randomUUID(),
            stationId: dl(),
            placeKind: "vehicle",
            vehicleId,
            recipients: 1,
            supplies: [{ itemId: coat().id, quantity: 1 }],
          },
        }),
      ),
    );
    expect(results.filter((r) => r.status === 201)).toHaveLength(10);
    for (const r of results.filter((r) => r.status !== 201)) expectRefused(r);
    expect(await vehicleCoats(vehicleId)).toBe(0);
  });
});
