import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HAVE_CHROMIUM, SCREENSHOTS } from "./harness.js";
import { api } from "../../shared/api/index.js";
import { E2ESession, STEP, ok } from "./steps.js";

/**
 * A supervisor's campaign report over nine stations printed to PDF as Chromium prints it: the
 * sheet flows over several A4 pages (the table and its 合计 row are not lost after the first page),
 * the table's header does not squeeze a figure's name to one character a line, and the sheet ends
 * with the signature lines, the seal and the date.
 */
describe.skipIf(!HAVE_CHROMIUM)("the printed roll-up of nine stations", () => {
  let e2e: E2ESession;
  beforeAll(async () => {
    e2e = await E2ESession.start();
  });
  afterAll(async () => {
    await e2e?.close();
  });

  it("prints to more than one A4 page with its total row, signatures and no one-character columns", async () => {
    const admin = await e2e.client("admin");
    const existing = ok(await admin.call(api.stations.list));
    for (let i = existing.items.length; i < 9; i++) {
      const r = await admin.call(api.stations.create, {
        body: {
          id: randomUUID(),
          code: `E2EP${i}`,
          name: `打印测试第${i + 1}救助管理站`,
          regionId: existing.items[i % existing.items.length]!.regionId,
          lat: 45.75 + i * 0.003,
          lng: 126.6 + i * 0.003,
        },
      });
      ok(r, `station ${i}`);
    }
    const sup = await e2e.desk("supervisor", /\/station/);
    await sup.getByRole("tab", { name: "打印报告" }).click();
    const sheet = sup.getByTestId("print-sheet");
    await expect.poll(() => sup.getByTestId("print-station-sentence").count(), { timeout: STEP }).toBe(9);
    await expect.poll(() => sheet.locator("tbody tr").count()).toBe(10);
    expect(await sheet.locator("tbody tr").last().textContent()).toContain("合计");
    expect(await sheet.getByTestId("print-signatures").textContent()).toMatch(/填报人.*审核人.*单位负责人/);
    expect(await sheet.textContent()).toContain("单位（盖章）");

    // As printed: the header cell of 巡查次数 holds at least two characters a line.
    await sup.emulateMedia({ media: "print" });
    const th = sheet.locator("thead th", { hasText: "巡查次数" }).first();
    const box = await th.evaluate((el) => {
      const style = getComputedStyle(el);
      const pad = parseFloat(style.paddingLeft) + parseFloat(style.paddingRight);
      return { inner: el.getBoundingClientRect().width - pad, char: parseFloat(style.fontSize) };
    });
    expect(box.inner, "room for two characters").toBeGreaterThanOrEqual(box.char * 2);
    expect(await sheet.isVisible(), "the sheet is what prints").toBe(true);
    expect(await sup.getByRole("tab", { name: "打印报告" }).isVisible(), "the page around it does not print").toBe(
      false,
    );

    const pdf = await sup.pdf({ preferCSSPageSize: true, printBackground: true });
    const text = pdf.toString("latin1");
    const pages = (text.match(/\/Type\s*\/Page(?!s)/g) ?? []).length;
    expect(pages, "the roll-up flows over several A4 pages").toBeGreaterThan(1);
    // A4 at 72 dpi: 595 × 842 points.
    const box4 = /\/MediaBox\s*\[\s*([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)/.exec(text);
    expect(box4, "a media box").toBeTruthy();
    expect(Math.round(Number(box4![3]) - Number(box4![1]))).toBe(595);
    expect(Math.round(Number(box4![4]) - Number(box4![2]))).toBe(842);
    expect(pages, `${pages} pages`).toBeLessThan(12);
    await sup.screenshot({ path: `${SCREENSHOTS}print-rollup-nine.png`, fullPage: true });
  });
});
