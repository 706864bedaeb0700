import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { HAVE_CHROMIUM } from "./harness.js";
import { E2ESession, ok } from "./steps.js";
import { api } from "../../shared/api/index.js";

/**
 * Place search in the duty room with no tile server: the gazetteer is imported from a CSV, the
 * operator types pinyin initials in the place field, picks the place, the position is set from it,
 * and the call files a case at that place.
 */
const PLACE = { name: "人民广场", lat: 45.7952, lng: 126.584 };
const b64 = (s: string) => Buffer.from(s).toString("base64");

describe.skipIf(!HAVE_CHROMIUM)("duty room: a place found by pinyin initials with no tiles", () => {
  let e2e: E2ESession;
  let page: Page;
  beforeAll(async () => {
    e2e = await E2ESession.start();
    const admin = await e2e.client("admin");
    const content = b64(`station_code,name,kind,lat,lng\r\nDL,${PLACE.name},地标,${PLACE.lat},${PLACE.lng}\r\n`);
    const preview = ok(
      await admin.call(api.imports.preview, { params: { kind: "places" }, body: { format: "csv", content } }),
      "preview",
    );
    expect(preview).toMatchObject({ created: 1, problems: [] });
    ok(
      await admin.call(api.imports.commit, {
        params: { kind: "places" },
        body: { format: "csv", content, checksum: preview.checksum },
      }),
      "import",
    );
    e2e.contextSetup = async (ctx) => {
      // No tile server reachable, as in the night shift's duty room.
      await ctx.route(
        (url) => !url.href.startsWith(e2e.srv.url),
        (r) => r.abort("internetdisconnected"),
      );
    };
    page = await e2e.desk("operator", /\/duty/);
  });
  afterAll(async () => {
    await e2e?.close();
  });

  it("types rmgc, picks 人民广场, and the call files a case at its position", async () => {
    const intake = page.getByTestId("intake-form");
    const place = intake.getByLabel("位置描述");
    await place.click();
    await place.pressSequentially("rmgc");
    const option = page.locator(".ant-select-item-option", { hasText: PLACE.name });
    await option.click();
    await expect.poll(() => place.inputValue()).toBe(PLACE.name);
    await expect
      .poll(() => page.getByTestId("intake-position").textContent())
      .toBe(`${PLACE.lat.toFixed(5)}, ${PLACE.lng.toFixed(5)}`);
    // The map is centred on the place: its marker sits in the middle of the map.
    const map = await page.getByTestId("warm-map").boundingBox();
    const centreOff = async () => {
      const b = await page.locator(".wl-picked").boundingBox();
      if (!b || !map) return Infinity;
      return Math.hypot(b.x + b.width / 2 - (map.x + map.width / 2), b.y + b.height / 2 - (map.y + map.height / 2));
    };
    await expect.poll(centreOff).toBeLessThan(20);
    await intake.getByLabel("情况描述").fill("e2e 地名搜索");
    await page.getByTestId("intake-submit").click();
    await expect.poll(() => page.locator(".ant-message").textContent()).toContain("已建立新案件");

    const operator = await e2e.client("operator");
    const cases = ok(await operator.call(api.cases.list, { query: {} }), "cases").items;
    const filed = cases.find((c) => c.placeText === PLACE.name);
    expect(filed).toMatchObject({ lat: PLACE.lat, lng: PLACE.lng });
  });
});
