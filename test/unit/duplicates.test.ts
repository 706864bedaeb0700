import { describe, expect, it } from "vitest";
import {
  DUPLICATE_RADIUS_M,
  DUPLICATE_WINDOW_MS,
  boundingBox,
  decideIntake,
  findDuplicates,
  matchDuplicate,
} from "../../shared/duplicates.js";
import { haversineMeters } from "../../shared/geo.js";

const T0 = new Date("2025-01-10T20:00:00Z");
const at = (ms: number) => new Date(T0.getTime() + ms);
const base = { lat: 45.763, lng: 126.608 };
/** A point `m` metres north of base (1° latitude = 111,195.08 m with the mean radius). */
const north = (m: number) => ({ lat: base.lat + m / 111_195.08, lng: base.lng });
const kase = (over: Partial<Parameters<typeof matchDuplicate>[0]> = {}) => ({
  id: "c1",
  status: "open",
  ...base,
  receivedAt: T0,
  lastCallAt: T0,
  ...over,
});

describe("duplicate rule: distance", () => {
  it("matches the same place at the same time", () => {
    expect(matchDuplicate(kase(), { ...base, at: T0 })).toMatchObject({ distanceM: 0, minutesApart: 0 });
  });

  it("includes a report just inside the radius and excludes one just outside", () => {
    const inside = north(DUPLICATE_RADIUS_M - 0.5);
    const outside = north(DUPLICATE_RADIUS_M + 0.5);
    expect(haversineMeters(base, inside)).toBeLessThanOrEqual(DUPLICATE_RADIUS_M);
    expect(matchDuplicate(kase(), { ...inside, at: T0 })).not.toBeNull();
    expect(matchDuplicate(kase(), { ...outside, at: T0 })).toBeNull();
  });

  it("treats the exact radius as inside (inclusive bound)", () => {
    const edge = north(DUPLICATE_RADIUS_M);
    const d = haversineMeters(base, edge);
    const c = kase();
    const m = matchDuplicate(c, { ...edge, at: T0 });
    expect(m === null).toBe(d > DUPLICATE_RADIUS_M);
    expect(Math.abs(d - DUPLICATE_RADIUS_M)).toBeLessThan(1e-6);
  });
});

describe("duplicate rule: time", () => {
  it("includes exactly the window after the latest call and excludes one millisecond more", () => {
    const c = kase({ lastCallAt: at(3600_000) });
    expect(matchDuplicate(c, { ...base, at: at(3600_000 + DUPLICATE_WINDOW_MS) })).not.toBeNull();
    expect(matchDuplicate(c, { ...base, at: at(3600_000 + DUPLICATE_WINDOW_MS + 1) })).toBeNull();
  });

  it("includes exactly the window before the first call (a late-entered report) and not beyond", () => {
    expect(matchDuplicate(kase(), { ...base, at: at(-DUPLICATE_WINDOW_MS) })).not.toBeNull();
    expect(matchDuplicate(kase(), { ...base, at: at(-DUPLICATE_WINDOW_MS - 1) })).toBeNull();
  });

  it("counts zero minutes apart inside the span of the case's calls", () => {
    const c = kase({ lastCallAt: at(5 * 3600_000) });
    expect(matchDuplicate(c, { ...base, at: at(2 * 3600_000) })?.minutesApart).toBe(0);
  });

  it("keeps a case alive while calls keep coming (measured from the latest call)", () => {
    const c = kase({ lastCallAt: at(4 * 3600_000) });
    expect(matchDuplicate(c, { ...base, at: at(6 * 3600_000) })?.minutesApart).toBe(120);
  });

  it("accepts ISO strings as well as Dates", () => {
    const c = kase({ receivedAt: T0.toISOString(), lastCallAt: T0.toISOString() });
    expect(matchDuplicate(c, { ...base, at: at(60_000).toISOString() })?.minutesApart).toBe(1);
  });
});

describe("duplicate rule: nulls and status", () => {
  it("a report without a position matches nothing", () => {
    expect(matchDuplicate(kase(), { lat: null, lng: 126.6, at: T0 })).toBeNull();
    expect(matchDuplicate(kase(), { lat: 45.7, lng: undefined, at: T0 })).toBeNull();
  });

  it("a case without position or first-call time matches nothing", () => {
    expect(matchDuplicate(kase({ lat: null }), { ...base, at: T0 })).toBeNull();
    expect(matchDuplicate(kase({ receivedAt: null }), { ...base, at: T0 })).toBeNull();
    expect(matchDuplicate(kase({ receivedAt: "not a date" }), { ...base, at: T0 })).toBeNull();
  });

  it("a null latest call falls back to the first call", () => {
    expect(matchDuplicate(kase({ lastCallAt: null }), { ...base, at: at(DUPLICATE_WINDOW_MS) })).not.toBeNull();
    expect(matchDuplicate(kase({ lastCallAt: null }), { ...base, at: at(DUPLICATE_WINDOW_MS + 1) })).toBeNull();
  });

  it("a null report time means now", () => {
    const now = at(3600_000);
    expect(matchDuplicate(kase(), { ...base, at: null }, now)?.minutesApart).toBe(60);
    expect(matchDuplicate(kase(), { ...base }, at(DUPLICATE_WINDOW_MS + 1))).toBeNull();
  });

  it("an invalid report time matches nothing", () => {
    expect(matchDuplicate(kase(), { ...base, at: "yesterday-ish" })).toBeNull();
  });

  it("only active cases (open, dispatched, on scene) are candidates", () => {
    for (const s of ["open", "dispatched", "on_scene"])
      expect(matchDuplicate(kase({ status: s }), { ...base, at: T0 }), s).not.toBeNull();
    for (const s of ["closed", "merged", "cancelled"])
      expect(matchDuplicate(kase({ status: s }), { ...base, at: T0 }), s).toBeNull();
  });
});

describe("finding and deciding", () => {
  const near = kase({ id: "near" });
  const far = kase({ id: "far", ...north(200) });
  const out = kase({ id: "out", ...north(400) });

  it("lists matches nearest first", () => {
    expect(findDuplicates([out, far, near], { ...north(-50), at: T0 }).map((m) => m.case.id)).toEqual(["near", "far"]);
    expect(findDuplicates([out, far, near], { ...north(180), at: T0 }).map((m) => m.case.id)).toEqual([
      "far",
      "near",
      "out",
    ]);
  });

  it("merges automatically only when exactly one case matches", () => {
    const one = findDuplicates([near, out], { ...base, at: T0 });
    expect(decideIntake(one, {})).toEqual({ kind: "merge", caseId: "near", by: "rule" });
    const two = findDuplicates([near, far], { ...base, at: T0 });
    expect(decideIntake(two, {})).toEqual({ kind: "new" });
    expect(decideIntake([], {})).toEqual({ kind: "new" });
  });

  it("honours the operator's choice when the rule agrees, and refuses it when not", () => {
    const two = findDuplicates([near, far, out], { ...base, at: T0 });
    expect(decideIntake(two, { mergeInto: "far" })).toEqual({ kind: "merge", caseId: "far", by: "operator" });
    expect(decideIntake(two, { mergeInto: "out" })).toEqual({ kind: "invalid_merge_target" });
    expect(decideIntake(two, { mergeInto: null })).toEqual({ kind: "new" });
  });

  it("forceNew wins over a unique match", () => {
    expect(decideIntake(findDuplicates([near], { ...base, at: T0 }), { forceNew: true })).toEqual({ kind: "new" });
  });

  it("the SQL pre-filter box contains the whole radius", () => {
    const box = boundingBox(base.lat, base.lng);
    for (const deg of [0, 45, 90, 135, 180, 225, 270, 315]) {
      const r = DUPLICATE_RADIUS_M / 111_195.08;
      const p = {
        lat: base.lat + r * Math.cos((deg * Math.PI) / 180),
        lng: base.lng + (r * Math.sin((deg * Math.PI) / 180)) / Math.cos((base.lat * Math.PI) / 180),
      };
      expect(p.lat).toBeGreaterThanOrEqual(box.minLat);
      expect(p.lat).toBeLessThanOrEqual(box.maxLat);
      expect(p.lng).toBeGreaterThanOrEqual(box.minLng);
      expect(p.lng).toBeLessThanOrEqual(box.maxLng);
    }
  });
});
