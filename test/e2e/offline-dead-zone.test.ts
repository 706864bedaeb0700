import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, asc, eq, gte } from "drizzle-orm";
import { positions } from "../../server/db/schema/index.js";
import { api } from "../../shared/api/index.js";
import type { TestClient } from "../helpers/http.js";
import { HAVE_CHROMIUM, SCREENSHOTS } from "./harness.js";
import { E2ESession, STEP, ok, stationOf, vehicleCalled } from "./steps.js";
import { failedSends, startSortie } from "./offline-steps.js";

/**
 * A dead zone: patrol1's phone on a sortie loses the signal for as long as it takes the outbox to
 * fail its first send and four retries, each after a longer wait (1 s, 2 s, 4 s, 8 s; counted in
 * failed sends, not in seconds), while the crew drives on and records a person. Nothing reaches the server, nothing
 * is lost or set aside. When the signal returns the queued record is applied once, at the time it
 * was made, and the whole offline track arrives, each fix once, in the order driven.
 */

const FIX_EVERY = 6_000; // a little over the phone's 5 s sampling, so every position set is one fix
/** The outbox's first send and four retries: the back-off has doubled three times. */
const OUTBOX_FAILURES = 5;
/** Enough fixes that the track's order and completeness mean something. */
const MIN_FIXES = 5;
/** Far more than the back-off needs (about 15 s): only a broken retry loop gets here. */
const GIVE_UP_AFTER = 240_000;

describe.skipIf(!HAVE_CHROMIUM)("a phone in a dead zone keeps its record and its track", () => {
  let e2e: E2ESession;
  let head: TestClient;
  beforeAll(async () => {
    e2e = await E2ESession.start();
    head = await e2e.client("head");
  });
  afterAll(async () => {
    await e2e?.close();
  });

  it("retries with back-off while offline, then applies the record once and the whole track in order", async () => {
    const stationId = await stationOf(head);
    const dl01 = await vehicleCalled(head, stationId, "DL-01");
    const phone = await e2e.phone("patrol1");
    await startSortie(phone, 0);
    const sortieId = ok(await head.call(api.vehicles.get, { params: { id: dl01.id } })).currentSortie?.id;
    expect(sortieId, "the sortie is on").toBeTruthy();
    const box = phone.locator("section.ph-outbox");

    // ---- The signal goes; the crew records someone they found.
    const failures = failedSends(phone);
    await phone.context().setOffline(true);
    const offlineAt = new Date();
    const header = phone.getByRole("status");
    await expect.poll(() => header.textContent(), { timeout: STEP }).toContain("离线");
    await phone.getByRole("button", { name: "此处发现人员" }).click();
    const form = phone.getByRole("region", { name: "此处发现人员" });
    await form.getByRole("button", { name: "拒绝救助" }).click();
    await form.getByRole("button", { name: "保存" }).click();
    await expect.poll(() => box.locator("h2").textContent(), { timeout: STEP }).toMatch(/^待发送 1/);
    const recordedAt = Date.now();

    // ---- Driving on without signal: a fix every few seconds, until the outbox has failed its
    // first send and four retries and the track's sender has failed too.
    const path: number[] = [];
    // The phone keeps one fix per 5 s (geo.ts): let that pass since its last sample before the
    // signal went, or the first fix driven below is rightly dropped by the sampler.
    await phone.waitForTimeout(FIX_EVERY);
    const giveUpAt = Date.now() + GIVE_UP_AFTER;
    while (failures.outbox() < OUTBOX_FAILURES || failures.track() < 1 || path.length < MIN_FIXES) {
      expect(Date.now(), `outbox failures ${failures.outbox()}, fixes ${path.length}`).toBeLessThan(giveUpAt);
      const lat = Number((45.7712 - (path.length + 1) * 0.0004).toFixed(6));
      await phone
        .context()
        .setGeolocation({ latitude: lat, longitude: 126.615 + (path.length + 1) * 0.0002, accuracy: 10 });
      path.push(lat);
      await phone.waitForTimeout(FIX_EVERY);
    }
    expect(ok(await head.call(api.encounters.list, { query: { sortieId } })).items).toHaveLength(0);
    await expect.poll(() => box.locator("li.ph-wait").count()).toBe(1);
    expect(await box.locator("li.ph-bad").count()).toBe(0);
    await phone.screenshot({ path: `${SCREENSHOTS}offline-dead-zone-queued.png`, fullPage: true });
    const reconnectAt = new Date();

    // ---- The signal returns: the queue goes at once (the online event), not at the next back-off.
    await phone.context().setOffline(false);
    await expect.poll(() => box.locator("h2").textContent(), { timeout: 10_000 }).toBe("待发送 0");
    expect(await box.locator("li.ph-ok", { hasText: "人员记录：拒绝救助" }).count()).toBe(1);
    expect(await box.locator("li.ph-bad").count(), (await box.textContent()) ?? "").toBe(0);

    // The record, once, at the time it was made (offline), not at the replay.
    const met = ok(await head.call(api.encounters.list, { query: { sortieId } })).items;
    expect(met.map((e) => e.outcome)).toEqual(["refused"]);
    const at = new Date(met[0]!.occurredAt).getTime();
    expect(at).toBeGreaterThanOrEqual(offlineAt.getTime() - 1000);
    expect(at).toBeLessThanOrEqual(recordedAt + 1000);

    // The offline track: every fix the phone recorded, once each, in the order driven.
    const trackSince = async () =>
      e2e.srv.database.db
        .select()
        .from(positions)
        .where(and(eq(positions.vehicleId, dl01.id), gte(positions.recordedAt, offlineAt)))
        .orderBy(asc(positions.recordedAt));
    const onPath = (rows: { lat: number }[]) =>
      rows
        .map((r) => r.lat)
        .filter((l) => path.includes(l))
        .filter((l, i, all) => i === 0 || all[i - 1] !== l);
    await expect.poll(async () => onPath(await trackSince()), { timeout: STEP }).toEqual(path);
    const track = await trackSince();
    expect(new Set(track.map((r) => r.recordedAt.getTime())).size, "no fix twice").toBe(track.length);
    expect(new Set(track.map((r) => r.sortieId)), "the track belongs to the sortie").toEqual(new Set([sortieId]));
    for (const r of track)
      expect(r.recordedAt.getTime(), "recorded offline, not at the replay").toBeLessThan(reconnectAt.getTime() + 1000);
    await expect
      .poll(async () => ok(await head.call(api.vehicles.get, { params: { id: dl01.id } })).lastLat, { timeout: STEP })
      .toBe(path.at(-1));
  }, 300_000);
});
