import { describe, expect, it } from "vitest";
import {
  addLocalMonths,
  buildNotice,
  deadlineStates,
  deadlinesFrom,
  DEFAULT_DEADLINES,
  type FileFacts,
} from "../../shared/identification.js";
import { identificationCounts, median, type IdFileRec } from "../../shared/identification-figures.js";

const at = (s: string) => new Date(s);

describe("identification deadlines", () => {
  it("runs the intake deadlines in hours and the others in calendar months on the station's clock (UTC+8, no DST)", () => {
    // 23:30 on 31 Jan in Shanghai is 15:30 UTC: one month later is the last day of February, 23:30 local.
    const arrived = at("2026-01-31T15:30:00Z");
    const d = deadlinesFrom(arrived);
    expect(d.notice_published.toISOString()).toBe("2026-02-01T15:30:00.000Z");
    expect(d.fingerprint_check.toISOString()).toBe("2026-02-01T15:30:00.000Z");
    expect(d.dna_requested.toISOString()).toBe("2026-02-28T15:30:00.000Z");
    expect(d.settle_review.toISOString()).toBe("2026-04-30T15:30:00.000Z");
    // A month in UTC would have been taken from 31 Jan UTC; the local date is what counts: 1 Feb 02:00
    // local (31 Jan 18:00 UTC) plus a month is 1 Mar 02:00 local, not 28 Feb.
    expect(addLocalMonths(at("2026-01-31T18:00:00Z"), 1).toISOString()).toBe("2026-02-28T18:00:00.000Z");
    // Across the dates other zones change clocks (March, November) the hour stays put.
    expect(addLocalMonths(at("2026-03-01T01:00:00Z"), 1).toISOString()).toBe("2026-04-01T01:00:00.000Z");
    expect(addLocalMonths(at("2026-10-15T20:00:00Z"), 1).toISOString()).toBe("2026-11-15T20:00:00.000Z");
    // A province's own deadlines.
    const p = deadlinesFrom(arrived, {
      fingerprintHours: 12,
      noticeHours: 48,
      dnaRequestMonths: 2,
      settleReviewMonths: 6,
    });
    expect(p.notice_published.toISOString()).toBe("2026-02-02T15:30:00.000Z");
    expect(p.dna_requested.toISOString()).toBe("2026-03-31T15:30:00.000Z");
    expect(p.settle_review.toISOString()).toBe("2026-07-31T15:30:00.000Z");
  });

  it("states: due ahead, overdue after, done or done late by the step's own date, nothing owed once closed", () => {
    const arrived = at("2026-11-01T02:00:00Z");
    const file: FileFacts = { arrivedAt: arrived, steps: [], closedAt: null };
    const s = (now: string, f = file) => Object.fromEntries(deadlineStates(f, at(now)).map((d) => [d.kind, d.state]));
    expect(s("2026-11-01T03:00:00Z")).toMatchObject({ notice_published: "open", dna_requested: "open" });
    expect(s("2026-11-01T22:00:00Z")).toMatchObject({ notice_published: "due" });
    expect(s("2026-11-02T02:00:01Z")).toMatchObject({ notice_published: "overdue", fingerprint_check: "overdue" });
    const noticed = { ...file, steps: [{ kind: "notice_published" as const, at: at("2026-11-01T20:00:00Z") }] };
    expect(s("2026-11-05T00:00:00Z", noticed)).toMatchObject({
      notice_published: "done",
      fingerprint_check: "overdue",
    });
    // A backdated entry: the notice was published two days late, entered a week later.
    const late = { ...file, steps: [{ kind: "notice_published" as const, at: at("2026-11-03T02:00:00Z") }] };
    expect(s("2026-11-10T00:00:00Z", late)).toMatchObject({ notice_published: "done_late" });
    expect(s("2026-12-01T02:00:01Z")).toMatchObject({ dna_requested: "overdue", settle_review: "open" });
    expect(s("2027-02-01T02:00:01Z")).toMatchObject({ settle_review: "overdue" });
    const closed = { ...file, closedAt: at("2026-11-20T00:00:00Z") };
    expect(s("2027-03-01T00:00:00Z", closed)).toMatchObject({
      notice_published: "closed",
      dna_requested: "closed",
      settle_review: "done",
    });
  });

  it("a person arriving weeks before they were entered (backdated) is overdue at once", () => {
    const now = at("2026-11-28T04:00:00Z");
    const arrived = at("2026-10-20T04:00:00Z");
    const states = deadlineStates({ arrivedAt: arrived, steps: [], closedAt: null }, now);
    expect(states.filter((d) => d.state === "overdue").map((d) => d.kind)).toEqual([
      "fingerprint_check",
      "notice_published",
      "dna_requested",
    ]);
  });

  it("figures: settled (落户安置), median days to a family found, people past each deadline at the period's end", () => {
    const mk = (id: string, arrived: string, closing: IdFileRec["closing"], closedAt: string | null): IdFileRec => ({
      personId: id,
      arrivedAt: at(arrived),
      steps: [],
      rules: DEFAULT_DEADLINES,
      closing,
      closedAt: closedAt ? at(closedAt) : null,
    });
    const files = [
      mk("a", "2026-11-01T00:00:00Z", "family_found", "2026-11-11T00:00:00Z"), // 10 days
      mk("b", "2026-11-01T00:00:00Z", "escorted_home", "2026-11-05T00:00:00Z"), // 4 days
      mk("c", "2026-08-01T00:00:00Z", "settled", "2026-11-06T00:00:00Z"),
      mk("d", "2026-11-01T00:00:00Z", "picked_up", "2026-10-31T00:00:00Z"), // out of range
      mk("e", "2026-11-20T00:00:00Z", null, null),
      mk("f", "2026-11-27T20:00:00Z", null, null),
    ];
    const f = identificationCounts(
      files,
      { from: at("2026-11-01T00:00:00Z"), to: at("2026-12-01T00:00:00Z") },
      at("2026-11-28T00:00:00Z"),
    );
    expect(f).toEqual({
      householdSettled: 1,
      medianDaysToIdentification: 7,
      pastFingerprintCheck: 1,
      pastNotice: 1,
      pastDnaRequest: 0,
      pastSettleReview: 0,
    });
    // At an earlier end (the range ends on 21 Nov): "f" had not arrived, "e" was overdue already,
    // and "c" (closed on 6 Nov) was not open any more.
    const early = identificationCounts(
      files,
      { from: at("2026-11-01T00:00:00Z"), to: at("2026-11-21T06:00:00Z") },
      at("2026-11-28T00:00:00Z"),
    );
    expect([early.pastFingerprintCheck, early.pastNotice, early.householdSettled]).toEqual([1, 1, 1]);
    expect(median([])).toBeNull();
    expect(median([3, 1, 2])).toBe(2);
  });

  it("the notice carries only the chosen fields, escaped, with no name or ID number unless chosen", () => {
    const facts = {
      gender: "male" as const,
      approxAge: 60,
      heightCm: 170,
      features: "左手缺小指 <b>x</b>",
      foundPlace: "松花江桥洞",
      foundAt: at("2026-11-27T17:00:00Z"),
      stationName: "道里区救助站",
      stationHotline: "0451-12345",
      stationAddress: "",
      name: "王秘密",
      idNumber: "230102195001011234",
    };
    const n = buildNotice(facts, ["gender", "approxAge", "features", "foundAt", "contact"], "zh-CN");
    expect(n.text).toContain("性别：男");
    expect(n.text).toContain("约60岁");
    expect(n.text).toContain("2026年11月28日");
    expect(n.text).toContain("道里区救助站，0451-12345");
    for (const secret of ["王秘密", "230102195001011234", "170", "松花江"]) {
      expect(n.text).not.toContain(secret);
      expect(n.html).not.toContain(secret);
    }
    expect(n.html).toContain("&lt;b&gt;x&lt;/b&gt;");
    expect(n.html).not.toMatch(/<img|<script|<b>/);
    expect(buildNotice(facts, ["name"], "en").text).toContain("Name given: 王秘密");
  });
});
