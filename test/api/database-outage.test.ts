import { createServer, connect, type Server, type Socket } from "node:net";
import type { AddressInfo } from "node:net";
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import postgres from "postgres";
import { loadEnv, testDatabaseUrl } from "../../server/env.js";
import { createLogger } from "../../server/logger.js";
import { startServer, type RunningServer } from "../../server/server.js";
import { isDatabaseUnavailable } from "../../server/db/unavailable.js";
import { ENGINE } from "../helpers/test-server.js";
import { signedIn, TestClient } from "../helpers/http.js";
import { api } from "../../shared/api/index.js";

/** A TCP relay in front of PostgreSQL that the test can cut: existing links dropped, new ones refused. */
async function relay(target: URL): Promise<{ port: number; cut(): Promise<void> }> {
  const links = new Set<Socket>();
  const server: Server = createServer((client) => {
    const upstream = connect(Number(target.port || 5432), target.hostname);
    for (const s of [client, upstream]) {
      links.add(s);
      s.on("error", () => {});
      s.on("close", () => links.delete(s));
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return {
    port: (server.address() as AddressInfo).port,
    cut: async () => {
      await new Promise<void>((r) => {
        server.close(() => r());
        for (const s of links) s.destroy();
      });
    },
  };
}

const base = {
  PORT: "0",
  HOST: "127.0.0.1",
  SEED: "demo",
  SEED_STOCK: "0",
  LOG_LEVEL: "silent",
  NODE_ENV: "test",
  JOBS_ENABLED: "false",
};

describe.runIf(ENGINE === "postgres")(
  "database outage and pool exhaustion answer 503 with Retry-After [postgres]",
  () => {
    const adminUrl = testDatabaseUrl()!;
    let admin: postgres.Sql;
    const name = `wl_out_${process.pid}_${randomBytes(4).toString("hex")}`;
    const role = `wl_lim_${randomBytes(4).toString("hex")}`;
    let dbUrl: URL;

    beforeAll(async () => {
      admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
      await admin.unsafe(`create role ${role} login password 'limited-pw' connection limit 5`);
      await admin.unsafe(`create database ${name} owner ${role}`);
      dbUrl = new URL(adminUrl);
      dbUrl.pathname = `/${name}`;
    });
    afterAll(async () => {
      await admin.unsafe(`drop database if exists ${name} with (force)`).catch(() => {});
      await admin.unsafe(`drop database if exists ${name}_b with (force)`).catch(() => {});
      await admin.unsafe(`drop role if exists ${role}`).catch(() => {});
      await admin.end();
    });

    it("PostgreSQL unreachable (connections dropped, port closed): API 503 DATABASE_UNAVAILABLE + Retry-After, /api/ready 503, /api/health 200", async () => {
      const r = await relay(dbUrl);
      const url = new URL(dbUrl);
      url.port = String(r.port);
      const srv = await startServer(
        loadEnv({ ...base, DATABASE_URL: url.toString(), DB_POOL_SIZE: "4" }),
        createLogger("silent"),
      );
      try {
        const op = await signedIn(srv.url, "operator");
        const anon = new TestClient(srv.url);
        expect((await anon.call(api.health.ready)).status).toBe(200);
        await r.cut();
        const list = await op.call(api.cases.list, { query: {} });
        expect(list.status).toBe(503);
        expect(list.error.code).toBe("DATABASE_UNAVAILABLE");
        expect(Number(list.headers.get("retry-after"))).toBeGreaterThan(0);
        const ready = await anon.call(api.health.ready);
        expect(ready.status).toBe(503);
        expect(ready.error.code).toBe("DATABASE_UNAVAILABLE");
        expect(ready.headers.get("retry-after")).toMatch(/^\d+$/);
        const health = await anon.call(api.health.health);
        expect(health.status).toBe(200);
        expect(health.body.ok).toBe(false);
      } finally {
        await srv.close().catch(() => {});
      }
    });

    it("connections refused by the server (too many for the role, 53300): 503 + Retry-After, never 500", async () => {
      // A database of its own, made by the role (the first test's tables belong to the superuser).
      await admin.unsafe(`create database ${name}_b owner ${role} template template0`);
      const url = new URL(dbUrl);
      url.pathname = `/${name}_b`;
      url.username = role;
      url.password = "limited-pw";
      const srv = await startServer(
        loadEnv({ ...base, DATABASE_URL: url.toString(), DB_POOL_SIZE: "6" }),
        createLogger("silent"),
      );
      try {
        const op = await signedIn(srv.url, "operator");
        // Down to one connection for the role, and the server's open ones gone: the pool must reconnect,
        // and every connection beyond the first is refused with "too many connections for role".
        await admin.unsafe(`alter role ${role} connection limit 1`);
        await admin`select pg_terminate_backend(pid) from pg_stat_activity where datname = ${name + "_b"} and usename = ${role}`;
        const replies = await Promise.all(Array.from({ length: 12 }, () => op.call(api.cases.list, { query: {} })));
        const statuses = replies.map((x) => x.status);
        expect(
          statuses.every((s) => s === 200 || s === 503),
          statuses.join(","),
        ).toBe(true);
        const refused = replies.filter((x) => x.status === 503);
        expect(refused.length, statuses.join(",")).toBeGreaterThan(0);
        for (const x of refused) {
          expect(x.error.code).toBe("DATABASE_UNAVAILABLE");
          expect(x.headers.get("retry-after")).toMatch(/^\d+$/);
        }
        await admin.unsafe(`alter role ${role} connection limit 5`);
        // It recovers by itself once connections are allowed again.
        let ok = 0;
        for (let i = 0; i < 20 && ok === 0; i++) {
          ok = (await new TestClient(srv.url).call(api.health.ready)).status === 200 ? 1 : 0;
          if (!ok) await new Promise((res) => setTimeout(res, 100));
        }
        expect(ok).toBe(1);
      } finally {
        await srv.close().catch(() => {});
      }
    });
  },
);

describe("which errors mean 'database unavailable'", () => {
  it("maps connection failures and server refusals, not statement errors", () => {
    const pgError = (code: string, severity = "ERROR") => Object.assign(new Error("x"), { code, severity });
    const wrapped = (cause: unknown) => Object.assign(new Error("Failed query"), { cause });
    for (const e of [
      Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED", syscall: "connect" }),
      Object.assign(new Error("write CONNECTION_CLOSED"), { code: "CONNECTION_CLOSED" }),
      Object.assign(new Error("write CONNECT_TIMEOUT"), { code: "CONNECT_TIMEOUT" }),
      pgError("53300", "FATAL"),
      pgError("57P03", "FATAL"),
      pgError("57P01", "FATAL"),
      pgError("3D000", "FATAL"),
      wrapped(pgError("53300", "FATAL")),
      wrapped(Object.assign(new Error("refused"), { code: "ECONNREFUSED", syscall: "connect" })),
    ])
      expect(isDatabaseUnavailable(e), String((e as { code?: string }).code)).toBe(true);
    for (const e of [pgError("23505"), pgError("22P02"), wrapped(pgError("40P01")), new Error("boom"), undefined])
      expect(isDatabaseUnavailable(e)).toBe(false);
  });
});
