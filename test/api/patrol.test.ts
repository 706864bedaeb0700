import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, ENGINE, type TestDatabase } from "../helpers/test-server.js";
import type { RunningServer } from "../../server/server.js";
import { signedIn, type TestClient, type BodyOf } from "../helpers/http.js";
import { EventRecorder, waitFor } from "../helpers/socket.js";
import { rowCount } from "../helpers/db.js";
import { demoIds, openCase, receiveStock, type DemoIds } from "../helpers/fleet.js";
import { api } from "../../shared/api/index.js";

interface V {
  id: string;
  callSign: string;
  status: string;
  version: number;
  stationId: string;
}

describe(`patrol phone [${ENGINE}]`, () => {
  let tdb: TestDatabase;
  let srv: RunningServer;
  let op: TestClient, p1: TestClient, p2: TestClient, head: TestClient, sup: TestClient, admin: TestClient;
  let ids: DemoIds;
  let dl03: V, dl01: V;
  let sortieId: string;
  const vehicle = async (callSign: string): Promise<V> =>
    ((await admin.call(api.vehicles.list)).body.items as V[]).find((v) => v.callSign === callSign)!;
  const load = async (vehicleId: string) =>
    Object.fromEntries(
      (
        (await p1.call(api.vehicles.load, { params: { id: vehicleId } })).body.items as {
          code: string;
          quantity: number;
        }[]
      ).map((i) => [i.code, i.quantity]),
    );
  const counts = async () =>
    Promise.all(
      ["encounters", "supply_ledger", "people", "events", "cases"].map((t) =>
        rowCount(
          srv,
          (
            {
              encounters: "encounters",
              supply_ledger: "supplyLedger",
              people: "people",
              events: "events",
              cases: "cases",
            } as const
          )[t as "cases"],
        ),
      ),
    );

  beforeAll(async () => {
    tdb = await createTestDatabase();
    srv = await tdb.start({ JOBS_ENABLED: "false", POSITION_BROADCAST_SECONDS: "5" });
    [op, p1, p2, head, sup, admin] = (await Promise.all(
      ["operator", "patrol1", "patrol2", "head", "supervisor", "admin"].map((u) => signedIn(srv.url, u)),
    )) as TestClient[] as [TestClient, TestClient, TestClient, TestClient, TestClient, TestClient];
    ids = await demoIds(srv);
    await receiveStock(srv, ids.dl, ids.items.coat!.id, 20);
    await receiveStock(srv, ids.dl, ids.items.food!.id, 50);
    dl03 = await vehicle("DL-03");
    dl01 = await vehicle("DL-01");
  });
  afterAll(async () => {
    await srv?.close();
    await tdb?.destroy();
  });

  it("refuses to load more than the station has, writing nothing", async () => {
    const before = await counts();
    const r = await p1.call(api.patrols.startSortie, {
      body: {
        id: randomUUID(),
        vehicleId: dl03.id,
        crewCount: 3,
        load: [{ itemId: ids.items.coat!.id, quantity: 21 }],
      },
    });
    expect(r.status).toBe(409);
    expect(r.error.code).toBe("INSUFFICIENT_STOCK");
    expect(r.error.message).toMatch(/body\.load\.0\.quantity/);
    expect(await counts()).toEqual(before);
    expect((await vehicle("DL-03")).status).toBe("off_duty");
  });

  it("starts a sortie: new patrol, off-duty vehicle on duty, supplies loaded from station stock", async () => {
    sortieId = randomUUID();
    const start: BodyOf<typeof api.patrols.startSortie> = {
      id: sortieId,
      vehicleId: dl03.id,
      kind: "planned",
      crewCount: 3,
      crewNames: ["李强", "张伟", "王磊"],
      footStaff: [{ agency: "police", count: 2 }],
      load: [
        { itemId: ids.items.coat!.id, quantity: 10 },
        { itemId: ids.items.food!.id, quantity: 20 },
      ],
    };
    const r = await p1.call(api.patrols.startSortie, { body: start });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({
      id: sortieId,
      vehicleId: dl03.id,
      crewCount: 3,
      endedAt: null,
      patrol: { kind: "planned", sortieCount: 1, callSigns: ["DL-03"] },
    });
    expect(await load(dl03.id)).toEqual({ coat: 10, food: 20 });
    const v = await vehicle("DL-03");
    expect(v.status).toBe("available");
    expect((v as unknown as { currentSortie: { id: string } }).currentSortie.id).toBe(sortieId);
    // The outbox resends the same body: the first result, nothing loaded twice.
    const again = await p1.call(api.patrols.startSortie, { body: start });
    expect(again.status).toBe(201);
    // Other content under the same id (here: no crew names) is refused rather than silently dropped.
    const other = await p1.call(api.patrols.startSortie, {
      body: { id: sortieId, vehicleId: dl03.id, crewCount: 3, load: [{ itemId: ids.items.coat!.id, quantity: 10 }] },
    });
    expect(other.status).toBe(409);
    expect(other.error.code).toBe("IDEMPOTENCY_MISMATCH");
    expect(await load(dl03.id)).toEqual({ coat: 10, food: 20 });
    const twice = await p1.call(api.patrols.startSortie, {
      body: { id: randomUUID(), vehicleId: dl03.id, crewCount: 2 },
    });
    expect(twice.status).toBe(409);
  });

  it("joins a second vehicle to the patrol (joint patrol: one patrol, two sorties)", async () => {
    const patrolId = (await p1.call(api.patrols.openPatrols)).body.items[0]!.id;
    const r = await p1.call(api.patrols.startSortie, {
      body: { id: randomUUID(), vehicleId: dl01.id, patrolId, crewCount: 2 },
    });
    expect(r.status).toBe(201);
    expect(r.body.patrol).toMatchObject({ id: patrolId, sortieCount: 2, callSigns: ["DL-03", "DL-01"] });
    expect(
      (await p2.call(api.patrols.openPatrols)).body.items.find((p: { id: string }) => p.id === patrolId),
    ).toBeUndefined();
  });

  it("refuses a crew acting on another station's vehicle or sortie (403), writing nothing", async () => {
    const before = await counts();
    const ng = await p2.call(api.patrols.startSortie, { body: { id: randomUUID(), vehicleId: dl01.id, crewCount: 2 } });
    expect(ng.status).toBe(403);
    const enc = await p2.call(api.encounters.create, {
      body: {
        id: randomUUID(),
        sortieId,
        lat: 45.77,
        lng: 126.61,
        found: true,
        outcome: "street_aid",
        supplies: [{ itemId: ids.items.coat!.id, quantity: 1 }],
      },
    });
    expect(enc.status).toBe(403);
    const pos = await p2.call(api.patrols.positions, {
      body: { points: [{ vehicleId: dl03.id, lat: 45.77, lng: 126.61, recordedAt: new Date().toISOString() }] },
    });
    expect(pos.status).toBe(403);
    expect((await p2.call(api.patrols.endSortie, { params: { id: sortieId }, body: {} })).status).toBe(403);
    expect(await counts()).toEqual(before);
  });

  it("hands out supplies from the vehicle's load and refuses to go below zero (409, nothing written)", async () => {
    const caseId = await openCase(srv, ids.dl, 45.763, 126.608);
    const ok = await p1.call(api.encounters.create, {
      body: {
        id: randomUUID(),
        caseId,
        sortieId,
        found: true,
        outcome: "street_aid",
        flags: ["elderly"],
        supplies: [
          { itemId: ids.items.coat!.id, quantity: 2 },
          { itemId: ids.items.food!.id, quantity: 3 },
        ],
        notes: "拒绝进站",
      },
    });
    expect(ok.status).toBe(201);
    expect(ok.body.supplies).toEqual(
      expect.arrayContaining([{ itemId: ids.items.coat!.id, quantity: 2, unitValueFen: 15000 }]),
    );
    expect(await load(dl03.id)).toEqual({ coat: 8, food: 17 });
    const before = await counts();
    const over = await p1.call(api.encounters.create, {
      body: {
        id: randomUUID(),
        caseId,
        sortieId,
        found: true,
        outcome: "street_aid",
        identity: { name: "张三" },
        supplies: [
          { itemId: ids.items.food!.id, quantity: 1 },
          { itemId: ids.items.coat!.id, quantity: 9 },
        ],
      },
    });
    expect(over.status).toBe(409);
    expect(over.error.code).toBe("INSUFFICIENT_STOCK");
    expect(over.error.message).toMatch(/body\.supplies\.1\.quantity: 9 coat wanted but vehicle DL-03 has 8/);
    expect(await counts()).toEqual(before);
    expect(await load(dl03.id)).toEqual({ coat: 8, food: 17 });
  });

  it("serialises concurrent hand-outs from one vehicle so the load cannot be overdrawn", async () => {
    const caseId = await openCase(srv, ids.dl, 45.763, 126.608);
    const crews = await Promise.all(Array.from({ length: 5 }, () => signedIn(srv.url, "patrol1")));
    const results = await Promise.all(
      crews.map((c) =>
        c.call(api.encounters.create, {
          body: {
            id: randomUUID(),
            caseId,
            sortieId,
            found: true,
            outcome: "street_aid",
            supplies: [{ itemId: ids.items.coat!.id, quantity: 3 }],
          },
        }),
      ),
    );
    expect(results.filter((r) => r.status === 201)).toHaveLength(2);
    expect(results.filter((r) => r.status === 409).every((r) => r.error.code === "INSUFFICIENT_STOCK")).toBe(true);
    expect(await load(dl03.id)).toMatchObject({ coat: 2 });
  });

  it("shows identity to crews and heads only, over HTTP and in events, and links the same ID number", async () => {
    const recs = [op, sup, head, p1].map((c) => new EventRecorder(srv.url, c.cookie));
    await Promise.all(recs.map((r) => r.ready()));
    const identity = {
      name: "张三",
      gender: "male",
      approxAge: 60,
      idNumber: "23010019650101123x",
      hometown: "绥化",
    } satisfies BodyOf<typeof api.encounters.create>["identity"];
    const a = await p1.call(api.encounters.create, {
      body: {
        id: randomUUID(),
        sortieId,
        found: true,
        outcome: "brought_in",
        identity,
        lat: 45.77,
        lng: 126.61,
        placeText: "中央大街",
      },
    });
    expect(a.status).toBe(201);
    expect(a.body.identity).toMatchObject({ name: "张三", idNumber: "23010019650101123X" });
    const b = await p1.call(api.encounters.create, {
      body: {
        id: randomUUID(),
        sortieId,
        found: true,
        outcome: "street_aid",
        identity: { idNumber: "23010019650101123X" },
        caseId: a.body.caseId!,
      },
    });
    expect(b.body.personId).toBe(a.body.personId);
    await waitFor(() => recs.every((r) => r.ofType("encounter.recorded").length === 2));
    const [opE, supE, headE, p1E] = recs.map((r) => r.ofType("encounter.recorded")[0]!.payload);
    for (const e of [opE, supE]) {
      expect(e).not.toHaveProperty("identity");
      expect(e).not.toHaveProperty("personId");
      expect(e).toHaveProperty("outcome", "brought_in");
    }
    expect(JSON.stringify([opE, supE])).not.toContain("张三");
    expect(headE!.identity).toMatchObject({ name: "张三" });
    expect(p1E!.identity).toMatchObject({ name: "张三" });
    const opList = (await op.call(api.encounters.list, { query: { caseId: a.body.caseId! } })).body.items;
    expect(opList).toHaveLength(2);
    expect(JSON.stringify(opList)).not.toContain("张三");
    expect(
      JSON.stringify((await head.call(api.encounters.list, { query: { caseId: a.body.caseId! } })).body.items),
    ).toContain("张三");
    recs.forEach((r) => r.close());
  });

  it("creates the case with the encounter for 'found someone here', in one step", async () => {
    const before = await rowCount(srv, "cases");
    const r = await p1.call(api.encounters.create, {
      body: {
        id: randomUUID(),
        sortieId,
        found: true,
        outcome: "hospital",
        flags: ["not_moving"],
        lat: 45.7745,
        lng: 126.617,
        placeText: "地下通道",
      },
    });
    expect(r.status).toBe(201);
    expect(await rowCount(srv, "cases")).toBe(before + 1);
    const kase = await head.call(api.cases.get, { params: { id: r.body.caseId! } });
    expect(kase.status).toBe(200);
    expect(kase.body).toMatchObject({ source: "patrol_found" });
    expect(r.body.caseId).toBeTruthy();
    const bad = await p1.call(api.encounters.create, {
      body: { id: randomUUID(), sortieId, found: true, outcome: "hospital" },
    });
    expect(bad.status).toBe(400);
    expect(bad.error.message).toMatch(/body\.lat/);
    const inconsistent = await p1.call(api.encounters.create, {
      body: { id: randomUUID(), caseId: r.body.caseId!, found: false, outcome: "street_aid" },
    });
    expect(inconsistent.status).toBe(400);
    expect(inconsistent.error.message).toMatch(/body\.outcome/);
  });

  it("stores the whole track but broadcasts at most one position per vehicle per interval", async () => {
    const rec = new EventRecorder(srv.url, op.cookie);
    await rec.ready();
    const t0 = Date.now() - 10_000;
    const fix = (i: number) => ({
      vehicleId: dl03.id,
      lat: 45.77 + i / 1000,
      lng: 126.61,
      accuracy: 8,
      recordedAt: new Date(t0 + i * 1000).toISOString(),
    });
    const first = await p1.call(api.patrols.positions, { body: { points: [fix(0), fix(1), fix(2)] } });
    expect(first.body).toEqual({ stored: 3, broadcast: 1 });
    const second = await p1.call(api.patrols.positions, { body: { points: [fix(3), fix(4)] } });
    expect(second.body).toEqual({ stored: 2, broadcast: 0 });
    const resent = await p1.call(api.patrols.positions, { body: { points: [fix(3), fix(4)] } });
    expect(resent.body).toEqual({ stored: 0, broadcast: 0 });
    const v = (await op.call(api.vehicles.get, { params: { id: dl03.id } })).body;
    expect(v.lastLat).toBeCloseTo(45.774, 6);
    await waitFor(() => rec.ofType("vehicle.position").length === 1);
    await new Promise((r) => setTimeout(r, 200));
    expect(rec.ofType("vehicle.position")).toHaveLength(1);
    const pushed = rec.ofType("vehicle.position")[0]!.payload;
    expect(pushed).toMatchObject({ vehicleId: dl03.id, callSign: "DL-03" });
    expect(pushed.lat).toBeCloseTo(45.772, 6); // the newest fix of the batch
    rec.close();
  });

  it("stores a long offline track once and in order, however often and however concurrently it is resent", async () => {
    const rec = new EventRecorder(srv.url, op.cookie);
    await rec.ready();
    const before = await rowCount(srv, "positions");
    // Two minutes offline at one fix every 5 s, ending just now, for two vehicles (DL-01 on its sortie, DL-02 not out).
    const dl02 = await vehicle("DL-02");
    const t0 = Date.now() - 23 * 5000 - 200;
    const track = (v: V, dLat: number) =>
      Array.from({ length: 24 }, (_, i) => ({
        vehicleId: v.id,
        lat: 45.75 + dLat + i / 10_000,
        lng: 126.6 + i / 10_000,
        accuracy: 12,
        recordedAt: new Date(t0 + i * 5000).toISOString(),
      }));
    const a = track(dl01, 0);
    const b = track(dl02, 0.01);
    const batch = [...a, ...b].sort(() => Math.random() - 0.5); // any order in a batch
    // The phone's first send gets lost on the way back and it resends, three times at once: one group.
    const sends = await Promise.all([
      p1.call(api.patrols.positions, { body: { points: batch } }),
      p1.call(api.patrols.positions, { body: { points: batch } }),
      p1.call(api.patrols.positions, { body: { points: batch } }),
    ]);
    expect(sends.map((s) => s.status)).toEqual([200, 200, 200]);
    expect(
      sends.reduce((n, s) => n + s.body.stored, 0),
      "each fix stored once across the resends",
    ).toBe(48);
    expect(
      sends.reduce((n, s) => n + s.body.broadcast, 0),
      "one broadcast per vehicle",
    ).toBe(2);
    const again = await p1.call(api.patrols.positions, { body: { points: batch } });
    expect(again.body).toEqual({ stored: 0, broadcast: 0 });
    expect(await rowCount(srv, "positions")).toBe(before + 48);

    // The stored track is the phone's, fix by fix, in time order, each fix tagged with the sortie
    // it was recorded on (none before the sortie started).
    const { positions } = await import("../../server/db/schema/index.js");
    const { eq, asc } = await import("drizzle-orm");
    const stored = await srv.database.db
      .select()
      .from(positions)
      .where(eq(positions.vehicleId, dl01.id))
      .orderBy(asc(positions.recordedAt));
    const mine = stored.filter((r) => r.recordedAt.getTime() >= t0);
    expect(mine.map((r) => [r.lat, r.recordedAt.toISOString()])).toEqual(a.map((f) => [f.lat, f.recordedAt]));
    const dl01Sortie = (await p1.call(api.patrols.sorties, { query: { vehicleId: dl01.id, open: "true" } })).body
      .items[0];
    const startedAt = new Date(dl01Sortie!.startedAt).getTime();
    expect(mine.map((r) => r.sortieId)).toEqual(
      mine.map((r) => (r.recordedAt.getTime() >= startedAt ? dl01Sortie!.id : null)),
    );
    expect(mine.some((r) => r.sortieId === dl01Sortie!.id)).toBe(true);
    // The marker is at the newest fix and the duty room got exactly one push per vehicle.
    expect((await op.call(api.vehicles.get, { params: { id: dl01.id } })).body.lastLat).toBeCloseTo(a.at(-1)!.lat, 9);
    await waitFor(() => rec.ofType("vehicle.position").length >= 2);
    await new Promise((r) => setTimeout(r, 200));
    const pushed = rec.ofType("vehicle.position").map((e) => e.payload as { vehicleId: string; recordedAt: string });
    expect(pushed.map((p) => p.vehicleId).sort()).toEqual([dl01.id, dl02.id].sort());
    expect(pushed.find((p) => p.vehicleId === dl01.id)!.recordedAt).toBe(a.at(-1)!.recordedAt);
    // An older fix arriving late is stored but does not move the marker back.
    const late = await p1.call(api.patrols.positions, {
      body: { points: [{ vehicleId: dl01.id, lat: 45.7, lng: 126.5, recordedAt: new Date(t0 - 5000).toISOString() }] },
    });
    expect(late.body).toEqual({ stored: 1, broadcast: 0 });
    expect((await op.call(api.vehicles.get, { params: { id: dl01.id } })).body.lastLat).toBeCloseTo(a.at(-1)!.lat, 9);
    rec.close();
  });

  it("refuses another station's vehicle in a group without failing the others, and names the bad field", async () => {
    const before = await rowCount(srv, "positions");
    const at = new Date(Date.now() - 1000).toISOString();
    const [theirs, mine] = await Promise.all([
      p2.call(api.patrols.positions, {
        body: { points: [{ vehicleId: dl03.id, lat: 45.77, lng: 126.61, recordedAt: at }] },
      }),
      p1.call(api.patrols.positions, {
        body: { points: [{ vehicleId: dl01.id, lat: 45.771, lng: 126.611, recordedAt: at }] },
      }),
    ]);
    expect(theirs.status).toBe(403);
    expect(theirs.error.code).toBe("FORBIDDEN");
    expect(mine.status).toBe(200);
    expect(mine.body.stored).toBe(1);
    expect(await rowCount(srv, "positions")).toBe(before + 1);
    const unknown = await p1.call(api.patrols.positions, {
      body: {
        points: [
          { vehicleId: dl01.id, lat: 45.77, lng: 126.61, recordedAt: at },
          { vehicleId: randomUUID(), lat: 45.77, lng: 126.61, recordedAt: at },
        ],
      },
    });
    expect(unknown.status).toBe(400);
    expect(unknown.error.message).toMatch(/body\.points\.1\.vehicleId/);
    const future = await p1.call(api.patrols.positions, {
      body: {
        points: [
          { vehicleId: dl01.id, lat: 45.77, lng: 126.61, recordedAt: new Date(Date.now() + 3_600_000).toISOString() },
        ],
      },
    });
    expect(future.status).toBe(400);
    expect(future.error.message).toMatch(/body\.points\.0\.recordedAt/);
    expect(await rowCount(srv, "positions")).toBe(before + 1);
  });

  it("records key-point checks, nobody or N people", async () => {
    const kps = (await srv.database.db.query.keyPoints.findMany()).filter((k) => k.stationId === ids.dl);
    const body = { id: randomUUID(), keyPointId: kps[0]!.id, sortieId, peopleFound: 0, notes: "nobody" };
    const r = await p1.call(api.patrols.visitKeyPoint, { body });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ peopleFound: 0, sortieId, patrolId: expect.any(String) });
    expect((await p1.call(api.patrols.visitKeyPoint, { body })).body.id).toBe(body.id);
    const ng = (await srv.database.db.query.keyPoints.findMany()).find((k) => k.stationId === ids.ng)!;
    expect(
      (await p1.call(api.patrols.visitKeyPoint, { body: { ...body, id: randomUUID(), keyPointId: ng.id } })).status,
    ).toBe(403);
  });

  it("replays a queued offline batch twice: each record applied once, in order", async () => {
    const caseId = await openCase(srv, ids.dl, 45.76, 126.6);
    const dl02 = await vehicle("DL-02");
    const task = (
      await op.call(api.dispatch.assign, {
        body: { id: randomUUID(), caseId, vehicleId: dl02.id, vehicleVersion: dl02.version },
      })
    ).body;
    const s2 = randomUUID();
    // The crew went offline after the task arrived; every tap keeps its own time.
    const dispatched = Date.parse(task.dispatchedAt);
    await new Promise((r) => setTimeout(r, 500));
    const at = (s: number) => new Date(dispatched + 10 + s * 40).toISOString();
    const kp = (await srv.database.db.query.keyPoints.findMany()).find((k) => k.stationId === ids.dl)!;
    // What the phone queued while offline, with its client ids, in the order the crew tapped.
    // Client ids are fixed when the tap is queued, so both replays send the same ones.
    const queued = [randomUUID(), randomUUID(), randomUUID()] as const;
    const outbox: (() => Promise<{ status: number }>)[] = [
      () =>
        p1.call(api.patrols.startSortie, {
          body: {
            id: s2,
            vehicleId: dl02.id,
            crewCount: 2,
            startedAt: at(0),
            load: [{ itemId: ids.items.food!.id, quantity: 5 }],
          },
        }),
      () =>
        p1.call(api.dispatch.setStatus, {
          params: { id: task.id },
          body: { status: "acknowledged", version: task.version, at: at(1) },
        }),
      () =>
        p1.call(api.dispatch.setStatus, {
          params: { id: task.id },
          body: { status: "en_route", version: task.version + 1, at: at(2) },
        }),
      () =>
        p1.call(api.patrols.positions, {
          body: { points: [{ vehicleId: dl02.id, lat: 45.761, lng: 126.601, recordedAt: at(3) }] },
        }),
      () =>
        p1.call(api.dispatch.setStatus, {
          params: { id: task.id },
          body: { status: "on_scene", version: task.version + 2, at: at(4) },
        }),
      () =>
        p1.call(api.encounters.create, {
          body: {
            id: queued[0],
            caseId,
            assignmentId: task.id,
            sortieId: s2,
            found: true,
            outcome: "street_aid",
            occurredAt: at(5),
            supplies: [{ itemId: ids.items.food!.id, quantity: 2 }],
          },
        }),
      () =>
        p1.call(api.encounters.create, {
          body: {
            id: queued[1],
            caseId,
            assignmentId: task.id,
            sortieId: s2,
            found: true,
            outcome: "brought_in",
            occurredAt: at(6),
            supplies: [{ itemId: ids.items.food!.id, quantity: 1 }],
          },
        }),
      () =>
        p1.call(api.patrols.visitKeyPoint, {
          body: { id: queued[2], keyPointId: kp.id, sortieId: s2, peopleFound: 2, visitedAt: at(7) },
        }),
      () =>
        p1.call(api.dispatch.setStatus, {
          params: { id: task.id },
          body: { status: "cleared", version: task.version + 3, at: at(8) },
        }),
      () =>
        p1.call(api.patrols.endSortie, {
          params: { id: s2 },
          body: { returned: [{ itemId: ids.items.food!.id, quantity: 2 }], endedAt: at(9) },
        }),
    ];
    const replay = async () => {
      const statuses: number[] = [];
      for (const send of outbox) statuses.push((await send()).status);
      return statuses;
    };
    const first = await replay();
    expect(
      first.every((s) => s < 300),
      JSON.stringify(first),
    ).toBe(true);
    const after = await Promise.all([
      counts(),
      rowCount(srv, "positions"),
      rowCount(srv, "keyPointVisits"),
      rowCount(srv, "sorties"),
    ]);
    const second = await replay();
    expect(
      second.every((s) => s < 300),
      JSON.stringify(second),
    ).toBe(true);
    expect(
      await Promise.all([
        counts(),
        rowCount(srv, "positions"),
        rowCount(srv, "keyPointVisits"),
        rowCount(srv, "sorties"),
      ]),
    ).toEqual(after);
    const t = (await op.call(api.dispatch.list, { query: { caseId } })).body.items[0];
    expect([t!.acknowledgedAt, t!.enRouteAt, t!.onSceneAt, t!.clearedAt]).toEqual([at(1), at(2), at(4), at(8)]);
    expect(await load(dl02.id)).toEqual({});
    const sortie = (await p1.call(api.patrols.sorties, { query: { vehicleId: dl02.id } })).body.items[0];
    expect(sortie).toMatchObject({ id: s2, startedAt: at(0), endedAt: at(9) });
    const encs = (await p1.call(api.encounters.list, { query: { caseId } })).body.items;
    expect(encs.map((e: { occurredAt: string }) => e.occurredAt)).toEqual([at(6), at(5)]);
  });

  it("ends a sortie returning supplies, never more than on board, and closes the patrol with its last sortie", async () => {
    const over = await p1.call(api.patrols.endSortie, {
      params: { id: sortieId },
      body: { returned: [{ itemId: ids.items.coat!.id, quantity: 3 }] },
    });
    expect(over.status).toBe(409);
    expect(over.error.code).toBe("INSUFFICIENT_STOCK");
    const done = await p1.call(api.patrols.endSortie, {
      params: { id: sortieId },
      body: { returned: [{ itemId: ids.items.coat!.id, quantity: 2 }] },
    });
    expect(done.status).toBe(200);
    expect(done.body.endedAt).toBeTruthy();
    expect(done.body.patrol.endedAt).toBeNull(); // DL-01 is still out on it
    expect(await load(dl03.id)).toMatchObject({ food: expect.any(Number) });
    expect((await load(dl03.id)).coat).toBeUndefined();
    expect((await vehicle("DL-03")).status).toBe("off_duty");
    const other = (await p1.call(api.patrols.sorties, { query: { vehicleId: dl01.id, open: "true" } })).body.items[0];
    const last = await p1.call(api.patrols.endSortie, { params: { id: other!.id }, body: {} });
    expect(last.body.patrol.endedAt).toBeTruthy();
    expect(
      (await p1.call(api.patrols.openPatrols)).body.items.find((p: { id: string }) => p.id === done.body.patrolId),
    ).toBeUndefined();
  });

  it("places a track that arrives after the sortie's end in the sortie it was recorded on", async () => {
    // The phone's queue sent "end sortie" first; its GPS buffer follows once the signal is back.
    const ended = (await p1.call(api.patrols.sorties, { query: { vehicleId: dl01.id } })).body.items.find(
      (x: { endedAt: string | null }) => x.endedAt,
    ) as { id: string; startedAt: string; endedAt: string };
    const start = new Date(ended.startedAt).getTime();
    const end = new Date(ended.endedAt).getTime();
    await new Promise((r) => setTimeout(r, 30));
    const times = [start - 1500, start, start + 1, end - 1, end, end + 10];
    const r = await p1.call(api.patrols.positions, {
      body: {
        points: times.map((t, i) => ({
          vehicleId: dl01.id,
          lat: 45.6 + i / 1000,
          lng: 126.5,
          recordedAt: new Date(t).toISOString(),
        })),
      },
    });
    expect(r.status).toBe(200);
    const { positions } = await import("../../server/db/schema/index.js");
    const { and, eq, gte, asc } = await import("drizzle-orm");
    const stored = await srv.database.db
      .select()
      .from(positions)
      .where(
        and(
          eq(positions.vehicleId, dl01.id),
          gte(positions.lat, 45.6),
          gte(positions.recordedAt, new Date(start - 1500)),
        ),
      )
      .orderBy(asc(positions.recordedAt));
    const byTime = new Map(stored.map((x) => [x.recordedAt.getTime(), x.sortieId]));
    expect(times.map((t) => byTime.get(t))).toEqual([null, ended.id, ended.id, ended.id, null, null]);
  });
});
