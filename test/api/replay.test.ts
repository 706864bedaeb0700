import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, ENGINE, type TestDatabase } from "../helpers/test-server.js";
import type { RunningServer } from "../../server/server.js";
import { TestClient, signedIn } from "../helpers/http.js";
import { EventRecorder, waitFor } from "../helpers/socket.js";
import { appendEvents } from "../../server/events/events.repo.js";
import type { EventInputOf } from "../../server/events/event-log.js";
import { api } from "../../shared/api/index.js";

/** A declared event (undeclared types reach no one) carrying a name the test can follow. */
const marker = (name: string): EventInputOf<"campaign.created"> => ({
  type: "campaign.created",
  stationId: null,
  actorId: null,
  payload: { id: crypto.randomUUID(), name, startsOn: "2026-01-01", endsOn: "2026-01-02" },
});

/** Commits one event: a station created by the admin, in the given region. */
async function commitEvent(admin: TestClient, regionId: string, code: string): Promise<string> {
  const r = await admin.call(api.stations.create, {
    body: { code, name: `站 ${code}`, regionId, lat: 45.7, lng: 126.6 },
  });
  if (r.status !== 201) throw new Error(`commit failed: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body.id;
}

const codes = (rec: EventRecorder) => rec.ofType("station.created").map((e) => e.payload.code);

describe(`event log replay [${ENGINE}]`, () => {
  let tdb: TestDatabase;
  let srv: RunningServer;
  let admin: TestClient;
  let regionId: string;
  beforeAll(async () => {
    tdb = await createTestDatabase();
    srv = await tdb.start();
    admin = await signedIn(srv.url, "admin");
    regionId = (await admin.call(api.stations.regions)).body.items[0]!.id;
  });
  afterAll(async () => {
    await srv?.close();
    await tdb?.destroy();
  });

  it("pushes committed events live, in id order", async () => {
    const rec = new EventRecorder(srv.url, admin.cookie);
    await rec.ready();
    await Promise.all(["L1", "L2", "L3", "L4", "L5"].map((c) => commitEvent(admin, regionId, c)));
    await waitFor(() => rec.ofType("station.created").length === 5);
    const ids = rec.events.map((e) => e.id);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(new Set(codes(rec))).toEqual(new Set(["L1", "L2", "L3", "L4", "L5"]));
    rec.close();
  });

  it("gives a client with no last id only new events", async () => {
    await commitEvent(admin, regionId, "OLD1");
    const rec = new EventRecorder(srv.url, admin.cookie, null);
    await rec.ready();
    expect(rec.events).toHaveLength(0);
    await commitEvent(admin, regionId, "NEW1");
    await waitFor(() => rec.events.length === 1);
    expect(codes(rec)).toEqual(["NEW1"]);
    rec.close();
  });

  it("replays the 3 events committed while a socket was disconnected, in order, exactly once", async () => {
    const rec = new EventRecorder(srv.url, admin.cookie);
    await rec.ready();
    await commitEvent(admin, regionId, "D0");
    await waitFor(() => rec.events.length === 1);
    rec.socket.disconnect();
    for (const c of ["D1", "D2", "D3"]) await commitEvent(admin, regionId, c);
    rec.socket.connect();
    await waitFor(() => rec.events.length === 4);
    expect(codes(rec)).toEqual(["D0", "D1", "D2", "D3"]);
    await commitEvent(admin, regionId, "D4");
    await waitFor(() => rec.events.length === 5);
    expect(codes(rec)).toEqual(["D0", "D1", "D2", "D3", "D4"]);
    const ids = rec.events.map((e) => e.id);
    expect(new Set(ids).size).toBe(ids.length);
    rec.close();
  });

  it("only sends a station's events to users whose scope holds that station", async () => {
    const stations = (await admin.call(api.stations.list)).body.items as {
      id: string;
      code: string;
      version: number;
    }[];
    const dl = stations.find((s) => s.code === "DL")!;
    const ng = stations.find((s) => s.code === "NG")!;
    const patrol2 = new EventRecorder(srv.url, (await signedIn(srv.url, "patrol2")).cookie); // NG only
    const operator = new EventRecorder(srv.url, (await signedIn(srv.url, "operator")).cookie); // DL only
    await Promise.all([patrol2.ready(), operator.ready()]);
    await admin.call(api.stations.update, { params: { id: dl.id }, body: { version: dl.version, hotline: "0451-1" } });
    await admin.call(api.stations.update, { params: { id: ng.id }, body: { version: ng.version, hotline: "0451-2" } });
    await waitFor(() => patrol2.events.length >= 1 && operator.events.length >= 1).catch((e) => {
      console.log(patrol2.events, operator.events, patrol2.socket.connected, operator.socket.connected);
      throw e;
    });
    await new Promise((r) => setTimeout(r, 200));
    expect(patrol2.events.map((e) => e.stationId)).toEqual([ng.id]);
    expect(operator.events.map((e) => e.stationId)).toEqual([dl.id]);
    patrol2.close();
    operator.close();
  });

  it("reaches a supervisor with events of a station opened in their region after they signed in", async () => {
    const sup = new EventRecorder(srv.url, (await signedIn(srv.url, "supervisor")).cookie);
    await sup.ready();
    const regions = (await admin.call(api.stations.regions)).body.items as { id: string; level: string }[];
    const street = regions.find((r) => r.level === "street")!;
    await commitEvent(admin, street.id, "SUP1");
    await waitFor(() => sup.ofType("station.created").length === 1);
    expect(codes(sup)).toEqual(["SUP1"]);
    sup.close();
  });

  it.skipIf(ENGINE !== "postgres")(
    "delivers out-of-order commits in id order, and skips ids of rolled-back transactions",
    async () => {
      const rec = new EventRecorder(srv.url, admin.cookie);
      await rec.ready();
      const markers = () => rec.ofType("campaign.created").map((e) => e.payload.name);
      const log = srv.services.eventLog;
      let release!: () => void;
      const gate = new Promise<void>((r) => {
        release = r;
      });
      let slowId = 0;
      // A takes the lower id and commits late; B takes the next id and commits first.
      const a = srv.database.db.transaction(async (tx) => {
        const [row] = await appendEvents(tx, [marker("test.first")]);
        slowId = row!.id;
        await gate;
      });
      await waitFor(() => slowId > 0);
      await log.transact(async (_tx, record) => {
        record(marker("test.second"));
      });
      await new Promise((r) => setTimeout(r, 300));
      expect(markers()).not.toContain("test.second");
      release();
      await a;
      await waitFor(() => markers().includes("test.second"));
      const order = markers().filter((t) => t === "test.first" || t === "test.second");
      expect(order).toEqual(["test.first", "test.second"]);

      // A rolled-back transaction leaves a hole in the ids; later events still arrive.
      await srv.database.db
        .transaction(async (tx) => {
          await appendEvents(tx, [marker("test.rolledback")]);
          tx.rollback();
        })
        .catch(() => undefined);
      await log.transact(async (_tx, record) => {
        record(marker("test.after"));
      });
      await waitFor(() => markers().includes("test.after"));
      expect(markers()).not.toContain("test.rolledback");
      const ids = rec.events.map((e) => e.id);
      expect(ids).toEqual([...ids].sort((x, y) => x - y));
      rec.close();
    },
  );

  it("replays across a server restart: events before and after it arrive in order", async () => {
    const rec = new EventRecorder(srv.url, admin.cookie, null, { reconnection: false });
    await rec.ready();
    await commitEvent(admin, regionId, "R0");
    await waitFor(() => rec.events.length === 1);
    const seen = rec.lastEventId;
    rec.close();
    await commitEvent(admin, regionId, "R1");
    await commitEvent(admin, regionId, "R2");

    await srv.close();
    srv = await tdb.start();
    admin = await signedIn(srv.url, "admin");
    await commitEvent(admin, regionId, "R3");

    const after = new EventRecorder(srv.url, admin.cookie, seen);
    await after.ready();
    expect(codes(after)).toEqual(["R1", "R2", "R3"]);
    expect(after.events.every((e) => e.id > seen!)).toBe(true);
    after.close();
  });
});
