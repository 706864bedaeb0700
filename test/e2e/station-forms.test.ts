import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { api } from "../../shared/api/index.js";
import { localDay } from "../../shared/counting.js";
import { vocabLabel } from "../../shared/vocab-labels.js";
import { HAVE_CHROMIUM, SCREENSHOTS } from "./harness.js";
import { E2ESession, STEP, TZ, ok, pick } from "./steps.js";
import type { TestClient } from "../helpers/http.js";

/**
 * The station head's entry forms: a paper night entered as one patrol log (补录) — vehicle, crew,
 * times, a key point checked, a person met and given a quilt from the load — and a bulk hand-out
 * (发放) to a number of recipients; the server holds exactly those records and the totals move by them.
 */

/** `datetime-local` value of `ms` in China time (no daylight saving). */
const chinaLocal = (ms: number) => new Date(ms + 8 * 3600_000).toISOString().slice(0, 16);

/** Fills an antd InputNumber found by test id (the id sits on the input or on its wrapper). */
async function fillNumber(page: Page, testId: string, value: number): Promise<void> {
  const el = page.getByTestId(testId);
  const input = (await el.evaluate((e) => e.tagName)) === "INPUT" ? el : el.locator("input");
  await input.fill(String(value));
}

describe.skipIf(!HAVE_CHROMIUM)("a station head enters a paper night and a bulk hand-out", () => {
  let e2e: E2ESession;
  let head: TestClient;
  beforeAll(async () => {
    e2e = await E2ESession.start();
    head = await e2e.client("head");
  });
  afterAll(async () => {
    await e2e?.close();
  });

  it("a patrol log and a distribution from the station page land as records and in the totals", async () => {
    const today = localDay(new Date(), TZ);
    const me = ok(await head.call(api.auth.me), "me");
    const stationId = me.stationId!;
    const campaigns = ok(await head.call(api.campaigns.list), "campaigns");
    const campaign = campaigns.items.find((c) => c.startsOn <= campaigns.today && campaigns.today <= c.endsOn)!;
    expect(campaign, `a campaign runs on ${today}`).toBeTruthy();
    const totals = async () =>
      ok(await head.call(api.totals.get, { params: { id: campaign.id }, query: { stationId } }), "totals").figures;
    const before = await totals();
    const vehicle = ok(await head.call(api.vehicles.list, { query: { stationId } }), "vehicles").items[0]!;
    const keyPoint = ok(await head.call(api.keypoints.list, { query: { stationId } }), "key points").items[0]!;
    const quilt = ok(await head.call(api.supplies.stock, { query: { stationId } }), "stock").items.find(
      (i) => i.code === "quilt",
    )!;

    // ---- The paper night: out 90 minutes ago, back 20 minutes ago, one key point, one person met.
    const now = Date.now();
    const start = now - 90 * 60_000;
    const page = await e2e.desk("head", /\/station/);
    await page.getByTestId("patrol-log-open").click();
    // The modal zooms in: wait for the animation to end, then pick the vehicle by typing its call sign.
    await expect.poll(() => page.locator(".ant-modal[class*='zoom']").count()).toBe(0);
    await page.getByTestId("log-vehicle").click();
    await page.keyboard.type(vehicle.callSign);
    await page.keyboard.press("Enter");
    expect(await page.getByTestId("log-vehicle").textContent()).toContain(vehicle.callSign);
    await page.getByTestId("log-started").fill(chinaLocal(start));
    await page.getByTestId("log-ended").fill(chinaLocal(now - 20 * 60_000));
    await page.getByTestId("log-load-add").click();
    await pick(page, "log-load-item-0", quilt.nameZh);
    await fillNumber(page, "log-load-qty-0", 3);
    await page.getByTestId("log-kp-add").click();
    await pick(page, "log-kp-0", keyPoint.name);
    await page.getByTestId("log-kp-time-0").fill(chinaLocal(start + 15 * 60_000));
    await fillNumber(page, "log-kp-found-0", 1);
    await page.getByTestId("log-enc-add").click();
    await pick(page, "log-enc-outcome-0", vocabLabel("outcome", "street_aid", "zh-CN"));
    await pick(page, "log-enc-visit-0", keyPoint.name);
    await page.getByTestId("log-enc-time-0").fill(chinaLocal(start + 20 * 60_000));
    await page.getByTestId("log-enc-sup-0-add").click();
    await pick(page, "log-enc-sup-0-item-0", quilt.nameZh);
    await page.screenshot({ path: `${SCREENSHOTS}station-forms-log.png`, fullPage: true });
    await page.getByTestId("patrol-log-submit").click();
    await expect.poll(() => page.locator("body").textContent(), { timeout: STEP }).toContain("巡查记录已保存");

    const sorties = ok(await head.call(api.patrols.sorties, { query: { vehicleId: vehicle.id } }), "sorties").items;
    const sortie = sorties.find((s) => Date.parse(s.startedAt) === Math.floor(start / 60_000) * 60_000)!;
    expect(sortie, JSON.stringify(sorties)).toBeTruthy();
    expect(sortie.endedAt).toBeTruthy();
    const met = ok(await head.call(api.encounters.list, { query: { sortieId: sortie.id } }), "encounters").items;
    expect(met).toHaveLength(1);
    expect(met[0]!).toMatchObject({ found: true, outcome: "street_aid", lat: keyPoint.lat, lng: keyPoint.lng });
    expect(met[0]!.keyPointVisitId).toBeTruthy();
    expect(met[0]!.supplies.map((s) => [s.itemId, s.quantity])).toEqual([[quilt.itemId, 1]]);
    const afterLog = await totals();
    expect(afterLog.sorties - before.sorties).toBe(1);
    expect(afterLog.keyPointVisits - before.keyPointVisits).toBe(1);
    expect(afterLog.foundPersonTimes - before.foundPersonTimes).toBe(1);
    expect(afterLog.aidedOnStreet - before.aidedOnStreet).toBe(1);
    expect(afterLog.suppliesQuantity - before.suppliesQuantity).toBe(1);
    expect(afterLog.distributionRecipients).toBe(before.distributionRecipients);

    // ---- A bulk hand-out at a distribution point: 2 quilts to 12 people, listed and counted.
    await page.getByRole("tab", { name: "物资与床位" }).click();
    // A problem lands on its field (the shared schema, in the browser); a refusal shows by its code.
    const card = page.getByTestId("distributions-card");
    await page.getByTestId("dist-submit").click();
    await expect.poll(() => card.locator(".ant-form-item-has-error [data-testid='dist-sup-item-0']").count()).toBe(1);
    await pick(page, "dist-sup-item-0", quilt.nameZh);
    await fillNumber(page, "dist-sup-qty-0", 9999);
    await page.getByTestId("dist-submit").click();
    await expect
      .poll(() => card.locator(".ant-form-item-explain-error").allTextContents())
      .toContain("name the distribution point");
    await page.getByTestId("dist-place-text").fill("火车站南广场");
    await page.getByTestId("dist-submit").click();
    await expect.poll(() => card.getByRole("alert").textContent()).toContain("库存不足");
    expect(ok(await head.call(api.distributions.list, { query: { stationId } }), "distributions").items).toEqual([]);

    await fillNumber(page, "dist-recipients", 12);
    await fillNumber(page, "dist-sup-qty-0", 2);
    await page.getByTestId("dist-submit").click();
    const list = page.getByTestId("dist-list");
    await expect.poll(() => list.textContent(), { timeout: STEP }).toContain("火车站南广场");
    expect(await list.textContent()).toContain(`${quilt.nameZh} × 2`);
    await page.screenshot({ path: `${SCREENSHOTS}station-forms-distribution.png`, fullPage: true });
    const dists = ok(await head.call(api.distributions.list, { query: { stationId } }), "distributions").items;
    expect(dists.filter((d) => d.placeText === "火车站南广场")).toMatchObject([
      { placeKind: "distribution_point", recipients: 12, supplies: [{ itemId: quilt.itemId, quantity: 2 }] },
    ]);
    const afterDist = await totals();
    expect(afterDist.distributionRecipients - afterLog.distributionRecipients).toBe(12);
    expect(afterDist.suppliesQuantity - afterLog.suppliesQuantity).toBe(2);
    expect(afterDist.foundPersonTimes).toBe(afterLog.foundPersonTimes);
  });
});
