import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import type { ChildProcess } from "node:child_process";
import { freePort, spawnServer } from "../../bench/lib.js";
import { inArray, sql } from "drizzle-orm";
import { createTestDatabase, ENGINE, type TestDatabase } from "../helpers/test-server.js";
import { EventRecorder, waitFor } from "../helpers/socket.js";
import { TestClient } from "../helpers/http.js";
import { openDatabase } from "../../server/db/client.js";
import { calls, cases, encounters, events, supplyLedger } from "../../server/db/schema/index.js";
import type { Role } from "../../shared/roles.js";
import { api } from "../../shared/api/index.js";

describe(`kill -9 during writes [${ENGINE}]`, () => {
  let tdb: TestDatabase;
  let proc: ChildProcess | undefined;
  beforeAll(async () => {
    tdb = await createTestDatabase({ empty: true });
  });
  afterAll(async () => {
    proc?.kill("SIGKILL");
    await tdb?.destroy();
  });

  it("keeps every acknowledged write (calls, encounters with supplies), half-writes nothing, and every dashboard of every role catches up by replay", async () => {
    const port = await freePort();
    const env = { PORT: String(port), ...(tdb.url ? { DATABASE_URL: tdb.url } : { DATA_DIR: tdb.dir! }) };
    const url = `http://127.0.0.1:${port}`;
    proc = (await spawnServer({ SEED: "demo", SEED_STOCK: "200", ...env })).proc;
    const op = await new TestClient(url).login("operator");
    const crew = await new TestClient(url).login("patrol1");
    // Two dashboards per role, each with its own session, as several desks of a duty room would have.
    const roles: { role: Role; user: string }[] = [
      { role: "admin", user: "admin" },
      { role: "operator", user: "operator" },
      { role: "head", user: "head" },
      { role: "patrol", user: "patrol1" },
    ];
    const dashboards: { role: Role; rec: EventRecorder }[] = [];
    for (const { role, user } of roles) {
      for (let i = 0; i < 2; i++)
        dashboards.push({ role, rec: new EventRecorder(url, (await new TestClient(url).login(user)).cookie) });
    }
    await Promise.all(dashboards.map((d) => d.rec.ready()));
    const dash = dashboards[0]!.rec;

    // A crew on a sortie with 20 coats and 150 meals on board, handing out while the node dies.
    const items = (await crew.call(api.supplies.items)).body.items as { id: string; code: string }[];
    const coat = items.find((i) => i.code === "coat")!.id;
    const food = items.find((i) => i.code === "food")!.id;
    const vehicle = ((await crew.call(api.vehicles.list)).body.items as { id: string; callSign: string }[]).find(
      (v) => v.callSign === "DL-03",
    )!;
    const sortieId = randomUUID();
    const started = await crew.call(api.patrols.startSortie, {
      body: {
        id: sortieId,
        vehicleId: vehicle.id,
        crewCount: 2,
        load: [
          { itemId: coat, quantity: 20 },
          { itemId: food, quantity: 150 },
        ],
      },
    });
    expect(started.status).toBe(201);
    const handedOut: string[] = [];
    let refused = 0;

    // ~100 writes per second from 10 writers until the kill.
    const acked: string[] = [];
    let stop = false;
    const writer = async (w: number) => {
      for (let i = 0; !stop; i++) {
        const id = randomUUID();
        const at = Date.now();
        try {
          const r = await op.call(api.cases.createSighting, {
            body: {
              id,
              source: "public_hotline",
              lat: 45.7 + w * 0.01 + i * 0.0001,
              lng: 126.6,
              description: `crash ${w}/${i}`,
              newCase: true,
            },
          });
          if (r.status === 201) acked.push(id);
          else if (r.status >= 500) throw new Error(`5xx before the kill: ${JSON.stringify(r.body)}`);
        } catch (e) {
          if (!stop && !String(e).includes("fetch failed")) throw e;
        }
        await new Promise((r) => setTimeout(r, Math.max(0, 100 - (Date.now() - at))));
      }
    };
    // Each hand-out gives a meal and, until the 20 coats run out (then 409), a coat.
    const crewWriter = async (w: number) => {
      for (let i = 0; !stop; i++) {
        const id = randomUUID();
        const at = Date.now();
        try {
          const r = await crew.call(api.encounters.create, {
            body: {
              id,
              sortieId,
              lat: 45.75 + w * 0.01,
              lng: 126.62 + i * 0.0001,
              found: true,
              outcome: "street_aid",
              supplies: [
                { itemId: food, quantity: 1 },
                { itemId: coat, quantity: 1 },
              ],
            },
          });
          if (r.status === 201) handedOut.push(id);
          else if (r.status === 409) refused++;
          else if (r.status >= 500) throw new Error(`5xx before the kill: ${JSON.stringify(r.body)}`);
        } catch (e) {
          if (!stop && !String(e).includes("fetch failed")) throw e;
        }
        await new Promise((r) => setTimeout(r, Math.max(0, 100 - (Date.now() - at))));
      }
    };
    const writers = [
      ...Array.from({ length: 8 }, (_, w) => writer(w)),
      ...Array.from({ length: 3 }, (_, w) => crewWriter(w)),
    ];
    // Kill once enough writes are acknowledged (bound by progress, not by the machine's speed).
    await waitFor(() => acked.length > 20 && handedOut.length > 10, 40_000).catch((e) => {
      throw new Error(`acked ${acked.length}, handed out ${handedOut.length}, refused ${refused}: ${e}`);
    });
    proc.kill("SIGKILL");
    await new Promise((r) => proc!.once("exit", r));
    await new Promise((r) => setTimeout(r, 300));
    stop = true;
    await Promise.all(writers);
    expect(acked.length).toBeGreaterThan(20);
    expect(handedOut.length).toBeGreaterThan(10);

    proc = (await spawnServer({ SEED: "demo", SEED_STOCK: "0", ...env })).proc;
    // The dashboard reconnects by itself and replays from its last event id.
    const after = new TestClient(url);
    await after.login("operator");
    const more = randomUUID();
    expect(
      (
        await after.call(api.cases.createSighting, {
          body: { id: more, source: "police_110", lat: 45.8, lng: 126.7, newCase: true },
        })
      ).status,
    ).toBe(201);
    // Writes in flight at the kill may have committed without their 2xx, so wait for the last one.
    const hasCall = (id: string) =>
      dash.ofType("case.created").some((e) => (e.payload as { call?: { id: string } }).call?.id === id);
    await waitFor(() => hasCall(more), 30_000).catch((e) => {
      throw new Error(
        `dashboard has ${dash.ofType("case.created").length} events (acked ${acked.length}); connected=${dash.socket.connected}, last=${dash.lastEventId}, replays=${dash.replayDone}: ${e}`,
      );
    });
    expect(acked.every(hasCall)).toBe(true);
    // One more hand-out after the restart: every dashboard that receives encounters must get it.
    const lastHandOut = randomUUID();
    const afterCrew = await new TestClient(url).login("patrol1");
    const last = await afterCrew.call(api.encounters.create, {
      body: {
        id: lastHandOut,
        sortieId,
        lat: 45.76,
        lng: 126.63,
        found: true,
        outcome: "street_aid",
        supplies: [{ itemId: food, quantity: 1 }],
      },
    });
    expect(last.status).toBe(201);
    const hasEncounter = (rec: EventRecorder, id: string) =>
      rec.ofType("encounter.recorded").some((e) => e.payload.id === id);
    const encounterRoles = new Set<Role>(["admin", "head", "patrol"]);
    for (const d of dashboards)
      if (encounterRoles.has(d.role)) await waitFor(() => hasEncounter(d.rec, lastHandOut), 30_000);
    // Dashboards of the same role converge on the same stream (operators receive no encounters).
    const peer = (d: (typeof dashboards)[number]) => dashboards.find((o) => o.role === d.role && o !== d)!.rec;
    for (const d of dashboards)
      await waitFor(() => d.rec.events.length > 0 && d.rec.events.length === peer(d).events.length, 30_000);
    const load = (await afterCrew.call(api.vehicles.load, { params: { id: vehicle.id } })).body.items as {
      code: string;
      quantity: number;
    }[];
    for (const line of load) expect(line.quantity).toBeGreaterThanOrEqual(0);

    proc.kill("SIGTERM");
    await new Promise((r) => proc!.once("exit", r));
    proc = undefined;

    const db = await openDatabase({ databaseUrl: tdb.url, dataDir: tdb.dir ?? "" });
    try {
      const rows = await db.db
        .select({ id: calls.id, caseId: calls.caseId })
        .from(calls)
        .where(inArray(calls.id, [...acked, more]));
      expect(rows.length).toBe(acked.length + 1); // every 2xx is there
      // Nothing half-written: every call has its case and its event, every case its call, and the
      // events table and the dashboard agree one for one.
      const [{ orphans }] = (await db.db
        .select({ orphans: sql<number>`count(*)::int` })
        .from(calls)
        .where(sql`not exists (select 1 from ${cases} where ${cases.id} = ${calls.caseId})`)) as [{ orphans: number }];
      expect(orphans).toBe(0);
      const [{ empty }] = (await db.db
        .select({ empty: sql<number>`count(*)::int` })
        .from(cases)
        .where(sql`not exists (select 1 from ${calls} where ${calls.caseId} = ${cases.id})`)) as [{ empty: number }];
      expect(empty).toBe(0);
      const created = await db.db
        .select({ id: events.id })
        .from(events)
        .where(sql`${events.type} = 'case.created'`)
        .orderBy(events.id);
      const [{ n: callCount }] = (await db.db.select({ n: sql<number>`count(*)::int` }).from(calls)) as [{ n: number }];
      expect(created.length).toBe(callCount);
      const seen = dash.ofType("case.created").map((e) => e.id);
      const missing = created.map((e) => e.id).filter((id) => !seen.includes(id));
      if (missing.length) {
        const all = await db.db
          .select({ id: events.id, type: events.type, at: events.at })
          .from(events)
          .where(sql`${events.id} > ${missing[0]! - 4}`)
          .orderBy(events.id)
          .limit(12);
        console.log(
          "missing",
          missing,
          "dashboard ids",
          dash.events
            .map((e) => e.id)
            .filter((id) => id > missing[0]! - 4)
            .slice(0, 12),
          "db",
          all,
        );
      }
      expect(seen).toEqual(created.map((e) => e.id)); // every event exactly once, in order

      // Encounters: every 2xx is there, each with exactly its hand-out lines, nothing without its event.
      const encRows = await db.db
        .select({ id: encounters.id })
        .from(encounters)
        .where(sql`${encounters.sortieId} = ${sortieId}`);
      const encIds = new Set(encRows.map((e) => e.id));
      for (const id of [...handedOut, lastHandOut]) expect(encIds.has(id)).toBe(true);
      const lines = await db.db
        .select({
          encounterId: supplyLedger.encounterId,
          kind: supplyLedger.kind,
          itemId: supplyLedger.itemId,
          quantity: supplyLedger.quantity,
        })
        .from(supplyLedger)
        .where(sql`${supplyLedger.sortieId} = ${sortieId}`);
      for (const id of handedOut)
        expect(lines.filter((l) => l.encounterId === id && l.kind === "handed_out").length).toBe(2);
      for (const l of lines.filter((x) => x.kind === "handed_out")) expect(encIds.has(l.encounterId!)).toBe(true);
      const onBoard = (item: string) =>
        lines
          .filter((l) => l.itemId === item)
          .reduce(
            (n, l) =>
              n +
              (l.kind === "loaded"
                ? l.quantity
                : l.kind === "handed_out" || l.kind === "returned" || l.kind === "written_off"
                  ? -l.quantity
                  : 0),
            0,
          );
      expect(onBoard(coat)).toBeGreaterThanOrEqual(0);
      expect(onBoard(food)).toBeGreaterThanOrEqual(0);
      expect(Object.fromEntries(load.map((l) => [l.code, l.quantity]))).toMatchObject({ food: onBoard(food) });
      const recorded = await db.db
        .select({ id: events.id })
        .from(events)
        .where(sql`${events.type} = 'encounter.recorded'`)
        .orderBy(events.id);
      expect(recorded.length).toBe(encIds.size);

      // Every dashboard: each event once, in id order; both of a role saw the same; those that
      // receive encounters got every one of them.
      const byRole = new Map<Role, number[][]>();
      for (const d of dashboards) {
        const ids = d.rec.events.map((e) => e.id);
        expect(ids).toEqual([...ids].sort((a, b) => a - b));
        expect(new Set(ids).size).toBe(ids.length);
        byRole.set(d.role, [...(byRole.get(d.role) ?? []), ids]);
        if (encounterRoles.has(d.role))
          expect(d.rec.ofType("encounter.recorded").map((e) => e.id)).toEqual(recorded.map((e) => e.id));
      }
      for (const [role, lists] of byRole) expect(lists[1], `dashboards of ${role}`).toEqual(lists[0]);
      expect(refused + handedOut.length).toBeGreaterThan(0);
    } finally {
      for (const d of dashboards) d.rec.close();
      await db.close();
    }
  }, 180_000);
});
