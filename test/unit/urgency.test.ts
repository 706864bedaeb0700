import { describe, expect, it } from "vitest";
import {
  COLD_TEMP_C,
  SEVERE_COLD_TEMP_C,
  compareQueue,
  computeUrgency,
  describeUrgency,
  urgencyRank,
} from "../../shared/urgency.js";
import { CONDITION_FLAGS, URGENCIES } from "../../shared/vocab.js";

const u = (
  flags: Parameters<typeof computeUrgency>[0]["flags"],
  alertLevel: Parameters<typeof computeUrgency>[0]["alertLevel"] = "blue",
  temperatureC: number | null = null,
) => computeUrgency({ flags, alertLevel, temperatureC });
const codes = (a: ReturnType<typeof computeUrgency>) => a.reasons.map((r) => r.code);

describe("urgency rule: flags", () => {
  it("no flags, blue alert, unknown temperature -> low, saying no risk flags", () => {
    const a = u([]);
    expect(a.urgency).toBe("low");
    expect(codes(a)).toEqual(["no_risk_flags"]);
  });

  it("not moving is critical even in mild weather", () => {
    expect(u(["not_moving"]).urgency).toBe("critical");
  });

  it("injury or a mental-health crisis is high", () => {
    expect(u(["injured_or_ill"]).urgency).toBe("high");
    expect(u(["mental_health_crisis"]).urgency).toBe("high");
  });

  it("vulnerable or exposed people are medium", () => {
    for (const f of ["elderly", "minor", "pregnant", "disabled", "intoxicated", "inadequate_clothing"] as const) {
      expect(u([f]).urgency, f).toBe("medium");
    }
  });

  it("the most severe flag wins and every flag group is named in the reasons", () => {
    const a = u(["elderly", "injured_or_ill", "intoxicated"]);
    expect(a.urgency).toBe("high");
    expect(codes(a)).toEqual(["medical", "vulnerable", "exposure"]);
    expect(a.reasons[1]!.flags).toEqual(["elderly"]);
  });

  it("duplicate flags count once", () => {
    expect(u(["elderly", "elderly"])).toEqual(u(["elderly"]));
  });
});

describe("urgency rule: cold and alert level", () => {
  it("a null alert level (no running campaign) is treated like blue", () => {
    expect(u(["elderly"], null)).toMatchObject({ urgency: "medium", alertLevel: null });
    expect(u([], undefined).urgency).toBe("low");
  });

  it("yellow changes nothing by itself", () => {
    expect(u([], "yellow").urgency).toBe("low");
    expect(u(["elderly"], "yellow").urgency).toBe("medium");
  });

  it("orange raises flagged cases one level and floors unflagged ones at medium", () => {
    expect(u(["elderly"], "orange").urgency).toBe("high");
    const plain = u([], "orange");
    expect(plain.urgency).toBe("medium");
    expect(codes(plain)).toContain("alert_floor");
  });

  it("red raises every case one level and floors at high", () => {
    expect(u([], "red").urgency).toBe("high");
    expect(u(["elderly"], "red").urgency).toBe("high");
    expect(u(["injured_or_ill"], "red").urgency).toBe("critical");
    expect(codes(u(["injured_or_ill"], "red"))).toContain("severe_cold_alert");
  });

  it("critical is the ceiling", () => {
    expect(u(["not_moving", "injured_or_ill"], "red", -35).urgency).toBe("critical");
  });

  it("temperature boundary: exactly -10 °C is cold for a flagged case, -9.9 °C is not", () => {
    expect(u(["elderly"], "blue", COLD_TEMP_C).urgency).toBe("high");
    expect(u(["elderly"], "blue", -9.9).urgency).toBe("medium");
    expect(codes(u(["elderly"], "blue", COLD_TEMP_C))).toContain("cold_temp");
  });

  it("cold temperature does not raise an unflagged case; severe cold (exactly -20 °C) does", () => {
    expect(u([], "blue", -15).urgency).toBe("low");
    expect(u([], "blue", SEVERE_COLD_TEMP_C).urgency).toBe("medium");
    expect(u([], "blue", -19.9).urgency).toBe("low");
  });

  it("raises at most one step even with red alert and severe cold together", () => {
    expect(u(["elderly"], "red", -30).urgency).toBe("high");
  });

  it("ignores a null or non-finite temperature", () => {
    expect(u(["elderly"], "blue", null).urgency).toBe("medium");
    expect(u(["elderly"], "blue", Number.NaN).urgency).toBe("medium");
  });

  it("never goes below the floor nor outside the scale for any single flag at any level", () => {
    for (const f of CONDITION_FLAGS)
      for (const lvl of ["blue", "yellow", "orange", "red"] as const) {
        const a = u([f], lvl, -5);
        expect(URGENCIES).toContain(a.urgency);
        if (lvl === "red") expect(urgencyRank(a.urgency)).toBeGreaterThanOrEqual(2);
      }
  });
});

describe("urgency reasons and queue order", () => {
  it("describes the reasons in Chinese and English", () => {
    const a = u(["elderly", "inadequate_clothing"], "orange");
    expect(describeUrgency(a.reasons, "zh")).toContain("老人");
    expect(describeUrgency(a.reasons, "zh")).toContain("橙色");
    expect(describeUrgency(a.reasons, "en")).toContain("elderly");
    expect(describeUrgency(a.reasons, "en")).toContain("orange cold alert");
  });

  it("sorts most urgent first, then longest waiting", () => {
    const rows = [
      { id: "a", urgency: "medium" as const, receivedAt: "2025-01-01T10:00:00Z" },
      { id: "b", urgency: "critical" as const, receivedAt: "2025-01-01T11:00:00Z" },
      { id: "c", urgency: "medium" as const, receivedAt: "2025-01-01T09:00:00Z" },
    ];
    expect(rows.sort(compareQueue).map((r) => r.id)).toEqual(["b", "c", "a"]);
  });
});
