import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Locator, Page } from "playwright-core";
import { TestClient } from "../helpers/http.js";
import { HAVE_CHROMIUM, SCREENSHOTS } from "./harness.js";
import { E2ESession, STEP } from "./steps.js";
import { plantHostileRecords, type Planted } from "./hostile-records.js";
import { freeTextFields } from "./hostile-payloads.js";
import { api } from "../../shared/api/index.js";
import type { Endpoint } from "../../shared/api/endpoint.js";

/**
 * Text is never markup. Every free-text field of every create endpoint (read from
 * the zod contract, Open311 included) is filled with payloads that call `window.__xss(tag)` if they
 * are ever parsed as HTML; then every screen that shows those texts is opened as the role that uses
 * it, map markers hovered and clicked. A payload that runs, or a dialog that opens, fails the screen
 * and names the field; each screen must also show the payloads as literal text, so a screen that
 * merely hides them does not pass by saying nothing.
 */

declare global {
  interface Window {
    /** What a payload calls if it runs (installed by the test). */
    __xss?: (tag: unknown) => void;
    /** The test's binding that records a hit. */
    __xssReport?: (tag: string) => Promise<void>;
  }
}

interface Hit {
  tag: string;
  screen: string;
  url: string;
}

describe.skipIf(!HAVE_CHROMIUM)("hostile text stays text on every screen", () => {
  let e2e: E2ESession;
  let planted: Planted;
  const hits: Hit[] = [];
  let screen = "setup";

  beforeAll(async () => {
    e2e = await E2ESession.start();
    // Installed before any page script runs, on every context the session opens: payloads call
    // __xss, which reports to the test at once (a hit survives the page navigating away).
    e2e.contextSetup = async (ctx) => {
      await ctx.exposeBinding("__xssReport", (src, tag: unknown) => {
        hits.push({ tag: String(tag), screen, url: src.page.url() });
      });
      await ctx.addInitScript(() => {
        window.__xss = (t) => {
          void window.__xssReport?.(String(t));
        };
      });
      ctx.on("page", (page) =>
        page.on("dialog", (d) => {
          hits.push({ tag: `dialog: ${d.message()}`, screen, url: page.url() });
          void d.dismiss();
        }),
      );
    };
    const [admin, head, operator, patrol] = await Promise.all(
      ["admin", "head", "operator", "patrol1"].map((u) => e2e.client(u)),
    );
    planted = await plantHostileRecords({
      admin: admin!,
      head: head!,
      operator: operator!,
      patrol: patrol!,
      anon: new TestClient(e2e.srv.url),
    });
  }, 120_000);
  afterAll(async () => {
    await e2e?.close();
  });

  /** Starts a screen: hits from now on are counted against it. */
  const begin = (name: string) => {
    screen = name;
  };
  /** No payload ran on the current screen (after letting failed image loads fire their handlers). */
  async function expectNoHits(page: Page) {
    await page.waitForTimeout(600);
    const mine = [
      ...new Set(hits.filter((h) => h.screen === screen).map((h) => `${planted.hostile.describe(h.tag)} (${h.url})`)),
    ];
    expect(mine, `payloads ran on ${screen}`).toEqual([]);
  }
  /** `where` shows, as literal text, something planted in each of `fields`. */
  async function showsLiterally(where: Locator, fields: readonly string[]) {
    for (const f of fields) {
      const texts = planted.hostile.planted(f);
      await expect
        .poll(
          async () => {
            const shown = await where.innerText().catch(() => "");
            return texts.some((t) => shown.includes(t));
          },
          { timeout: STEP, message: `${screen}: ${f} shown as literal text` },
        )
        .toBe(true);
    }
  }
  const shot = (page: Page, name: string) => page.screenshot({ path: `${SCREENSHOTS}hostile-${name}.png` });

  it("plants hostile text in every free-text field of the create endpoints", () => {
    // The generator read the fields from the contract; these must be among them.
    expect(planted.hostile.fields).toEqual(
      expect.arrayContaining([
        "cases.createSighting.placeText",
        "cases.createSighting.description",
        "keypoints.create.name",
        "keypoints.create.address",
        "shelters.create.name",
        "vehicles.create.callSign",
        "open311.create.address_string",
        "open311.create.description",
        "encounters.create.identity.name",
        "patrols.startSortie.crewNames",
        "users.create.displayName",
        "reports.submit.remarks",
      ]),
    );
    // Generated, so complete: every POST endpoint whose body has free text got hostile records,
    // and a new one fails here until it is planted too. Signing in creates nothing to show.
    const withText = Object.entries(api).flatMap(([g, eps]) =>
      Object.entries(eps as Record<string, Endpoint>)
        .filter(
          ([n, ep]) =>
            ep.method === "POST" && ep.body && freeTextFields(ep.body).length > 0 && `${g}.${n}` !== "auth.login",
        )
        .flatMap(([n, ep]) => freeTextFields(ep.body!).map((f) => `${g}.${n}.${f.path.join(".")}`)),
    );
    expect(
      withText.filter((f) => !planted.hostile.fields.includes(f)),
      "free-text fields without hostile records",
    ).toEqual([]);
    expect(hits).toEqual([]);
  });

  it("duty-room map: hovering and clicking every marker runs nothing, tooltips show the text", async () => {
    begin("duty-room map");
    const desk = await e2e.desk("operator", /\/duty/);
    const map = desk.getByTestId("warm-map");
    // The first page after the server starts is slow on a busy machine: a longer first wait.
    await expect
      .poll(() => map.locator(".wl-map-chip", { hasText: "__xss" }).count(), { timeout: 3 * STEP })
      .toBeGreaterThanOrEqual(4);
    await expect
      .poll(() => desk.getByTestId("queue").locator(".wl-duty-qitem").count(), { timeout: STEP })
      .toBeGreaterThanOrEqual(12);
    // Every interactive marker (dots are SVG paths, chips and squares are icons): hover, read the
    // tooltip, leave; then click. Dispatched in the page, through Leaflet's own listeners, so
    // overlapping markers are each reached.
    const hoverEach = (els: Element[]) =>
      (async () => {
        const seen: string[] = [];
        const fire = (el: Element, type: string) =>
          el.dispatchEvent(new MouseEvent(type, { bubbles: true, cancelable: true, view: window }));
        for (const el of els) {
          fire(el, "mouseover");
          await new Promise((r) => setTimeout(r, 20));
          seen.push(
            Array.from(document.querySelectorAll(".leaflet-tooltip"), (t) => (t as HTMLElement).innerText).join("\n"),
          );
          fire(el, "mouseout");
        }
        return seen;
      })();
    const tooltips: string[] = [];
    // Close cases are drawn as one cluster once the map has fitted the whole city: open clusters
    // (a click zooms in) until single markers show, reading every tooltip on the way.
    for (let round = 0; round < 6; round++) {
      tooltips.push(...(await map.locator(".leaflet-interactive").evaluateAll(hoverEach)));
      const cluster = map.locator(".wl-map-cluster");
      if (!(await cluster.count())) break;
      await cluster.first().dispatchEvent("click");
      await desk.waitForTimeout(400);
    }
    await map.locator(".leaflet-interactive").evaluateAll(async (els) => {
      for (const el of els)
        if (el.isConnected) {
          el.dispatchEvent(new MouseEvent("click", { bubbles: true, cancelable: true, view: window }));
          await new Promise((r) => setTimeout(r, 20));
        }
    });
    expect(tooltips.length).toBeGreaterThan(30);
    // And with the real pointer over the hostile call-sign chips, as a dispatcher's mouse does it.
    // Only chips inside the window: the map may have panned some out, and those were read above.
    const viewport = desk.viewportSize()!;
    let pointed = 0;
    for (const chip of await map.locator(".wl-map-chip", { hasText: "__xss" }).all()) {
      const b = await chip.boundingBox();
      if (!b || b.x < 0 || b.y < 0 || b.x + b.width > viewport.width || b.y + b.height > viewport.height) continue;
      await chip.hover({ force: true });
      tooltips.push(await desk.locator(".leaflet-tooltip").last().innerText());
      pointed++;
    }
    expect(pointed, "hostile chips under the real pointer").toBeGreaterThan(0);
    await shot(desk, "duty-map");
    await expectNoHits(desk);
    const all = tooltips.join("\n");
    for (const f of [
      "keypoints.create.name",
      "shelters.create.name",
      "vehicles.create.callSign",
      "cases.createSighting.placeText",
      "open311.create.address_string",
    ]) {
      expect(
        planted.hostile.planted(f).some((t) => all.includes(t)),
        `a tooltip shows ${f} as text`,
      ).toBe(true);
    }
    await desk.context().close();
  });

  it("duty-room queue and case drawer show the text and run nothing", async () => {
    begin("queue and drawer");
    const desk = await e2e.desk("operator", /\/duty/);
    const queue = desk.getByTestId("queue");
    await expect.poll(() => queue.locator(".wl-duty-qitem").count(), { timeout: STEP }).toBeGreaterThanOrEqual(12);
    await showsLiterally(queue, ["cases.createSighting.placeText", "open311.create.address_string"]);
    const drawerTexts: string[] = [];
    const n = await queue.locator(".wl-duty-qitem").count();
    for (let i = 0; i < n; i++) {
      await queue.locator(".wl-duty-qitem").nth(i).click();
      const drawer = desk.locator(".ant-drawer", { has: desk.getByTestId("dispatch-slot") });
      await expect.poll(() => drawer.count(), { timeout: STEP }).toBe(1);
      await desk.waitForTimeout(150);
      drawerTexts.push(await drawer.innerText());
      // The open case takes the queue's column: close it (Esc) to reach the next one.
      await desk.keyboard.press("Escape");
      await expect.poll(() => drawer.count(), { timeout: STEP }).toBe(0);
    }
    await shot(desk, "drawer");
    await expectNoHits(desk);
    const all = drawerTexts.join("\n");
    for (const f of [
      "cases.createSighting.description",
      "cases.createSighting.notes",
      "open311.create.description",
      "dispatch.cancel.reason",
    ]) {
      expect(
        planted.hostile.planted(f).some((t) => all.includes(t)),
        `the drawer shows ${f} as text`,
      ).toBe(true);
    }
    await desk.context().close();
  });

  it("patrol phone: the task card and its map show the hostile case as text", async () => {
    begin("phone task card");
    const phone = await e2e.phone("patrol1");
    await phone.getByRole("button", { name: /^DL-01 · / }).click();
    const task = phone.getByRole("region", { name: "当前任务" });
    await showsLiterally(task, ["cases.createSighting.placeText", "cases.createSighting.description"]);
    await expect
      .poll(() => phone.getByTestId("task-map").locator(".leaflet-marker-icon").count(), { timeout: STEP })
      .toBeGreaterThan(0);
    await shot(phone, "phone");
    await expectNoHits(phone);
    await phone.context().close();
  });

  it("station pages: people, supplies, shelters, key points, report and print show the text", async () => {
    const head = await e2e.desk("head", /\/station/);
    const tab = async (name: string, fields: readonly string[]) => {
      begin(`station: ${name}`);
      await head.getByRole("tab", { name, exact: true }).click();
      const panel = head.getByRole("tabpanel");
      await showsLiterally(panel, fields);
      await expectNoHits(head);
    };
    await tab("总览", ["campaigns.setAlert.reason"]);
    await tab("日报告", ["reports.submit.remarks", "reports.amend.reason"]);
    await tab("受助人员", ["people.create.name", "encounters.create.identity.name"]);
    // Each person's record (identity, encounters with their notes and places), opened one by one.
    begin("station: person records");
    const rows = head.getByRole("tabpanel").locator(".ant-table-tbody tr.ant-table-row");
    const details: string[] = [];
    for (let i = 0; i < (await rows.count()); i++) {
      await rows.nth(i).click();
      const drawer = head.locator(".ant-drawer-open");
      await expect.poll(() => drawer.locator(".ant-descriptions").count(), { timeout: STEP }).toBeGreaterThan(0);
      details.push(await drawer.innerText());
      await drawer.locator(".ant-drawer-close").click();
      await expect.poll(() => head.locator(".ant-drawer-open").count(), { timeout: STEP }).toBe(0);
    }
    await expectNoHits(head);
    for (const f of ["people.create.hometown", "encounters.create.identity.hometown", "encounters.create.notes"]) {
      expect(
        planted.hostile.planted(f).some((t) => details.join("\n").includes(t)),
        `a person's record shows ${f} as text`,
      ).toBe(true);
    }
    // An open identification file: its facts, clue, step and the photo consent's giver, as text.
    begin("station: identification file");
    await head.getByRole("tab", { name: "寻亲", exact: true }).click();
    await head.getByTestId(`id-open-${planted.openFileIds[0]!}`).click();
    await head.getByTestId("id-file").waitFor({ timeout: STEP });
    await showsLiterally(head.getByTestId("id-file"), [
      "identification.open.features",
      "identification.addClue.text",
      "identification.addStep.outcome",
      "identificationPhoto.recordConsent.givenBy",
    ]);
    await expectNoHits(head);
    await head.getByTestId("id-back").click();
    await tab("物资与床位", ["supplies.createItem.nameZh", "shelters.startStay.bed", "shelters.startStay.needs"]);
    await tab("避寒场所", ["shelters.create.name"]);
    await tab("重点点位", ["keypoints.create.name", "keypoints.create.address"]);
    await tab("打印报告", []);
    begin("station: print (daily)");
    await head.getByRole("tabpanel").getByText("日报告", { exact: true }).click();
    await showsLiterally(head.getByTestId("print-sheet"), ["reports.submit.remarks"]);
    await shot(head, "print");
    await expectNoHits(head);
    await head.context().close();
  });

  it("supervisor: the campaign's printable report names every station as text", async () => {
    begin("supervisor print");
    const sup = await e2e.desk("supervisor", /\/station/);
    await sup.getByRole("tab", { name: "打印报告", exact: true }).click();
    await showsLiterally(sup.getByTestId("print-sheet"), ["stations.create.name"]);
    await shot(sup, "supervisor-print");
    await expectNoHits(sup);
    await sup.context().close();
  });

  it("admin tables: stations, users, vehicles, key points and supplies show the text", async () => {
    begin("admin tables");
    const admin = await e2e.desk("admin", /\/admin/);
    await showsLiterally(admin.locator("main, body").first(), [
      "stations.create.name",
      "users.create.displayName",
      "vehicles.create.callSign",
      "keypoints.create.name",
      "supplies.createItem.nameZh",
    ]);
    await shot(admin, "admin");
    await expectNoHits(admin);
    await admin.context().close();
  });

  it("no payload ran anywhere, on any screen", () => {
    expect([...new Set(hits.map((h) => `${h.screen}: ${planted.hostile.describe(h.tag)}`))]).toEqual([]);
  });
});
