import { afterAll, beforeAll, describe, expect, it } from "vitest";
import axe from "axe-core";
import type { Locator, Page } from "playwright-core";
import { api } from "../../shared/api/index.js";
import type { TestClient } from "../helpers/http.js";
import { HAVE_CHROMIUM, SCREENSHOTS } from "./harness.js";
import { E2ESession, STEP, ok } from "./steps.js";

/** Serious or critical WCAG 2.1 AA violations (axe-core) inside `selector`, as "rule: element" lines. */
async function axeFindings(page: Page, selector: string): Promise<string[]> {
  await page.waitForTimeout(400); // antd's motion ends within 0.3 s
  if (!(await page.evaluate(() => "axe" in window))) await page.addScriptTag({ content: axe.source });
  return page.evaluate(async (sel) => {
    const w = window as Window & { axe?: typeof axe };
    const r = await w.axe!.run(sel, {
      runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] },
      resultTypes: ["violations"],
    });
    return r.violations
      .filter((v) => v.impact === "serious" || v.impact === "critical")
      .flatMap((v) => v.nodes.map((n) => `${v.id}: ${n.html.slice(0, 120)}`));
  }, selector);
}

/** The text of the elements that describe `field` (antd puts a field's error there). */
const describedBy = (field: Locator) =>
  field.evaluate((el) =>
    (el.getAttribute("aria-describedby") ?? "")
      .split(" ")
      .map((id) => document.getElementById(id)?.textContent ?? "")
      .join(" "),
  );

const focusedTestId = (page: Page) =>
  page.evaluate(() => document.activeElement?.closest("[data-testid]")?.getAttribute("data-testid"));

/**
 * The crew check-in policy on the station page (夜间报平安, issue 19): a supervisor sets the levels
 * and the interval from the keyboard (an interval out of 5..240 is refused naming the field) and
 * the API then holds them; an edit made stale by another save is refused with the values now in
 * force shown and the user's edit kept; a station head sees the policy read-only with who may
 * change it, following a change live; axe finds nothing serious in the card.
 */
describe.skipIf(!HAVE_CHROMIUM)("crew check-in policy: supervisors set it, heads see it", () => {
  let e2e: E2ESession;
  let supervisorApi: TestClient;
  let campaignId: string;
  let sup: Page;

  beforeAll(async () => {
    e2e = await E2ESession.start();
    supervisorApi = await e2e.client("supervisor");
    // The campaign the page opens on: the one running today.
    const { items, today } = ok(await supervisorApi.call(api.campaigns.list), "campaigns");
    campaignId = (items.find((c) => c.startsOn <= today && today <= c.endsOn) ?? items[0]!).id;
  });
  afterAll(async () => {
    await e2e?.close();
  });

  const policyNow = async () =>
    ok(await supervisorApi.call(api.checkIns.policy, { params: { id: campaignId } }), "policy");

  it("a supervisor changes the levels and the interval; the API then returns them", async () => {
    sup = await e2e.desk("supervisor", /\/station/);
    await sup.getByRole("tab", { name: "总览" }).click();
    const card = sup.getByTestId("check-in-policy");
    const current = card.getByTestId("check-in-policy-current");
    // The default until set: orange and red, every 30 minutes.
    await expect.poll(() => current.textContent(), { timeout: STEP }).toContain("每 30 分钟报平安一次");
    expect(await current.textContent()).toContain("默认规定");
    expect(await card.getByTestId("check-in-policy-who").textContent()).toContain("按专项行动设置");

    // Out of range: refused in the browser, the message names the field, focus goes to it.
    const interval = card.getByLabel("报平安间隔（分钟）");
    await interval.fill("3");
    await card.getByTestId("check-in-policy-save").click();
    await expect.poll(() => interval.getAttribute("aria-invalid")).toBe("true");
    await expect.poll(() => describedBy(interval)).toContain("报平安间隔（分钟）须为 5–240 之间的整数");
    await expect.poll(() => sup.evaluate(() => document.activeElement?.id)).toBe(await interval.getAttribute("id"));
    expect((await policyNow()).version).toBe(0);

    // From the keyboard: 黄色 on (Space), 红色 off, 20 minutes, Enter saves.
    const levels = card.getByRole("group", { name: "需要报平安的预警级别" });
    expect(await levels.getByRole("checkbox", { name: "橙色" }).isChecked()).toBe(true);
    await levels.getByRole("checkbox", { name: "黄色" }).focus();
    await sup.keyboard.press("Space");
    await levels.getByRole("checkbox", { name: "红色" }).focus();
    await sup.keyboard.press("Space");
    await interval.focus();
    await sup.keyboard.press("ControlOrMeta+A");
    await sup.keyboard.type("20");
    await sup.keyboard.press("Enter");

    await expect.poll(() => current.textContent(), { timeout: STEP }).toContain("每 20 分钟报平安一次");
    expect(await current.textContent()).not.toContain("默认规定");
    expect(await current.getByTestId("check-in-policy-level-yellow").count()).toBe(1);
    expect(await current.getByTestId("check-in-policy-level-red").count()).toBe(0);
    // Focus lands on the policy now in force.
    await expect.poll(() => focusedTestId(sup)).toBe("check-in-policy-current");
    expect(await policyNow()).toMatchObject({
      campaignId,
      levels: ["yellow", "orange"],
      intervalMinutes: 20,
      isDefault: false,
      version: 1,
    });
  });

  it("a stale edit shows the conflict with the values in force and overwrites nothing", async () => {
    const card = sup.getByTestId("check-in-policy");
    const interval = card.getByLabel("报平安间隔（分钟）");
    await interval.fill("45");
    // Someone else saves in between (the live push reaches the page; the edit is kept).
    ok(
      await supervisorApi.call(api.checkIns.setPolicy, {
        params: { id: campaignId },
        body: { levels: ["red"], intervalMinutes: 15, version: 1 },
      }),
      "other save",
    );
    const current = card.getByTestId("check-in-policy-current");
    await expect.poll(() => current.textContent(), { timeout: STEP }).toContain("每 15 分钟报平安一次");
    expect(await interval.inputValue()).toBe("45");

    await card.getByTestId("check-in-policy-save").click();
    const conflict = card.getByTestId("check-in-policy-conflict");
    await expect.poll(() => conflict.count(), { timeout: STEP }).toBe(1);
    expect(await conflict.textContent()).toContain("您的修改没有保存");
    expect(await conflict.textContent()).toContain("现行规定：红色，每 15 分钟");
    await expect
      .poll(() =>
        sup.evaluate(() =>
          document.activeElement?.contains(document.querySelector("[data-testid=check-in-policy-conflict]")),
        ),
      )
      .toBe(true);
    // Nothing overwritten: the server keeps the other save, the form keeps this user's edit.
    expect(await policyNow()).toMatchObject({ levels: ["red"], intervalMinutes: 15, version: 2 });
    expect(await interval.inputValue()).toBe("45");
    expect(await axeFindings(sup, "[data-testid=check-in-policy]")).toEqual([]);
    await sup.screenshot({ path: `${SCREENSHOTS}check-in-policy-conflict.png`, fullPage: true });

    // Taking the values in force puts them in the form.
    await card.getByTestId("check-in-policy-use-fresh").click();
    expect(await conflict.count()).toBe(0);
    expect(await interval.inputValue()).toBe("15");
    const levels = card.getByRole("group", { name: "需要报平安的预警级别" });
    expect(await levels.getByRole("checkbox", { name: "红色" }).isChecked()).toBe(true);
    expect(await levels.getByRole("checkbox", { name: "黄色" }).isChecked()).toBe(false);
  });

  it("a head sees the policy read-only, with who may change it, live; axe finds nothing serious", async () => {
    const head = await e2e.desk("head", /\/station/);
    const card = head.getByTestId("check-in-policy");
    const current = card.getByTestId("check-in-policy-current");
    await expect.poll(() => current.textContent(), { timeout: STEP }).toContain("每 15 分钟报平安一次");
    expect(await current.getByTestId("check-in-policy-level-red").count()).toBe(1);
    expect(await card.getByTestId("check-in-policy-who").textContent()).toContain(
      "由民政局督导或系统管理员按专项行动设置；站长可以查看，不能修改",
    );
    expect(await card.getByTestId("check-in-policy-form").count()).toBe(0);
    expect(await card.getByRole("checkbox").count()).toBe(0);
    expect(await card.getByRole("button").count()).toBe(0);
    expect(await axeFindings(head, "[data-testid=check-in-policy]")).toEqual([]);

    // A supervisor's change reaches the head's page without a reload (check_in.policy_changed).
    ok(
      await supervisorApi.call(api.checkIns.setPolicy, {
        params: { id: campaignId },
        body: { levels: ["orange", "red"], intervalMinutes: 10, version: 2 },
      }),
      "live change",
    );
    await expect.poll(() => current.textContent(), { timeout: STEP }).toContain("每 10 分钟报平安一次");
    expect(await current.getByTestId("check-in-policy-level-orange").count()).toBe(1);
    await head.screenshot({ path: `${SCREENSHOTS}check-in-policy-head.png`, fullPage: true });
  });
});
