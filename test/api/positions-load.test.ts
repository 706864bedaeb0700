import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq, sql } from "drizzle-orm";
import { createTestDatabase, ENGINE, type TestDatabase } from "../helpers/test-server.js";
import type { RunningServer } from "../../server/server.js";
import { signedIn, type TestClient } from "../helpers/http.js";
import { waitFor } from "../helpers/socket.js";
import { rowCount } from "../helpers/db.js";
import { api } from "../../shared/api/index.js";
import { sessions, users } from "../../server/db/schema/index.js";

/**
 * GPS ingest under load: a bounded queue that answers 503 + Retry-After when full, and sessions
 * remembered for a few seconds without weakening sign-out.
 */
describe(`positions under load, session cache [${ENGINE}]`, () => {
  let tdb: TestDatabase;
  let srv: RunningServer;
  let p1: TestClient, admin: TestClient;
  let vehicleId: string;

  beforeAll(async () => {
    tdb = await createTestDatabase();
    // A long session cache so the requests below never need the database while it is held.
    srv = await tdb.start({ JOBS_ENABLED: "false", POSITIONS_QUEUE_MAX_POINTS: "1", SESSION_CACHE_SECONDS: "60" });
    [p1, admin] = await Promise.all([signedIn(srv.url, "patrol1"), signedIn(srv.url, "admin")]);
    const items = (await admin.call(api.vehicles.list)).body.items as { id: string; callSign: string }[];
    vehicleId = items.find((v) => v.callSign === "DL-03")!.id;
  });
  afterAll(async () => {
    await srv?.close();
    await tdb?.destroy();
  });

  const t0 = Date.now() - 60_000;
  let n = 0;
  const send = () =>
    p1.call(api.patrols.positions, {
      body: { points: [{ vehicleId, lat: 45.77, lng: 126.61, recordedAt: new Date(t0 + n++ * 10).toISOString() }] },
    });

  it("answers 503 DATABASE_UNAVAILABLE with Retry-After once the queue is full, and stores what it accepted", async () => {
    expect((await send()).status).toBe(200); // the session is now remembered
    const before = await rowCount(srv, "positions");
    // Hold the positions table (on PGlite: the one connection) so flushes cannot finish.
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let held = false;
    const holder = srv.database.db.transaction(async (tx) => {
      await tx.execute(sql`lock table positions in exclusive mode`);
      held = true;
      await gate;
    });
    await waitFor(() => held);
    // Two flushes start and wait, one request queues, and the next one is refused: whatever the
    // timing, requests keep arriving one after another until one is refused.
    const replies: ReturnType<typeof send>[] = [];
    let refusedSeen = false;
    for (let i = 0; i < 40 && !refusedSeen; i++) {
      const reply = send();
      replies.push(reply);
      void reply.then((r) => (refusedSeen ||= r.status === 503));
      await Promise.race([reply, new Promise((r) => setTimeout(r, 50))]);
    }
    await waitFor(() => refusedSeen, 60_000);
    release();
    await holder;
    const all = await Promise.all(replies);
    const refused = all.filter((r) => r.status === 503);
    const stored = all.filter((r) => r.status === 200);
    expect(refused.length + stored.length, "every reply is 200 or 503").toBe(all.length);
    for (const r of refused) {
      expect(r.error.code).toBe("DATABASE_UNAVAILABLE");
      expect(r.headers.get("retry-after")).toBe("2");
    }
    expect(stored.length).toBeGreaterThanOrEqual(3); // two flushes and one queued request
    expect(await rowCount(srv, "positions")).toBe(before + stored.length);
    // With the queue drained, requests are taken again.
    expect((await send()).status).toBe(200);
  });

  it("reuses a session for a while, but ends it at once on sign-out or a change of the user's rules", async () => {
    const phone = await signedIn(srv.url, "patrol2");
    expect((await phone.call(api.vehicles.list)).status).toBe(200);
    const [row] = await srv.database.db.select().from(users).where(eq(users.username, "patrol2"));
    // Removed behind the server's back (as another node's sign-out would): still remembered here.
    await srv.database.db.delete(sessions).where(eq(sessions.userId, row!.id));
    expect((await phone.call(api.vehicles.list)).status).toBe(200);

    // Sign-out on this node forgets it before answering.
    const other = await signedIn(srv.url, "patrol2");
    expect((await other.call(api.vehicles.list)).status).toBe(200);
    const cookie = other.cookie;
    expect((await other.call(api.auth.logout)).status).toBeLessThan(300);
    other.cookie = cookie;
    expect((await other.call(api.vehicles.list)).status).toBe(401);

    // A change of role or scope ends the user's sessions, remembered or not.
    const third = await signedIn(srv.url, "patrol2");
    expect((await third.call(api.vehicles.list)).status).toBe(200);
    const user = await admin.call(api.users.get, { params: { id: row!.id } });
    const upd = await admin.call(api.users.update, {
      params: { id: row!.id },
      body: { active: false, version: user.body.version },
    });
    expect(upd.status).toBe(200);
    expect((await third.call(api.vehicles.list)).status).toBe(401);
  });
});
