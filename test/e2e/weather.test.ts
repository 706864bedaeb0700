import { afterAll, beforeAll, describe, expect, it } from "vitest";
import axe from "axe-core";
import type { Page } from "playwright-core";
import { api } from "../../shared/api/index.js";
import { addDays } from "../../shared/counting.js";
import type { TestClient } from "../helpers/http.js";
import { HAVE_CHROMIUM, SCREENSHOTS } from "./harness.js";
import { E2ESession, ok, stationOf } from "./steps.js";

/** Serious or critical WCAG 2.1 AA violations (axe-core) of the page as it is now, as "rule: element" lines. */
async function axeFindings(page: Page): Promise<string[]> {
  await page.waitForTimeout(400); // antd's motion ends within 0.3 s
  if (!(await page.evaluate(() => "axe" in window))) await page.addScriptTag({ content: axe.source });
  return page.evaluate(async () => {
    const w = window as unknown as { axe: typeof axe };
    const r = await w.axe.run(document, {
      runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] },
      resultTypes: ["violations"],
    });
    return r.violations
      .filter((v) => v.impact === "serious" || v.impact === "critical")
      .flatMap((v) => v.nodes.map((n) => `${v.id}: ${n.html.slice(0, 120)}`));
  });
}

/**
 * Issue 19, weather in: the head sees tonight's proposal of the cold rule with its reasons in
 * words, confirms it from the keyboard, and the station's level is the proposed one; a bad weather
 * file is refused naming row and column, its hostile text shown as text.
 */
describe.skipIf(!HAVE_CHROMIUM)("the station head confirms the level the weather proposes", () => {
  let e2e: E2ESession;
  let headApi: TestClient;
  beforeAll(async () => {
    e2e = await E2ESession.start();
    headApi = await e2e.client("head");
  });
  afterAll(async () => {
    await e2e?.close();
  });

  it("sees the proposal with its reasons, confirms it, and the level is set", async () => {
    const stationId = await stationOf(headApi);
    const { today } = ok(await headApi.call(api.campaigns.list));
    const station = ok(await headApi.call(api.stations.list)).items.find((s) => s.id === stationId)!;
    // A cold wave tonight in the station's district: 12 °C two nights running, then −6 °C in force 7.
    for (const [k, t, w] of [
      [-2, 12, 2],
      [-1, 12, 2],
    ] as const)
      ok(
        await headApi.call(api.weather.enter, {
          body: { regionId: station.regionId, date: addDays(today, k), minTempC: t, windForce: w },
        }),
        "weather",
      );

    const page = await e2e.desk("head", /\/station/);
    await page.getByRole("tab", { name: "天气" }).click();
    await expect.poll(() => page.getByTestId("weather-proposed-level").textContent()).toBe("无");
    // Tonight's forecast entered by hand: the district (first choice) and tonight (the default day).
    await page.getByLabel("最低气温(℃)").fill("-6");
    await page.getByLabel("风力(级)").fill("7");
    await page.getByTestId("weather-entry-save").click();
    await expect.poll(() => page.getByTestId("weather-proposed-level").textContent()).toBe("红色");
    expect(await page.getByTestId("weather-current-level").textContent()).toBe("黄色");
    const reasons = (await page.getByTestId("weather-reasons").textContent()) ?? "";
    expect(reasons).toContain("寒潮红色标准：24 小时内最低气温下降 18℃ 至 -6℃，风力 7 级");
    expect(reasons).toContain("体感温度");
    expect(await page.locator("body").textContent()).toContain("临时避寒场所全天 24 小时开放");
    expect(await axeFindings(page)).toEqual([]);

    // Confirm from the keyboard.
    await page.getByTestId("weather-confirm").focus();
    await page.keyboard.press("Enter");
    await expect.poll(() => page.getByTestId("weather-confirmed").count()).toBe(1);
    await expect.poll(() => page.getByTestId("weather-current-level").textContent()).toBe("红色");
    const campaign = ok(await headApi.call(api.campaigns.list)).items.find(
      (c) => c.startsOn <= today && today <= c.endsOn,
    )!;
    expect(campaign.stationLevels.find((l) => l.stationId === stationId)?.level).toBe("red");

    // The shelters' tab carries the level's standing order: shelters open round the clock at red.
    await page.getByRole("tab", { name: "避寒场所" }).click();
    await expect.poll(() => page.getByTestId("shelter-hours").textContent()).toContain("临时避寒场所全天 24 小时开放");
    await page.getByRole("tab", { name: "天气" }).click();

    // A bad file: refused whole, the problem named by row and column, the text shown as text.
    const hostile = `<img src=x onerror="document.body.dataset.pwned=1">`;
    const file = ["region,date,min_temp_c,wind_force", `"${hostile.replace(/"/g, '""')}",${today},-3,2`, ""].join("\n");
    await page
      .getByTestId("weather-file")
      .setInputFiles({ name: "bad.csv", mimeType: "text/csv", buffer: Buffer.from(file) });
    await expect.poll(() => page.getByTestId("weather-file-problems").textContent()).toContain("第 2 行 region");
    expect(await page.getByTestId("weather-file-problems").textContent()).toContain(hostile);
    expect(await page.locator("img[src=x]").count()).toBe(0);
    expect(await page.evaluate(() => document.body.dataset.pwned)).toBeUndefined();

    // The backtest runs over the stored nights.
    await page.getByTestId("weather-backtest").click();
    await expect.poll(() => page.getByTestId("weather-backtest-summary").textContent()).toMatch(/共比较 \d+ 晚/);
    await page.screenshot({ path: `${SCREENSHOTS}weather-head.png`, fullPage: true });
  });
});
