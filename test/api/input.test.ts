import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import { createTestDatabase, ENGINE, type TestDatabase } from "../helpers/test-server.js";
import type { RunningServer } from "../../server/server.js";
import { TestClient, signedIn } from "../helpers/http.js";
import { rowCount } from "../helpers/db.js";
import { api } from "../../shared/api/index.js";

describe(`input, errors and idempotency [${ENGINE}]`, () => {
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

  const valid = () => ({
    code: `S${Math.floor(Math.random() * 1e6)}`,
    name: "测试站",
    regionId,
    lat: 45.7,
    lng: 126.6,
  });

  it("answers 400 naming the field for each kind of bad input, and writes nothing", async () => {
    const stations = await rowCount(srv, "stations");
    const events = await rowCount(srv, "events");
    const cases: [unknown, string][] = [
      [{ ...valid(), lat: 91 }, "body.lat"],
      [{ ...valid(), lng: "126" }, "body.lng"],
      [{ ...valid(), name: "" }, "body.name"],
      [{ ...valid(), code: "has space" }, "body.code"],
      [{ ...valid(), regionId: "not-a-uuid" }, "body.regionId"],
      [{ ...valid(), beds: -1 }, "body.beds"],
      [{ ...valid(), name: "x".repeat(101) }, "body.name"],
    ];
    for (const [body, field] of cases) {
      const r = await admin.raw(api.stations.create, { body });
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.error.code).toBe("VALIDATION_FAILED");
      expect(r.error.message).toContain(field);
      expect(r.error.issues!.map((i: { path: string }) => i.path)).toContain(field);
    }
    const unknownRegion = await admin.call(api.stations.create, { body: { ...valid(), regionId: randomUUID() } });
    expect(unknownRegion.status).toBe(400);
    expect(unknownRegion.error.message).toContain("body.regionId");
    expect(await rowCount(srv, "stations")).toBe(stations);
    expect(await rowCount(srv, "events")).toBe(events);
  });

  it("refuses NUL characters (PostgreSQL cannot store them) naming the field", async () => {
    const r = await admin.call(api.stations.create, { body: { ...valid(), address: "桥洞\u0000下" } });
    expect(r.status).toBe(400);
    expect(r.error.message).toContain("body.address");
  });

  it("answers 400 MALFORMED_JSON to a body that is not JSON, and 400 to a missing body", async () => {
    const r = await admin.raw(api.stations.create, { body: "{ not json" });
    expect(r.status).toBe(400);
    expect(r.error.code).toBe("MALFORMED_JSON");
    const empty = await admin.raw(api.stations.create, { contentType: "application/json" });
    expect(empty.status).toBe(400);
    expect(empty.error.code).toBe("VALIDATION_FAILED");
  });

  it("answers 400 naming the path parameter and 404 JSON for unknown endpoints", async () => {
    const r = await admin.call(api.stations.update, { params: { id: "not-a-uuid" }, body: { version: 1 } });
    expect(r.status).toBe(400);
    expect(r.error.message).toContain("params.id");
    const missing = await admin.raw("GET", "/api/no-such-thing");
    expect(missing.status).toBe(404);
    expect(missing.error.code).toBe("NOT_FOUND");
  });

  it("refuses an oversized body with 413 and a cross-origin write with 403", async () => {
    const big = await admin.call(api.stations.create, { body: { ...valid(), address: "x".repeat(2 * 1024 * 1024) } });
    expect(big.status).toBe(413);
    expect(big.error.code).toBe("PAYLOAD_TOO_LARGE");
    const cross = await admin.raw(api.stations.create, { body: valid(), headers: { origin: "https://evil.example" } });
    expect(cross.status).toBe(403);
    expect(cross.error.code).toBe("CROSS_ORIGIN");
  });

  it("treats a repeated create with the same client id as a no-op returning the first result", async () => {
    const events = await rowCount(srv, "events");
    const body = { ...valid(), id: randomUUID() };
    const first = await admin.call(api.stations.create, { body });
    const again = await admin.call(api.stations.create, { body });
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    expect(await rowCount(srv, "events")).toBe(events + 1);
    const clash = await admin.call(api.stations.create, { body: { ...valid(), code: body.code } });
    expect(clash.status).toBe(409);
    expect(clash.error.code).toBe("CONFLICT");
  });

  it("refuses a stale version with 409 VERSION_CONFLICT: of two concurrent edits exactly one wins", async () => {
    const created = (await admin.call(api.stations.create, { body: valid() })).body;
    const results = await Promise.all(
      ["甲", "乙", "丙", "丁"].map((n) =>
        admin.call(api.stations.update, { params: { id: created.id }, body: { version: created.version, name: n } }),
      ),
    );
    const ok = results.filter((r) => r.status === 200);
    expect(ok).toHaveLength(1);
    expect(results.filter((r) => r.status === 409 && r.error.code === "VERSION_CONFLICT")).toHaveLength(3);
    expect(ok[0]!.body.version).toBe(created.version + 1);
  });

  it("reports health with the engine in use and serves an OpenAPI document generated from the schemas", async () => {
    const h = await new TestClient(srv.url).call(api.health.health);
    expect(h.body).toEqual({
      ok: true,
      db: ENGINE,
      version: expect.any(String),
      liveFeed: { delivered: expect.any(Number), waitingMs: 0 },
    });
    // The document describes the endpoints and is not one of them: read outside the contract.
    const doc = (await new TestClient(srv.url).raw("GET", "/api/openapi.json")).body;
    expect(doc).toMatchObject({
      openapi: "3.1.0",
      paths: {
        "/api/auth/login": {
          post: {
            requestBody: { content: { "application/json": { schema: { required: ["username", "password"] } } } },
          },
        },
        "/api/stations/{id}": {
          patch: { parameters: [expect.objectContaining({ name: "id", in: "path", required: true })] },
        },
      },
    });
  });

  it("tags every response with a request id", async () => {
    const r = await new TestClient(srv.url).call(api.health.health);
    expect(r.headers.get("x-request-id")).toMatch(/^[\w-]+$/);
  });
});
