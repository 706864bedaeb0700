import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser } from "playwright-core";
import type { RunningServer } from "../../server/server.js";
import { HAVE_CHROMIUM, SCREENSHOTS, startE2E } from "./harness.js";

describe.skipIf(!HAVE_CHROMIUM)("web shell in Chromium", () => {
  let srv: RunningServer;
  let browser: Browser;
  let close: () => Promise<void>;
  beforeAll(async () => ({ srv, browser, close } = await startE2E()));
  afterAll(async () => {
    await close?.();
  });

  it("shows the login page in Chinese, refuses a wrong password, lets a demo user in, switches to English", async () => {
    const ctx = await browser.newContext({ locale: "zh-CN", viewport: { width: 1366, height: 800 } });
    const page = await ctx.newPage();
    await page.goto(srv.url + "/");
    await page.getByLabel("用户名").fill("operator");
    await page.getByLabel("密码").fill("wrong");
    await page.keyboard.press("Enter");
    await expect.poll(() => page.getByRole("alert").textContent()).toBeTruthy();
    await page.screenshot({ path: `${SCREENSHOTS}01-login-error.png` });

    await page.getByLabel("密码").fill("demo");
    await page.keyboard.press("Enter");
    await page.waitForURL(/\/duty/);
    await expect.poll(() => page.getByTestId("current-user").textContent()).toContain("王芳");
    await page.screenshot({ path: `${SCREENSHOTS}02-duty-room.png` });

    await page.getByText("English", { exact: true }).first().click();
    await expect.poll(() => page.locator("body").textContent()).toMatch(/Duty room/);
    await ctx.close();
  });

  it("lets every demo user sign in and land on their start page", async () => {
    const landing: Record<string, RegExp> = {
      head: /\/station/,
      supervisor: /\/station/,
      admin: /\/admin/,
      patrol1: /\/m\/?/,
    };
    for (const [user, url] of Object.entries(landing)) {
      const ctx = await browser.newContext({ locale: "en-US" });
      const page = await ctx.newPage();
      await page.goto(srv.url + "/login");
      await page.getByLabel("Username").fill(user);
      await page.getByLabel("Password").fill("demo");
      await page.keyboard.press("Enter");
      await page.waitForURL(url);
      expect(page.url(), user).toMatch(url);
      await ctx.close();
    }
  });
});
