import { randomUUID } from "node:crypto";
import axe from "axe-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { api } from "../../shared/api/index.js";
import type { TestClient } from "../helpers/http.js";
import { HAVE_CHROMIUM, SCREENSHOTS } from "./harness.js";
import { E2ESession, ok, stationOf } from "./steps.js";

/**
 * The outcome measures on the station page: a person met two nights running and one met once show
 * as two new to the street, their windows and engagement, the definitions open in words, and the
 * section passes axe (WCAG 2.1 A/AA); the supervisor's comparison carries the same columns.
 */
describe.skipIf(!HAVE_CHROMIUM)("outcome measures on the station page", () => {
  let e2e: E2ESession;
  let headApi: TestClient;
  beforeAll(async () => {
    e2e = await E2ESession.start();
    headApi = await e2e.client("head");
  });
  afterAll(async () => {
    await e2e?.close();
  });

  it("shows contacts, engagement, new persons with their windows and the definitions, accessibly", async () => {
    const p = ok(
      await headApi.call(api.people.create, {
        body: { id: randomUUID(), stationId: await stationOf(headApi), gender: "male" },
      }),
    );
    const met = async (outcome: "refused" | "street_aid", hoursAgo: number, personId?: string) =>
      ok(
        await headApi.call(api.encounters.create, {
          body: {
            id: randomUUID(),
            found: true,
            outcome,
            lat: 45.76,
            lng: 126.61,
            personId,
            occurredAt: new Date(Date.now() - hoursAgo * 3600_000).toISOString(),
          },
        }),
      );
    await met("refused", 24, p.id);
    await met("street_aid", 0.1, p.id);
    await met("refused", 0.1);

    const head = await e2e.desk("head", /\/station/);
    const panel = head.getByTestId("outcomes-panel");
    await expect.poll(() => panel.getByRole("heading", { name: "救助成效：是否离开街面" }).count()).toBe(1);
    await expect.poll(() => panel.getByTestId("outcomes-windows").textContent()).toContain("1 晚内");
    expect(await panel.getByTestId("out-contacts").textContent()).toMatch(/人次/);
    await panel.getByRole("button", { name: "指标口径" }).click();
    await expect.poll(() => panel.getByTestId("outcomes-definitions").textContent()).toContain("观察期未满");
    await head.screenshot({ path: `${SCREENSHOTS}outcomes-station.png`, fullPage: true });

    await head.addScriptTag({ content: axe.source });
    const violations = await head.evaluate(async () => {
      const w = window as Window & { axe?: typeof axe };
      const r = await w.axe!.run("[data-testid=outcomes-panel]", {
        runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] },
        resultTypes: ["violations"],
      });
      return r.violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => v.id);
    });
    expect(violations).toEqual([]);

    const supervisor = await e2e.desk("supervisor", /\/station/);
    const compare = supervisor.getByTestId("compare-table");
    await expect.poll(() => compare.textContent()).toContain("次夜再次发现");
    await expect.poll(() => compare.textContent()).toContain("重返街面");
  });
});
