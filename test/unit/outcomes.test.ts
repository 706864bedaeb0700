import { describe, expect, it } from "vitest";
import {
  ENGAGED_OUTCOMES,
  RETURNER_GAP_NIGHTS,
  computeOutcomes,
  ratio,
  windowState,
  type OutcomeEncounter,
  type OutcomeMeasures,
  type OutcomeScope,
} from "../../shared/outcomes.js";
import { ENCOUNTER_OUTCOMES } from "../../shared/vocab.js";

/** China time, report days from 08:00 (昨日8时至今日8时). */
const TZ = "Asia/Shanghai";
const A = "00000000-0000-4000-8000-00000000000a";
const B = "00000000-0000-4000-8000-00000000000b";
/** A local wall time in Shanghai. */
const at = (day: string, hhmm: string) => new Date(`${day}T${hhmm}:00+08:00`);

let seq = 0;
const enc = (
  personId: string | null,
  when: Date,
  o: Partial<Pick<OutcomeEncounter, "stationId" | "outcome" | "found">> = {},
): OutcomeEncounter => ({
  id: `e${String(++seq).padStart(4, "0")}`,
  stationId: o.stationId ?? A,
  personId,
  found: o.found ?? true,
  outcome: o.outcome ?? "street_aid",
  occurredAt: when,
});
const scope = (from: string, to: string, asOf: string, stationIds = [A, B]): OutcomeScope => ({
  stationIds,
  from,
  to,
  asOf,
  timeZone: TZ,
  dayStart: "08:00",
});
/** The window counts as [returned, notReturned, pending] for 1, 7 and 30 nights. */
const windows = (m: OutcomeMeasures) => m.windows.map((w) => [w.returned, w.notReturned, w.pending]);

describe("outcome measures (shared/outcomes.ts)", () => {
  it("two encounters on the same night are one night: not seen again", () => {
    const set = computeOutcomes(
      [enc("p1", at("2026-12-01", "21:00")), enc("p1", at("2026-12-02", "03:00"))],
      scope("2026-12-01", "2026-12-05", "2026-12-10"),
    );
    expect(set.whole.newPersons).toBe(1);
    expect(set.whole.contacts).toBe(2);
    expect(set.whole.contactPersons).toBe(1);
    // Night 12-02 and night 12-08 have ended by 12-10: closed, not returned; 30 nights still open.
    expect(windows(set.whole)).toEqual([
      [0, 1, 0],
      [0, 1, 0],
      [0, 0, 1],
    ]);
  });

  it("the next night is within 1; the report-day start (08:00) decides which night an early-morning sighting is", () => {
    const first = at("2026-12-01", "22:00");
    const night2Late = computeOutcomes(
      [enc("p1", first), enc("p1", at("2026-12-03", "07:59"))],
      scope("2026-12-01", "2026-12-01", "2027-02-01"),
    );
    expect(windows(night2Late.whole)).toEqual([
      [1, 0, 0],
      [1, 0, 0],
      [1, 0, 0],
    ]);
    const night3 = computeOutcomes(
      [enc("p1", first), enc("p1", at("2026-12-03", "08:00"))],
      scope("2026-12-01", "2026-12-01", "2027-02-01"),
    );
    expect(windows(night3.whole)).toEqual([
      [0, 1, 0],
      [1, 0, 0],
      [1, 0, 0],
    ]);
    // 07:59 on 12-01 is the night of 11-30: the first night is then 11-30, before the range.
    const before = computeOutcomes(
      [enc("p1", at("2026-12-01", "07:59")), enc("p1", first)],
      scope("2026-12-01", "2026-12-01", "2027-02-01"),
    );
    expect(before.whole.newPersons).toBe(0);
    expect(before.whole.contacts).toBe(1);
  });

  it("exactly night 7 and night 30 are inside their windows, the night after is not", () => {
    const run = (again: string) =>
      windows(
        computeOutcomes(
          [enc("p1", at("2026-12-01", "22:00")), enc("p1", at(again, "22:00"))],
          scope("2026-12-01", "2026-12-01", "2027-02-01"),
        ).whole,
      );
    expect(run("2026-12-08")).toEqual([
      [0, 1, 0],
      [1, 0, 0],
      [1, 0, 0],
    ]);
    expect(run("2026-12-09")).toEqual([
      [0, 1, 0],
      [0, 1, 0],
      [1, 0, 0],
    ]);
    expect(run("2026-12-31")).toEqual([
      [0, 1, 0],
      [0, 1, 0],
      [1, 0, 0],
    ]);
    expect(run("2027-01-01")).toEqual([
      [0, 1, 0],
      [0, 1, 0],
      [0, 1, 0],
    ]);
  });

  it("a window is pending until its last night has ended; a return inside an open window counts as returned but not in the rate", () => {
    const seenOnce = [enc("p1", at("2026-12-01", "22:00"))];
    const on = (asOf: string) => computeOutcomes(seenOnce, scope("2026-12-01", "2026-12-01", asOf)).whole.windows[0]!;
    // asOf 12-02: night 12-02 (first + 1) is still going on.
    expect(on("2026-12-02")).toMatchObject({ returned: 0, notReturned: 0, pending: 1, closed: 0 });
    expect(on("2026-12-03")).toMatchObject({ returned: 0, notReturned: 1, pending: 0, closed: 1 });
    expect(windowState("2026-12-01", null, 30, "2026-12-31")).toBe("pending");
    expect(windowState("2026-12-01", null, 30, "2027-01-01")).toBe("notReturned");

    const back = computeOutcomes(
      [...seenOnce, enc("p1", at("2026-12-03", "01:00"))],
      scope("2026-12-01", "2026-12-01", "2026-12-02"),
    ).whole;
    expect(back.windows[0]).toMatchObject({ returned: 1, pending: 0, closed: 0, returnedOfClosed: 0 });
    expect(back.windows[2]).toMatchObject({ returned: 1, closed: 0 });
  });

  it("new persons belong to the station and night of their first encounter ever; returns count at any station", () => {
    const encounters = [
      enc("p1", at("2026-12-01", "22:00"), { stationId: A }),
      enc("p1", at("2026-12-02", "22:00"), { stationId: B }),
      enc("p2", at("2026-12-02", "22:00"), { stationId: B }),
      enc("p2", at("2026-12-02", "23:00"), { stationId: A }),
    ];
    const set = computeOutcomes(encounters, scope("2026-12-01", "2026-12-05", "2026-12-20"));
    expect(set.byStation.get(A)!.newPersons).toBe(1);
    expect(set.byStation.get(B)!.newPersons).toBe(1);
    expect(set.whole.newPersons).toBe(2);
    expect(set.byStation.get(A)!.windows[0]).toMatchObject({ returned: 1 });
    expect(set.byStation.get(B)!.windows[0]).toMatchObject({ notReturned: 1 });
    // Station B alone: p1 was first seen at A, so it is not new at B, but is a contact there.
    const onlyB = computeOutcomes(encounters, scope("2026-12-01", "2026-12-05", "2026-12-20", [B]));
    expect(onlyB.whole.newPersons).toBe(1);
    expect(onlyB.whole.contactPersons).toBe(2);
  });

  it("returners: seen again after more than RETURNER_GAP_NIGHTS nights unseen, counted on the night they came back", () => {
    expect(RETURNER_GAP_NIGHTS).toBe(30);
    const run = (previous: string, from = "2026-12-01") =>
      computeOutcomes(
        [enc("p1", at(previous, "22:00")), enc("p1", at("2026-12-01", "22:00"), { stationId: B })],
        scope(from, "2026-12-05", "2026-12-20"),
      );
    // 10-31 → 12-01: 30 nights unseen in between (11-01..11-30): a returner, at B only.
    const back = run("2026-10-31");
    expect(back.whole.returners).toBe(1);
    expect(back.byStation.get(B)!.returners).toBe(1);
    expect(back.byStation.get(A)!.returners).toBe(0);
    // 11-01 → 12-01: 29 nights unseen: not a returner.
    expect(run("2026-11-01").whole.returners).toBe(0);
    // The night of return must be in the range.
    expect(run("2026-10-31", "2026-12-02").whole.returners).toBe(0);
  });

  it("contacts (人次) vs engagement: refused is declined help, unlinked encounters are their own person and untracked", () => {
    const set = computeOutcomes(
      [
        enc("p1", at("2026-12-01", "21:00"), { outcome: "refused" }),
        enc("p1", at("2026-12-01", "23:00"), { outcome: "street_aid" }),
        enc("p2", at("2026-12-01", "23:00"), { outcome: "refused" }),
        enc(null, at("2026-12-01", "23:30"), { outcome: "brought_in" }),
        enc(null, at("2026-12-01", "23:40"), { outcome: "refused" }),
        enc("p3", at("2026-12-01", "23:50"), { outcome: "not_found", found: false }),
        enc("p4", at("2026-12-01", "23:55"), { outcome: "street_aid", found: false }),
      ],
      scope("2026-12-01", "2026-12-01", "2026-12-05"),
    ).whole;
    expect(set).toMatchObject({
      contacts: 5,
      contactPersons: 4,
      engagedContacts: 2,
      engagedPersons: 2,
      untrackedContacts: 2,
      newPersons: 2,
    });
    expect(ratio(set.engagedPersons, set.contactPersons)).toBe(0.5);
    expect(ratio(0, 0)).toBeNull();
    expect(ENCOUNTER_OUTCOMES.filter((o) => !(ENGAGED_OUTCOMES as readonly string[]).includes(o))).toEqual([
      "refused",
      "not_found",
    ]);
  });

  it("a merged record's encounters are the kept person's", () => {
    const set = computeOutcomes(
      [enc("old", at("2026-12-01", "22:00")), enc("kept", at("2026-12-02", "22:00"))],
      scope("2026-12-01", "2026-12-05", "2026-12-20"),
      { old: "kept" },
    ).whole;
    expect(set.newPersons).toBe(1);
    expect(set.contactPersons).toBe(1);
    expect(set.windows[0]).toMatchObject({ returned: 1 });
  });
});
