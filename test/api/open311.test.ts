import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, ENGINE, type TestDatabase } from "../helpers/test-server.js";
import type { RunningServer } from "../../server/server.js";
import { TestClient, signedIn } from "../helpers/http.js";
import { EventRecorder, waitFor } from "../helpers/socket.js";
import { rowCount } from "../helpers/db.js";
import { api } from "../../shared/api/index.js";

const KEY = "demo-partner-key";
const form = (o: Record<string, string>) => new URLSearchParams(o).toString();
const J = { format: "json" } as const;
const FORM = { "content-type": "application/x-www-form-urlencoded" };

describe(`Open311 GeoReport v2 [${ENGINE}]`, () => {
  let tdb: TestDatabase;
  let srv: RunningServer;
  let anon: TestClient;
  let operator: TestClient;
  let patrol1: TestClient;
  beforeAll(async () => {
    tdb = await createTestDatabase();
    srv = await tdb.start();
    anon = new TestClient(srv.url);
    [operator, patrol1] = await Promise.all([signedIn(srv.url, "operator"), signedIn(srv.url, "patrol1")]);
  });
  afterAll(async () => {
    await srv?.close();
    await tdb?.destroy();
  });

  it("lists its service", async () => {
    const r = await anon.call(api.open311.services, { params: J });
    expect(r.status).toBe(200);
    expect(r.body).toEqual([
      expect.objectContaining({ service_code: "rough_sleeper", type: "realtime", metadata: false }),
    ]);
  });

  it("refuses to file without a valid partner api_key (403, the spec's error array), writing nothing", async () => {
    const before = await rowCount(srv, "calls");
    const body = { service_code: "rough_sleeper", lat: "45.7700", long: "126.6100", description: "x" };
    for (const extra of [{}, { api_key: "wrong" }] as Record<string, string>[]) {
      const r = await anon.raw(api.open311.create, {
        params: J,
        body: form({ ...body, ...extra }),
        headers: FORM,
      });
      expect(r.status).toBe(403);
      expect(r.body).toEqual([{ code: 403, description: expect.stringContaining("api_key") }]);
    }
    expect(await rowCount(srv, "calls")).toBe(before);
  });

  it("refuses bad fields with 400 naming the field", async () => {
    const r = await anon.raw(api.open311.create, {
      params: J,
      body: form({ api_key: KEY, service_code: "rough_sleeper", lat: "north", long: "126.61" }),
      headers: FORM,
    });
    expect(r.status).toBe(400);
    expect(r.error[0]).toMatchObject({ code: 400, description: expect.stringMatching(/^lat/) });
    const code = await anon.raw(api.open311.create, {
      params: J,
      body: { api_key: KEY, service_code: "pothole", lat: 45.77, long: 126.61 },
    });
    expect(code.status).toBe(404);
    expect(code.error[0]!.description).toMatch(/^service_code/);
    const json = await anon.raw(api.open311.create, {
      params: J,
      body: "{not json",
      headers: { "content-type": "application/json" },
    });
    expect(json.status).toBe(400);
  });

  it("round trip: a form-encoded request lands in the duty room's queue live and reads back without exact place or personal detail", async () => {
    const rec = new EventRecorder(srv.url, operator.cookie);
    await rec.ready();
    const r = await anon.raw(api.open311.create, {
      params: J,
      body: form({
        api_key: KEY,
        service_code: "rough_sleeper",
        lat: "45.776543",
        long: "126.612345",
        address_string: "道里区安升街 12 号门口",
        description: "一名男子睡在门口，衣着单薄",
        first_name: "李",
        last_name: "四",
        phone: "13900001111",
        email: "li@example.org",
      }),
      headers: FORM,
    });
    expect(r.status).toBe(201);
    expect(r.body).toEqual([
      {
        service_request_id: expect.any(String),
        token: expect.any(String),
        service_notice: expect.any(String),
        account_id: null,
      },
    ]);
    const id = r.body[0]!.service_request_id;

    // Same intake: a case from a partner system, in the queue of the nearest station (DL), live.
    await waitFor(() => rec.ofType("case.created").length === 1);
    const queue = (await operator.call(api.cases.list)).body.items as { id: string; source: string }[];
    expect(queue.find((c) => c.id === id)).toMatchObject({ source: "partner_system" });
    const detail = (await operator.call(api.cases.get, { params: { id } })).body;
    expect(detail.calls[0]).toMatchObject({
      fromPartner: true,
      callerPhone: "13900001111",
      placeText: "道里区安升街 12 号门口",
    });
    expect(detail.calls[0]!.callerName).toContain("li@example.org");
    expect(JSON.stringify((await patrol1.call(api.cases.get, { params: { id } })).body)).not.toContain("13900001111");
    rec.close();

    const one = await anon.call(api.open311.get, { params: { id, format: "json" } });
    expect(one.status).toBe(200);
    expect(one.body).toHaveLength(1);
    const req = one.body[0]!;
    expect(req).toMatchObject({
      service_request_id: id,
      status: "open",
      service_code: "rough_sleeper",
      lat: 45.777,
      long: 126.612,
      agency_responsible: "道里区救助管理站",
    });
    const text = JSON.stringify(one.body);
    for (const secret of ["13900001111", "li@example.org", "李", "安升街", "衣着单薄", "45.776543", "126.612345"])
      expect(text).not.toContain(secret);
    expect(req).toMatchObject({ description: null, address: null });

    const list = await anon.call(api.open311.list, { params: J });
    expect(list.status).toBe(200);
    expect(list.body.map((x: { service_request_id: string }) => x.service_request_id)).toContain(id);
    expect(JSON.stringify(list.body)).not.toContain("13900001111");
    expect((await anon.call(api.open311.list, { params: J, query: { service_request_id: id } })).body).toHaveLength(1);
    expect((await anon.call(api.open311.list, { params: J, query: { status: "closed" } })).body).toEqual([]);
  });

  it("accepts JSON too, and applies the duplicate rule to partner reports (same person, same place: one case)", async () => {
    const a = await anon.call(api.open311.create, {
      params: J,
      body: { api_key: KEY, service_code: "rough_sleeper", lat: 45.748, long: 126.647, description: "公园长椅上有人" },
    });
    expect(a.status).toBe(201);
    const b = await anon.call(api.open311.create, {
      params: J,
      body: { api_key: KEY, service_code: "rough_sleeper", lat: 45.7482, long: 126.6471, description: "同一个人" },
    });
    expect(b.status).toBe(201);
    const [ra, rb] = await Promise.all(
      [a, b].map((x) => anon.call(api.open311.get, { params: { id: x.body[0]!.service_request_id, format: "json" } })),
    );
    expect(ra!.body[0]!.status).toBe("open");
    expect(rb!.body[0]!.status).toBe("open");
    // Near the NG station: NG's head is not seeded, so read it as admin.
    const admin = await signedIn(srv.url, "admin");
    const c = (await admin.call(api.cases.get, { params: { id: a.body[0]!.service_request_id } })).body;
    expect(c.callerCount).toBe(2);
    expect(c.calls.map((x: { id: string }) => x.id)).toEqual([
      a.body[0]!.service_request_id,
      b.body[0]!.service_request_id,
    ]);
    expect((await operator.call(api.cases.get, { params: { id: c.id } })).status).toBe(403);
  });

  it("answers unknown requests and formats with 404 in the spec's shape", async () => {
    const r = await anon.call(api.open311.get, {
      params: { id: "00000000-0000-4000-8000-000000000000", format: "json" },
    });
    expect(r.status).toBe(404);
    expect(r.error[0]!.code).toBe(404);
    expect((await anon.call(api.open311.get, { params: { id: "abc", format: "json" } })).status).toBe(404);
    expect((await anon.raw("GET", "/open311/v2/requests.csv")).status).toBe(404);
  });
});
