import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { createTestDatabase, ENGINE, type TestDatabase } from "../helpers/test-server.js";
import type { RunningServer } from "../../server/server.js";
import { rawRows, type DbOrTx } from "../../server/db/client.js";
import { LoginThrottle } from "../../server/auth/login-throttle.js";

type Reply = { status: number; code?: string };

/** A sign-in as if from `address` behind one proxy (TRUST_PROXY=1), against the server at `url`. */
async function login(url: string, address: string, username: string, password: string): Promise<Reply> {
  const res = await fetch(`${url}/api/auth/login`, {
    method: "POST", headers: { "content-type": "application/json", "x-forwarded-for": address },
    body: JSON.stringify({ username, password }),
  });
  const body = (await res.json().catch(() => ({}))) as { error?: { code: string } };
  return { status: res.status, code: body.error?.code };
}

/** The counts stored for these throttle keys (whatever their window). */
async function stored(db: DbOrTx, keys: string[]): Promise<Record<string, number>> {
  const rows = await rawRows<{ key: string; count: number }>(db, sql`select key, count from login_failures where key in ${keys}`);
  return Object.fromEntries(rows.map((r) => [r.key, Number(r.count)]));
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe(`sign-in throttle kept in the database [${ENGINE}]`, () => {
  let tdb: TestDatabase;
  let srv: RunningServer;
  beforeAll(async () => { tdb = await createTestDatabase(); srv = await tdb.start({ TRUST_PROXY: "1" }); });
  afterAll(async () => { await srv?.close(); await tdb?.destroy(); });

  it("counts every one of 20 failures sent at once, for the account and for the address", async () => {
    const replies = await Promise.all(Array.from({ length: 20 }, (_, i) => login(srv.url, "203.0.113.20", "Ghost-C", `bad${i}`)));
    // All were checked before any was counted, or some after the 10th: either way none got in.
    expect(replies.every((r) => r.status === 401 || r.status === 429)).toBe(true);
    const failed = replies.filter((r) => r.status === 401).length;
    expect(await stored(srv.database.db, ["u:ghost-c", "a:203.0.113.20"])).toEqual({ "u:ghost-c": failed, "a:203.0.113.20": failed });
    expect(failed).toBeGreaterThanOrEqual(10);

    // Then 50 − failed more from that address at once, spread so no account reaches its own limit:
    // the address is at exactly 50 only if no increment was lost, and the next sign-in is refused.
    const more = 50 - failed;
    const rest = await Promise.all(Array.from({ length: more }, (_, i) => login(srv.url, "203.0.113.20", `ghost-d${i % 6}`, "wrong")));
    expect(rest.map((r) => r.status)).toEqual(Array(more).fill(401));
    expect((await stored(srv.database.db, ["a:203.0.113.20"]))["a:203.0.113.20"]).toBe(50);
    expect(await login(srv.url, "203.0.113.20", "operator", "demo")).toEqual({ status: 429, code: "RATE_LIMITED" });
    expect((await login(srv.url, "198.51.100.20", "operator", "demo")).status).toBe(200);
  });

  it("counts 20 failures recorded at once straight through the throttle", async () => {
    const t = new LoginThrottle(srv.database.db);
    await Promise.all(Array.from({ length: 20 }, () => t.fail("ghost-f", "addr-f")));
    expect(await stored(srv.database.db, ["u:ghost-f", "a:addr-f"])).toEqual({ "u:ghost-f": 20, "a:addr-f": 20 });
  });

  it("still refuses an account after the server restarts", async () => {
    for (let i = 0; i < 10; i++) expect((await login(srv.url, "203.0.113.30", "head", `bad${i}`)).status).toBe(401);
    expect(await login(srv.url, "198.51.100.30", "head", "demo")).toEqual({ status: 429, code: "RATE_LIMITED" });
    await srv.close();
    srv = await tdb.start({ TRUST_PROXY: "1" });
    expect(await login(srv.url, "198.51.100.31", "head", "demo")).toEqual({ status: 429, code: "RATE_LIMITED" });
    // A success clears the account's count (not the address's): patrol1 had two failures, then got in.
    for (let i = 0; i < 2; i++) await login(srv.url, "203.0.113.32", "patrol1", "bad");
    expect((await login(srv.url, "203.0.113.32", "patrol1", "demo")).status).toBe(200);
    expect(await stored(srv.database.db, ["u:patrol1", "a:203.0.113.32"])).toEqual({ "a:203.0.113.32": 2 });
  });

  it("keys on the account in any case and padding, restarts a window that has passed, and prunes only expired rows", async () => {
    const db = srv.database.db;
    const t = new LoginThrottle(db, 3, 5, 1000);
    await t.fail("Wx", "addr-1");
    await t.fail("wx", "addr-1");
    expect(await t.blocked("wx", "addr-2")).toBe(false);
    await t.fail(" WX ", "addr-1"); // padding is not a new account either
    expect(await t.blocked("wX", "addr-2")).toBe(true);
    await sleep(1100);
    expect(await t.blocked("wx", "addr-2")).toBe(false);
    // A failure after the window starts a new one at 1, not at 4.
    await t.fail("wx", "addr-3");
    expect(await stored(db, ["u:wx"])).toEqual({ "u:wx": 1 });
    expect(await t.blocked("wx", "addr-2")).toBe(false);

    // The address limit counts across accounts; a success clears only the account.
    const a = new LoginThrottle(db, 3, 5, 60_000);
    for (let i = 0; i < 5; i++) await a.fail(i < 3 ? "acct" : `other${i}`, "addr-9");
    expect(await a.blocked("someone", "addr-9")).toBe(true);
    expect(await a.blocked("acct", "addr-8")).toBe(true);
    await a.succeed("ACCT");
    expect(await a.blocked("acct", "addr-8")).toBe(false);
    expect(await a.blocked("someone", "addr-9")).toBe(true);

    // addr-1's window (1 s) has passed; addr-3's is young, u:acct's was cleared, addr-9's is live.
    expect(await t.prune()).toBeGreaterThanOrEqual(1);
    expect(Object.keys(await stored(db, ["a:addr-1", "a:addr-3", "u:wx", "a:addr-9"])).sort()).toEqual(["a:addr-3", "a:addr-9", "u:wx"]);
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
  afterAll(async () => { await a?.close(); await b?.close(); await tdb?.destroy(); });

  it("6 failures on one node and 4 on the other use up the account: the 11th attempt is refused on both", async () => {
    expect(a.url).not.toBe(b.url);
    for (let i = 0; i < 6; i++) expect((await login(a.url, `203.0.113.${40 + i}`, "supervisor", `bad${i}`)).status).toBe(401);
    for (let i = 0; i < 4; i++) expect((await login(b.url, `203.0.113.${50 + i}`, "supervisor", `bad${i}`)).status).toBe(401);
    expect(await login(a.url, "198.51.100.40", "supervisor", "demo")).toEqual({ status: 429, code: "RATE_LIMITED" });
    expect(await login(b.url, "198.51.100.41", "supervisor", "demo")).toEqual({ status: 429, code: "RATE_LIMITED" });
    // Another account is not affected on either node.
    expect((await login(b.url, "198.51.100.41", "operator", "demo")).status).toBe(200);
  });

  it("counts 20 failures sent at once to both nodes without losing any", async () => {
    const replies = await Promise.all(Array.from({ length: 20 }, (_, i) => login(i % 2 ? a.url : b.url, "203.0.113.60", "ghost-e", `bad${i}`)));
    const failed = replies.filter((r) => r.status === 401).length;
    expect(failed + replies.filter((r) => r.code === "RATE_LIMITED").length).toBe(20);
    expect(await stored(a.database.db, ["u:ghost-e", "a:203.0.113.60"])).toEqual({ "u:ghost-e": failed, "a:203.0.113.60": failed });
  });
});
