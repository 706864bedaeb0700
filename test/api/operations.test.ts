import { randomUUID } from "node:crypto";
import { existsSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { createTestDatabase, ENGINE, type TestDatabase } from "../helpers/test-server.js";
import type { RunningServer } from "../../server/server.js";
import { signedIn, TestClient, type BodyOf } from "../helpers/http.js";
import { EventRecorder } from "../helpers/socket.js";
import { demoIds, openCase } from "../helpers/fleet.js";
import { parsePrometheus, type Sample } from "../helpers/prometheus.js";
import { api } from "../../shared/api/index.js";
import { WEB_DIST } from "../../server/app.js";
import type { Logger } from "../../server/logger.js";

/** A logger that keeps every entry (with its merged child fields) for the test to read. */
function capturingLogger(lines: Record<string, unknown>[], base: Record<string, unknown> = {}): Logger {
  const write = (level: string) => (msg: string, fields?: Record<string, unknown>) =>
    void lines.push({ level, msg, ...base, ...fields });
  return {
    debug: write("debug"),
    info: write("info"),
    warn: write("warn"),
    error: write("error"),
    child: (f) => capturingLogger(lines, { ...base, ...f }),
  };
}

async function scrape(url: string, headers: Record<string, string> = {}) {
  const res = await fetch(`${url}/metrics`, { headers });
  return { status: res.status, type: res.headers.get("content-type"), text: await res.text() };
}

const find = (samples: Sample[], name: string, labels: Record<string, string> = {}) =>
  samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));

describe(`operations: metrics, readiness, access log, unknown paths [${ENGINE}]`, () => {
  let tdb: TestDatabase;
  let srv: RunningServer;
  const logLines: Record<string, unknown>[] = [];

  beforeAll(async () => {
    tdb = await createTestDatabase();
    srv = await tdb.start(
      { JOB_TICK_MS: "50", LOG_LEVEL: "info", METRICS_TOKEN: "scrape-token-0123456789" },
      capturingLogger(logLines),
    );
  });
  afterAll(async () => {
    await srv?.close();
    await tdb?.destroy();
  });

  it("exposes the named series as strict Prometheus text after some traffic, a dispatch and an arrival", async () => {
    const ids = await demoIds(srv);
    const op = await signedIn(srv.url, "operator");
    const p1 = await signedIn(srv.url, "patrol1");
    const rec = new EventRecorder(srv.url, p1.cookie);
    await rec.ready();
    try {
      const caseId = await openCase(srv, ids.dl, 45.7712, 126.615, { receivedAt: new Date(Date.now() - 90_000) });
      const v = (await op.call(api.vehicles.list)).body.items.find((x) => x.callSign === "DL-01")!;
      const t = await op.call(api.dispatch.assign, {
        body: { id: randomUUID(), caseId, vehicleId: v.id, vehicleVersion: v.version },
      });
      expect(t.status).toBe(201);
      let version = t.body.version;
      for (const status of ["acknowledged", "en_route", "on_scene"] as BodyOf<
        typeof api.dispatch.setStatus
      >["status"][]) {
        const r = await p1.call(api.dispatch.setStatus, { params: { id: t.body.id }, body: { status, version } });
        expect(r.status).toBe(200);
        version = r.body.version;
      }
      await new TestClient(srv.url).call(api.health.health);
      await srv.services.jobs.idle();
      // The response times are observed after commit, off the request path: scrape until they are in.
      let parsed!: ReturnType<typeof parsePrometheus>;
      for (let i = 0; i < 100; i++) {
        const m = await scrape(srv.url);
        expect(m.status).toBe(200);
        expect(m.type).toMatch(/^text\/plain; version=0\.0\.4/);
        parsed = parsePrometheus(m.text);
        const done =
          find(parsed.samples, "warmline_call_to_on_scene_seconds_count")[0]?.value === 1 &&
          (find(parsed.samples, "warmline_job_runs_total")[0]?.value ?? 0) > 0;
        if (done) break;
        await new Promise((r) => setTimeout(r, 50));
      }
      const { samples, types } = parsed;
      expect(types.get("warmline_http_request_duration_seconds")).toBe("histogram");
      const health = find(samples, "warmline_http_request_duration_seconds_count", {
        method: "GET",
        route: "/api/health",
        status: "200",
      });
      expect(health[0]?.value).toBeGreaterThanOrEqual(1);
      // Route patterns, never raw paths: the task id does not appear as a label value.
      expect(
        find(samples, "warmline_http_request_duration_seconds_count", {
          route: "/api/assignments/:id/status",
          status: "200",
        })[0]?.value,
      ).toBe(3);
      expect(samples.some((s) => Object.values(s.labels).some((l) => l.includes(t.body.id)))).toBe(false);
      expect(find(samples, "warmline_event_pump_lag_events")[0]?.value).toBeGreaterThanOrEqual(0);
      expect(find(samples, "warmline_event_pump_lag_seconds")).toHaveLength(1);
      expect(find(samples, "warmline_sockets", { role: "patrol" })[0]?.value).toBe(1);
      expect(find(samples, "warmline_sockets", { role: "admin" })[0]?.value).toBe(0);
      expect(find(samples, "warmline_db_pool_size")[0]?.value).toBe(ENGINE === "pglite" ? 1 : 10);
      expect(find(samples, "warmline_db_pool_in_use")).toHaveLength(1);
      expect(find(samples, "warmline_db_pool_waiting")).toHaveLength(1);
      expect(find(samples, "warmline_job_runs_total", { job: "dispatch.unacknowledged" })[0]?.value).toBeGreaterThan(0);
      expect(types.get("warmline_job_failures_total")).toBe("counter");
      const dispatched = find(samples, "warmline_call_to_dispatch_seconds_count", { urgency: "high" })[0];
      expect(dispatched?.value).toBe(1);
      const toDispatch = find(samples, "warmline_call_to_dispatch_seconds_sum")[0]!.value;
      expect(toDispatch).toBeGreaterThanOrEqual(90);
      expect(find(samples, "warmline_call_to_on_scene_seconds_count")[0]?.value).toBe(1);
      expect(find(samples, "warmline_call_to_on_scene_seconds_sum")[0]!.value).toBeGreaterThanOrEqual(toDispatch);
    } finally {
      rec.close();
    }
  });

  it("answers /metrics only to loopback without a proxy, or to the bearer token", async () => {
    expect((await scrape(srv.url, { "x-forwarded-for": "203.0.113.9" })).status).toBe(404);
    expect((await scrape(srv.url, { authorization: "Bearer wrong-token-000000000" })).status).toBe(404);
    const withToken = await scrape(srv.url, {
      "x-forwarded-for": "203.0.113.9",
      authorization: "Bearer scrape-token-0123456789",
    });
    expect(withToken.status).toBe(200);
    expect(withToken.text).toContain("warmline_http_request_duration_seconds_bucket");
  });

  it("writes one JSON access-log line per request: route pattern, status, ms, request id, user id; no query or path", async () => {
    const op = await signedIn(srv.url, "operator");
    const me = await op.call(api.auth.me);
    const requestId = "ops-test-req-1";
    const r = await op.raw("GET", "/api/cases?phone=13800138000&q=%E5%BC%A0", {
      headers: { "x-request-id": requestId },
    });
    expect(r.status).toBeLessThan(500);
    const mine = logLines.filter((l) => l.msg === "request" && l.requestId === requestId);
    expect(mine).toHaveLength(1);
    const line = mine[0]!;
    expect(Object.keys(line).sort()).toEqual([
      "level",
      "method",
      "ms",
      "msg",
      "requestId",
      "route",
      "status",
      "userId",
    ]);
    expect(line).toMatchObject({
      level: "info",
      method: "GET",
      route: "/api/cases",
      status: r.status,
      userId: me.body.id,
    });
    expect(typeof line.ms).toBe("number");
    expect(JSON.stringify(line)).not.toMatch(/13800138000|phone|张/);
    const anon = await fetch(`${srv.url}/api/nope`, { headers: { "x-request-id": "ops-test-req-2" } });
    expect(anon.status).toBe(404);
    expect(logLines.filter((l) => l.requestId === "ops-test-req-2" && l.msg === "request")).toEqual([
      expect.objectContaining({ route: "/api/*", status: 404, userId: null }),
    ]);
  });

  it("answers 404 for unknown API, metrics-like and asset paths; the app's page only for its own routes asking for HTML", async () => {
    const api404 = await fetch(`${srv.url}/api/nope`);
    expect(api404.status).toBe(404);
    expect(((await api404.json()) as { error: { code: string } }).error.code).toBe("NOT_FOUND");
    for (const path of [
      "/healthz",
      "/metrics.json",
      "/prometheus",
      "/assets/missing.js",
      "/assets/missing.js.map",
      "/x.map",
    ]) {
      const plain = await fetch(`${srv.url}${path}`);
      expect(plain.status, path).toBe(404);
      expect(plain.headers.get("content-type") ?? "", path).not.toMatch(/html/);
      const browser = await fetch(`${srv.url}${path}`, { headers: { accept: "text/html,*/*;q=0.8" } });
      expect(browser.status, path).toBe(404);
    }
    const built = existsSync(`${WEB_DIST}/index.html`);
    for (const path of ["/duty", "/duty/", "/station", "/admin", "/login", "/m", "/m/"]) {
      const page = await fetch(`${srv.url}${path}`, {
        headers: { accept: "text/html,application/xhtml+xml,*/*;q=0.8" },
      });
      // Built (CI builds before testing): the page; not built: 503 saying so. Never a 404.
      expect(page.status, path).toBe(built ? 200 : 503);
      if (built) expect(await page.text(), path).toMatch(/<html/i);
      const data = await fetch(`${srv.url}${path}`, { headers: { accept: "application/json" } });
      expect(data.status, path).toBe(404);
    }
  });

  it("is live and ready; /api/ready is 503 NOT_READY while a migration is pending", async () => {
    const anon = new TestClient(srv.url);
    expect((await anon.call(api.health.health)).status).toBe(200);
    const ready = await anon.call(api.health.ready);
    expect(ready.status).toBe(200);
    expect(ready.body.migrations.applied).toBe(ready.body.migrations.expected);
    const db = srv.database.db;
    const [last] = (await db
      .execute(sql`select id, hash, created_at from drizzle.__drizzle_migrations order by created_at desc limit 1`)
      .then((r) => (Array.isArray(r) ? r : (r as { rows: unknown[] }).rows))) as {
      id: number;
      hash: string;
      created_at: string;
    }[];
    await db.execute(sql`delete from drizzle.__drizzle_migrations where id = ${last!.id}`);
    try {
      const pending = await anon.call(api.health.ready);
      expect(pending.status).toBe(503);
      expect(pending.error.code).toBe("NOT_READY");
      expect(pending.headers.get("retry-after")).toMatch(/^\d+$/);
      expect((await anon.call(api.health.health)).status).toBe(200);
    } finally {
      await db.execute(
        sql`insert into drizzle.__drizzle_migrations (id, hash, created_at) values (${last!.id}, ${last!.hash}, ${last!.created_at})`,
      );
    }
    expect((await anon.call(api.health.ready)).status).toBe(200);
  });
});
