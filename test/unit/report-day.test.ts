import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Figures } from "../../shared/api/totals.js";
import {
  addDays,
  computeFigures,
  dayRange,
  dayStart,
  localDay,
  reportDayOf,
  type CountingInput,
} from "../../shared/counting.js";
import { reportPeriod, reportSentences } from "../../shared/report-text.js";

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
const at = (local: string) => new Date(`${local}:00+08:00`);
const TZ = "Asia/Shanghai";

describe("report day (REPORT_DAY_START)", () => {
  it("with 08:00, a night from 20:00 to 03:00 is one report day, headed by that day", () => {
    expect(dayStart("2026-12-29", TZ, "08:00").toISOString()).toBe("2026-12-29T00:00:00.000Z");
    for (const t of [
      "2026-12-29T08:00",
      "2026-12-29T20:00",
      "2026-12-29T23:59",
      "2026-12-30T00:00",
      "2026-12-30T03:00",
      "2026-12-30T07:59",
    ]) {
      expect(reportDayOf(at(t), TZ, "08:00")).toBe("2026-12-29");
    }
    expect(reportDayOf(at("2026-12-29T07:59"), TZ, "08:00")).toBe("2026-12-28");
    expect(reportDayOf(at("2026-12-30T08:00"), TZ, "08:00")).toBe("2026-12-30");
    expect(reportDayOf(at("2026-12-30T03:00"), TZ)).toBe("2026-12-30"); // midnight cut: the night is split
    const input: CountingInput = {
      ...empty(),
      visits: ["2026-12-29T20:00", "2026-12-29T23:00", "2026-12-30T01:00", "2026-12-30T03:00"].map((t, i) => ({
        id: `v${i}`,
        keyPointId: `k${i % 3}`,
        visitedAt: at(t),
      })),
    };
    expect(computeFigures(input, dayRange("2026-12-29", "2026-12-29", TZ, "08:00")).keyPointVisits).toBe(4);
    expect(computeFigures(input, dayRange("2026-12-30", "2026-12-30", TZ, "08:00")).keyPointVisits).toBe(0);
    expect(computeFigures(input, dayRange("2026-12-29", "2026-12-29", TZ)).keyPointVisits).toBe(2);
    expect(reportPeriod("2026-12-29", "2026-12-29", "08:00", "zh-CN")).toBe("12月29日（29日8时至30日8时）");
    expect(reportPeriod("2026-12-29", "2026-12-29", "08:00", "en")).toBe("29 Dec 2026 (29 Dec 08:00 to 30 Dec 08:00)");
    expect(reportPeriod("2026-12-31", "2026-12-31", "08:00", "zh-CN")).toBe("12月31日（12月31日8时至1月1日8时）");
    expect(reportPeriod("2026-12-29", "2026-12-29", "00:00", "zh-CN")).toBe("12月29日");
    expect(reportPeriod("2026-12-01", "2026-12-29", "08:00", "zh-CN")).toBe("12月1日至12月29日（1日8时至30日8时）");
  });

  it("reportDayOf agrees with dayRange: an instant lies in the range of its report day, in any zone and day start (DST included)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2040, 0, 1) }),
        fc.constantFrom("Asia/Shanghai", "America/New_York", "Europe/London", "UTC"),
        fc.constantFrom("00:00", "08:00", "06:30", "23:59"),
        (ms, tz, start) => {
          const t = new Date(ms);
          const day = reportDayOf(t, tz, start);
          const r = dayRange(day, day, tz, start);
          expect(t.getTime()).toBeGreaterThanOrEqual(r.from.getTime());
          expect(t.getTime()).toBeLessThan(r.to.getTime());
          expect([localDay(t, tz), addDays(localDay(t, tz), -1)]).toContain(day);
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe("new figures in the pure rules", () => {
  const T = (h: number) => new Date(Date.UTC(2026, 11, 1, h));
  it("distinct key points (个) beside checks (个次): 5 points checked twice are 5 个, 10 个次", () => {
    const visits = [...Array(10).keys()].map((i) => ({ id: `v${i}`, keyPointId: `k${i % 5}`, visitedAt: T(i) }));
    const f = computeFigures({ ...empty(), visits }, { from: T(0), to: T(24) });
    expect([f.keyPointsCovered, f.keyPointVisits]).toEqual([5, 10]);
  });

  it("settled counts stays ending in local settlement or care; shelters count when their service overlaps", () => {
    const stay = (id: string, endReason: string | null, h: number) => ({
      id,
      encounterId: "e",
      arrivedAt: T(0),
      endedAt: endReason ? T(h) : null,
      endReason,
    });
    const f = computeFigures(
      {
        ...empty(),
        stays: [
          stay("a", "settled", 2),
          stay("b", "care_institution", 3),
          stay("c", "left", 3),
          stay("d", "settled", 30),
          stay("e", null, 0),
        ],
        shelters: [
          { id: "open", openedAt: T(-100), closedAt: null },
          { id: "closedBefore", openedAt: T(-100), closedAt: T(1) },
          { id: "closedAtStart", openedAt: T(-100), closedAt: T(1) },
          { id: "opensInside", openedAt: T(10), closedAt: T(11) },
          { id: "opensAtEnd", openedAt: T(24), closedAt: null },
        ],
      },
      { from: T(1), to: T(24) },
    );
    expect(f.settled).toBe(2);
    expect(f.referred).toBe(1); // placement in care is also a referral
    expect(f.sheltersInService).toBe(2);
  });
});

describe("the official text", () => {
  const figures: Figures = {
    patrols: 3,
    sorties: 55,
    staffPersonTimes: 173,
    keyPointVisits: 100,
    keyPointsCovered: 95,
    foundPersonTimes: 19,
    foundPersons: 19,
    aidedInStation: 3,
    aidedOnStreet: 16,
    aidedTotal: 19,
    hospital: 0,
    escortedHome: 2,
    familyPickup: 1,
    escorts: 3,
    referred: 0,
    settled: 1,
    sheltersInService: 4,
    familiesFound: 2,
    supplies: [
      {
        itemId: "00000000-0000-4000-8000-000000000001",
        code: "coat",
        nameZh: "棉衣",
        nameEn: "Coat",
        unitZh: "件",
        unitEn: "piece",
        quantity: 31,
        valueFen: 310_000,
      },
    ],
    suppliesQuantity: 31,
    suppliesValueFen: 310_000,
    distributionRecipients: 0,
    responseP50Sec: null,
    responseP90Sec: null,
    responseCount: 0,
    householdSettled: 0,
    medianDaysToIdentification: null,
    pastFingerprintCheck: 0,
    pastNotice: 0,
    pastDnaRequest: 0,
    pastSettleReview: 0,
  };
  it("names every figure, escorts home and family pick-ups separately as well as together, in both languages", () => {
    const [zh, zhSupplies] = reportSentences({
      figures,
      from: "2026-12-29",
      to: "2026-12-29",
      dayStart: "08:00",
      lang: "zh-CN",
    });
    expect(zh).toBe(
      "12月29日（29日8时至30日8时），开展街面巡查搜救173人次，巡查3次，出动车辆55台次，巡查重点点位95个（100个次）；发现19人次（19人），站内外救助19人次（其中站内救助3人次、站外救助16人次），护送（接领）3人次（其中护送返乡2人次、亲属接领1人次），送医0人次，转介0人次，安置1人，寻亲成功2人；设立临时避寒场所和室外救助点4个。",
    );
    expect(zhSupplies).toBe("发放价值3100元的棉衣31件。");
    const [en] = reportSentences({ figures, from: "2026-12-29", to: "2026-12-29", dayStart: "08:00", lang: "en" });
    expect(en).toContain("covering 95 key points (100 key-point visits)");
    expect(en).toContain(
      "3 person-times were escorted home or picked up by family (2 escorted home, 1 picked up by family)",
    );
    // English plurals follow the number: one patrol, many patrols.
    expect(en).toContain("1 person settled");
    expect(en).toContain("over 3 patrols with 55 vehicle sorties");
    expect(en).toContain("2 families were found; 4 warming shelters and outdoor aid points were in service");
    const one = { ...figures, patrols: 1, staffPersonTimes: 1, sorties: 1, familiesFound: 1 };
    const [enOne, enSupplies] = reportSentences({
      figures: { ...one, supplies: [{ ...figures.supplies[0]!, quantity: 1 }] },
      from: "2026-12-29",
      to: "2026-12-29",
      dayStart: "08:00",
      lang: "en",
    });
    expect(enOne).toContain("totalled 1 staff person-time over 1 patrol with 1 vehicle sortie");
    expect(enOne).toContain("1 family was found");
    expect(enSupplies).toContain("1 piece of coat");
    expect(
      reportSentences({ figures, from: "2026-12-29", to: "2026-12-29", dayStart: "08:00", lang: "zh-CN", zero: true }),
    ).toEqual(["12月29日（29日8时至30日8时），本站无街面救助情况，特此零报告。"]);
  });
});
