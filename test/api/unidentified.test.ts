import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, ENGINE, type TestDatabase } from "../helpers/test-server.js";
import type { RunningServer } from "../../server/server.js";
import type { TestClient } from "../helpers/http.js";
import { EventRecorder, waitFor } from "../helpers/socket.js";
import { Fixtures, signInAll } from "../helpers/fixtures.js";
import { api } from "../../shared/api/index.js";

const hoursAgo = (h: number) => new Date(Date.now() - h * 3600_000);

describe(`people met without identity [${ENGINE}]`, () => {
  let tdb: TestDatabase;
  let srv: RunningServer;
  let head: TestClient, patrol1: TestClient, patrol2: TestClient, operator: TestClient, supervisor: TestClient;
  let fx: Fixtures;
  let demo: Awaited<ReturnType<Fixtures["demo"]>>;

  beforeAll(async () => {
    tdb = await createTestDatabase();
    srv = await tdb.start();
    [head, patrol1, patrol2, operator, supervisor] = await signInAll(srv.url, [
      "head",
      "patrol1",
      "patrol2",
      "operator",
      "supervisor",
    ] as const);
    fx = new Fixtures(srv.database.db);
    demo = await fx.demo();
  });
  afterAll(async () => {
    await srv?.close();
    await tdb?.destroy();
  });

  it("lists encounters with no person of the station, with where, when and outcome, and lets them be identified", async () => {
    const kp = demo.keyPoints(demo.dl.id)[0]!;
    const visit = await fx.visit(demo.dl.id, kp.id, hoursAgo(5));
    const older = await fx.encounter(demo.dl.id, "refused", hoursAgo(5), {
      keyPointVisitId: visit,
      flags: ["elderly"],
    });
    const newer = await fx.encounter(demo.dl.id, "brought_in", hoursAgo(2));
    const known = await fx.person(demo.dl.id, { name: "张三" });
    await fx.encounter(demo.dl.id, "refused", hoursAgo(3), { personId: known });
    await fx.encounter(demo.dl.id, "not_found", hoursAgo(1));
    const ngOne = await fx.encounter(demo.ng.id, "refused", hoursAgo(4));

    const list = await head.call(api.people.unidentified, { query: { stationId: demo.dl.id } });
    expect(list.status, JSON.stringify(list.body)).toBe(200);
    expect(list.body.total).toBe(2);
    expect(list.body.items.map((i) => i.encounterId)).toEqual([newer, older]);
    expect(list.body.items[1]).toMatchObject({
      stationId: demo.dl.id,
      outcome: "refused",
      place: kp.name,
      flags: ["elderly"],
      lat: 45.76,
      lng: 126.61,
    });
    // The head's scope is the own station; another station's list is refused, supervisors and operators see none.
    const own = await head.call(api.people.unidentified);
    expect(own.body.items.map((i) => i.encounterId)).not.toContain(ngOne);
    expect((await head.call(api.people.unidentified, { query: { stationId: demo.ng.id } })).status).toBe(403);
    expect((await supervisor.call(api.people.unidentified)).status).toBe(403);
    expect((await operator.call(api.people.unidentified)).status).toBe(403);
    const ng = await patrol2.call(api.people.unidentified);
    expect(ng.body.items.map((i) => i.encounterId)).toEqual([ngOne]);

    const rec = new EventRecorder(srv.url, patrol1.cookie);
    await rec.ready();
    try {
      // Identify the older one as a new record: it takes the encounter's station and flags.
      const personId = randomUUID();
      const made = await head.call(api.people.identify, {
        params: { id: older },
        body: { person: { id: personId, name: "李四", approxAge: 70, flags: [] } },
      });
      expect(made.status).toBe(200);
      expect(made.body).toMatchObject({ id: personId, stationId: demo.dl.id, encounterCount: 1, flags: ["elderly"] });
      expect(made.body.identity?.name).toBe("李四");
      await waitFor(() => rec.ofType("person.identified").some((e) => e.payload.encounterId === older));
      expect(rec.ofType("person.identified").find((e) => e.payload.encounterId === older)?.payload).toEqual({
        encounterId: older,
        personId,
        stationId: demo.dl.id,
      });
      // A retry gives the same answer; a different link is refused.
      const again = await head.call(api.people.identify, {
        params: { id: older },
        body: { person: { id: personId, name: "李四", approxAge: 70, flags: [] } },
      });
      expect(again.status).toBe(200);
      const other = await head.call(api.people.identify, { params: { id: older }, body: { personId: known } });
      expect(other.status).toBe(409);
      expect(other.error.code).toBe("CONFLICT");
    } finally {
      rec.close();
    }

    // Link the newer one to an existing record.
    const linked = await patrol1.call(api.people.identify, { params: { id: newer }, body: { personId: known } });
    expect(linked.status).toBe(200);
    expect(linked.body).toMatchObject({ id: known, encounterCount: 2 });
    const after = await head.call(api.people.unidentified, { query: { stationId: demo.dl.id } });
    expect(after.body.total).toBe(0);
    const detail = await head.call(api.people.get, { params: { id: known } });
    expect(detail.body.encounters.map((e) => e.id)).toContain(newer);
  });

  it("refuses another station's staff, records of another station, bad bodies and empty encounters", async () => {
    const ngEnc = await fx.encounter(demo.ng.id, "refused", hoursAgo(6));
    const dlEnc = await fx.encounter(demo.dl.id, "refused", hoursAgo(6));
    const ngPerson = await fx.person(demo.ng.id, { name: "王五" });
    // The head of DL cannot identify NG's encounter, nor NG's patrol DL's.
    const r1 = await head.call(api.people.identify, {
      params: { id: ngEnc },
      body: { person: { id: randomUUID(), flags: [] } },
    });
    expect(r1.status).toBe(403);
    expect(r1.error.code).toBe("FORBIDDEN");
    expect(
      (await patrol2.call(api.people.identify, { params: { id: dlEnc }, body: { personId: ngPerson } })).status,
    ).toBe(403);
    for (const c of [operator, supervisor])
      expect((await c.call(api.people.identify, { params: { id: dlEnc }, body: { personId: ngPerson } })).status).toBe(
        403,
      );
    // A record of another station cannot be linked.
    const cross = await head.call(api.people.identify, { params: { id: dlEnc }, body: { personId: ngPerson } });
    expect(cross.status).toBe(403);
    // Exactly one of personId and person.
    const both = await head.raw(api.people.identify, {
      params: { id: dlEnc },
      body: { personId: ngPerson, person: { id: randomUUID() } },
    });
    expect(both.status).toBe(400);
    const none = await head.raw(api.people.identify, { params: { id: dlEnc }, body: {} });
    expect(none.status).toBe(400);
    // Nobody found: nothing to identify. Unknown encounter: 404.
    const empty = await fx.encounter(demo.dl.id, "not_found", hoursAgo(6));
    expect(
      (
        await head.call(api.people.identify, {
          params: { id: empty },
          body: { person: { id: randomUUID(), flags: [] } },
        })
      ).status,
    ).toBe(409);
    expect(
      (
        await head.call(api.people.identify, {
          params: { id: randomUUID() },
          body: { person: { id: randomUUID(), flags: [] } },
        })
      ).status,
    ).toBe(404);
  });
});
