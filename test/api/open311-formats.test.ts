import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { reporterOutcomeNotes } from "../../shared/reporter-outcome.js";
import { randomUUID } from "node:crypto";
import { createTestDatabase, ENGINE, type TestDatabase } from "../helpers/test-server.js";
import type { RunningServer } from "../../server/server.js";
import { TestClient, signedIn } from "../helpers/http.js";
import { rowCount } from "../helpers/db.js";
import { api } from "../../shared/api/index.js";

/**
 * Open311 GeoReport v2 as a standard client speaks it: XML (the spec's required format) and JSON,
 * read back by a real XML parser against the spec's element names, and the conformance points
 * (issue 16). Element names below are the spec's, written out here on purpose (not imported).
 */
const KEY = "demo-partner-key";
const XML = { format: "xml" } as const;
const JSON_ = { format: "json" } as const;
const FORM = { "content-type": "application/x-www-form-urlencoded" };
const form = (o: Record<string, string>) => new URLSearchParams(o).toString();
const parser = new XMLParser({
  parseTagValue: false,
  isArray: (name) => ["service", "request", "error", "endpoint", "format", "attribute"].includes(name),
});
/** Parses an XML answer after checking it is well-formed. */
function xml(text: unknown): Record<string, any> {
  expect(typeof text).toBe("string");
  expect(XMLValidator.validate(text as string)).toBe(true);
  return parser.parse(text as string) as Record<string, any>;
}
const REQUEST_ELEMENTS = [
  "service_request_id",
  "status",
  "status_notes",
  "service_name",
  "service_code",
  "description",
  "agency_responsible",
  "service_notice",
  "requested_datetime",
  "updated_datetime",
  "expected_datetime",
  "address",
  "address_id",
  "zipcode",
  "lat",
  "long",
  "media_url",
];
let spot = 0;
/** A place near the DL station, a different one per report (so the duplicate rules stay out of the way). */
const place = () => {
  spot += 1;
  return { lat: (45.7765 + spot * 0.002).toFixed(6), long: (126.6123 + spot * 0.001).toFixed(6) };
};

describe(`Open311 in XML and JSON, conformance and resubmission [${ENGINE}]`, () => {
  let tdb: TestDatabase;
  let srv: RunningServer;
  let anon: TestClient;
  beforeAll(async () => {
    tdb = await createTestDatabase();
    srv = await tdb.start({ JOBS_ENABLED: "false" });
    anon = new TestClient(srv.url);
  });
  afterAll(async () => {
    await srv?.close();
    await tdb?.destroy();
  });

  const file = (fields: Record<string, string>, format: "xml" | "json" = "xml") =>
    anon.raw(api.open311.create, { params: { format }, body: form(fields), headers: FORM });

  it("discovery answers in both formats with the spec's elements, never the web app's page", async () => {
    const x = await anon.raw(api.open311.discovery, { params: XML });
    expect(x.status).toBe(200);
    expect(x.headers.get("content-type")).toBe("text/xml; charset=utf-8");
    const d = xml(x.body).discovery;
    expect(Object.keys(d)).toEqual(expect.arrayContaining(["changeset", "contact", "key_service", "endpoints"]));
    const ep = d.endpoints.endpoint[0];
    expect(ep).toMatchObject({ specification: expect.stringContaining("GeoReport_v2"), type: "production" });
    expect(ep.url).toBe(`${srv.url}/open311/v2`);
    expect(ep.format ?? ep.formats.format).toEqual(["text/xml", "application/json"]);
    const j = await anon.call(api.open311.discovery, { params: JSON_ });
    expect(j.headers.get("content-type")).toBe("application/json; charset=utf-8");
    expect(j.body.endpoints[0]!.formats).toEqual(["text/xml", "application/json"]);
    const other = await anon.raw("GET", "/open311/discovery.html");
    expect(other.status).toBe(404);
    expect(other.headers.get("content-type")).not.toContain("html");
  });

  it("lists services and a service definition in XML; an unknown service code is 404 in the asked format", async () => {
    const s = xml((await anon.raw(api.open311.services, { params: XML })).body).services.service;
    expect(s).toHaveLength(1);
    expect(Object.keys(s[0])).toEqual(
      expect.arrayContaining(["service_code", "service_name", "description", "metadata", "type", "keywords", "group"]),
    );
    expect(s[0]).toMatchObject({ service_code: "rough_sleeper", metadata: "false", type: "realtime" });
    const def = await anon.raw(api.open311.definition, { params: { service_code: "rough_sleeper", ...XML } });
    expect(def.status).toBe(200);
    expect(xml(def.body).service_definition.service_code).toBe("rough_sleeper");
    const unknown = await anon.raw(api.open311.definition, { params: { service_code: "pothole", ...XML } });
    expect(unknown.status).toBe(404);
    expect(xml(unknown.body).errors.error[0]).toEqual({ code: "404", description: expect.stringContaining("pothole") });
    const unknownJson = await anon.call(api.open311.definition, { params: { service_code: "pothole", ...JSON_ } });
    expect(unknownJson.status).toBe(404);
    expect(unknownJson.error).toEqual([{ code: 404, description: expect.stringContaining("pothole") }]);
  });

  it("round trip in XML: a form-encoded report, its answer, the request by id, by token and in the list", async () => {
    const before = await rowCount(srv, "cases");
    const r = await file({
      api_key: KEY,
      service_code: "rough_sleeper",
      ...place(),
      description: "Man asleep under the bridge, thin coat",
      phone: "0451 8888 1234 ext. 12",
      email: "",
      address_string: "",
    });
    expect(r.status).toBe(201);
    expect(r.headers.get("content-type")).toBe("text/xml; charset=utf-8");
    const created = xml(r.body).service_requests.request;
    expect(created).toHaveLength(1);
    expect(Object.keys(created[0])).toEqual(["service_request_id", "token", "service_notice", "account_id"]);
    const id = created[0].service_request_id as string;
    expect(await rowCount(srv, "cases")).toBe(before + 1);

    const one = await anon.raw(api.open311.get, { params: { id, ...XML } });
    expect(one.status).toBe(200);
    const req = xml(one.body).service_requests.request;
    expect(req).toHaveLength(1);
    expect(Object.keys(req[0])).toEqual(REQUEST_ELEMENTS);
    expect(req[0]).toMatchObject({ service_request_id: id, status: "open", service_code: "rough_sleeper" });
    expect(String(one.body)).not.toContain("thin coat");
    const json = await anon.call(api.open311.get, { params: { id, ...JSON_ } });
    expect(Object.keys(json.body[0]!)).toEqual(REQUEST_ELEMENTS);
    expect(json.headers.get("content-type")).toBe("application/json; charset=utf-8");

    const token = await anon.raw(api.open311.token, { params: { token: created[0].token, ...XML } });
    expect(xml(token.body).service_requests.request[0]).toEqual({ service_request_id: id, token: created[0].token });
    const list = xml((await anon.raw(api.open311.list, { params: XML })).body).service_requests.request as {
      service_request_id: string;
    }[];
    expect(list.map((x) => x.service_request_id)).toContain(id);
  });

  it("errors come in the asked format; hostile text in them is escaped, so a real parser reads it", async () => {
    const noKey = await file({ service_code: "rough_sleeper", ...place() });
    expect(noKey.status).toBe(403);
    expect(xml(noKey.body).errors.error[0]).toEqual({ code: "403", description: expect.stringContaining("api_key") });
    const hostile = `</code><x a="1">&amp;]]>'`;
    const bad = await file({ api_key: KEY, service_code: hostile, ...place() });
    expect(bad.status).toBe(404);
    const e = xml(bad.body).errors.error[0];
    expect(e.description).toContain(`</code><x a=\\"1\\">&amp;]]>'`);
    const field = await file({ api_key: KEY, service_code: "rough_sleeper", lat: "north", long: "126.6" });
    expect(field.status).toBe(400);
    expect(xml(field.body).errors.error[0].description).toMatch(/^lat/);
    const missing = await anon.raw("GET", "/open311/v2/nothing.xml");
    expect(missing.status).toBe(404);
    expect(xml(missing.body).errors.error[0].code).toBe("404");
  });

  it("conformance: unknown service_code 404, 4,000-character description, free-text phone, blank fields absent", async () => {
    const base = { api_key: KEY, service_code: "rough_sleeper" };
    const unknown = await anon.call(api.open311.create, {
      params: JSON_,
      body: { ...base, service_code: "pothole", lat: 45.79, long: 126.62 },
    });
    expect(unknown.status).toBe(404);
    const long = await file({ ...base, ...place(), description: "x".repeat(4000) }, "json");
    expect(long.status).toBe(201);
    const tooLong = await file({ ...base, ...place(), description: "x".repeat(4001) }, "json");
    expect(tooLong.status).toBe(400);
    expect(tooLong.error[0]!.description).toMatch(/^description/);
    const blanks = await file(
      { ...base, ...place(), phone: "+86 (451) 8888-1234 ext. 5", email: "", first_name: "", jurisdiction_id: "" },
      "json",
    );
    expect(blanks.status).toBe(201);
  });

  it("conformance: comma lists, blank parameters, ids override the filters and a malformed id is skipped", async () => {
    const r = await file({ api_key: KEY, service_code: "rough_sleeper", ...place(), description: "list me" }, "json");
    const id = (r.body as { service_request_id: string }[])[0]!.service_request_id;
    const ids = async (query: Record<string, string>) =>
      ((await anon.raw(api.open311.list, { params: JSON_, query })).body as { service_request_id: string }[]).map(
        (x) => x.service_request_id,
      );
    expect(await ids({ status: "open,closed" })).toContain(id);
    expect(await ids({ status: "closed" })).not.toContain(id);
    expect(await ids({ service_code: "pothole,rough_sleeper" })).toContain(id);
    expect(await ids({ service_code: "pothole" })).toEqual([]);
    expect(await ids({ status: "", service_code: "", start_date: "", end_date: "", jurisdiction_id: "" })).toContain(
      id,
    );
    expect(await ids({ service_request_id: `${id},not-an-id`, status: "closed", service_code: "pothole" })).toEqual([
      id,
    ]);
    expect((await anon.raw(api.open311.list, { params: JSON_, query: { status: "open,maybe" } })).status).toBe(400);
  });

  it("status, status_notes and updated_datetime follow the case as a patrol takes it to the end", async () => {
    const r = await file({ api_key: KEY, service_code: "rough_sleeper", lat: "45.7712", long: "126.6150" }, "json");
    const id = (r.body as { service_request_id: string }[])[0]!.service_request_id;
    const read = async () => (await anon.call(api.open311.get, { params: { id, ...JSON_ } })).body[0]!;
    const first = await read();
    expect(first).toMatchObject({ status: "open", status_notes: reporterOutcomeNotes("received") });
    const [op, p1, admin] = await Promise.all(["operator", "patrol1", "admin"].map((u) => signedIn(srv.url, u)));
    const v = (await admin!.call(api.vehicles.list)).body.items.find((x) => x.callSign === "DL-01")!;
    const caseId = (await op!.call(api.cases.get, { params: { id } })).body.id;
    const task = await op!.call(api.dispatch.assign, {
      body: { id: randomUUID(), caseId, vehicleId: v.id, vehicleVersion: v.version },
    });
    expect(task.status).toBe(201);
    const dispatched = await read();
    expect(dispatched).toMatchObject({ status: "open", status_notes: reporterOutcomeNotes("crew_sent") });
    expect(dispatched.updated_datetime >= first.updated_datetime).toBe(true);
    let version = task.body.version;
    for (const status of ["acknowledged", "en_route", "on_scene"] as const) {
      const s = await p1!.call(api.dispatch.setStatus, { params: { id: task.body.id }, body: { status, version } });
      expect(s.status).toBe(200);
      version = s.body.version;
    }
    expect(await read()).toMatchObject({ status: "open", status_notes: reporterOutcomeNotes("crew_sent") });
    const cleared = await p1!.call(api.dispatch.setStatus, {
      params: { id: task.body.id },
      body: { status: "cleared", version },
    });
    expect(cleared.status).toBe(200);
    const done = await read();
    // Cleared with no encounter recorded: the report is closed, nothing said about anyone met.
    expect(done).toMatchObject({ status: "closed", status_notes: reporterOutcomeNotes("closed") });
    expect(done.updated_datetime > first.updated_datetime).toBe(true);
    const closedXml = xml((await anon.raw(api.open311.get, { params: { id, ...XML } })).body);
    expect(closedXml.service_requests.request[0].status).toBe("closed");
  });

  it("a resent report (same partner, place within metres, description re-spaced) answers the first id; no new case", async () => {
    const at = place();
    const first = await file({
      api_key: KEY,
      service_code: "rough_sleeper",
      ...at,
      description: "Woman  on the\nbench",
    });
    const id = xml(first.body).service_requests.request[0].service_request_id as string;
    const [calls, cases] = [await rowCount(srv, "calls"), await rowCount(srv, "cases")];
    const near = { lat: (Number(at.lat) + 0.0001).toFixed(6), long: at.long }; // ~11 m north
    const again = await file({
      api_key: KEY,
      service_code: "rough_sleeper",
      ...near,
      description: "Woman on the bench ",
    });
    expect(again.status).toBe(201);
    expect(xml(again.body).service_requests.request[0].service_request_id).toBe(id);
    expect([await rowCount(srv, "calls"), await rowCount(srv, "cases")]).toEqual([calls, cases]);
    // Something else said at the same place is a new report (the duplicate rule may still join its case).
    const other = await file({ api_key: KEY, service_code: "rough_sleeper", ...at, description: "Two people now" });
    expect(xml(other.body).service_requests.request[0].service_request_id).not.toBe(id);
    expect(await rowCount(srv, "calls")).toBe(calls + 1);
  });

  it("two copies of one report sent at once make one request and one case", async () => {
    const at = place();
    const [cases, calls] = [await rowCount(srv, "cases"), await rowCount(srv, "calls")];
    const body = { api_key: KEY, service_code: "rough_sleeper", ...at, description: "sent twice at once" };
    const replies = await Promise.all([1, 2, 3].map(() => file(body, "json")));
    const ids = replies.map((r) => (r.body as { service_request_id: string }[])[0]!.service_request_id);
    expect(replies.map((r) => r.status)).toEqual([201, 201, 201]);
    expect(new Set(ids).size).toBe(1);
    expect(await rowCount(srv, "calls")).toBe(calls + 1);
    expect(await rowCount(srv, "cases")).toBeLessThanOrEqual(cases + 1); // the duplicate rule may join a nearby case
  });
});
