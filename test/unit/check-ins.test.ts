import { describe, expect, it } from "vitest";
import { checkInRequirement, DEFAULT_CHECK_IN_RULE, nextCheckInDue, overdueSeconds } from "../../shared/check-ins.js";

describe("check-in requirement", () => {
  const c = (
    campaignId: string,
    level: "blue" | "yellow" | "orange" | "red",
    levels = DEFAULT_CHECK_IN_RULE.levels,
    intervalMinutes = 30,
  ) => ({
    campaignId,
    level,
    rule: { levels, intervalMinutes },
  });

  it("requires check-ins only on the levels the policy names (orange and red by default)", () => {
    expect(checkInRequirement([])).toBeNull();
    expect(checkInRequirement([c("a", "blue")])).toBeNull();
    expect(checkInRequirement([c("a", "yellow")])).toBeNull();
    expect(checkInRequirement([c("a", "orange")])).toEqual({ level: "orange", intervalMinutes: 30, campaignId: "a" });
    expect(checkInRequirement([c("a", "red")])).toMatchObject({ level: "red" });
    expect(checkInRequirement([c("a", "yellow", ["yellow", "orange", "red"], 45)])).toMatchObject({
      level: "yellow",
      intervalMinutes: 45,
    });
    expect(checkInRequirement([c("a", "red", [])])).toBeNull(); // a campaign that never asks
  });

  it("takes the strictest over campaigns that require: highest level, shortest interval", () => {
    const r = checkInRequirement([
      c("city", "orange", ["orange", "red"], 30),
      c("district", "red", ["red"], 20),
      c("x", "blue"),
    ]);
    expect(r).toEqual({ level: "red", intervalMinutes: 20, campaignId: "district" });
    const r2 = checkInRequirement([c("city", "red", ["red"], 30), c("district", "orange", ["orange"], 15)]);
    expect(r2).toEqual({ level: "red", intervalMinutes: 15, campaignId: "district" });
  });

  it("deadlines and overdue seconds", () => {
    const at = new Date("2026-12-01T22:00:00Z");
    expect(nextCheckInDue(at, 30).toISOString()).toBe("2026-12-01T22:30:00.000Z");
    expect(overdueSeconds("2026-12-01T22:30:00Z", new Date("2026-12-01T22:29:00Z"))).toBe(0);
    expect(overdueSeconds("2026-12-01T22:30:00Z", new Date("2026-12-01T22:31:05.900Z"))).toBe(65);
  });
});
