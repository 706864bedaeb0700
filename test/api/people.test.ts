import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, ENGINE, type TestDatabase } from "../helpers/test-server.js";
import type { RunningServer } from "../../server/server.js";
import type { BodyOf, TestClient } from "../helpers/http.js";
import { EventRecorder, waitFor } from "../helpers/socket.js";
import { Fixtures, signInAll } from "../helpers/fixtures.js";
import { rowCount } from "../helpers/db.js";
import { inArray } from "drizzle-orm";
import { people } from "../../server/db/schema/index.js";
import { api } from "../../shared/api/index.js";

const hoursAgo = (h: number) => new Date(Date.now() - h * 3600_000);

describe(`people registry [${ENGINE}]`, () => {
  let tdb: TestDatabase;
  let srv: RunningServer;
  let head: TestClient,
    patrol1: TestClient,
    patrol2: TestClient,
    operator: TestClient,
    supervisor: TestClient,
    admin: TestClient;
  let fx: Fixtures;
  let demo: Awaited<ReturnType<Fixtures["demo"]>>;
  let personId: string;

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
    fx = new Fixtures(srv.database.db);
    demo = await fx.demo();
  });
  afterAll(async () => {
    await srv?.close();
    await tdb?.destroy();
  });

  it("registers a person (idempotently) and sends identity only to roles that may see it, over HTTP and in events", async () => {
    const recs = Object.fromEntries(
      await Promise.all(
        (
          [
            ["head", head],
            ["operator", operator],
            ["supervisor", supervisor],
            ["patrol1", patrol1],
          ] as const
        ).map(async ([n, c]) => {
          const r = new EventRecorder(srv.url, c.cookie);
          await r.ready();
          return [n, r] as const;
        }),
      ),
    );
    personId = randomUUID();
    const body: BodyOf<typeof api.people.create> = {
      id: personId,
      stationId: demo.dl.id,
      name: "赵大勇",
      idNumber: "230102195801011234",
      hometown: "黑龙江绥化",
      gender: "male",
      approxAge: 66,
      flags: ["elderly"],
    };
    const r = await patrol1.call(api.people.create, { body });
    expect(r.status).toBe(201);
    expect(r.body.identity).toEqual({ name: "赵大勇", idNumber: "230102195801011234", hometown: "黑龙江绥化" });
    expect((await patrol1.call(api.people.create, { body })).body.id).toBe(personId);
    expect(await rowCount(srv, "people")).toBe(1);

    const op = await operator.call(api.people.get, { params: { id: personId } });
    expect(op.status).toBe(200);
    expect(op.body.identity).toBeUndefined();
    expect(op.body.label).toMatch(/^#/);
    expect(JSON.stringify(op.body)).not.toMatch(/赵大勇|230102|绥化/);
    expect((await admin.call(api.people.get, { params: { id: personId } })).body.identity).toBeUndefined();
    expect((await supervisor.call(api.people.get, { params: { id: personId } })).status).toBe(403);
    expect((await supervisor.call(api.people.list)).status).toBe(403);
    expect((await patrol2.call(api.people.get, { params: { id: personId } })).status).toBe(403);
    expect((await head.call(api.people.get, { params: { id: personId } })).body.identity!.name).toBe("赵大勇");

    await waitFor(
      () =>
        recs.head!.ofType("person.created").length === 1 &&
        recs.operator!.ofType("person.created").length === 1 &&
        recs.patrol1!.ofType("person.created").length === 1,
    );
    await new Promise((res) => setTimeout(res, 200));
    expect((recs.head!.ofType("person.created")[0]!.payload as any).identity.name).toBe("赵大勇");
    expect(JSON.stringify(recs.operator!.ofType("person.created")[0]!.payload)).not.toMatch(/赵大勇|230102|绥化/);
    expect(recs.supervisor!.events.filter((e) => e.type.startsWith("person."))).toHaveLength(0);
    for (const rec of Object.values(recs)) rec!.close();
  });

  it("audits every read of a person's record", async () => {
    const before = await head.call(api.people.reads, { params: { id: personId } });
    await operator.call(api.people.get, { params: { id: personId } });
    await head.call(api.people.list, { query: { stationId: demo.dl.id } });
    const after = await head.call(api.people.reads, { params: { id: personId } });
    expect(after.body.items.length).toBe(before.body.items.length + 2);
    expect(after.body.items.slice(0, 2).map((r) => [r.role, r.kind])).toEqual([
      ["head", "list"],
      ["operator", "detail"],
    ]);
    expect((await operator.call(api.people.reads, { params: { id: personId } })).status).toBe(403);
  });

  it("searches by identity only for identity roles, bounded and paged", async () => {
    expect((await head.call(api.people.list, { query: { q: "赵大" } })).body.items.map((p) => p.id)).toEqual([
      personId,
    ]);
    expect((await operator.call(api.people.list, { query: { q: "赵大" } })).body.items).toEqual([]);
    expect((await operator.call(api.people.list, { query: { q: "elderly" } })).body.items.map((p) => p.id)).toEqual([
      personId,
    ]);
    for (let i = 0; i < 3; i++) await fx.person(demo.dl.id, { approxAge: 30 + i });
    const page = await head.call(api.people.list, { query: { limit: "2", offset: "0" } });
    expect(page.body.items).toHaveLength(2);
    expect(page.body.total).toBe(4);
    expect((await head.call(api.people.list, { query: { limit: "1000" } })).status).toBe(400);
  });

  it("shows every encounter in order with where the person was met", async () => {
    const kp = demo.keyPoints(demo.dl.id)[0]!;
    const visit = await fx.visit(demo.dl.id, kp.id, hoursAgo(30));
    await fx.encounter(demo.dl.id, "refused", hoursAgo(30), {
      personId,
      keyPointVisitId: visit,
      notes: "拒绝进站，留下联系卡",
    });
    await fx.encounter(demo.dl.id, "street_aid", hoursAgo(5), { personId });
    const d = await head.call(api.people.get, { params: { id: personId } });
    expect(d.body.encounters.map((e) => e.outcome)).toEqual(["refused", "street_aid"]);
    expect(d.body.encounters[0]!.place).toBe(kp.name);
    expect(d.body.encounters[0]!.notes).toBe("拒绝进站，留下联系卡");
    expect(d.body.encounterCount).toBe(2);
    const op = await operator.call(api.people.get, { params: { id: personId } });
    expect(op.body.encounters[0]!.notes).toBeUndefined();
  });

  it("never leaves a merge chain when A->B and B->C are merged at the same moment (counts follow one hop)", async () => {
    for (let round = 0; round < 8; round++) {
      const [a, b, c] = (await Promise.all(
        [0, 1, 2].map((i) => fx.person(demo.dl.id, { name: `链${round}-${i}` })),
      )) as [string, string, string];
      const [ab, bc] = await Promise.all([
        head.call(api.people.merge, { params: { id: a }, body: { intoId: b, version: 1 } }),
        head.call(api.people.merge, { params: { id: b }, body: { intoId: c, version: 1 } }),
      ]);
      expect(
        [ab.status, bc.status].every((st) => st === 200 || st === 400 || st === 409),
        JSON.stringify([ab.body, bc.body]),
      ).toBe(true);
      const rows = await srv.database.db
        .select()
        .from(people)
        .where(inArray(people.id, [a, b, c]));
      const byId = new Map(rows.map((r) => [r.id, r]));
      // Whoever won, every record points at most one hop to a record that is not itself merged.
      for (const r of rows)
        if (r.mergedIntoId) expect(byId.get(r.mergedIntoId)!.mergedIntoId, `round ${round}`).toBeNull();
      expect(rows.filter((r) => r.mergedIntoId).length).toBeGreaterThan(0);
    }
  });

  it("suggests duplicates and merges them with history kept", async () => {
    const dup = await fx.person(demo.dl.id, { name: "赵大勇", gender: "male", approxAge: 64 });
    await fx.encounter(demo.dl.id, "street_aid", hoursAgo(2), { personId: dup });
    const s = await head.call(api.people.duplicates, { params: { id: dup } });
    expect(s.status).toBe(200);
    expect(s.body.items[0]!.person.id).toBe(personId);
    expect(s.body.items[0]!.reasons).toEqual(expect.arrayContaining(["same_name", "similar_age", "same_gender"]));
    expect((await operator.call(api.people.duplicates, { params: { id: dup } })).status).toBe(403);
    expect(
      (await patrol1.call(api.people.merge, { params: { id: dup }, body: { intoId: personId, version: 1 } })).status,
    ).toBe(403);
    expect(
      (await head.call(api.people.merge, { params: { id: dup }, body: { intoId: personId, version: 9 } })).status,
    ).toBe(409);
    const m = await head.call(api.people.merge, { params: { id: dup }, body: { intoId: personId, version: 1 } });
    expect(m.status).toBe(200);
    expect(m.body.id).toBe(personId);
    expect(m.body.encounterCount).toBe(3);
    const d = await head.call(api.people.get, { params: { id: personId } });
    expect(d.body.mergedFrom).toEqual([dup]);
    expect(d.body.encounters.map((e) => e.personId)).toEqual([personId, personId, dup]);
    const merged = await head.call(api.people.get, { params: { id: dup } });
    expect(merged.body.mergedIntoId).toBe(personId);
    expect(
      (await head.call(api.people.merge, { params: { id: personId }, body: { intoId: personId, version: 1 } })).error
        .message,
    ).toMatch(/^body\.intoId/);
  });

  it("tracks family search: notice published, then family found", async () => {
    let v = (await head.call(api.people.get, { params: { id: personId } })).body.version;
    const a = await head.call(api.people.familySearch, {
      params: { id: personId },
      body: { status: "notice_published", note: "今日头条寻亲公告", version: v },
    });
    expect(a.body.familySearch).toBe("notice_published");
    const b = await head.call(api.people.familySearch, {
      params: { id: personId },
      body: { status: "family_found", version: a.body.version },
    });
    expect(b.body.familySearch).toBe("family_found");
    expect(
      (
        await head.call(api.people.familySearch, {
          params: { id: personId },
          body: { status: "none", version: a.body.version },
        })
      ).status,
    ).toBe(409);
    const d = await head.call(api.people.get, { params: { id: personId } });
    expect(d.body.familySearchLog.map((f) => f.status)).toEqual(["notice_published", "family_found"]);
    expect((await operator.call(api.people.get, { params: { id: personId } })).body.familySearchLog[0]!.note).toBe("");
    v = d.body.version;
    expect(
      (await head.call(api.people.update, { params: { id: personId }, body: { hometown: "黑龙江海伦", version: v } }))
        .body.identity!.hometown,
    ).toBe("黑龙江海伦");
  });
});
