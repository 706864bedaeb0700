import { afterAll, beforeAll, describe, expect, it } from "vitest";
import fc from "fast-check";
import { api } from "../../shared/api/index.js";
import type { Endpoint } from "../../shared/api/endpoint.js";
import { ROLES, type Role } from "../../shared/roles.js";
import { createTestDatabase, ENGINE, type TestDatabase } from "../helpers/test-server.js";
import type { RunningServer } from "../../server/server.js";
import { TestClient, signedIn } from "../helpers/http.js";
import { hostileFor, inputSchema, HOSTILE_STRINGS } from "../helpers/hostile.js";
import { rowCount } from "../helpers/db.js";

/**
 * Generated from the one policy table (each endpoint's declared `access` in shared/api): every
 * role × endpoint cell is allowed or refused as declared; and every endpoint survives hostile
 * input: never a 5xx, always the error shape, nothing written when refused.
 */
const USER_OF: Record<Role, string> = {
  operator: "operator",
  patrol: "patrol1",
  head: "head",
  supervisor: "supervisor",
  admin: "admin",
};
const endpoints: [string, Endpoint][] = Object.entries(api).flatMap(([g, eps]) =>
  Object.entries(eps as Record<string, Endpoint>).map(([n, ep]) => [`${g}.${n}`, ep] as [string, Endpoint]),
);
// Logout ends the session the rest of the matrix uses; it has its own test in auth.test.ts.
const SKIP = new Set(["auth.logout", "auth.login"]);

const RANDOM_ID = "7d1c1f1e-0000-4000-8000-000000000000";
const fillParams = (path: string) => path.replace(/:([A-Za-z_]+)/g, RANDOM_ID);

/** No 5xx, and failures in the endpoint's declared error shape (ours, or Open311's array). */
function expectErrorShape(status: number, body: unknown, label: string, ep?: Endpoint) {
  expect(status, `${label}: ${JSON.stringify(body)?.slice(0, 300)}`).toBeLessThan(500);
  if (status < 400) return;
  if (ep?.errors === "open311") {
    expect(Array.isArray(body) && body.length > 0, `${label}: ${JSON.stringify(body)}`).toBe(true);
    expect((body as unknown[])[0], label).toEqual({ code: status, description: expect.any(String) });
    return;
  }
  const error = (body as { error?: { code?: unknown; message?: unknown } } | undefined)?.error;
  expect(typeof error?.code, `${label}: ${JSON.stringify(body)}`).toBe("string");
  expect(typeof error?.message, label).toBe("string");
}

/** The part of the OpenAPI document these tests read. */
interface OpenApiDoc {
  paths: Record<
    string,
    | Record<
        string,
        { operationId?: string; responses: Record<string, { content?: Record<string, unknown> }> } | undefined
      >
    | undefined
  >;
}

describe(`policy matrix and hostile input over every endpoint [${ENGINE}]`, () => {
  let tdb: TestDatabase;
  let srv: RunningServer;
  const clients = {} as Record<Role, TestClient>;
  beforeAll(async () => {
    tdb = await createTestDatabase();
    srv = await tdb.start();
    for (const role of ROLES) clients[role] = await signedIn(srv.url, USER_OF[role]);
  });
  afterAll(async () => {
    await srv?.close();
    await tdb?.destroy();
  });

  it("covers the file downloads and Open311 as declared endpoints", () => {
    const names = endpoints.map(([n]) => n);
    expect(names).toEqual(
      expect.arrayContaining([
        "exports.totalsCsv",
        "exports.encountersCsv",
        "exports.ledgerXlsx",
        "open311.create",
        "open311.get",
      ]),
    );
    expect(endpoints.filter(([, ep]) => ep.produces).length).toBeGreaterThanOrEqual(14);
  });

  it("documents every declared endpoint in OpenAPI, downloads with their media type", async () => {
    // The document itself is not a declared endpoint (it describes them): read it outside the contract.
    const doc = (await new TestClient(srv.url).raw("GET", "/api/openapi.json")).body as OpenApiDoc;
    for (const [name, ep] of endpoints) {
      const op = doc.paths[ep.path.replace(/:([A-Za-z_]+)/g, "{$1}")]?.[ep.method.toLowerCase()];
      expect(op?.operationId, name).toBe(name);
      if (ep.produces) expect(Object.keys(op?.responses["200"]?.content ?? {}), name).toEqual([ep.produces]);
    }
  });

  it("refuses every non-public endpoint without a session (401)", async () => {
    const anon = new TestClient(srv.url);
    for (const [name, ep] of endpoints) {
      if (ep.access === "public") continue;
      const r = await anon.raw(ep.method, fillParams(ep.path), { body: ep.body ? {} : undefined });
      expect(r.status, name).toBe(401);
      expect(r.error.code, name).toBe("UNAUTHENTICATED");
    }
  });

  it("allows or refuses each role × endpoint exactly as the policy table declares", async () => {
    const cells: string[] = [];
    for (const [name, ep] of endpoints) {
      if (SKIP.has(name) || ep.access === "public") continue;
      for (const role of ROLES) {
        const allowed = ep.access === "any" || ep.access.includes(role);
        const r = await clients[role].raw(ep.method, fillParams(ep.path), { body: ep.body ? {} : undefined });
        expectErrorShape(r.status, r.body, `${name} as ${role}`, ep);
        const roleRefusal = r.status === 403 && /needs one of the roles/.test(r.error.message);
        expect(roleRefusal, `${name} as ${role}: ${r.status} ${JSON.stringify(r.body)}`).toBe(!allowed);
        cells.push(`${name}:${role}:${allowed ? "allow" : "deny"}`);
      }
    }
    expect(cells.length).toBeGreaterThan(0);
  });

  it("never answers hostile input with a 5xx, always with the error shape, and writes nothing on refusal", async () => {
    for (const [name, ep] of endpoints) {
      if (SKIP.has(name)) continue;
      const role =
        ep.access === "public" || ep.access === "any" ? "admin" : ep.access.includes("admin") ? "admin" : ep.access[0]!;
      const client = clients[role];
      const bodyArb = ep.body ? hostileFor(inputSchema(ep.body)) : fc.constant(undefined);
      const queryArb = ep.query ? hostileFor(inputSchema(ep.query)) : fc.constant(undefined);
      const paramArb = fc.oneof(
        fc.constant(RANDOM_ID),
        fc.constantFrom(...HOSTILE_STRINGS.filter((s) => s.length < 100 && !/[\uD800-\uDFFF]/.test(s))),
      );
      await fc.assert(
        fc.asyncProperty(bodyArb, queryArb, paramArb, async (body, query, param) => {
          const before = await rowCount(srv, "events");
          let path = ep.path.replace(/:([A-Za-z_]+)/g, () => encodeURIComponent(param || "x"));
          if (query && typeof query === "object" && !Array.isArray(query)) {
            const qs = new URLSearchParams();
            for (const [k, v] of Object.entries(query)) {
              // A lone surrogate cannot be put in a URL at all; a browser never sends one.
              const text = (typeof v === "string" ? v : (JSON.stringify(v) ?? "")).replace(/[\uD800-\uDFFF]/g, "?");
              qs.set(k, text);
            }
            path += `?${qs}`;
          }
          const r = await client.raw(ep.method, path, { body: ep.body ? body : undefined });
          expectErrorShape(
            r.status,
            r.body,
            `${name} ${JSON.stringify(body)?.slice(0, 200)} ${path.slice(0, 200)}`,
            ep,
          );
          if (r.status >= 400) expect(await rowCount(srv, "events"), name).toBe(before);
        }),
        { numRuns: 25, seed: 4242 },
      );
    }
  }, 300_000); // bounded by count (25 runs per endpoint), not by time: a loaded machine only makes it slower
});
