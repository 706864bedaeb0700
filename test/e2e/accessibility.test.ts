import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import axe from "axe-core";
import type { TestClient } from "../helpers/http.js";
import { HAVE_CHROMIUM, SCREENSHOTS } from "./harness.js";
import { E2ESession, STEP, dispatchTo, newCall, stationOf, vehicleCalled } from "./steps.js";

/**
 * WCAG 2.1 A/AA with axe-core in Chromium, in the day and the night theme: the duty room with a case
 * open, every tab of the station page (head), the supervisor's page, the admin page and the patrol
 * phone with a task. Any serious or critical violation fails, naming the rule, the element and (for
 * contrast) the figure. No rule is switched off: the app is fixed instead.
 */
const TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];
const CASE = { lat: 45.7655, lng: 126.6412, placeText: "e2e 无障碍：值班室的案件", description: "e2e 无障碍" };

interface Finding {
  id: string;
  impact: string;
  help: string;
  nodes: { target: string; summary: string }[];
}

/** Runs axe over the page as it is now; returns its serious and critical violations. */
async function audit(page: Page): Promise<Finding[]> {
  if (!(await page.evaluate(() => "axe" in window))) await page.addScriptTag({ content: axe.source });
  const violations = await page.evaluate(async (tags) => {
    const w = window as unknown as { axe: typeof axe };
    const r = await w.axe.run(document, { runOnly: { type: "tag", values: tags }, resultTypes: ["violations"] });
    return r.violations.map((v) => ({
      id: v.id,
      impact: v.impact ?? "",
      help: v.help,
      nodes: v.nodes.map((n) => {
        const d = (n.any[0]?.data ?? {}) as { contrastRatio?: number; fgColor?: string; bgColor?: string };
        const figure = d.contrastRatio ? ` ${d.contrastRatio}:1 (${d.fgColor} on ${d.bgColor})` : "";
        // Where an unnamed control sits: the text around it, to find it in the code.
        const el = document.querySelector(String(n.target[0]));
        const near = (el?.closest(".ant-space, .ant-form-item, .ant-card, li, td")?.textContent ?? "").slice(0, 60);
        return { target: n.target.join(" "), summary: `${n.html.slice(0, 100)}${figure} near "${near}"` };
      }),
    }));
  }, TAGS);
  return violations.filter((v) => v.impact === "serious" || v.impact === "critical");
}

const describeFindings = (where: string, fs: Finding[]) =>
  fs
    .map(
      (f) =>
        `${where}: ${f.id} [${f.impact}] ${f.help}\n` + f.nodes.map((n) => `    ${n.target} — ${n.summary}`).join("\n"),
    )
    .join("\n");

/** Waits for the page to settle (fonts, animations) and audits it; returns the findings as text. */
async function findings(page: Page, where: string): Promise<string> {
  await page.waitForLoadState("networkidle").catch(() => {});
  // antd's motion (tabs ink bar, drawers, fades) ends within 0.3 s.
  await page.waitForTimeout(400);
  const found = await audit(page);
  if (found.length) {
    console.log(describeFindings(where, found));
    await page.screenshot({ path: `${SCREENSHOTS}a11y-${where.replace(/[^\w-]+/g, "_")}.png` });
  }
  return describeFindings(where, found);
}

/** Audits the page and fails with every serious or critical finding. */
async function expectAccessible(page: Page, where: string): Promise<void> {
  expect(await findings(page, where), `${where}: serious or critical WCAG 2.1 AA violations`).toBe("");
}

describe.skipIf(!HAVE_CHROMIUM)("WCAG 2.1 AA (axe-core) on every page, day and night", () => {
  let e2e: E2ESession;
  let operator: TestClient;
  beforeAll(async () => {
    e2e = await E2ESession.start();
    e2e.contextSetup = async (ctx) => {
      // No tile server reachable (as in the night shift's duty room): only our own server answers.
      await ctx.route(
        (url) => !url.href.startsWith(e2e.srv.url),
        (r) => r.abort("internetdisconnected"),
      );
    };
    operator = await e2e.client("operator");
    const caseId = await newCall(operator, CASE);
    // patrol1's DL-01 has a task, so the phone shows its task card.
    await dispatchTo(operator, caseId, await vehicleCalled(operator, await stationOf(operator), "DL-01"));
  });
  afterAll(async () => {
    await e2e?.close();
  });

  for (const scheme of ["light", "dark"] as const) {
    const themed = async (page: Page) => {
      await page.emulateMedia({ colorScheme: scheme });
      await expect.poll(() => page.evaluate(() => document.documentElement.dataset.theme)).toBe(scheme);
      return page;
    };

    it(`${scheme}: duty room with a case open`, async () => {
      const page = await themed(await e2e.desk("operator", /\/duty/));
      await page.locator(".wl-duty-qitem").filter({ hasText: CASE.placeText }).click();
      const drawer = page.locator(".ant-drawer-section").filter({ has: page.getByTestId("dispatch-slot") });
      await expect.poll(() => drawer.getByTestId("recommendation").count(), { timeout: STEP }).toBeGreaterThan(0);
      await expectAccessible(page, `${scheme} duty room`);
      await page.context().close();
    });

    it(`${scheme}: every tab of the station page (head)`, async () => {
      const page = await themed(await e2e.desk("head", /\/station/));
      const tabs = page.getByRole("tab");
      await expect.poll(() => tabs.count(), { timeout: STEP }).toBeGreaterThan(1);
      const names = (await tabs.allTextContents()).map((t) => t.trim());
      const all: string[] = [];
      for (const name of names) {
        await page.getByRole("tab", { name, exact: true }).click();
        await expect
          .poll(() => page.getByRole("tab", { name, exact: true }).getAttribute("aria-selected"))
          .toBe("true");
        all.push(await findings(page, `${scheme} station tab ${name}`));
      }
      expect(all.filter(Boolean).join("\n"), "serious or critical WCAG 2.1 AA violations").toBe("");
      await page.context().close();
    });

    it(`${scheme}: supervisor's page, every tab`, async () => {
      const page = await themed(await e2e.desk("supervisor", /\/station/));
      const tabs = page.getByRole("tab");
      await expect.poll(() => tabs.count(), { timeout: STEP }).toBeGreaterThan(0);
      const names = (await tabs.allTextContents()).map((t) => t.trim());
      const all: string[] = [];
      for (const name of names) {
        await page.getByRole("tab", { name, exact: true }).click();
        await expect
          .poll(() => page.getByRole("tab", { name, exact: true }).getAttribute("aria-selected"))
          .toBe("true");
        all.push(await findings(page, `${scheme} supervisor tab ${name}`));
      }
      expect(all.filter(Boolean).join("\n"), "serious or critical WCAG 2.1 AA violations").toBe("");
      await page.context().close();
    });

    it(`${scheme}: admin page`, async () => {
      const page = await themed(await e2e.desk("admin", /\/admin/));
      await expectAccessible(page, `${scheme} admin`);
      await page.context().close();
    });

    it(`${scheme}: the patrol phone with a task`, async () => {
      const page = await themed(await e2e.phone("patrol1"));
      await page.getByRole("button", { name: /^DL-01 · / }).click();
      const task = page.getByRole("region", { name: "当前任务" });
      await expect.poll(() => task.textContent(), { timeout: STEP }).toContain(CASE.placeText);
      await expectAccessible(page, `${scheme} phone task`);
      await page.context().close();
    });
  }
});
