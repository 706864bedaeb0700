import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { createTestDatabase, ENGINE, type TestDatabase } from "../helpers/test-server.js";
import type { RunningServer } from "../../server/server.js";
import { TestClient, signedIn, type BodyOf } from "../helpers/http.js";
import { EventRecorder, waitFor } from "../helpers/socket.js";
import { lastEventId, rowCount } from "../helpers/db.js";
import { campaigns } from "../../server/db/schema/index.js";
import { api } from "../../shared/api/index.js";

/** A place in the DL district, `k` km north of a base point: tests use separate places so the duplicate rule does not mix them. */
const place = (k: number) => ({ lat: 45.7 + k * 0.009, lng: 126.6 });
/** `m` metres north of a place. */
const north = (p: { lat: number; lng: number }, m: number) => ({ lat: p.lat + m / 111_195, lng: p.lng });

const sighting = (p: { lat: number; lng: number }, over: Partial<BodyOf<typeof api.cases.createSighting>> = {}) =>
  ({
    id: randomUUID(),
    source: "public_hotline",
    callerName: "张先生",
    callerPhone: "13800138000",
    ...p,
    placeText: "桥下",
    description: "一名老人躺在桥下",
    flags: ["elderly"],
    peopleCount: 1,
    ...over,
  }) satisfies BodyOf<typeof api.cases.createSighting>;

describe(`cases: intake, duplicates, merge, un-merge [${ENGINE}]`, () => {
  let tdb: TestDatabase;
  let srv: RunningServer;
  let operator: TestClient;
  let operator2: TestClient;
  let head: TestClient;
  let patrol1: TestClient;
  let patrol2: TestClient;
  let supervisor: TestClient;
  beforeAll(async () => {
    tdb = await createTestDatabase();
    srv = await tdb.start();
    // Tests must not depend on today's date falling in the seeded campaign: pin it as running, yellow.
    await srv.database.db.update(campaigns).set({ startsOn: "2000-01-01", endsOn: "2999-12-31", alertLevel: "yellow" });
    [operator, operator2, head, patrol1, patrol2, supervisor] = (await Promise.all(
      ["operator", "operator", "head", "patrol1", "patrol2", "supervisor"].map((u) => signedIn(srv.url, u)),
    )) as [TestClient, TestClient, TestClient, TestClient, TestClient, TestClient];
  });
  afterAll(async () => {
    await srv?.close();
    await tdb?.destroy();
  });

  it("creates a case with its first call and a computed urgency with reasons; a second duty-room client receives it live", async () => {
    const other = new EventRecorder(srv.url, operator2.cookie);
    await other.ready();
    const body = sighting(place(1), { flags: ["elderly", "inadequate_clothing"], temperatureC: -12 });
    const r = await operator.call(api.cases.createSighting, { body });
    expect(r.status).toBe(201);
    expect(r.body.outcome).toBe("created");
    expect(r.body.callId).toBe(body.id);
    const c = r.body.case;
    expect(c).toMatchObject({
      id: body.id,
      status: "open",
      source: "public_hotline",
      callerCount: 1,
      urgency: "high",
      urgencyOverridden: false,
    });
    expect(c.urgencyReasons.map((x: { code: string }) => x.code)).toEqual(["vulnerable", "exposure", "cold_temp"]);
    expect(c.urgencyAlertLevel).toBe("yellow");
    expect(c.calls).toHaveLength(1);
    expect(c.calls[0]).toMatchObject({
      callerName: "张先生",
      callerPhone: "13800138000",
      intake: "created",
      fromPartner: false,
    });

    await waitFor(() => other.ofType("case.created").some((e) => (e.payload.case as { id: string }).id === body.id));
    const e = other.ofType("case.created").find((x) => (x.payload.case as { id: string }).id === body.id)!;
    expect(e.payload.call).toMatchObject({ id: body.id, callerPhone: "13800138000" });
    other.close();
  });

  it("treats a retry with the same id as a no-op returning the first result (no second case, call or event); other content is 409", async () => {
    const body = sighting(place(2), { temperatureC: -12.3, flags: ["elderly", "elderly"] });
    const first = await operator.call(api.cases.createSighting, { body });
    const calls = await rowCount(srv, "calls");
    const cases = await rowCount(srv, "cases");
    const events = await lastEventId(srv);
    const again = await operator.call(api.cases.createSighting, { body });
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    // The same id with other content would lose that content without a word: refused, naming the id and field.
    const changed = await operator.call(api.cases.createSighting, {
      body: { ...body, description: "changed on retry" },
    });
    expect(changed.status).toBe(409);
    expect(changed.error.code).toBe("IDEMPOTENCY_MISMATCH");
    expect(changed.error.message).toContain(body.id);
    expect(changed.error.message).toContain("description");
    expect(await rowCount(srv, "calls")).toBe(calls);
    expect(await rowCount(srv, "cases")).toBe(cases);
    expect(await lastEventId(srv)).toBe(events);
  });

  it("offers duplicates while typing and merges an unambiguous duplicate by rule, keeping every call", async () => {
    const p = place(3);
    const first = (await operator.call(api.cases.createSighting, { body: sighting(p) })).body.case;
    const near = north(p, 120);
    const dup = await operator.call(api.cases.duplicates, { query: { lat: near.lat, lng: near.lng } });
    expect(dup.status).toBe(200);
    expect(dup.body.items).toHaveLength(1);
    expect(dup.body.items[0]!.case.id).toBe(first.id);
    expect(dup.body.items[0]!.distanceM).toBeGreaterThan(110);
    expect(dup.body.items[0]!.distanceM).toBeLessThan(130);
    const far = north(p, 400);
    expect(
      (await operator.call(api.cases.duplicates, { query: { lat: far.lat, lng: far.lng } })).body.items,
    ).toHaveLength(0);

    const rec = new EventRecorder(srv.url, head.cookie);
    await rec.ready();
    const second = await operator.call(api.cases.createSighting, {
      body: sighting(near, {
        source: "police_110",
        flags: ["injured_or_ill"],
        peopleCount: 2,
        callerName: null,
        callerPhone: null,
      }),
    });
    expect(second.status).toBe(201);
    expect(second.body).toMatchObject({ outcome: "merged", mergedBy: "rule" });
    const c = second.body.case;
    expect(c).toMatchObject({
      id: first.id,
      callerCount: 2,
      peopleCount: 2,
      flags: ["elderly", "injured_or_ill"],
      urgency: "high",
    });
    expect(c.calls.map((x: { source: string }) => x.source)).toEqual(["public_hotline", "police_110"]);
    expect(c.calls[1]!.intake).toBe("merged_by_rule");
    expect(c.version).toBe(first.version + 1);
    await waitFor(() => rec.ofType("call.added").length === 1);
    expect(rec.ofType("call.added")[0]!.payload).toMatchObject({ caseId: first.id });
    rec.close();
  });

  it("serialises simultaneous intake: two operators reporting the same person at once give one case; parallel retries one call", async () => {
    const p = place(16);
    const [x, y] = await Promise.all([
      operator.call(api.cases.createSighting, { body: sighting(p) }),
      operator2.call(api.cases.createSighting, { body: sighting(north(p, 40)) }),
    ]);
    expect([x.status, y.status]).toEqual([201, 201]);
    expect(x.body.case.id).toBe(y.body.case.id);
    expect([x.body.outcome, y.body.outcome].sort()).toEqual(["created", "merged"]);
    const calls = await rowCount(srv, "calls");
    const body = sighting(place(17));
    const results = await Promise.all([1, 2, 3].map(() => operator.call(api.cases.createSighting, { body })));
    expect(results.map((r) => r.status)).toEqual([201, 201, 201]);
    expect(new Set(results.map((r) => r.body.case.id)).size).toBe(1);
    expect(await rowCount(srv, "calls")).toBe(calls + 1);
  });

  it("does not merge by itself when two cases match; merges where the operator says, and refuses a target outside the rule", async () => {
    const p = place(4);
    const a = (await operator.call(api.cases.createSighting, { body: sighting(p) })).body.case;
    const b = (await operator.call(api.cases.createSighting, { body: sighting(north(p, 200), { newCase: true }) })).body
      .case;
    expect(b.id).not.toBe(a.id);
    const mid = north(p, 100);
    const ambiguous = await operator.call(api.cases.createSighting, { body: sighting(mid) });
    expect(ambiguous.body.outcome).toBe("created");

    const chosen = await operator.call(api.cases.createSighting, { body: sighting(mid, { mergeInto: b.id }) });
    expect(chosen.body).toMatchObject({ outcome: "merged", mergedBy: "operator" });
    expect(chosen.body.case.id).toBe(b.id);

    const calls = await rowCount(srv, "calls");
    const outside = (await operator.call(api.cases.createSighting, { body: sighting(place(40)) })).body.case;
    const wrong = await operator.call(api.cases.createSighting, { body: sighting(mid, { mergeInto: outside.id }) });
    expect(wrong.status).toBe(400);
    expect(wrong.error.message).toMatch(/^body\.mergeInto/);
    expect(await rowCount(srv, "calls")).toBe(calls + 1);
  });

  it("merges a case into another (version-checked) and un-merges a call back out, losing nothing", async () => {
    const p = place(5);
    const a = (await operator.call(api.cases.createSighting, { body: sighting(p, { flags: ["minor"] }) })).body.case;
    const b = (await operator.call(api.cases.createSighting, { body: sighting(place(6), { flags: [] }) })).body.case;
    const autoMerged = (
      await operator.call(api.cases.createSighting, { body: sighting(north(p, 50), { flags: ["intoxicated"] }) })
    ).body;
    expect(autoMerged.case.id).toBe(a.id);
    const aNow = (await operator.call(api.cases.get, { params: { id: a.id } })).body;

    const rec = new EventRecorder(srv.url, operator2.cookie);
    await rec.ready();
    expect(
      (
        await operator.call(api.cases.merge, {
          params: { id: a.id },
          body: { intoId: b.id, version: aNow.version - 1 },
        })
      ).status,
    ).toBe(409);
    expect(
      (await operator.call(api.cases.merge, { params: { id: a.id }, body: { intoId: a.id, version: aNow.version } }))
        .status,
    ).toBe(400);
    const merged = await operator.call(api.cases.merge, {
      params: { id: a.id },
      body: { intoId: b.id, version: aNow.version },
    });
    expect(merged.status).toBe(200);
    expect(merged.body.from).toMatchObject({ id: a.id, status: "merged", mergedIntoId: b.id });
    expect(merged.body.into).toMatchObject({ id: b.id, callerCount: 3, flags: ["minor", "intoxicated"] });
    expect(merged.body.into.calls).toHaveLength(3);
    await waitFor(() => rec.ofType("case.merged").length === 1);
    expect(rec.ofType("case.merged")[0]!.payload.movedCallIds).toHaveLength(2);
    // Merged cases leave the queue.
    const queue = (await operator.call(api.cases.list)).body.items.map((c: { id: string }) => c.id);
    expect(queue).toContain(b.id);
    expect(queue).not.toContain(a.id);

    // The call that opened A goes back: A reopens with it.
    const back = await operator.call(api.cases.unmerge, { params: { id: a.id } });
    expect(back.status).toBe(200);
    expect(back.body.to).toMatchObject({
      id: a.id,
      status: "open",
      mergedIntoId: null,
      callerCount: 1,
      flags: ["minor"],
    });
    expect(back.body.from).toMatchObject({ id: b.id, callerCount: 2, flags: ["intoxicated"] });
    // The call intake had filed straight into A gets a case of its own, built from the call.
    const own = await operator.call(api.cases.unmerge, { params: { id: autoMerged.callId } });
    expect(own.status).toBe(200);
    expect(own.body.to).toMatchObject({
      id: autoMerged.callId,
      status: "open",
      callerCount: 1,
      flags: ["intoxicated"],
    });
    expect(own.body.from).toMatchObject({ id: b.id, callerCount: 1, flags: [] });
    // A retried un-merge changes nothing and records nothing.
    const events = await lastEventId(srv);
    const retry = await operator.call(api.cases.unmerge, { params: { id: autoMerged.callId } });
    expect(retry.status).toBe(200);
    expect(retry.body.to.version).toBe(own.body.to.version);
    expect(await lastEventId(srv)).toBe(events);
    await waitFor(() => rec.ofType("case.unmerged").length === 2);
    // Nothing lost: three calls, each in exactly one case.
    const all = await Promise.all(
      [a.id, b.id, autoMerged.callId].map((id) => operator.call(api.cases.get, { params: { id } })),
    );
    expect(all.map((r) => r.body.calls.length)).toEqual([1, 1, 1]);
    rec.close();
  });

  it("lets an operator override urgency with a reason, version-checked, and keeps the rule's answer beside it", async () => {
    const c = (await operator.call(api.cases.createSighting, { body: sighting(place(7), { flags: [] }) })).body.case;
    expect(c.urgency).toBe("low");
    expect(
      (
        await operator.raw(api.cases.overrideUrgency, {
          params: { id: c.id },
          body: { urgency: "critical", version: c.version },
        })
      ).status,
    ).toBe(400);
    const ok = await operator.call(api.cases.overrideUrgency, {
      params: { id: c.id },
      body: { urgency: "critical", reason: "caller says he is shaking badly", version: c.version },
    });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({
      urgency: "critical",
      computedUrgency: "low",
      urgencyOverridden: true,
      urgencyOverrideReason: "caller says he is shaking badly",
    });
    const stale = await operator.call(api.cases.overrideUrgency, {
      params: { id: c.id },
      body: { urgency: "high", reason: "x", version: c.version },
    });
    expect(stale.status).toBe(409);
    expect(stale.error.code).toBe("VERSION_CONFLICT");
    // A later call recomputes the rule but the override stands.
    const more = await operator.call(api.cases.createSighting, {
      body: sighting(north(place(7), 30), { flags: ["elderly"] }),
    });
    expect(more.body.case).toMatchObject({ urgency: "critical", computedUrgency: "medium", urgencyOverridden: true });
  });

  it("sorts the queue by urgency, then by waiting time", async () => {
    const t = (min: number) => new Date(Date.now() - min * 60_000).toISOString();
    await operator.call(api.cases.createSighting, { body: sighting(place(8), { flags: [], receivedAt: t(50) }) });
    await operator.call(api.cases.createSighting, {
      body: sighting(place(9), { flags: ["not_moving"], receivedAt: t(5) }),
    });
    await operator.call(api.cases.createSighting, { body: sighting(place(10), { flags: [], receivedAt: t(90) }) });
    const items = (await operator.call(api.cases.list, { query: { limit: "500" } })).body.items as {
      urgency: string;
      receivedAt: string;
    }[];
    const rank = { critical: 0, high: 1, medium: 2, low: 3 } as Record<string, number>;
    for (let i = 1; i < items.length; i++) {
      const a = items[i - 1]!;
      const b = items[i]!;
      expect(rank[a.urgency]! < rank[b.urgency]! || (a.urgency === b.urgency && a.receivedAt <= b.receivedAt)).toBe(
        true,
      );
    }
    expect(items[0]!.urgency).toBe("critical");
    expect((await operator.call(api.cases.list, { query: { limit: "2" } })).body.items).toHaveLength(2);
  });

  it("pages the queue by cursor to the last case, with the true total and filters", async () => {
    const all = (await operator.call(api.cases.list, { query: { limit: "500" } })).body;
    expect(all.total).toBe(all.items.length);
    expect(all.nextCursor).toBeNull();
    const seen: string[] = [];
    let after: string | undefined;
    for (let pages = 0; pages < 50; pages++) {
      const page = (await operator.call(api.cases.list, { query: { limit: "2", ...(after ? { after } : {}) } })).body;
      expect(page.total).toBe(all.total);
      seen.push(...page.items.map((c: { id: string }) => c.id));
      if (!page.nextCursor) break;
      after = page.nextCursor;
    }
    expect(seen).toEqual(all.items.map((c: { id: string }) => c.id));
    const critical = (await operator.call(api.cases.list, { query: { urgency: "critical", limit: "1" } })).body;
    expect(critical.total).toBe(all.items.filter((c: { urgency: string }) => c.urgency === "critical").length);
    const waited = (await operator.call(api.cases.list, { query: { minWaitMin: "60" } })).body;
    const hourAgo = Date.now() - 3600_000;
    expect(waited.total).toBe(
      all.items.filter((c: { receivedAt: string }) => Date.parse(c.receivedAt) <= hourAgo).length,
    );
    expect(waited.total).toBeGreaterThan(0);
    const bad = await operator.call(api.cases.list, { query: { after: "not-a-cursor" } });
    expect(bad.status).toBe(400);
  });

  it("uses the campaign's alert level: under red a case with no flags is high", async () => {
    await srv.database.db.update(campaigns).set({ alertLevel: "red" }).where(eq(campaigns.alertLevel, "yellow"));
    try {
      const c = (await operator.call(api.cases.createSighting, { body: sighting(place(11), { flags: [] }) })).body.case;
      expect(c).toMatchObject({ urgency: "high", urgencyAlertLevel: "red" });
    } finally {
      await srv.database.db.update(campaigns).set({ alertLevel: "yellow" });
    }
  });

  it("fills the position from a key point", async () => {
    const kp = (await operator.call(api.keypoints.list)).body.items[0];
    const r = await operator.call(api.cases.createSighting, {
      body: { id: randomUUID(), source: "grid_worker", keyPointId: kp!.id, flags: [] },
    });
    expect(r.status).toBe(201);
    expect(r.body.case).toMatchObject({ lat: kp!.lat, lng: kp!.lng, placeText: kp!.name, keyPointId: kp!.id });
  });

  it("lists key points in scope with due state, and serves the map configuration", async () => {
    const kps = (await operator.call(api.keypoints.list)).body.items as {
      stationId: string;
      dueState: string;
      lastVisitedAt: string | null;
      intervalHours: number;
      alertLevel: string;
    }[];
    expect(kps).toHaveLength(6);
    expect(new Set(kps.map((k) => k.stationId)).size).toBe(1);
    // Never visited: overdue; yellow alert: every 12 hours.
    expect(
      kps.every(
        (k) =>
          k.lastVisitedAt === null && k.dueState === "overdue" && k.intervalHours === 12 && k.alertLevel === "yellow",
      ),
    ).toBe(true);
    expect((await supervisor.call(api.keypoints.list)).body.items).toHaveLength(12);
    const cfg = await patrol1.call(api.map.config);
    expect(cfg.status).toBe(200);
    expect(cfg.body).toMatchObject({
      crs: "wgs84",
      subdomains: ["a", "b", "c"],
      tileUrl: expect.stringContaining("{z}"),
    });
  });

  it("refuses bad input with 400 naming the field, writing nothing", async () => {
    const before = await rowCount(srv, "calls");
    const noPlace = await operator.call(api.cases.createSighting, { body: { id: randomUUID(), source: "walk_in" } });
    expect(noPlace.status).toBe(400);
    expect(noPlace.error.message).toMatch(/^body\.lat/);
    const partner = await operator.call(api.cases.createSighting, {
      body: sighting(place(12), { source: "partner_system" }),
    });
    expect(partner.error.message).toMatch(/^body\.source/);
    const flag = await operator.raw(api.cases.createSighting, { body: { ...sighting(place(12)), flags: ["sleepy"] } });
    expect(flag.error.message).toMatch(/^body\.flags/);
    const future = await operator.call(api.cases.createSighting, {
      body: sighting(place(12), { receivedAt: new Date(Date.now() + 3600_000).toISOString() }),
    });
    expect(future.error.message).toMatch(/^body\.receivedAt/);
    const kp = await operator.call(api.cases.createSighting, {
      body: { id: randomUUID(), source: "walk_in", keyPointId: randomUUID() },
    });
    expect(kp.error.message).toMatch(/^body\.keyPointId/);
    const dupQuery = await operator.call(api.cases.duplicates, { query: { lat: "abc", lng: "1" } });
    expect(dupQuery.status).toBe(400);
    expect(await rowCount(srv, "calls")).toBe(before);
  });

  it("checks roles and station scope", async () => {
    const c = (await operator.call(api.cases.createSighting, { body: sighting(place(13)) })).body.case;
    expect((await patrol1.call(api.cases.createSighting, { body: sighting(place(14)) })).status).toBe(403);
    expect((await supervisor.call(api.cases.createSighting, { body: sighting(place(14)) })).status).toBe(403);
    expect((await patrol1.call(api.cases.unmerge, { params: { id: c.id } })).status).toBe(403);
    expect(
      (
        await patrol1.call(api.cases.overrideUrgency, {
          params: { id: c.id },
          body: { urgency: "low", reason: "x", version: c.version },
        })
      ).status,
    ).toBe(403);
    expect((await patrol2.call(api.cases.get, { params: { id: c.id } })).status).toBe(403);
    expect((await patrol2.call(api.cases.list)).body.items.map((x: { id: string }) => x.id)).not.toContain(c.id);
    expect((await operator.call(api.cases.get, { params: { id: randomUUID() } })).status).toBe(404);
    expect((await new TestClient(srv.url).call(api.cases.list)).status).toBe(401);
  });

  it("never gives caller name or phone to patrols or supervisors, over HTTP or in events", async () => {
    const recs = await Promise.all(
      [patrol1, supervisor, head].map(async (cl) => {
        const r = new EventRecorder(srv.url, cl.cookie);
        await r.ready();
        return r;
      }),
    );
    const p = place(15);
    const c = (await operator.call(api.cases.createSighting, { body: sighting(p) })).body.case;
    await operator.call(api.cases.createSighting, { body: sighting(north(p, 20)) });
    await waitFor(() => recs.every((r) => r.ofType("case.created").length >= 1 && r.ofType("call.added").length >= 1));
    const [pat, sup, hd] = recs as [EventRecorder, EventRecorder, EventRecorder];
    for (const r of [pat, sup]) {
      const json = JSON.stringify(r.events);
      expect(json).not.toContain("13800138000");
      expect(json).not.toContain("张先生");
      expect(json).not.toContain("callerPhone");
    }
    expect(JSON.stringify(hd.events)).toContain("13800138000");

    for (const cl of [patrol1, supervisor]) {
      const d = await cl.call(api.cases.get, { params: { id: c.id } });
      expect(d.status).toBe(200);
      expect(d.body.calls).toHaveLength(2);
      expect(JSON.stringify(d.body)).not.toContain("13800138000");
      expect(d.body.calls[0]).not.toHaveProperty("callerName");
    }
    expect((await head.call(api.cases.get, { params: { id: c.id } })).body.calls[0]!.callerPhone).toBe("13800138000");
    for (const r of recs) r.close();
  });

  it("re-triages active cases when the station's cold-alert level changes: the queue re-sorts at once, overrides stand", async () => {
    const [camp] = await srv.database.db.select({ id: campaigns.id }).from(campaigns).limit(1);
    const rec = new EventRecorder(srv.url, operator2.cookie);
    await rec.ready();
    const plain = (await operator.call(api.cases.createSighting, { body: sighting(place(30), { flags: [] }) })).body
      .case;
    const kept = (await operator.call(api.cases.createSighting, { body: sighting(place(32), { flags: [] }) })).body
      .case;
    expect([plain.urgency, kept.urgency]).toEqual(["low", "low"]);
    const o = await operator.call(api.cases.overrideUrgency, {
      params: { id: kept.id },
      body: { urgency: "medium", reason: "operator judgement", version: kept.version },
    });
    expect(o.status).toBe(200);

    const red = await head.call(api.campaigns.setAlert, {
      params: { id: camp!.id },
      body: { stationId: plain.stationId, level: "red", reason: "寒潮" },
    });
    expect(red.status).toBe(200);
    const after = (await operator.call(api.cases.get, { params: { id: plain.id } })).body;
    expect(after).toMatchObject({ urgency: "high", computedUrgency: "high", urgencyAlertLevel: "red" });
    expect(after.urgencyReasons.map((x: { code: string }) => x.code)).toContain("alert_floor");
    expect((await operator.call(api.cases.get, { params: { id: kept.id } })).body).toMatchObject({
      urgency: "medium",
      computedUrgency: "high",
      urgencyOverridden: true,
    });
    await waitFor(() =>
      rec
        .ofType("case.updated")
        .some(
          (e) =>
            (e.payload.case as { id: string; urgency: string }).id === plain.id &&
            (e.payload.case as { urgency: string }).urgency === "high",
        ),
    );

    // Back to yellow: the rule's answer follows, and a case that was not active is left alone.
    expect(
      (
        await head.call(api.campaigns.setAlert, {
          params: { id: camp!.id },
          body: { stationId: plain.stationId, level: "yellow", reason: "回暖" },
        })
      ).status,
    ).toBe(200);
    expect((await operator.call(api.cases.get, { params: { id: plain.id } })).body).toMatchObject({
      urgency: "low",
      urgencyAlertLevel: "yellow",
    });
    rec.close();
  });
});
