import { describe, expect, it } from "vitest";
import {
  computeFigures,
  dayRange,
  dayStart,
  isZeroDay,
  localDay,
  missingReports,
  percentileDisc,
  stockFromLedger,
  sumAdditive,
  type CountingInput,
} from "../../shared/counting.js";

const T = (h: number) => new Date(Date.UTC(2026, 11, 1, h));
const ALL = { from: new Date(0), to: new Date(Date.UTC(2100, 0, 1)) };
const empty = (): CountingInput => ({
  patrols: [],
  sorties: [],
  visits: [],
  encounters: [],
  stays: [],
  ledger: [],
  cases: [],
  familyFound: [],
  shelters: [],
});
const enc = (id: string, personId: string | null, outcome: string, h = 1) => ({
  id,
  personId,
  found: outcome !== "not_found",
  outcome,
  occurredAt: T(h),
});

describe("counting rules, hand-worked cases", () => {
  it("the same person met twice is 2 person-times and 1 person", () => {
    const f = computeFigures(
      { ...empty(), encounters: [enc("e1", "p1", "street_aid", 1), enc("e2", "p1", "street_aid", 5)] },
      ALL,
    );
    expect(f.foundPersonTimes).toBe(2);
    expect(f.foundPersons).toBe(1);
    expect(f.aidedOnStreet).toBe(2);
  });

  it("merged people count as one person; unidentified encounters each count as a person", () => {
    const f = computeFigures(
      {
        ...empty(),
        encounters: [
          enc("e1", "p1", "refused"),
          enc("e2", "p2", "refused"),
          enc("e3", null, "refused"),
          enc("e4", null, "refused"),
          enc("e5", null, "not_found"),
        ],
        mergedInto: { p2: "p1" },
      },
      ALL,
    );
    expect(f.foundPersonTimes).toBe(4);
    expect(f.foundPersons).toBe(3);
  });

  it("a crew of 3 on 2 sorties is 6 staff person-times, plus partner staff on foot", () => {
    const input: CountingInput = {
      ...empty(),
      patrols: [{ id: "pa", startedAt: T(1), footStaff: [] }],
      sorties: [
        { id: "s1", patrolId: "pa", crewCount: 3, startedAt: T(1) },
        { id: "s2", patrolId: "pa", crewCount: 3, startedAt: T(4) },
      ],
    };
    expect(computeFigures(input, ALL).staffPersonTimes).toBe(6);
    input.patrols[0]!.footStaff = [
      { agency: "police", count: 2 },
      { agency: "volunteers", count: 4 },
    ];
    expect(computeFigures(input, ALL).staffPersonTimes).toBe(12);
  });

  it("a joint patrol of 3 vehicles is 1 patrol and 3 sorties", () => {
    const f = computeFigures(
      {
        ...empty(),
        patrols: [{ id: "pa", startedAt: T(1), footStaff: [] }],
        sorties: ["a", "b", "c"].map((v) => ({ id: v, patrolId: "pa", crewCount: 2, startedAt: T(1) })),
      },
      ALL,
    );
    expect(f.patrols).toBe(1);
    expect(f.sorties).toBe(3);
    expect(f.staffPersonTimes).toBe(6);
  });

  it("a refused person who got a quilt is street aid with one quilt; refused with nothing is not aid", () => {
    const f = computeFigures(
      {
        ...empty(),
        encounters: [enc("e1", "p1", "refused"), enc("e2", "p2", "refused")],
        ledger: [
          {
            itemId: "quilt",
            vehicleId: "v1",
            encounterId: "e1",
            kind: "handed_out",
            quantity: 1,
            unitValueFen: 12000,
            at: T(1),
          },
        ],
      },
      ALL,
    );
    expect(f.aidedOnStreet).toBe(1);
    expect(f.aidedInStation).toBe(0);
    expect(f.aidedTotal).toBe(1);
    expect(f.supplies).toEqual([{ itemId: "quilt", quantity: 1, valueFen: 12000 }]);
    expect(f.suppliesValueFen).toBe(12000);
  });

  it("brought in and later picked up by family counts once in-station and once under escorts", () => {
    const f = computeFigures(
      {
        ...empty(),
        encounters: [enc("e1", "p1", "brought_in", 1)],
        stays: [{ id: "st1", encounterId: "e1", arrivedAt: T(2), endedAt: T(20), endReason: "family_pickup" }],
      },
      ALL,
    );
    expect(f.aidedInStation).toBe(1);
    expect(f.familyPickup).toBe(1);
    expect(f.escorts).toBe(1);
    expect(f.escortedHome).toBe(0);
    expect(f.aidedTotal).toBe(1);
  });

  it("a walk-in stay counts as in-station aid; an escort home and a care institution count where they belong", () => {
    const f = computeFigures(
      {
        ...empty(),
        encounters: [enc("e1", "p1", "escorted_home"), enc("e2", "p2", "referred_police"), enc("e3", "p3", "hospital")],
        stays: [
          { id: "st1", encounterId: null, arrivedAt: T(1), endedAt: T(3), endReason: "care_institution" },
          { id: "st2", encounterId: null, arrivedAt: T(1), endedAt: T(3), endReason: "escorted_home" },
          { id: "st3", encounterId: null, arrivedAt: T(1), endedAt: null, endReason: null },
        ],
      },
      ALL,
    );
    expect(f.aidedInStation).toBe(3);
    expect(f.escortedHome).toBe(2);
    expect(f.escorts).toBe(2);
    expect(f.referred).toBe(2);
    expect(f.hospital).toBe(1);
  });

  it("supplies are valued at the unit value of the time, not today's", () => {
    const f = computeFigures(
      {
        ...empty(),
        ledger: [
          {
            itemId: "coat",
            vehicleId: null,
            encounterId: null,
            kind: "handed_out",
            quantity: 2,
            unitValueFen: 15000,
            at: T(1),
          },
          {
            itemId: "coat",
            vehicleId: null,
            encounterId: null,
            kind: "handed_out",
            quantity: 1,
            unitValueFen: 18000,
            at: T(2),
          },
          {
            itemId: "coat",
            vehicleId: null,
            encounterId: null,
            kind: "received",
            quantity: 50,
            unitValueFen: 18000,
            at: T(2),
          },
        ],
      },
      ALL,
    );
    expect(f.supplies).toEqual([{ itemId: "coat", quantity: 3, valueFen: 48000 }]);
  });

  it("response-time percentiles use nearest rank and skip merged, cancelled and unanswered cases", () => {
    const c = (id: string, min: number | null, status = "closed") => ({
      id,
      status,
      receivedAt: T(1),
      onSceneAt: min === null ? null : new Date(T(1).getTime() + min * 60_000),
    });
    const f = computeFigures(
      {
        ...empty(),
        cases: [
          c("a", 10),
          c("b", 20),
          c("c", 30),
          c("d", 40),
          c("e", 50),
          c("m", 1, "merged"),
          c("x", 2, "cancelled"),
          c("n", null, "open"),
        ],
      },
      ALL,
    );
    expect(f.responseCount).toBe(5);
    expect(f.responseP50Sec).toBe(30 * 60);
    expect(f.responseP90Sec).toBe(50 * 60);
    expect(percentileDisc([], 0.5)).toBeNull();
    expect(percentileDisc([5, 1, 9, 3], 0.5)).toBe(3);
  });

  it("counts only records inside the range (half-open)", () => {
    const f = computeFigures(
      {
        ...empty(),
        visits: [
          { id: "v1", keyPointId: "k1", visitedAt: T(1) },
          { id: "v2", keyPointId: "k1", visitedAt: T(2) },
          { id: "v3", keyPointId: "k2", visitedAt: T(3) },
        ],
      },
      { from: T(1), to: T(3) },
    );
    expect(f.keyPointVisits).toBe(2);
    expect(f.keyPointsCovered).toBe(1); // k1 checked twice is one key point
  });
});

describe("roll-up and days", () => {
  it("totals over a range equal the sum of the daily parts for additive figures", () => {
    const input: CountingInput = {
      ...empty(),
      patrols: [0, 20, 30, 50].map((h, i) => ({
        id: `p${i}`,
        startedAt: T(h),
        footStaff: [{ agency: "police", count: i }],
      })),
      sorties: [0, 20, 30, 50].map((h, i) => ({ id: `s${i}`, patrolId: `p${i}`, crewCount: 2 + i, startedAt: T(h) })),
      encounters: [enc("e1", "p1", "street_aid", 2), enc("e2", "p1", "brought_in", 26), enc("e3", null, "refused", 49)],
    };
    const days = ["2026-12-01", "2026-12-02", "2026-12-03"];
    const tz = "UTC";
    const whole = computeFigures(input, dayRange(days[0]!, days[2]!, tz));
    const parts = days.map((d) => computeFigures(input, dayRange(d, d, tz)));
    const sum = sumAdditive(parts);
    for (const k of Object.keys(sum) as (keyof typeof sum)[]) expect(whole[k]).toBe(sum[k]);
    expect(whole.foundPersons).toBe(2); // p1 once, the unidentified one once
    expect(parts.reduce((n, p) => n + p.foundPersons, 0)).toBe(3); // persons do not add across days
  });

  it("local days follow the time zone (China is UTC+8)", () => {
    expect(dayStart("2026-12-01", "Asia/Shanghai").toISOString()).toBe("2026-11-30T16:00:00.000Z");
    expect(localDay(new Date("2026-11-30T16:30:00Z"), "Asia/Shanghai")).toBe("2026-12-01");
    expect(dayStart("2026-03-29", "Europe/London").toISOString()).toBe("2026-03-29T00:00:00.000Z");
    expect(dayStart("2026-03-30", "Europe/London").toISOString()).toBe("2026-03-29T23:00:00.000Z");
  });

  it("a day with nothing is a zero day; a day with one key-point visit is not", () => {
    expect(isZeroDay(computeFigures(empty(), ALL))).toBe(true);
    expect(
      isZeroDay(computeFigures({ ...empty(), visits: [{ id: "v", keyPointId: "k", visitedAt: T(1) }] }, ALL)),
    ).toBe(false);
  });
});

describe("missing daily reports", () => {
  const campaign = { startsOn: "2026-11-15", endsOn: "2027-03-15" };
  it("lists every ended campaign day without a report and how long the oldest gap is open", () => {
    const m = missingReports(campaign, ["2026-11-15", "2026-11-16", "2026-11-18"], "2026-11-20");
    expect(m.missingDays).toEqual(["2026-11-17", "2026-11-19"]);
    expect(m.lastReportedDay).toBe("2026-11-18");
    expect(m.overdueDays).toBe(3);
  });
  it("today is not yet missing, nor days before the campaign, nor after it ends", () => {
    expect(missingReports(campaign, [], "2026-11-15").missingDays).toEqual([]);
    expect(missingReports(campaign, [], "2026-11-01").missingDays).toEqual([]);
    const after = missingReports({ startsOn: "2026-11-15", endsOn: "2026-11-16" }, ["2026-11-15"], "2027-01-01");
    expect(after.missingDays).toEqual(["2026-11-16"]);
  });
  it("a station that reported every day (zero reports included) is not missing", () => {
    const m = missingReports(campaign, ["2026-11-15", "2026-11-16"], "2026-11-17");
    expect(m).toEqual({ missingDays: [], lastReportedDay: "2026-11-16", overdueDays: 0 });
  });
});

describe("stock from the ledger", () => {
  it("moves stock between station and vehicles by kind", () => {
    const s = stockFromLedger([
      { vehicleId: null, kind: "received", quantity: 100 },
      { vehicleId: "v1", kind: "loaded", quantity: 30 },
      { vehicleId: "v1", kind: "handed_out", quantity: 12 },
      { vehicleId: "v1", kind: "returned", quantity: 8 },
      { vehicleId: null, kind: "written_off", quantity: 5 },
      { vehicleId: null, kind: "handed_out", quantity: 2 },
    ]);
    expect(s.station).toBe(100 - 30 + 8 - 5 - 2);
    expect(s.vehicles).toEqual({ v1: 30 - 12 - 8 });
  });
});

describe("redaction by role", async () => {
  const { presentPerson } = await import("../../server/people/people.presenter.js");
  const { presentEventFor } = await import("../../server/realtime/events.presenter.js");
  const person = {
    id: "11111111-2222-4333-8444-555555555555",
    stationId: "st-1",
    name: "赵大勇",
    idNumber: "230102195801011234",
    hometown: "绥化",
    gender: "male",
    approxAge: 66,
    flags: [],
    familySearch: "none",
    familySearchNote: null,
    mergedIntoId: null,
    createdAt: new Date(),
    version: 1,
    encounterCount: 2,
    lastSeenAt: null,
  };
  const user = (role: "head" | "patrol" | "operator" | "admin", stationIds = ["st-1"]) => ({
    id: "u",
    username: role,
    displayName: role,
    role,
    stationId: stationIds[0] ?? null,
    regionId: null,
    stationIds,
    allStations: role === "admin",
  });

  it("gives identity to the head and crews of the person's station only", () => {
    expect(presentPerson(person, user("head")).identity?.name).toBe("赵大勇");
    expect(presentPerson(person, user("patrol")).identity?.idNumber).toBe("230102195801011234");
    for (const u of [user("operator"), user("admin", []), user("head", ["st-2"])]) {
      const p = presentPerson(person, u);
      expect(p.identity).toBeUndefined();
      expect(JSON.stringify(p)).not.toMatch(/赵大勇|230102|绥化/);
      expect(p.label).toBe("#111111");
    }
  });

  it("strips identity from person events for other roles and withholds them from supervisors", () => {
    const payload = {
      id: person.id,
      stationId: person.id,
      gender: "male",
      approxAge: 66,
      flags: [],
      familySearch: "none",
      mergedIntoId: null,
      version: 1,
      label: "赵大勇",
      identity: { name: "赵大勇", idNumber: null, hometown: null },
    };
    const row = { id: 1, type: "person.created", stationId: person.id, actorId: null, at: new Date(), payload };
    expect(presentEventFor(row as never, "head")!.payload).toMatchObject({ identity: { name: "赵大勇" } });
    expect(JSON.stringify(presentEventFor(row as never, "operator")!.payload)).not.toContain("赵大勇");
    expect(presentEventFor(row as never, "supervisor")).toBeNull();
  });
});
