import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import { io, type Socket } from "socket.io-client";
import { createTestDatabase, ENGINE, type TestDatabase } from "../helpers/test-server.js";
import type { RunningServer } from "../../server/server.js";
import { TestClient, signedIn, type BodyOf } from "../helpers/http.js";
import type { Endpoint } from "../../shared/api/endpoint.js";
import { EventRecorder, waitFor } from "../helpers/socket.js";
import { rowCount } from "../helpers/db.js";
import { keyPoints, stations, vehicles } from "../../server/db/schema/index.js";
import type { z } from "zod";
import { api } from "../../shared/api/index.js";

type SightingInput = BodyOf<typeof api.cases.createSighting>;
type Creates = Endpoint & { body: z.ZodType };

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A Socket.IO handshake with the given headers (Origin, X-Forwarded-*, cookie); resolves "connected" or the refusal. */
async function handshake(url: string, headers: Record<string, string>): Promise<string> {
  const socket: Socket = io(url, {
    transports: ["websocket"],
    extraHeaders: headers,
    reconnection: false,
    forceNew: true,
  });
  try {
    return await new Promise<string>((resolve) => {
      socket.on("connect", () => resolve("connected"));
      socket.on("connect_error", (err) => resolve(err.message));
    });
  } finally {
    socket.close();
  }
}

/** A sighting at a place of its own (the duplicate rule must not merge them). */
const sighting = (k: number, over: Partial<SightingInput> = {}) =>
  ({
    id: randomUUID(),
    source: "public_hotline",
    callerName: "张先生",
    callerPhone: "13800138000",
    lat: 45.6 + k * 0.009,
    lng: 126.5,
    placeText: "桥下",
    description: "一名老人躺在桥下",
    flags: ["elderly"],
    peopleCount: 1,
    ...over,
  }) satisfies SightingInput;

describe(`hardening: sessions, origins, input [${ENGINE}]`, () => {
  let tdb: TestDatabase;
  let srv: RunningServer;
  let admin: TestClient;
  let operator: TestClient;
  let patrol1: TestClient;
  let regionId: string;
  let dl: string;
  beforeAll(async () => {
    tdb = await createTestDatabase();
    srv = await tdb.start();
    [admin, operator, patrol1] = (await Promise.all(
      ["admin", "operator", "patrol1"].map((u) => signedIn(srv.url, u)),
    )) as [TestClient, TestClient, TestClient];
    regionId = (await admin.call(api.stations.regions)).body.items[0]!.id;
    dl = (await srv.database.db.select().from(stations).where(eq(stations.code, "DL")))[0]!.id;
  });
  afterAll(async () => {
    await srv?.close();
    await tdb?.destroy();
  });

  const station = (over: Record<string, unknown> = {}) => ({
    code: `H${Math.floor(Math.random() * 1e6)}`,
    name: "测试站",
    regionId,
    lat: 45.7,
    lng: 126.6,
    ...over,
  });

  describe("sessions end their sockets at once", () => {
    it("signing out disconnects that session's sockets before the sign-out is answered; they receive nothing more", async () => {
      const leaving = await signedIn(srv.url, "operator");
      const staying = await signedIn(srv.url, "operator");
      const gone = new EventRecorder(srv.url, leaving.cookie, null, { reconnection: false });
      const kept = new EventRecorder(srv.url, staying.cookie, null, { reconnection: false });
      await Promise.all([gone.ready(), kept.ready()]);
      const open = () => srv.realtime.io.of("/").sockets.size;
      const before = open();
      expect((await leaving.call(api.auth.logout)).status).toBe(200);
      // Not the 60 s sweep: the server closed it before answering the sign-out…
      expect(open()).toBe(before - 1);
      // …and the client hears of it within a moment (the close frame only travels over loopback).
      await waitFor(() => !gone.socket.connected, 1000);
      const seen = gone.events.length;
      // A new case with the caller's phone goes to the duty room: the signed-out socket gets none of it.
      const body = sighting(1);
      expect((await staying.call(api.cases.createSighting, { body })).status).toBe(201);
      await waitFor(() => kept.ofType("case.created").some((e) => (e.payload.case as { id: string }).id === body.id));
      await sleep(300);
      expect(gone.events.length).toBe(seen);
      expect(kept.socket.connected).toBe(true);
      // And it cannot come back with the old cookie.
      expect(await handshake(srv.url, { cookie: leaving.cookie })).toBe("UNAUTHENTICATED");
      gone.close();
      kept.close();
    });
  });

  describe("origin checks: one rule for HTTP writes and the socket handshake", () => {
    it("refuses a cross-origin socket handshake, with or without a session", async () => {
      expect(await handshake(srv.url, { cookie: operator.cookie, origin: "https://evil.example" })).toBe(
        "CROSS_ORIGIN",
      );
      expect(await handshake(srv.url, { origin: "https://evil.example" })).toBe("CROSS_ORIGIN");
      expect(await handshake(srv.url, { cookie: operator.cookie, origin: "null" })).toBe("CROSS_ORIGIN");
      // The page's own origin (and no Origin at all: not a browser acting for another site) connect.
      expect(await handshake(srv.url, { cookie: operator.cookie, origin: srv.url })).toBe("connected");
      expect(await handshake(srv.url, { cookie: operator.cookie })).toBe("connected");
    });

    it("does not trust X-Forwarded-Host without TRUST_PROXY, for writes or for the handshake", async () => {
      const forged = {
        origin: "https://evil.example",
        "x-forwarded-host": "evil.example",
        "x-forwarded-proto": "https",
      };
      const before = await rowCount(srv, "stations");
      const r = await admin.raw(api.stations.create, { body: station(), headers: forged });
      expect(r.status).toBe(403);
      expect(r.error.code).toBe("CROSS_ORIGIN");
      expect(await rowCount(srv, "stations")).toBe(before);
      expect(await handshake(srv.url, { cookie: operator.cookie, ...forged })).toBe("CROSS_ORIGIN");
      // The same write from the page's own origin goes through.
      expect((await admin.raw(api.stations.create, { body: station(), headers: { origin: srv.url } })).status).toBe(
        201,
      );
    });
  });

  describe("JSON endpoints take only JSON", () => {
    it("answers 415 UNSUPPORTED_MEDIA_TYPE to a body of another type, and writes nothing", async () => {
      const before = await rowCount(srv, "stations");
      for (const type of [
        "text/plain",
        "text/plain;charset=UTF-8",
        "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=x",
      ]) {
        const r = await admin.raw(api.stations.create, { body: JSON.stringify(station()), contentType: type });
        expect(r.status, type).toBe(415);
        expect(r.error.code).toBe("UNSUPPORTED_MEDIA_TYPE");
        expect(r.error.message).toContain("application/json");
      }
      expect(await rowCount(srv, "stations")).toBe(before);
      // JSON with a charset, and endpoints without a body, are unaffected.
      expect(
        (
          await admin.raw(api.stations.create, {
            body: JSON.stringify(station()),
            contentType: "application/json; charset=utf-8",
          })
        ).status,
      ).toBe(201);
      const other = await signedIn(srv.url, "head");
      const out = await other.call(api.auth.logout);
      expect(out.status).toBe(200);
    });

    it("keeps Open311's form bodies, and refuses text/plain there too in the spec's error shape", async () => {
      const form = new URLSearchParams({
        api_key: "demo-partner-key",
        service_code: "rough_sleeper",
        lat: "45.77",
        long: "126.61",
        description: "x",
      }).toString();
      const ok = await new TestClient(srv.url).raw(api.open311.create, {
        params: { format: "json" },
        body: form,
        headers: { "content-type": "application/x-www-form-urlencoded" },
      });
      expect(ok.status).toBe(201);
      const plain = await new TestClient(srv.url).raw(api.open311.create, {
        params: { format: "json" },
        body: form,
        headers: { "content-type": "text/plain" },
      });
      expect(plain.status).toBe(415);
      expect(plain.body).toEqual([{ code: 415, description: expect.stringContaining("Content-Type text/plain") }]);
    });
  });

  describe("nesting depth", () => {
    it("answers 400 (never 500) to 200 KB of nested brackets, naming the problem", async () => {
      const deep = `${"[".repeat(100_000)}${"]".repeat(100_000)}`;
      const r = await admin.raw(api.stations.create, { body: deep });
      expect(r.status).toBe(400);
      expect(r.error.code).toBe("VALIDATION_FAILED");
      expect(r.error.message).toMatch(/^body[.\d]*: nested deeper than 32 levels/);
      // Inside a field too, and on the partner endpoint.
      let nested: unknown = "x";
      for (let i = 0; i < 40; i++) nested = { a: nested };
      const field = await admin.raw(api.stations.create, { body: { ...station(), address: nested } });
      expect(field.status).toBe(400);
      expect(field.error.message).toMatch(/^body\.address[.a]*: nested deeper than 32 levels/);
      const partner = await new TestClient(srv.url).raw(api.open311.create, {
        params: { format: "json" },
        body: { api_key: "demo-partner-key", description: nested },
      });
      expect(partner.status).toBe(400);
      // Ordinary nesting is fine.
      expect((await admin.call(api.stations.create, { body: station() })).status).toBe(201);
    });
  });

  describe("(0, 0) is not a position", () => {
    it("is refused for a station, a sighting, an encounter and an Open311 report, naming the field", async () => {
      const st = await admin.call(api.stations.create, { body: station({ lat: 0, lng: 0 }) });
      expect(st.status).toBe(400);
      expect(st.error.code).toBe("VALIDATION_FAILED");
      expect(st.error.issues!.map((i: { path: string }) => i.path)).toEqual(["body.lat"]);
      expect(st.error.message).toMatch(/^body\.lat: lat, lng: \(0, 0\)/);
      const s = await operator.call(api.cases.createSighting, { body: sighting(2, { lat: 0, lng: 0 }) });
      expect(s.status).toBe(400);
      expect(s.error.message).toContain("body.lat");
      const e = await patrol1.call(api.encounters.create, {
        body: { id: randomUUID(), lat: 0, lng: 0, found: true, outcome: "street_aid" },
      });
      expect(e.status).toBe(400);
      expect(e.error.message).toContain("body.lat");
      const form = new URLSearchParams({
        api_key: "demo-partner-key",
        service_code: "rough_sleeper",
        lat: "0",
        long: "0",
      }).toString();
      const o = await new TestClient(srv.url).raw(api.open311.create, {
        params: { format: "json" },
        body: form,
        headers: { "content-type": "application/x-www-form-urlencoded" },
      });
      expect(o.status).toBe(400);
      expect(o.error[0]!.description).toMatch(/^lat: lat, long: \(0, 0\)/);
      // One coordinate at 0 is a real place (the equator, the meridian).
      expect((await admin.call(api.stations.create, { body: station({ lat: 0, lng: 10 }) })).status).toBe(201);
    });

    it("refuses a GPS batch holding one (0, 0) fix, naming its index, and stores none of it", async () => {
      const [v] = await srv.database.db.select().from(vehicles).where(eq(vehicles.callSign, "DL-01"));
      const at = (s: number) => new Date(Date.now() - 60_000 + s * 1000).toISOString();
      const before = await rowCount(srv, "positions");
      const r = await patrol1.call(api.patrols.positions, {
        body: {
          points: [
            { vehicleId: v!.id, lat: 45.77, lng: 126.61, recordedAt: at(0) },
            { vehicleId: v!.id, lat: 45.77, lng: 126.61, recordedAt: at(1) },
            { vehicleId: v!.id, lat: 0, lng: 0, recordedAt: at(2) },
          ],
        },
      });
      expect(r.status).toBe(400);
      expect(r.error.message).toMatch(/^body\.points\.2\.lat: /);
      expect(await rowCount(srv, "positions")).toBe(before);
    });
  });

  describe("the same client id with different content", () => {
    /** Sends `body`, the same again, then `changed`: 201, 201 with the first result, 409 naming the id and the field. */
    async function idempotent<E extends Creates>(
      c: TestClient,
      ep: E,
      body: BodyOf<E> & { id: string },
      changed: Partial<BodyOf<E>>,
      field: string,
    ) {
      // Any create endpoint: typed by the caller's arguments, sent through the endpoint's contract.
      const send = (b: BodyOf<E>) => c.call<Creates>(ep, { body: b });
      const events = await rowCount(srv, "events");
      const first = await send(body);
      expect(first.status, JSON.stringify(first.body)).toBe(201);
      const again = await send(body);
      expect(again.status).toBe(201);
      expect(again.body).toEqual(first.body);
      const afterTwo = await rowCount(srv, "events");
      const other = await send({ ...body, ...changed });
      expect(other.status).toBe(409);
      expect(other.error.code).toBe("IDEMPOTENCY_MISMATCH");
      expect(other.error.message).toContain(body.id);
      expect(other.error.issues!.map((i: { path: string }) => i.path)).toContain(`body.${field}`);
      expect(await rowCount(srv, "events")).toBe(afterTwo);
      expect(afterTwo).toBeGreaterThan(events);
      return first.body;
    }

    it("a sighting", async () => {
      await idempotent(
        operator,
        api.cases.createSighting,
        sighting(3, { temperatureC: -12.3, receivedAt: new Date(Date.now() - 60_000).toISOString() }),
        { peopleCount: 2 },
        "peopleCount",
      );
      // A place left empty is filled from the key point: the same empty place sent again is the same report.
      const [kp] = await srv.database.db.select().from(keyPoints).where(eq(keyPoints.stationId, dl));
      const atKeyPoint = {
        ...sighting(5),
        keyPointId: kp!.id,
        placeText: "",
        lat: undefined,
        lng: undefined,
        callerName: "",
      };
      await idempotent(operator, api.cases.createSighting, atKeyPoint, { callerName: "李女士" }, "callerName");
    });

    it("an encounter", async () => {
      await idempotent(
        patrol1,
        api.encounters.create,
        {
          id: randomUUID(),
          lat: 45.61,
          lng: 126.51,
          found: true,
          outcome: "street_aid",
          notes: "给了一件棉衣",
          flags: ["elderly"],
        },
        { notes: "另一个人" },
        "notes",
      );
    });

    it("a key-point visit", async () => {
      const [kp] = await srv.database.db.select().from(keyPoints).where(eq(keyPoints.stationId, dl));
      await idempotent(
        patrol1,
        api.patrols.visitKeyPoint,
        { id: randomUUID(), keyPointId: kp!.id, peopleFound: 0, notes: "nobody" },
        { peopleFound: 2 },
        "peopleFound",
      );
    });

    it("a sortie start", async () => {
      const [v] = await srv.database.db.select().from(vehicles).where(eq(vehicles.callSign, "DL-03"));
      await idempotent(
        patrol1,
        api.patrols.startSortie,
        { id: randomUUID(), vehicleId: v!.id, crewCount: 2, crewNames: ["李强", "张伟"] },
        { crewCount: 3 },
        "crewCount",
      );
    });

    it("a station and a key point", async () => {
      await idempotent(
        admin,
        api.stations.create,
        { ...station(), id: randomUUID(), address: "中央大街 1 号" },
        { name: "另一个站" },
        "name",
      );
      await idempotent(
        admin,
        api.keypoints.create,
        { id: randomUUID(), stationId: dl, name: "新华桥桥洞", kind: "bridge_underpass", lat: 45.62, lng: 126.52 },
        { lat: 45.63 },
        "lat",
      );
    });
  });
});

describe(`hardening: session expiry and a trusted proxy [${ENGINE}]`, () => {
  let tdb: TestDatabase;
  let srv: RunningServer;
  // Sessions last 4 s here: long enough to open a socket, short enough to watch one expire.
  beforeAll(async () => {
    tdb = await createTestDatabase();
    srv = await tdb.start({ SESSION_TTL_HOURS: String(4 / 3600), TRUST_PROXY: "1" });
  });
  afterAll(async () => {
    await srv?.close();
    await tdb?.destroy();
  });

  it("disconnects a socket when its session expires; it receives no event after", async () => {
    const op = await signedIn(srv.url, "operator");
    const rec = new EventRecorder(srv.url, op.cookie, null, { reconnection: false });
    await rec.ready();
    expect(rec.socket.connected).toBe(true);
    await waitFor(() => !rec.socket.connected, 6000);
    const before = rec.events.length;
    const other = await signedIn(srv.url, "operator");
    const body = sighting(4);
    expect((await other.call(api.cases.createSighting, { body })).status).toBe(201);
    await sleep(500);
    expect(rec.events.length).toBe(before);
    expect(await handshake(srv.url, { cookie: op.cookie })).toBe("UNAUTHENTICATED");
    rec.close();
  });

  it("trusts X-Forwarded-Host and X-Forwarded-Proto from the proxy (TRUST_PROXY=1), for writes and the handshake", async () => {
    const behind = {
      origin: "https://warmline.example",
      "x-forwarded-host": "warmline.example",
      "x-forwarded-proto": "https",
    };
    // Origin passes: the write is refused only for want of a session, and the handshake likewise.
    const w = await new TestClient(srv.url).raw(api.auth.logout, { headers: behind });
    expect(w.status).toBe(401);
    expect(await handshake(srv.url, behind)).toBe("UNAUTHENTICATED");
    // An http: page may not write to the https: site; another host is still another host.
    for (const h of [
      { ...behind, origin: "http://warmline.example" },
      { ...behind, origin: "https://evil.example" },
    ]) {
      const r = await new TestClient(srv.url).raw(api.auth.logout, { headers: h });
      expect(r.status).toBe(403);
      expect(r.error.code).toBe("CROSS_ORIGIN");
      expect(await handshake(srv.url, h)).toBe("CROSS_ORIGIN");
    }
  });
});

describe.skipIf(ENGINE !== "postgres")(
  "hardening: sign-out on one node ends the session's sockets on another [postgres only]",
  () => {
    let tdb: TestDatabase;
    let a: RunningServer, b: RunningServer;
    beforeAll(async () => {
      tdb = await createTestDatabase();
      a = await tdb.start();
      b = await tdb.start();
    });
    afterAll(async () => {
      await a?.close();
      await b?.close();
      await tdb?.destroy();
    });

    it("disconnects the socket held on node B when the session signs out on node A, well before the sweep", async () => {
      const op = await signedIn(a.url, "operator");
      const onB = new EventRecorder(b.url, op.cookie, null, { reconnection: false });
      await onB.ready();
      const op2 = await signedIn(b.url, "operator");
      const kept = new EventRecorder(b.url, op2.cookie, null, { reconnection: false });
      await kept.ready();
      expect((await op.call(api.auth.logout)).status).toBe(200);
      await waitFor(() => !onB.socket.connected, 2000);
      expect(kept.socket.connected).toBe(true);
      onB.close();
      kept.close();
    });
  },
);
