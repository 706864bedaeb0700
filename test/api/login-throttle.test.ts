import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { createTestDatabase, ENGINE, type TestDatabase } from "../helpers/test-server.js";
import type { RunningServer } from "../../server/server.js";
import { rawRows, type DbOrTx } from "../../server/db/client.js";
import { LoginThrottle, addressBucket } from "../../server/auth/login-throttle.service.js";
import { TestClient } from "../helpers/http.js";
import { EventRecorder } from "../helpers/socket.js";
import { api } from "../../shared/api/index.js";

type Reply = { status: number; code?: string; retryAfter?: number };

/** A sign-in as if from `address` behind one proxy (TRUST_PROXY=1), against the server at `url`. */
async function login(url: string, address: string, username: string, password: string): Promise<Reply> {
  // A forged proxy header: outside the contract, so through the escape hatch.
  const res = await new TestClient(url).raw(api.auth.login, {
    body: { username, password },
    headers: { "x-forwarded-for": address },
  });
  const retryAfter = res.headers.get("retry-after");
  return {
    status: res.status,
    code: res.status >= 400 ? res.error.code : undefined,
    ...(retryAfter ? { retryAfter: Number(retryAfter) } : {}),
  };
}

/** A refusal as the tests expect it: 429 RATE_LIMITED with a Retry-After within the 15-minute window. */
const limited = { status: 429, code: "RATE_LIMITED", retryAfter: expect.any(Number) };

/** The counts stored for these throttle keys (whatever their window). */
async function stored(db: DbOrTx, keys: string[]): Promise<Record<string, number>> {
  const rows = await rawRows<{ key: string; count: number }>(
    db,
    sql`select key, count from login_failures where key in ${keys}`,
  );
  return Object.fromEntries(rows.map((r) => [r.key, Number(r.count)]));
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe(`sign-in throttle kept in the database [${ENGINE}]`, () => {
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

  it("counts every one of 20 failures sent at once, for the account and for the address", async () => {
    const replies = await Promise.all(
      Array.from({ length: 20 }, (_, i) => login(srv.url, "203.0.113.20", "Ghost-C", `bad${i}`)),
    );
    // All were checked before any was counted, or some after the 10th: either way none got in.
    expect(replies.every((r) => r.status === 401 || r.status === 429)).toBe(true);
    const failed = replies.filter((r) => r.status === 401).length;
    expect(await stored(srv.database.db, ["u:ghost-c", "a:203.0.113.20", "p:ghost-c@203.0.113.20"])).toEqual({
      "u:ghost-c": failed,
      "a:203.0.113.20": failed,
      "p:ghost-c@203.0.113.20": failed,
    });
    expect(failed).toBeGreaterThanOrEqual(10);

    // Then 50 − failed more from that address at once, spread so no account reaches its own limit:
    // the address is at exactly 50 only if no increment was lost, and the next sign-in is refused.
    const more = 50 - failed;
    const rest = await Promise.all(
      Array.from({ length: more }, (_, i) => login(srv.url, "203.0.113.20", `ghost-d${i % 6}`, "wrong")),
    );
    expect(rest.map((r) => r.status)).toEqual(Array(more).fill(401));
    expect((await stored(srv.database.db, ["a:203.0.113.20"]))["a:203.0.113.20"]).toBe(50);
    const refused = await login(srv.url, "203.0.113.20", "operator", "demo");
    expect(refused).toEqual(limited);
    expect(refused.retryAfter).toBeGreaterThan(0);
    expect(refused.retryAfter).toBeLessThanOrEqual(15 * 60);
    expect((await login(srv.url, "198.51.100.20", "operator", "demo")).status).toBe(200);
  });

  it("counts 20 failures recorded at once straight through the throttle", async () => {
    const t = new LoginThrottle(srv.database.db);
    await Promise.all(Array.from({ length: 20 }, () => t.fail("ghost-f", "addr-f")));
    expect(await stored(srv.database.db, ["u:ghost-f", "a:addr-f", "p:ghost-f@addr-f"])).toEqual({
      "u:ghost-f": 20,
      "a:addr-f": 20,
      "p:ghost-f@addr-f": 20,
    });
  });

  it("still refuses the guessing address after the server restarts, and only that address", async () => {
    for (let i = 0; i < 10; i++) expect((await login(srv.url, "203.0.113.30", "head", `bad${i}`)).status).toBe(401);
    expect(await login(srv.url, "203.0.113.30", "head", "demo")).toEqual(limited);
    await srv.close();
    srv = await tdb.start({ TRUST_PROXY: "1" });
    expect(await login(srv.url, "203.0.113.30", "head", "demo")).toEqual(limited);
    // The head's own phone, at an address that never failed, is not locked out by the guesser.
    expect((await login(srv.url, "198.51.100.31", "head", "demo")).status).toBe(200);
    // A success clears that address's tries at the account, not the address's count nor the account's.
    for (let i = 0; i < 2; i++) await login(srv.url, "203.0.113.32", "patrol1", "bad");
    expect((await login(srv.url, "203.0.113.32", "patrol1", "demo")).status).toBe(200);
    expect(await stored(srv.database.db, ["u:patrol1", "a:203.0.113.32", "p:patrol1@203.0.113.32"])).toEqual({
      "a:203.0.113.32": 2,
      "u:patrol1": 2,
    });
  });

  it("a stranger cannot lock a crew out: signed-in devices keep working and clean addresses still get in", async () => {
    // The crew's phone signed in before the attack, with its live feed open.
    const phone = new TestClient(srv.url);
    expect(
      (
        await phone.raw(api.auth.login, {
          body: { username: "patrol2", password: "demo" },
          headers: { "x-forwarded-for": "198.51.100.60" },
        })
      ).status,
    ).toBe(200);
    const feed = new EventRecorder(srv.url, phone.cookie);
    await feed.ready();
    // A stranger tries 30 passwords from one address: after 10 that address is refused, right password included.
    const replies: Reply[] = [];
    for (let i = 0; i < 30; i++) replies.push(await login(srv.url, "203.0.113.61", "patrol2", `guess${i}`));
    expect(replies.slice(0, 10).every((r) => r.status === 401)).toBe(true);
    expect(replies.slice(10).every((r) => r.status === 429 && r.code === "RATE_LIMITED" && r.retryAfter! > 0)).toBe(
      true,
    );
    expect(await login(srv.url, "203.0.113.61", "patrol2", "demo")).toEqual(limited);
    // The phone's session and socket are untouched; another phone of the crew signs in.
    expect((await phone.call(api.auth.me)).status).toBe(200);
    expect(feed.socket.connected).toBe(true);
    expect((await login(srv.url, "198.51.100.62", "patrol2", "demo")).status).toBe(200);
    feed.close();
  });

  it("slows guessing spread over many addresses: past the account's limit, each address gets one wrong guess", async () => {
    const db = srv.database.db;
    const t = new LoginThrottle(db, { perAddress: 50, perAccountFromAddress: 10, perAccount: 5, windowMs: 60_000 });
    for (let i = 0; i < 5; i++) {
      expect(await t.blocked("crew-a", `bot-${i}`)).toBe(false);
      await t.fail("crew-a", `bot-${i}`);
    }
    // The account has seen 5 failures: every address that failed at it is refused now…
    for (let i = 0; i < 5; i++) expect((await t.refusal("crew-a", `bot-${i}`))?.reason).toBe("account");
    // …a fresh address may still try, and after one wrong guess it is refused too…
    expect(await t.blocked("crew-a", "bot-9")).toBe(false);
    await t.fail("crew-a", "bot-9");
    expect(await t.blocked("crew-a", "bot-9")).toBe(true);
    // …while the crew's own phone (never failed at it) and other accounts are not affected.
    expect(await t.blocked("crew-a", "crew-phone")).toBe(false);
    expect(await t.blocked("crew-b", "bot-0")).toBe(false);
    // A right password from the crew's phone does not reset the account's count for the bots.
    await t.succeed("crew-a", "crew-phone");
    expect(await t.blocked("crew-a", "bot-1")).toBe(true);
  });

  it("keys on the account in any case and padding, restarts a window that has passed, and prunes only expired rows", async () => {
    const db = srv.database.db;
    const t = new LoginThrottle(db, { perAccountFromAddress: 3, perAddress: 5, perAccount: 100, windowMs: 1000 });
    await t.fail("Wx", "addr-1");
    await t.fail("wx", "addr-1");
    expect(await t.blocked("wx", "addr-1")).toBe(false);
    await t.fail(" WX ", "addr-1"); // padding is not a new account either
    expect(await t.blocked("wX", "addr-1")).toBe(true);
    expect(await t.blocked("wx", "addr-2")).toBe(false);
    await sleep(1100);
    expect(await t.blocked("wx", "addr-1")).toBe(false);
    // A failure after the window starts a new one at 1, not at 4.
    await t.fail("wx", "addr-3");
    expect(await stored(db, ["u:wx", "p:wx@addr-3"])).toEqual({ "u:wx": 1, "p:wx@addr-3": 1 });

    // The address limit counts across accounts; a success clears only that address's tries at the account.
    const a = new LoginThrottle(db, { perAccountFromAddress: 3, perAddress: 5, perAccount: 100, windowMs: 60_000 });
    for (let i = 0; i < 3; i++) await a.fail("acct", "addr-8");
    expect(await a.blocked("acct", "addr-8")).toBe(true);
    await a.succeed("ACCT", "addr-8");
    expect(await a.blocked("acct", "addr-8")).toBe(false);
    for (let i = 0; i < 2; i++) await a.fail(`other${i}`, "addr-8");
    expect(await a.blocked("someone", "addr-8")).toBe(true);
    expect((await a.refusal("someone", "addr-8"))?.reason).toBe("address");

    // addr-1's window (1 s) has passed; addr-3's is young, addr-8's is live.
    expect(await t.prune()).toBeGreaterThanOrEqual(1);
    expect(Object.keys(await stored(db, ["a:addr-1", "a:addr-3", "u:wx", "a:addr-8"])).sort()).toEqual([
      "a:addr-3",
      "a:addr-8",
      "u:wx",
    ]);
  });

  it("counts an IPv6 client by its /64 and an IPv4-mapped address as IPv4", () => {
    expect(addressBucket("2001:db8:1:2:aaaa::1")).toBe("2001:db8:1:2::/64");
    expect(addressBucket("2001:0db8:0001:0002:ffff:ffff:ffff:ffff")).toBe("2001:db8:1:2::/64");
    expect(addressBucket("2001:db8::5")).toBe("2001:db8:0:0::/64");
    expect(addressBucket("::ffff:203.0.113.5")).toBe("203.0.113.5");
    expect(addressBucket("203.0.113.5")).toBe("203.0.113.5");
  });
});

describe.skipIf(ENGINE !== "postgres")("sign-in throttle shared by two nodes on one database [postgres only]", () => {
  let tdb: TestDatabase;
  let a: RunningServer, b: RunningServer;
  beforeAll(async () => {
    tdb = await createTestDatabase();
    a = await tdb.start({ TRUST_PROXY: "1" });
    b = await tdb.start({ TRUST_PROXY: "1" });
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await tdb?.destroy();
  });

  it("6 failures on one node and 4 on the other from one address use up its tries: refused on both, a clean address gets in", async () => {
    expect(a.url).not.toBe(b.url);
    for (let i = 0; i < 6; i++) expect((await login(a.url, "203.0.113.40", "supervisor", `bad${i}`)).status).toBe(401);
    for (let i = 0; i < 4; i++) expect((await login(b.url, "203.0.113.40", "supervisor", `bad${i}`)).status).toBe(401);
    expect(await login(a.url, "203.0.113.40", "supervisor", "demo")).toEqual(limited);
    expect(await login(b.url, "203.0.113.40", "supervisor", "demo")).toEqual(limited);
    expect((await login(b.url, "198.51.100.41", "supervisor", "demo")).status).toBe(200);
    // Another account from the guessing address is not affected on either node.
    expect((await login(b.url, "203.0.113.40", "operator", "demo")).status).toBe(200);
  });

  it("counts 20 failures sent at once to both nodes without losing any", async () => {
    const replies = await Promise.all(
      Array.from({ length: 20 }, (_, i) => login(i % 2 ? a.url : b.url, "203.0.113.60", "ghost-e", `bad${i}`)),
    );
    const failed = replies.filter((r) => r.status === 401).length;
    expect(failed + replies.filter((r) => r.code === "RATE_LIMITED").length).toBe(20);
    expect(await stored(a.database.db, ["u:ghost-e", "a:203.0.113.60", "p:ghost-e@203.0.113.60"])).toEqual({
      "u:ghost-e": failed,
      "a:203.0.113.60": failed,
      "p:ghost-e@203.0.113.60": failed,
    });
  });
});
