import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { asc, eq, inArray } from "drizzle-orm";
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { createTestDatabase, ENGINE, type TestDatabase } from "../helpers/test-server.js";
import type { RunningServer } from "../../server/server.js";
import { TestClient, signedIn } from "../helpers/http.js";
import { Receiver } from "../helpers/receiver.js";
import { api } from "../../shared/api/index.js";
import { outboundMessages } from "../../server/db/schema/index.js";
import { reporterOutcomeNotes, reportReference } from "../../shared/reporter-outcome.js";

/**
 * Closing the loop (issue 19): what reporters are told, queued with the change that produced it and
 * delivered by the webhook sender to a real HTTP server on loopback.
 */

const PHONE = "13812345678";
const KEY = "demo-partner-key";
const xmlParser = new XMLParser({ parseTagValue: false, isArray: (name) => name === "request" });
/**
 * A place nearer the DL station than any other, over 400 m from every other report's place, so the
 * duplicate rule (300 m) never files one report under another's case.
 */
let spot = 0;
const place = () => ({ lat: 45.76 + (spot % 20) * 0.004, lng: 126.56 + Math.floor(spot++ / 20) * 0.006 });

describe(`closing the loop: outcomes told to reporters [${ENGINE}]`, () => {
  let tdb: TestDatabase;
  let srv: RunningServer;
  let op: TestClient, p1: TestClient, head: TestClient, admin: TestClient;
  const anon = () => new TestClient(srv.url);
  const hook = new Receiver();

  beforeAll(async () => {
    await hook.start();
    tdb = await createTestDatabase();
    srv = await tdb.start({
      JOBS_ENABLED: "false",
      OUTBOUND_SENDER: "webhook",
      OUTBOUND_WEBHOOK_URL: hook.url,
      OUTBOUND_RETRY_BASE_MS: "10",
      OUTBOUND_MAX_ATTEMPTS: "3",
    });
    [op, p1, head, admin] = (await Promise.all(
      ["operator", "patrol1", "head", "admin"].map((u) => signedIn(srv.url, u)),
    )) as [TestClient, TestClient, TestClient, TestClient];
  });
  afterAll(async () => {
    await srv?.close();
    await tdb?.destroy();
    await hook.close();
  });

  const db = () => srv.database.db;
  const messagesOf = (callId: string) =>
    db()
      .select()
      .from(outboundMessages)
      .where(eq(outboundMessages.callId, callId))
      .orderBy(asc(outboundMessages.createdAt));
  const categories = async (callId: string, channel = "caller") =>
    (await messagesOf(callId)).filter((m) => m.channel === channel).map((m) => m.category);
  const deliver = () => srv.services.outbound.deliverDue("test-node");

  /** A called-in report; the caller consents unless told otherwise. */
  async function callIn(extra: Partial<Parameters<typeof op.call<typeof api.cases.createSighting>>[1]["body"]> = {}) {
    const body = {
      id: randomUUID(),
      source: "public_hotline" as const,
      callerName: "王先生",
      callerPhone: PHONE,
      callerWantsOutcome: true,
      ...place(),
      description: "A man lying under the bridge",
      newCase: true,
      ...extra,
    };
    const r = await op.call(api.cases.createSighting, { body });
    expect(r.status).toBe(201);
    return { callId: body.id, caseId: r.body.case.id, body };
  }

  /** Sends DL-01 to the case and walks the crew to the scene. */
  async function crewOnScene(caseId: string) {
    const v = (await admin.call(api.vehicles.list)).body.items.find((x) => x.callSign === "DL-01")!;
    const task = await op.call(api.dispatch.assign, {
      body: { id: randomUUID(), caseId, vehicleId: v.id, vehicleVersion: v.version },
    });
    if (task.status !== 201) expect.fail(JSON.stringify(task.error));
    return { taskId: task.body.id, version: task.body.version };
  }
  async function step(taskId: string, version: number, status: "on_scene" | "cleared") {
    const r = await p1.call(api.dispatch.setStatus, { params: { id: taskId }, body: { status, version } });
    expect(r.status).toBe(200);
    return r.body.version;
  }
  async function meet(caseId: string, taskId: string, found: boolean, extra: Record<string, unknown> = {}) {
    const body = {
      id: randomUUID(),
      caseId,
      assignmentId: taskId,
      found,
      outcome: found ? ("street_aid" as const) : ("not_found" as const),
      ...extra,
    };
    const r = await p1.call(api.encounters.create, { body });
    expect(r.status).toBe(201);
    return body;
  }

  it("a called-in case: received, crew sent, then person helped — one message each, in order", async () => {
    const { callId, caseId } = await callIn();
    expect(await categories(callId)).toEqual(["received"]);
    const t = await crewOnScene(caseId);
    expect(await categories(callId)).toEqual(["received", "crew_sent"]);
    const v = await step(t.taskId, t.version, "on_scene");
    expect(await categories(callId)).toEqual(["received", "crew_sent"]);
    await meet(caseId, t.taskId, true);
    expect(await categories(callId)).toEqual(["received", "crew_sent", "helped"]);
    await step(t.taskId, v, "cleared");
    expect(await categories(callId)).toEqual(["received", "crew_sent", "helped"]);
    const [first] = await messagesOf(callId);
    expect(first!.body).toEqual({
      reference: reportReference(callId),
      category: "received",
      text: { "zh-CN": expect.stringContaining("受理"), en: expect.stringContaining("received") },
    });
    expect(first).toMatchObject({ idempotencyKey: `${callId}:received:caller`, status: "pending", caseId });
  });

  it("a called-in case the crew does not find: received, crew sent, person not found", async () => {
    const { callId, caseId } = await callIn();
    const t = await crewOnScene(caseId);
    const v = await step(t.taskId, t.version, "on_scene");
    await meet(caseId, t.taskId, false);
    // Still on scene: the crew may yet find them.
    expect(await categories(callId)).toEqual(["received", "crew_sent"]);
    await step(t.taskId, v, "cleared");
    expect(await categories(callId)).toEqual(["received", "crew_sent", "not_found"]);
  });

  it("queues once per outcome however often a step is repeated; nothing without consent; consent needs a number", async () => {
    const { callId, caseId, body } = await callIn();
    // The phone's outbox and a double-clicking operator resend everything.
    expect((await op.call(api.cases.createSighting, { body })).status).toBe(201);
    const t = await crewOnScene(caseId);
    const v = await step(t.taskId, t.version, "on_scene");
    expect(
      (
        await p1.call(api.dispatch.setStatus, {
          params: { id: t.taskId },
          body: { status: "on_scene", version: t.version },
        })
      ).status,
    ).toBe(200);
    const e = await meet(caseId, t.taskId, true);
    expect((await p1.call(api.encounters.create, { body: e })).status).toBe(201);
    await meet(caseId, t.taskId, true); // a second person-time at the same case: still one "helped"
    await step(t.taskId, v, "cleared");
    expect(
      (await p1.call(api.dispatch.setStatus, { params: { id: t.taskId }, body: { status: "cleared", version: v } }))
        .status,
    ).toBe(200);
    expect(await categories(callId)).toEqual(["received", "crew_sent", "helped"]);
    // The queue itself refuses a second row under one key (a transaction re-run after a deadlock).
    const kase = (await op.call(api.cases.get, { params: { id: caseId } })).body;
    const again = await srv.services.eventLog.transact((tx) =>
      srv.services.outbound.queueOutcomes(tx, [
        { type: "case.updated", stationId: kase.stationId, actorId: null, payload: { case: kase } },
      ]),
    );
    expect(again).toBe(0);

    // A task cancelled and the case reopened does not tell the caller "received" again.
    const c2 = await callIn();
    const t2 = await crewOnScene(c2.caseId);
    const cancel = await op.call(api.dispatch.cancel, {
      params: { id: t2.taskId },
      body: { version: t2.version, reason: "vehicle broke down" },
    });
    expect(cancel.status).toBe(200);
    expect(await categories(c2.callId)).toEqual(["received", "crew_sent"]);

    const quiet = await callIn({ callerWantsOutcome: false });
    expect(await messagesOf(quiet.callId)).toEqual([]);
    const noNumber = await op.call(api.cases.createSighting, {
      body: { id: randomUUID(), source: "public_hotline", callerWantsOutcome: true, ...place(), newCase: true },
    });
    expect(noNumber.status).toBe(400);
    expect(noNumber.error.message).toContain("callerWantsOutcome");
  });

  it("a second caller about the same person hears 'already reported', then the same outcomes", async () => {
    const first = await callIn();
    const second = await callIn({
      lat: first.body.lat,
      lng: first.body.lng,
      newCase: false,
      mergeInto: first.caseId,
      callerPhone: "13900001111",
    });
    expect(second.caseId).toBe(first.caseId);
    expect(await categories(second.callId)).toEqual(["duplicate"]);
    const t = await crewOnScene(first.caseId);
    expect(await categories(second.callId)).toEqual(["duplicate", "crew_sent"]);
    expect(await categories(first.callId)).toEqual(["received", "crew_sent"]);
    await op.call(api.dispatch.cancel, { params: { id: t.taskId }, body: { version: t.version, reason: "x" } });
  });

  it("Open311: the partner's status and status_notes carry the outcome in JSON and XML, and the partner is queued a message", async () => {
    const form = new URLSearchParams({ api_key: KEY, service_code: "rough_sleeper", ...toLatLong(place()) }).toString();
    const filed = await anon().raw(api.open311.create, {
      params: { format: "json" },
      body: form,
      headers: { "content-type": "application/x-www-form-urlencoded" },
    });
    expect(filed.status).toBe(201);
    const id = (filed.body as { service_request_id: string }[])[0]!.service_request_id;
    const json = async () => (await anon().call(api.open311.get, { params: { id, format: "json" } })).body[0]!;
    const xml = async () => {
      const r = await anon().raw(api.open311.get, { params: { id, format: "xml" } });
      const text = String(r.body);
      expect(XMLValidator.validate(text)).toBe(true);
      return (xmlParser.parse(text) as { service_requests: { request: Record<string, string>[] } }).service_requests
        .request[0]!;
    };
    const expectBoth = async (status: string, outcome: Parameters<typeof reporterOutcomeNotes>[0]) => {
      expect(await json()).toMatchObject({ status, status_notes: reporterOutcomeNotes(outcome) });
      expect(await xml()).toMatchObject({ status, status_notes: reporterOutcomeNotes(outcome) });
    };
    await expectBoth("open", "received");
    const caseId = (await op.call(api.cases.get, { params: { id } })).body.id;
    const t = await crewOnScene(caseId);
    await expectBoth("open", "crew_sent");
    const v = await step(t.taskId, t.version, "on_scene");
    await meet(caseId, t.taskId, true);
    await expectBoth("open", "helped");
    await step(t.taskId, v, "cleared");
    await expectBoth("closed", "helped");
    expect(await categories(id, "partner")).toEqual(["received", "crew_sent", "helped"]);
    const [m] = (await messagesOf(id)).filter((x) => x.channel === "partner");
    expect(m!.body.reference).toBe(id); // the partner's own service_request_id
  });

  it("the webhook sender: a 500 then a 200 is retried and delivered; a 400 fails at once; a head retries it", async () => {
    // Deliver what earlier tests queued, so this test looks at its own messages only.
    hook.respond = () => ({ status: 200 });
    await deliver();
    const { callId } = await callIn();
    const key = `${callId}:received:caller`;
    hook.respond = (k, n) => ({ status: k === key && n === 1 ? 500 : 200 });
    const r1 = await deliver();
    expect(r1).toEqual({ sent: 0, retrying: 1, failed: 0 });
    let [m] = await messagesOf(callId);
    expect(m).toMatchObject({ status: "pending", attempts: 1, lastError: expect.stringContaining("HTTP 500") });
    await new Promise((r) => setTimeout(r, 30)); // back-off: 10 ms
    expect(await deliver()).toEqual({ sent: 1, retrying: 0, failed: 0 });
    [m] = await messagesOf(callId);
    expect(m).toMatchObject({ status: "sent", attempts: 2, lastError: null });
    const posts = hook.hits.filter((h) => h.key === key);
    expect(posts).toHaveLength(2);
    expect(posts[1]!.body).toMatchObject({
      idempotencyKey: key,
      category: "received",
      to: { channel: "caller", phone: PHONE },
      body: { reference: reportReference(callId), category: "received" },
    });

    const refused = await callIn();
    const refusedKey = `${refused.callId}:received:caller`;
    hook.respond = (k) => ({ status: k === refusedKey ? 400 : 200 });
    expect(await deliver()).toEqual({ sent: 0, retrying: 0, failed: 1 });
    expect(await deliver()).toEqual({ sent: 0, retrying: 0, failed: 0 });
    const [bad] = await messagesOf(refused.callId);
    expect(bad).toMatchObject({ status: "failed", attempts: 1, lastError: expect.stringContaining("HTTP 400") });
    expect(hook.hits.filter((h) => h.key === refusedKey)).toHaveLength(1);

    // The head's list shows it masked; a retry sends it again.
    const list = await head.call(api.outbound.list, { query: { status: "failed" } });
    expect(list.status).toBe(200);
    const row = list.body.items.find((i) => i.id === bad!.id)!;
    expect(row).toMatchObject({ channel: "caller", recipient: "138******78", category: "received", status: "failed" });
    expect(JSON.stringify(list.body)).not.toContain(PHONE);
    expect((await op.call(api.outbound.list, { query: {} })).status).toBe(403);
    hook.respond = () => ({ status: 200 });
    const retried = await head.call(api.outbound.retry, { params: { id: bad!.id } });
    expect(retried.status).toBe(200);
    expect(retried.body.status).toBe("pending");
    expect(await deliver()).toMatchObject({ sent: 1 });
    expect((await head.call(api.outbound.retry, { params: { id: bad!.id } })).status).toBe(409);
    expect((await admin.call(api.outbound.retry, { params: { id: randomUUID() } })).status).toBe(404);

    // 429 is not permanent: retried after the receiver's Retry-After.
    const busy = await callIn();
    const busyKey = `${busy.callId}:received:caller`;
    hook.respond = (k, n) => ({ status: k === busyKey && n === 1 ? 429 : 200, headers: { "retry-after": "0" } });
    expect(await deliver()).toEqual({ sent: 0, retrying: 1, failed: 0 });
  });

  it("no message and no Open311 answer carries the identity of the person met", async () => {
    const NAME = "林秀英测试";
    const ID_NUMBER = "23010219580312002X";
    const HOMETOWN = "黑龙江省五常市向阳镇";
    const NOTES = "糖尿病，住在南岗区亲戚家";
    const caller = await callIn();
    const form = new URLSearchParams({ api_key: KEY, service_code: "rough_sleeper", ...toLatLong(place()) }).toString();
    const filed = await anon().raw(api.open311.create, {
      params: { format: "json" },
      body: form,
      headers: { "content-type": "application/x-www-form-urlencoded" },
    });
    const partnerCall = (filed.body as { service_request_id: string }[])[0]!.service_request_id;
    const partnerCase = (await op.call(api.cases.get, { params: { id: partnerCall } })).body.id;
    hook.respond = () => ({ status: 200 });
    for (const caseId of [caller.caseId, partnerCase]) {
      const t = await crewOnScene(caseId);
      const v = await step(t.taskId, t.version, "on_scene");
      await meet(caseId, t.taskId, true, {
        outcome: "hospital",
        flags: ["injured_or_ill"],
        identity: { name: NAME, idNumber: ID_NUMBER, hometown: HOMETOWN },
        notes: NOTES,
      });
      await step(t.taskId, v, "cleared");
    }
    await deliver();
    const planted = [NAME, ID_NUMBER, HOMETOWN, NOTES, "五常", "糖尿病", "hospital", "injured"];
    const rows = await db()
      .select()
      .from(outboundMessages)
      .where(inArray(outboundMessages.callId, [caller.callId, partnerCall]));
    expect(rows.map((r) => r.category)).toContain("helped");
    const posted = hook.hits.filter((h) => rows.some((r) => r.idempotencyKey === h.key));
    expect(posted.length).toBe(rows.length);
    const answers = [
      JSON.stringify(rows.map((r) => r.body)),
      ...posted.map((p) => p.raw),
      JSON.stringify((await anon().call(api.open311.get, { params: { id: partnerCall, format: "json" } })).body),
      String((await anon().raw(api.open311.get, { params: { id: partnerCall, format: "xml" } })).body),
      String((await anon().raw(api.open311.list, { params: { format: "xml" } })).body),
      JSON.stringify((await head.call(api.outbound.list, { query: {} })).body),
    ];
    for (const text of answers) for (const p of planted) expect(text).not.toContain(p);
  });
});

/** Open311 spells longitude `long`. */
function toLatLong(p: { lat: number; lng: number }): Record<string, string> {
  return { lat: String(p.lat), long: String(p.lng) };
}
