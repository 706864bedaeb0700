import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import axe from "axe-core";
import { api } from "../../shared/api/index.js";
import { HAVE_CHROMIUM, SCREENSHOTS } from "./harness.js";
import { E2ESession, STEP, ok } from "./steps.js";
import type { TestClient } from "../helpers/http.js";

/**
 * The station head's identification workbench (寻亲): a person who arrived 40 days ago is taken from
 * an open file to a family found — a clue, the fingerprint check, the notice, the DNA request (its
 * overdue state leaves the list once recorded), a notice without the name, and the closing.
 */

/** `datetime-local` value of `ms` in China time (no daylight saving). */
const chinaLocal = (ms: number) => new Date(ms + 8 * 3600_000).toISOString().slice(0, 16);
const DAY = 86_400_000;

/**
 * Picks `option` in the antd Select `testId`, opening it again when a click on a loaded machine landed
 * before the select was ready (steps.ts `pick` retries only once an option was clicked).
 */
async function choose(page: Page, testId: string, option: string): Promise<void> {
  const box = page.getByTestId(testId);
  for (let attempt = 1; ; attempt++) {
    await box.click();
    const item = page
      .locator(".ant-select-dropdown:visible:not([class*='-leave']) .ant-select-item-option", { hasText: option })
      .first();
    try {
      await item.waitFor({ state: "visible", timeout: 4_000 });
      await item.click();
      await expect.poll(async () => (await box.textContent()) ?? "", { timeout: 3_000 }).toContain(option);
      return;
    } catch (error) {
      if (attempt === 4) throw error;
      await page.keyboard.press("Escape");
    }
  }
}

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

/** The state a deadline shows in the open file (the tag's text, and its data-state). */
async function deadlineState(page: Page, kind: string): Promise<string | null> {
  return page.getByTestId(`id-deadline-${kind}`).getAttribute("data-state");
}

describe.skipIf(!HAVE_CHROMIUM)("a station head takes an unidentified person to a family found", () => {
  let e2e: E2ESession;
  let head: TestClient;
  beforeAll(async () => {
    e2e = await E2ESession.start();
    head = await e2e.client("head");
  });
  afterAll(async () => {
    await e2e?.close();
  });

  it("opens a file, records a clue and the steps, generates a notice without the name, and closes it", async () => {
    const me = ok(await head.call(api.auth.me), "me");
    const stationId = me.stationId!;
    const name = "周自称甲";
    const person = ok(
      await head.call(api.people.create, {
        body: { id: randomUUID(), stationId, name, gender: "male", approxAge: 60, flags: [] },
      }),
      "person",
    );

    const page = await e2e.desk("head", /\/station/);
    await page.getByRole("tab", { name: "寻亲" }).click();
    await page.getByTestId("identification-tab").waitFor();

    // Open the file for the person (searched by name), arrived 40 days ago: the DNA request is overdue.
    await page.getByTestId("id-open-person").click();
    await page.keyboard.type(name);
    await page
      .locator(".ant-select-dropdown:visible:not([class*='-leave']) .ant-select-item-option", { hasText: name })
      .first()
      .click();
    await expect.poll(() => page.getByTestId("id-open-person").textContent()).toContain(name);
    const now = Date.now();
    await page.getByTestId("id-open-arrived").fill(chinaLocal(now - 40 * DAY));
    await page.getByTestId("id-open-submit").click();
    await page.getByTestId("id-file").waitFor();
    await expect.poll(() => deadlineState(page, "dna_requested")).toBe("overdue");
    expect(await deadlineState(page, "fingerprint_check")).toBe("overdue");
    expect(await deadlineState(page, "notice_published")).toBe("overdue");
    expect(await page.getByTestId("id-deadline-dna_requested").textContent()).toBe("已逾期");

    // A clue from a conversation yesterday; hostile text shows as text.
    const clue = "说河南周口口音<img src=x onerror=alert(1)>";
    await choose(page, "id-clue-kind", "口音方言");
    await page.getByTestId("id-clue-text").fill(clue);
    await page.getByTestId("id-clue-who").fill("李强");
    await page.getByTestId("id-clue-at").fill(chinaLocal(now - DAY));
    await page.getByTestId("id-clue-submit").click();
    await expect.poll(() => page.getByTestId("id-clues").textContent(), { timeout: STEP }).toContain(clue);
    expect(await page.locator("img[src='x']").count()).toBe(0);

    // The fingerprint check, done 38 days ago (after its 24 hours: done late), and the notice, now.
    await choose(page, "id-step-kind", "指纹比对");
    await page.getByTestId("id-step-at").fill(chinaLocal(now - 38 * DAY));
    await page.getByTestId("id-step-outcome").fill("无比中");
    await page.getByTestId("id-step-submit").click();
    await expect.poll(() => deadlineState(page, "fingerprint_check"), { timeout: STEP }).toBe("done_late");
    await choose(page, "id-step-kind", "发布寻亲公告");
    await choose(page, "id-step-channel", "全国救助寻亲网");
    await page.getByTestId("id-step-submit").click();
    await expect.poll(() => deadlineState(page, "notice_published"), { timeout: STEP }).toBe("done_late");
    expect(await deadlineState(page, "dna_requested")).toBe("overdue");

    // In the list the DNA request is the overdue deadline; once recorded, nothing is overdue.
    await page.getByTestId("id-back").click();
    const rowState = page.getByTestId(`id-row-state-${person.id}`);
    await expect.poll(() => rowState.textContent(), { timeout: STEP }).toContain("已逾期");
    // The head's due-now list on the overview names it too (a masked label, never the name).
    await page.getByRole("tab", { name: "总览" }).click();
    const dueIds = page.getByTestId("due-identification");
    await expect.poll(() => dueIds.textContent(), { timeout: STEP }).toContain("申请DNA采血比对");
    expect(await dueIds.textContent()).toContain("已逾期");
    expect(await dueIds.textContent()).not.toContain(name);
    await page.getByRole("tab", { name: "寻亲" }).click();
    await page.getByTestId(`id-open-${person.id}`).click();
    await choose(page, "id-step-kind", "申请DNA采血比对");
    await page.getByTestId("id-step-submit").click();
    await expect.poll(() => deadlineState(page, "dna_requested"), { timeout: STEP }).toBe("done_late");
    await page.getByTestId("id-back").click();
    await expect.poll(() => rowState.textContent(), { timeout: STEP }).toContain("未到期");
    expect(await rowState.textContent()).not.toContain("已逾期");
    await page.getByTestId(`id-open-${person.id}`).click();

    // The notice with the default fields (no name): the text and the sandboxed preview.
    await page.getByTestId("id-notice-generate").click();
    const text = page.getByTestId("id-notice-text");
    await expect.poll(() => text.inputValue(), { timeout: STEP }).toContain("性别：男");
    expect(await text.inputValue()).not.toContain(name);
    const frame = page.getByTestId("id-notice-frame");
    expect(await frame.getAttribute("sandbox")).not.toContain("allow-scripts");
    expect(await page.frameLocator("[data-testid='id-notice-frame']").locator("body").textContent()).toContain(
      "约60岁",
    );
    await page.screenshot({ path: `${SCREENSHOTS}identification-file.png`, fullPage: true });
    expect(await axeFindings(page), "the open file, every control labelled").toEqual([]);

    // Close as a family found, after the confirmation.
    await choose(page, "id-close-kind", "寻亲成功");
    await page.getByTestId("id-close-note").fill("其子来站接领");
    await page.getByTestId("id-close-submit").click();
    await page.getByTestId("id-close-confirm").click();
    await expect.poll(() => page.getByTestId("id-closed").textContent(), { timeout: STEP }).toContain("寻亲成功");

    // What the server holds.
    const file = ok(await head.call(api.identification.get, { params: { id: person.id } }), "file");
    expect(file.closing).toBe("family_found");
    expect(file.closingNote).toBe("其子来站接领");
    expect(file.clues.map((c) => [c.kind, c.text, c.who])).toEqual([["dialect", clue, "李强"]]);
    expect(Math.abs(Date.parse(file.clues[0]!.at) - (now - DAY))).toBeLessThan(60_000);
    expect(file.steps.map((s) => [s.kind, s.channel])).toEqual([
      ["fingerprint_check", null],
      ["notice_published", "national_site"],
      ["dna_requested", null],
    ]);
    expect(file.steps[0]!.outcome).toBe("无比中");
    expect(Math.abs(Date.parse(file.arrivedAt) - (now - 40 * DAY))).toBeLessThan(60_000);
    const open = ok(await head.call(api.identification.list, { query: { stationId } }), "list");
    expect(open.items.map((i) => i.personId)).not.toContain(person.id);
  });

  it("edits the file's facts and the notice's fields with versions: a stale edit shows the fresh values, dates after the fact", async () => {
    const me = ok(await head.call(api.auth.me), "me");
    const stationId = me.stationId!;
    const person = ok(
      await head.call(api.people.create, {
        body: { id: randomUUID(), stationId, gender: "female", approxAge: 75, flags: [] },
      }),
      "person",
    );
    const now = Date.now();
    const opened = ok(
      await head.call(api.identification.open, {
        params: { id: person.id },
        body: { arrivedAt: new Date(now - 2 * DAY).toISOString(), features: "白发" },
      }),
      "open",
    );
    const page = await e2e.desk("head", /\/station/);
    await page.getByRole("tab", { name: "寻亲" }).click();
    await page.getByTestId(`id-open-${person.id}`).click();
    await page.getByTestId("id-file").waitFor();

    // Start editing: height, and when she was found (three days ago, entered now).
    await page.getByTestId("id-facts-edit").click();
    await page.getByTestId("id-facts-height-input").fill("152");
    await page.getByTestId("id-facts-found-at").fill(chinaLocal(now - 3 * DAY));
    // Meanwhile a crew saves other features: the edit above is now stale.
    const other = ok(
      await head.call(api.identification.update, {
        params: { id: person.id },
        body: { version: opened.version, features: "白发，左耳戴银耳环" },
      }),
      "other edit",
    );
    await page.getByTestId("id-facts-save").click();
    await page.getByTestId("id-facts-conflict").waitFor({ timeout: STEP });
    // The fresh values are shown, in the card and in the form; nothing was overwritten.
    await expect
      .poll(() => page.getByTestId("id-facts-features").textContent(), { timeout: STEP })
      .toBe("白发，左耳戴银耳环");
    expect(await page.getByTestId("id-facts-features-input").inputValue()).toBe("白发，左耳戴银耳环");
    expect(ok(await head.call(api.identification.get, { params: { id: person.id } }), "file").heightCm).toBeNull();
    expect(await axeFindings(page), "the facts form with the conflict warning").toEqual([]);

    // Entered again over the fresh values, with the notice's fields chosen: saved.
    await page.getByTestId("id-facts-height-input").fill("152");
    await page.getByTestId("id-facts-found-at").fill(chinaLocal(now - 3 * DAY));
    await page.getByTestId("id-facts-notice-fields").getByText("体貌特征").click(); // off
    await page.getByTestId("id-facts-save").click();
    await expect.poll(() => page.getByTestId("id-facts-height").textContent(), { timeout: STEP }).toBe("152");
    expect(await page.getByTestId("id-facts-conflict").count()).toBe(0);
    const file = ok(await head.call(api.identification.get, { params: { id: person.id } }), "file");
    expect(file.version).toBeGreaterThan(other.version);
    expect([file.heightCm, file.features]).toEqual([152, "白发，左耳戴银耳环"]);
    expect(Math.abs(Date.parse(file.foundAt!) - (now - 3 * DAY))).toBeLessThan(60_000);
    expect(file.noticeFields).not.toContain("features");
    expect(file.noticeFields).toContain("gender");
    // The notice card starts from the head's choice.
    await page.getByTestId("id-notice-generate").click();
    await expect.poll(() => page.getByTestId("id-notice-text").inputValue(), { timeout: STEP }).toContain("性别：女");
    expect(await page.getByTestId("id-notice-text").inputValue()).not.toContain("银耳环");
  });

  it("matches a partner's CSV list: a ranked candidate with its reasons, confirmed by the head", async () => {
    const me = ok(await head.call(api.auth.me), "me");
    const stationId = me.stationId!;
    const name = "钱多多";
    const person = ok(
      await head.call(api.people.create, {
        body: { id: randomUUID(), stationId, name, gender: "female", approxAge: 50, hometown: "山东临沂", flags: [] },
      }),
      "person",
    );
    const csv = "姓名,性别,年龄,籍贯\n钱多多,女,51,山东临沂\n";
    const page = await e2e.desk("head", /\/station/);
    await page.getByRole("tab", { name: "寻亲" }).click();
    await page.getByTestId("id-match-list").fill("市公安局走失人员 e2e");
    await page
      .getByTestId("id-match-file")
      .setInputFiles({ name: "police.csv", mimeType: "text/csv", buffer: Buffer.from(csv) });
    await page.getByTestId("id-match-run").click();
    const cand = page.getByTestId(`id-cand-2-${person.id}`);
    await expect.poll(() => cand.textContent(), { timeout: STEP }).toContain(name);
    expect(await cand.textContent()).toContain("姓名相同");
    expect(await page.getByTestId("id-match-rows").textContent()).toContain("1");
    expect(await axeFindings(page), "the match results, every control labelled").toEqual([]);
    await page.getByTestId(`id-confirm-2-${person.id}`).click();
    await expect.poll(() => cand.textContent(), { timeout: STEP }).toContain("已确认");
    await page.screenshot({ path: `${SCREENSHOTS}identification-match.png`, fullPage: true });

    // Logged on the server, nothing merged.
    const again = ok(
      await head.call(api.identification.match, { body: { stationId, listName: "市公安局走失人员 e2e", csv } }),
      "match",
    );
    const c = again.items.find((i) => i.row === 2)!.candidates.find((x) => x.personId === person.id)!;
    expect(c.decision).toBe("confirmed");
    expect(ok(await head.call(api.people.get, { params: { id: person.id } }), "person").mergedIntoId).toBeNull();
  });
});
