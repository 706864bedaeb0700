import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { desc, inArray } from "drizzle-orm";
import { api } from "../../shared/api/index.js";
import { events } from "../../server/db/schema/index.js";
import type { TestClient } from "../helpers/http.js";
import { HAVE_CHROMIUM } from "./harness.js";
import { E2ESession, STEP, ok, outboxConfirmed, stationOf, vehicleCalled } from "./steps.js";
import { startSortie } from "./offline-steps.js";

/**
 * Crew check-ins in Chromium (issue 19): on an orange night the phone shows the server's deadline
 * and its check-in button is confirmed by the server; a sortie that stays silent past its deadline
 * (started "4 min 57 s ago" on a 5-minute interval, through the contract) shows as a missed
 * check-in in the duty room; the phone's panic (a confirm step) reaches the duty room first in the
 * list, announced by the live region, at its position on the map, and is acknowledged in one click.
 */
const INTERVAL_MIN = 5;

describe.skipIf(!HAVE_CHROMIUM)("crew check-ins: phone check-in and panic, duty-room alerts", () => {
  let e2e: E2ESession;
  let head: TestClient, crew: TestClient, operator: TestClient;
  let phone: Page, desk: Page;
  let stationId: string;

  beforeAll(async () => {
    e2e = await E2ESession.start();
    [head, crew, operator] = (await Promise.all(["head", "patrol1", "operator"].map((u) => e2e.client(u)))) as [
      TestClient,
      TestClient,
      TestClient,
    ];
    const supervisor = await e2e.client("supervisor");
    stationId = await stationOf(head);
    const campaignId = ok(await head.call(api.campaigns.list), "campaigns").items[0]!.id;
    ok(
      await head.call(api.campaigns.setAlert, {
        params: { id: campaignId },
        body: { stationId, level: "orange", reason: "e2e 寒潮橙色" },
      }),
      "orange",
    );
    ok(
      await supervisor.call(api.checkIns.setPolicy, {
        params: { id: campaignId },
        body: { levels: ["orange", "red"], intervalMinutes: INTERVAL_MIN, version: 0 },
      }),
      "policy",
    );
    desk = await e2e.desk("operator", /\/duty/);
    phone = await e2e.phone("patrol1");
  });
  afterAll(async () => {
    await e2e?.close();
  });

  it("the phone shows the deadline and its check-in button is confirmed by the server", async () => {
    await startSortie(phone, 0);
    const card = phone.getByTestId("check-in-card");
    await expect
      .poll(() => card.getByTestId("check-in-due").textContent(), { timeout: STEP })
      .toMatch(/请在 .+ 前报平安/);
    await card.getByTestId("check-in").click();
    await outboxConfirmed(phone, "报平安");
    const sortieId = (await vehicleCalled(crew, stationId, "DL-01")).currentSortie!.id;
    const status = ok(await crew.call(api.checkIns.status, { params: { id: sortieId } }), "status");
    expect(status).toMatchObject({ required: true, level: "orange", intervalMinutes: INTERVAL_MIN, overdueSeconds: 0 });
    expect(status.lastCheckInAt).not.toBeNull();
    await expect.poll(() => card.textContent()).toContain("上次报平安");
  });

  it("a silent sortie shows as a missed check-in in the duty room", async () => {
    const dl02 = await vehicleCalled(crew, stationId, "DL-02");
    ok(
      await crew.call(api.patrols.startSortie, {
        body: {
          id: crypto.randomUUID(),
          vehicleId: dl02.id,
          crewCount: 2,
          crewNames: ["赵六", "钱七"],
          startedAt: new Date(Date.now() - INTERVAL_MIN * 60_000 + 2000).toISOString(),
        },
      }),
      "silent sortie",
    );
    const missed = desk.getByTestId("crew-alert-missed").filter({ hasText: "DL-02" });
    // The deadline (2 s), the job's next 5 s slot, the push: well inside the 30 s promised.
    await expect.poll(() => missed.count(), { timeout: 40_000 }).toBe(1);
    expect(await missed.textContent()).toContain("赵六、钱七");
    expect(await missed.textContent()).toMatch(/超时 \d+ 分钟/);
  });

  it("the phone's panic reaches the duty room first, announced, on the map, and is acknowledged in one click", async () => {
    const card = phone.getByTestId("check-in-card");
    await card.getByTestId("panic").click();
    // Nothing is sent on the first press (a pocket press); the confirm step is focused.
    expect(await phone.getByTestId("panic-state").count()).toBe(0);
    await expect
      .poll(() => phone.evaluate(() => document.activeElement?.getAttribute("data-testid")))
      .toBe("panic-confirm");
    await card.getByTestId("panic-confirm").click();
    await expect.poll(() => card.getByTestId("panic-state").textContent(), { timeout: STEP }).toContain("求助已发出");

    const alerts = desk.getByTestId("crew-alerts");
    const panic = desk.getByTestId("crew-alert-panic");
    await expect.poll(() => panic.count(), { timeout: STEP }).toBe(1);
    // First in the list, above the missed check-in; focusable; announced.
    expect(await alerts.locator(".wl-crew-alert").first().getAttribute("data-testid")).toBe("crew-alert-panic");
    expect(await panic.getAttribute("tabindex")).toBe("0");
    await expect.poll(() => desk.getByTestId("crew-alerts-live").textContent()).toContain("紧急求助：DL-01");
    expect(await panic.textContent()).toContain("李强、张伟");
    // At the phone's position on the map.
    await expect.poll(() => desk.getByTestId("duty-map-pane").textContent(), { timeout: STEP }).toContain("SOS DL-01");

    await panic.getByTestId("crew-alert-ack").click();
    await expect.poll(() => panic.count(), { timeout: STEP }).toBe(0);
    const all = ok(await operator.call(api.checkIns.alerts, { query: { open: "false" } }), "alerts").items;
    expect(all.find((a) => a.kind === "panic")).toMatchObject({ open: false, acknowledgedBy: "接线员 王芳" });
    // The missed check-in is still there: acknowledging one alert leaves the others.
    expect(await desk.getByTestId("crew-alert-missed").count()).toBe(1);
  });

  it("offline, the panic waits at the head of the outbox and goes out before what was queued earlier", async () => {
    const card = phone.getByTestId("check-in-card");
    await phone.context().setOffline(true);
    await card.getByTestId("check-in").click();
    await card.getByTestId("panic").click();
    await card.getByTestId("panic-confirm").click();
    await expect.poll(() => card.getByTestId("panic-state").textContent()).toContain("求助已排在最前");
    await phone.context().setOffline(false);
    await expect.poll(() => card.getByTestId("panic-state").textContent(), { timeout: STEP }).toContain("求助已发出");
    await outboxConfirmed(phone, "报平安", 2);
    // The server received the panic first, though the check-in was queued before it.
    const rows = await e2e.srv.database.db
      .select({ id: events.id, type: events.type })
      .from(events)
      .where(inArray(events.type, ["crew_alert.panic", "check_in.recorded"]))
      .orderBy(desc(events.id))
      .limit(2);
    expect(rows.map((r) => r.type)).toEqual(["check_in.recorded", "crew_alert.panic"]);
    await expect.poll(() => desk.getByTestId("crew-alert-panic").count(), { timeout: STEP }).toBe(1);
  });
});
