import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, ENGINE, type TestDatabase } from "../helpers/test-server.js";
import type { RunningServer } from "../../server/server.js";
import type { TestClient } from "../helpers/http.js";
import { EventRecorder, waitFor } from "../helpers/socket.js";
import { Fixtures, signInAll } from "../helpers/fixtures.js";
import { parseCsv } from "../helpers/csv.js";
import { addDays, localDay } from "../../shared/counting.js";
import { EVENT_CONTRACT, isEventType } from "../../shared/events/contract.js";
import { events } from "../../server/db/schema/index.js";
import { api } from "../../shared/api/index.js";

/**
 * One identity rule on every path. Admin and operator get no identity through
 * the encounters API, the people API, live events or exports; crews and heads of the station do,
 * and every such read leaves an audit row the station's head can list.
 */
const NAME = "钱多福";
const ID_NUMBER = "230102196002021234";
const HOMETOWN = "黑龙江五常";
const NOTES = "女儿在哈尔滨打工，电话未知";
const IDENTITY = new RegExp([NAME, ID_NUMBER, HOMETOWN, NOTES].join("|"));

describe(`one identity rule [${ENGINE}]`, () => {
  let tdb: TestDatabase;
  let srv: RunningServer;
  let head: TestClient,
    patrol1: TestClient,
    patrol2: TestClient,
    operator: TestClient,
    supervisor: TestClient,
    admin: TestClient;
  let demo: Awaited<ReturnType<Fixtures["demo"]>>;
  let recs: Record<"head" | "patrol1" | "operator" | "supervisor" | "admin", EventRecorder>;
  let encounterId: string;
  let personId: string;
  let campaignId: string;

  beforeAll(async () => {
    tdb = await createTestDatabase();
    srv = await tdb.start();
    [head, patrol1, patrol2, operator, supervisor, admin] = await signInAll(srv.url, [
      "head",
      "patrol1",
      "patrol2",
      "operator",
      "supervisor",
      "admin",
    ] as const);
    demo = await new Fixtures(srv.database.db).demo();
    const city = demo.regions.find((r) => r.level === "city")!;
    const today = localDay(new Date(), "Asia/Shanghai");
    const c = await supervisor.call(api.campaigns.create, {
      body: {
        name: "身份测试",
        regionId: city.id,
        startsOn: addDays(today, -10),
        endsOn: addDays(today, 30),
        alertLevel: "yellow",
      },
    });
    expect(c.status).toBe(201);
    campaignId = c.body.id;
    const entries = await Promise.all(
      (["head", "patrol1", "operator", "supervisor", "admin"] as const).map(async (n) => {
        const client = { head, patrol1, operator, supervisor, admin }[n];
        const r = new EventRecorder(srv.url, client.cookie);
        await r.ready();
        return [n, r] as const;
      }),
    );
    recs = Object.fromEntries(entries) as typeof recs;

    // A crew meets someone who gives a name, ID number and hometown.
    encounterId = randomUUID();
    const r = await patrol1.call(api.encounters.create, {
      body: {
        id: encounterId,
        found: true,
        outcome: "street_aid",
        lat: 45.76,
        lng: 126.62,
        placeText: "中央大街地下通道",
        identity: { name: NAME, idNumber: ID_NUMBER, hometown: HOMETOWN, gender: "male", approxAge: 64 },
        notes: NOTES,
      },
    });
    expect(r.status).toBe(201);
    expect(r.body.identity).toMatchObject({ name: NAME, idNumber: ID_NUMBER, hometown: HOMETOWN });
    personId = r.body.personId!;
    expect(personId).toBeTruthy();
  });
  afterAll(async () => {
    for (const r of Object.values(recs ?? {})) r.close();
    await srv?.close();
    await tdb?.destroy();
  });

  const reads = async () =>
    (await head.call(api.people.reads, { params: { id: personId } })).body.items as {
      userId: string;
      role: string;
      kind: string;
    }[];
  const count = (items: { role: string; kind: string }[], role: string, kind: string) =>
    items.filter((i) => i.role === role && i.kind === kind).length;

  it("GET /api/encounters: no identity, notes or person link for admin and operator; crews and heads see it", async () => {
    for (const c of [admin, operator]) {
      const r = await c.call(api.encounters.list, { query: { limit: "50" } });
      expect(r.status).toBe(200);
      const mine = r.body.items.find((e: { id: string }) => e.id === encounterId);
      expect(mine).toBeTruthy();
      expect(mine!.identity).toBeUndefined();
      expect(mine!.notes).toBeUndefined();
      expect(mine!.personId).toBeUndefined();
      expect(JSON.stringify(r.body)).not.toMatch(IDENTITY);
    }
    for (const c of [head, patrol1]) {
      const mine = (await c.call(api.encounters.list, { query: { limit: "50" } })).body.items.find(
        (e: { id: string }) => e.id === encounterId,
      );
      expect(mine!.identity).toMatchObject({ name: NAME, idNumber: ID_NUMBER, hometown: HOMETOWN });
      expect(mine!.notes).toBe(NOTES);
    }
    // Another station's crew does not even see the encounter.
    expect(JSON.stringify((await patrol2.call(api.encounters.list, { query: { limit: "50" } })).body)).not.toContain(
      encounterId,
    );
  });

  it("encounter.recorded and person events over Socket.IO: identity for crews and heads only", async () => {
    await waitFor(() =>
      (["head", "patrol1", "operator", "admin", "supervisor"] as const).every((n) =>
        recs[n].ofType("encounter.recorded").some((e) => e.payload.id === encounterId),
      ),
    );
    await new Promise((res) => setTimeout(res, 200));
    for (const n of ["head", "patrol1"] as const) {
      const e = recs[n].ofType("encounter.recorded").find((x) => x.payload.id === encounterId)!;
      expect(e.payload.identity).toMatchObject({ name: NAME, idNumber: ID_NUMBER });
      expect(e.payload.notes).toBe(NOTES);
    }
    for (const n of ["operator", "admin", "supervisor"] as const) {
      const e = recs[n].ofType("encounter.recorded").find((x) => x.payload.id === encounterId)!;
      expect(e.payload.identity).toBeUndefined();
      expect(e.payload.notes).toBeUndefined();
      expect(e.payload.personId).toBeUndefined();
      // Nothing any event gave this role names the person.
      expect(JSON.stringify(recs[n].events)).not.toMatch(IDENTITY);
    }
    // A replay after reconnecting follows the same rule.
    const late = new EventRecorder(srv.url, admin.cookie, 0);
    try {
      await late.ready();
      expect(late.ofType("encounter.recorded").some((e) => e.payload.id === encounterId)).toBe(true);
      expect(JSON.stringify(late.events)).not.toMatch(IDENTITY);
    } finally {
      late.close();
    }
  });

  it("people endpoints: no identity for admin and operator", async () => {
    for (const c of [admin, operator]) {
      const one = await c.call(api.people.get, { params: { id: personId } });
      expect(one.status).toBe(200);
      expect(one.body.identity).toBeUndefined();
      expect(JSON.stringify(one.body)).not.toMatch(IDENTITY);
      const list = await c.call(api.people.list, { query: { stationId: demo.dl.id } });
      expect(list.status).toBe(200);
      expect(list.body.items.map((p: { id: string }) => p.id)).toContain(personId);
      expect(JSON.stringify(list.body)).not.toMatch(IDENTITY);
    }
    expect((await head.call(api.people.get, { params: { id: personId } })).body.identity!.name).toBe(NAME);
  });

  it("exports: the encounters CSV has no identity for admin and operator; the head's has it", async () => {
    const file = async (c: TestClient) => {
      const r = await c.call(api.exports.encountersCsv, { query: { campaignId, stationId: demo.dl.id, lang: "en" } });
      expect(r.status).toBe(200);
      return String(r.body);
    };
    for (const c of [admin, operator]) {
      const text = await file(c);
      expect(parseCsv(text).length).toBeGreaterThan(1);
      expect(text).not.toMatch(IDENTITY);
    }
    const own = await file(head);
    expect(own).toContain(NAME);
    expect(own).toContain(ID_NUMBER);
  });

  it("every identity read leaves an audit row the station's head can list; reads without identity leave none", async () => {
    const items = await reads();
    // The crew's own answer to the create, the live events to the crew and the head, the list and the export.
    expect(count(items, "patrol", "encounter-detail")).toBeGreaterThanOrEqual(1);
    expect(count(items, "patrol", "event")).toBeGreaterThanOrEqual(1);
    expect(count(items, "head", "event")).toBeGreaterThanOrEqual(1);
    expect(count(items, "head", "encounter-list")).toBeGreaterThanOrEqual(1);
    expect(count(items, "patrol", "encounter-list")).toBeGreaterThanOrEqual(1);
    expect(count(items, "head", "export")).toBeGreaterThanOrEqual(1);
    // Encounter reads and events without identity are not identity reads.
    expect(
      items.filter((i) => (i.role === "admin" || i.role === "operator") && i.kind !== "list" && i.kind !== "detail"),
    ).toEqual([]);

    // A new identity read appears at the top at once.
    const before = items.length;
    await head.call(api.encounters.list, { query: { limit: "50" } });
    const after = await reads();
    expect(after.length).toBe(before + 1);
    expect(after[0]).toMatchObject({ role: "head", kind: "encounter-list" });

    // Only the head, and only of the person's station.
    for (const c of [admin, operator, patrol1, patrol2, supervisor])
      expect((await c.call(api.people.reads, { params: { id: personId } })).status).toBe(403);

    // The station-wide list: every identity read of the head's people, newest first, naming nobody.
    const station = await head.call(api.people.stationReads, { query: { limit: "500" } });
    expect(station.status).toBe(200);
    expect(station.body.items[0]).toMatchObject({
      personId,
      role: "head",
      kind: "encounter-list",
      label: `#${personId.slice(0, 6)}`,
    });
    const kinds = new Set(
      station.body.items
        .filter((i: { personId: string }) => i.personId === personId)
        .map((i: { kind: string }) => i.kind),
    );
    for (const k of ["encounter-detail", "encounter-list", "event", "export"]) expect(kinds).toContain(k);
    expect(JSON.stringify(station.body)).not.toMatch(IDENTITY);
    expect((await head.call(api.people.stationReads, { query: { stationId: demo.ng.id } })).status).toBe(403);
    for (const c of [admin, operator, patrol1, supervisor])
      expect((await c.call(api.people.stationReads)).status).toBe(403);
  });

  it("duplicate candidates and the record a write answers with are identity reads too", async () => {
    const twin = randomUUID();
    const made = await patrol1.call(api.people.create, {
      body: { id: twin, stationId: demo.dl.id, name: NAME, gender: "male", approxAge: 63 },
    });
    expect(made.status).toBe(201);
    const dups = await head.call(api.people.duplicates, { params: { id: personId } });
    expect(dups.body.items.map((d: { person: { id: string } }) => d.person.id)).toContain(twin);
    const items = (await head.call(api.people.reads, { params: { id: twin } })).body.items as {
      role: string;
      kind: string;
    }[];
    expect(count(items, "head", "duplicates")).toBe(1);
    expect(count(items, "patrol", "detail")).toBe(1);
  });

  it("every event recorded here is declared and matches its payload schema", async () => {
    const rows = await srv.database.db.select().from(events);
    expect(rows.length).toBeGreaterThan(0);
    for (const r of rows) {
      expect(isEventType(r.type), r.type).toBe(true);
      if (!isEventType(r.type)) continue;
      const parsed = EVENT_CONTRACT[r.type].payload.safeParse(r.payload);
      expect(parsed.success, `${r.type}: ${parsed.error?.message ?? ""}`).toBe(true);
    }
  });
});
