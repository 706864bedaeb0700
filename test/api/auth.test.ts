import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, ENGINE, type TestDatabase } from "../helpers/test-server.js";
import type { RunningServer } from "../../server/server.js";
import { TestClient, signedIn } from "../helpers/http.js";
import { EventRecorder, waitFor } from "../helpers/socket.js";
import { rowCount } from "../helpers/db.js";
import { api } from "../../shared/api/index.js";

describe(`auth [${ENGINE}]`, () => {
  let tdb: TestDatabase;
  let srv: RunningServer;
  beforeAll(async () => {
    tdb = await createTestDatabase();
    srv = await tdb.start();
  });
  afterAll(async () => {
    await srv?.close();
    await tdb?.destroy();
  });

  it("signs in with the demo password and sets an HttpOnly SameSite cookie", async () => {
    const c = new TestClient(srv.url);
    const r = await c.call(api.auth.login, { body: { username: "operator", password: "demo" } });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ username: "operator", role: "operator" });
    expect(r.body.stationIds).toHaveLength(1);
    expect(r.body).not.toHaveProperty("passwordHash");
    const setCookie = r.headers.get("set-cookie")!;
    expect(setCookie).toMatch(/wl_session=/);
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Lax/i);
    const me = await c.call(api.auth.me);
    expect(me.status).toBe(200);
    expect(me.body.username).toBe("operator");
  });

  it("takes the username in any case, as accounts are stored in lower case", async () => {
    const r = await new TestClient(srv.url).call(api.auth.login, { body: { username: " Operator", password: "demo" } });
    expect(r.status).toBe(200);
    expect(r.body.username).toBe("operator");
    expect(
      (await new TestClient(srv.url).call(api.auth.login, { body: { username: "OPERATOR", password: "Demo" } })).status,
    ).toBe(401);
  });

  it("refuses a wrong password with 401 INVALID_CREDENTIALS and an unknown user the same way", async () => {
    const c = new TestClient(srv.url);
    const wrong = await c.call(api.auth.login, { body: { username: "head", password: "nope" } });
    expect(wrong.status).toBe(401);
    expect(wrong.error.code).toBe("INVALID_CREDENTIALS");
    const unknown = await c.call(api.auth.login, { body: { username: "nobody", password: "demo" } });
    expect(unknown.status).toBe(401);
    expect(unknown.error.code).toBe("INVALID_CREDENTIALS");
    expect(c.cookie).toBe("");
  });

  it("answers 401 UNAUTHENTICATED without a session, and with a forged cookie", async () => {
    const anon = new TestClient(srv.url);
    for (const ep of [api.auth.me, api.stations.list]) {
      const r = await anon.call(ep);
      expect(r.status).toBe(401);
      expect(r.error.code).toBe("UNAUTHENTICATED");
    }
    anon.cookie = "wl_session=forged-token";
    expect((await anon.call(api.auth.me)).status).toBe(401);
  });

  it("answers 403 FORBIDDEN when a role calls what it may not, and writes nothing", async () => {
    const before = await rowCount(srv, "stations");
    const events = await rowCount(srv, "events");
    for (const user of ["operator", "patrol1", "head", "supervisor"]) {
      const c = await signedIn(srv.url, user);
      const regions = (await c.call(api.stations.regions)).body.items;
      const r = await c.call(api.stations.create, {
        body: { code: `X${user}`, name: "x", regionId: regions[0]!.id, lat: 45, lng: 126 },
      });
      expect(r.status, user).toBe(403);
      expect(r.error.code).toBe("FORBIDDEN");
    }
    expect(await rowCount(srv, "stations")).toBe(before);
    expect(await rowCount(srv, "events")).toBe(events);
  });

  it("limits each user to the stations in scope", async () => {
    const op = await signedIn(srv.url, "operator");
    const sup = await signedIn(srv.url, "supervisor");
    const admin = await signedIn(srv.url, "admin");
    expect((await op.call(api.stations.list)).body.items).toHaveLength(1);
    expect((await sup.call(api.stations.list)).body.items).toHaveLength(2);
    expect((await admin.call(api.stations.list)).body.items).toHaveLength(2);
  });

  it("ends the session on logout", async () => {
    const c = await signedIn(srv.url, "head");
    const saved = c.cookie;
    expect((await c.call(api.auth.logout)).status).toBe(200);
    c.cookie = saved;
    const me = await c.call(api.auth.me);
    expect(me.status).toBe(401);
  });

  it("refuses a socket without a session, and it receives nothing", async () => {
    const rec = new EventRecorder(srv.url, "", null, { reconnection: false });
    await waitFor(() => !!rec.connectError, 10_000);
    expect(rec.connectError!.message).toBe("UNAUTHENTICATED");
    const admin = await signedIn(srv.url, "admin");
    const region = (await admin.call(api.stations.regions)).body.items[0];
    await admin.call(api.stations.create, {
      body: { code: "SOCKNOAUTH", name: "n", regionId: region!.id, lat: 45, lng: 126 },
    });
    await new Promise((r) => setTimeout(r, 300));
    expect(rec.socket.connected).toBe(false);
    expect(rec.events).toHaveLength(0);
    rec.close();
  });

  it("rate-limits repeated failed sign-ins for one account with 429", async () => {
    const c = new TestClient(srv.url);
    const codes: number[] = [];
    for (let i = 0; i < 11; i++)
      codes.push((await c.call(api.auth.login, { body: { username: "patrol2", password: `bad${i}` } })).status);
    expect(codes.slice(0, 10).every((s) => s === 401)).toBe(true);
    expect(codes[10]).toBe(429);
    const blocked = await c.call(api.auth.login, { body: { username: "patrol2", password: "demo" } });
    expect(blocked.status).toBe(429);
    expect(blocked.error.code).toBe("RATE_LIMITED");
    // Seconds until this address may try the account again, within the 15-minute window.
    expect(Number(blocked.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(Number(blocked.headers.get("retry-after"))).toBeLessThanOrEqual(900);
  });
});

describe(`sign-in throttle behind a proxy (TRUST_PROXY=1) [${ENGINE}]`, () => {
  let tdb: TestDatabase;
  let srv: RunningServer;
  beforeAll(async () => {
    tdb = await createTestDatabase();
    srv = await tdb.start({ TRUST_PROXY: "1" });
  });
  afterAll(async () => {
    await srv?.close();
    await tdb?.destroy();
  });

  // A forged proxy header: outside the contract, so through the escape hatch.
  const login = (forwardedFor: string, username: string, password: string) =>
    new TestClient(srv.url).raw(api.auth.login, {
      body: { username, password },
      headers: { "x-forwarded-for": forwardedFor },
    });

  it("counts failures per client address the proxy saw, ignoring what the client wrote in front of it", async () => {
    // 50 failures from one address, spread over accounts so no account limit is reached; half of them
    // forge an earlier hop, which must not move them to another bucket.
    for (let i = 0; i < 50; i++) {
      const r = await login(i % 2 ? `10.0.0.${i}, 203.0.113.7` : "203.0.113.7", `ghost${i % 5}`, "wrong");
      expect(r.status).toBe(401);
    }
    const blocked = await login("203.0.113.7", "operator", "demo");
    expect(blocked.status).toBe(429);
    expect(blocked.error.code).toBe("RATE_LIMITED");
    // Another address behind the same proxy is not punished for it.
    expect((await login("198.51.100.9", "operator", "demo")).status).toBe(200);
  });
});
