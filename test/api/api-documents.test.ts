import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, ENGINE, type TestDatabase } from "../helpers/test-server.js";
import type { RunningServer } from "../../server/server.js";
import { TestClient } from "../helpers/http.js";
import { EVENT_CONTRACT } from "../../shared/events/contract.js";
import { api } from "../../shared/api/index.js";
import type { Endpoint } from "../../shared/api/endpoint.js";

interface Doc {
  servers?: { url: string }[];
  paths: Record<string, Record<string, { responses: Record<string, unknown>; security?: unknown[] }>>;
  components: { securitySchemes: Record<string, { type: string; name?: string; in?: string }> };
}
const opOf = (doc: Doc, ep: Endpoint) =>
  doc.paths[ep.path.replace(/:([A-Za-z_]+)/g, "{$1}")]![ep.method.toLowerCase()]!;

describe(`OpenAPI and AsyncAPI documents [${ENGINE}]`, () => {
  let tdb: TestDatabase;
  let srv: RunningServer;
  let doc: Doc;
  beforeAll(async () => {
    tdb = await createTestDatabase();
    srv = await tdb.start({ JOBS_ENABLED: "false" });
    doc = (await new TestClient(srv.url).raw("GET", "/api/openapi.json")).body as Doc;
  });
  afterAll(async () => {
    await srv?.close();
    await tdb?.destroy();
  });

  it("lists the errors each endpoint's declaration implies, a server and the partner key as a security scheme", () => {
    expect(doc.servers).toEqual([expect.objectContaining({ url: "/" })]);
    expect(Object.keys(opOf(doc, api.auth.login).responses)).toEqual(expect.arrayContaining(["400", "401", "429"]));
    expect(Object.keys(opOf(doc, api.cases.get).responses)).toEqual(
      expect.arrayContaining(["400", "401", "403", "404", "503"]),
    );
    expect(Object.keys(opOf(doc, api.dispatch.assign).responses)).toEqual(
      expect.arrayContaining(["400", "401", "403", "404", "409", "413", "415"]),
    );
    expect(doc.components.securitySchemes.open311_api_key).toMatchObject({ type: "apiKey", name: "api_key" });
    expect(opOf(doc, api.open311.create).security).toEqual([{ open311_api_key: [] }]);
    expect(Object.keys(opOf(doc, api.open311.create).responses)).toEqual(
      expect.arrayContaining(["201", "400", "403", "404", "413", "415"]),
    );
    expect(doc.paths["/open311/v2/requests/{id}.{format}"]).toBeDefined();
  });

  it("serves an AsyncAPI 3.0 document with a message and payload schema for every event type", async () => {
    const r = await new TestClient(srv.url).raw("GET", "/api/asyncapi.json");
    expect(r.status).toBe(200);
    const a = r.body as {
      asyncapi: string;
      channels: Record<string, { messages: Record<string, { title?: string; name: string; payload: any }> }>;
      operations: Record<string, { action: string; channel: { $ref: string }; messages: { $ref: string }[] }>;
    };
    expect(a.asyncapi).toBe("3.0.0");
    const messages = Object.values(a.channels.events!.messages);
    for (const type of Object.keys(EVENT_CONTRACT)) {
      const m = messages.find((x) => x.title === type);
      expect(m, type).toBeDefined();
      expect(m!.payload.properties.type).toEqual({ const: type });
      expect(m!.payload.properties.payload.type ?? m!.payload.properties.payload.anyOf, type).toBeDefined();
    }
    // Every operation's message reference resolves inside the document.
    for (const op of Object.values(a.operations)) {
      expect(op.channel.$ref).toBe("#/channels/events");
      for (const ref of op.messages)
        expect(a.channels.events!.messages[ref.$ref.split("/").pop()!], ref.$ref).toBeDefined();
    }
  });
});
