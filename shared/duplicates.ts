import { haversineMeters } from "./geo.js";
import { ACTIVE_CASE_STATUSES, type CaseStatus } from "./status.js";

/**
 * The duplicate rule: several callers often report the same person at the same place, and that is
 * one case. A new report is a possible duplicate of an active case (open, dispatched or on scene)
 * when it is within {@link DUPLICATE_RADIUS_M} metres of the case and within
 * {@link DUPLICATE_WINDOW_MS} of the case's calls (before its first call or after its latest one).
 * Both bounds are inclusive. The browser offers the candidates while the operator types; the server
 * applies the same rule to every intake (see {@link decideIntake}).
 */

/** Radius within which a report may be about the same person: a few hundred metres. */
export const DUPLICATE_RADIUS_M = 300;
/** Time window around a case's calls within which a report may be about the same person: a few hours. */
export const DUPLICATE_WINDOW_MS = 3 * 3600_000;

/** What the rule needs to know about a case. */
interface DuplicateCase {
  id: string;
  status: CaseStatus | string;
  lat: number | null | undefined;
  lng: number | null | undefined;
  /** First call of the case. */
  receivedAt: Date | string | null | undefined;
  /** Latest call of the case; null falls back to `receivedAt`. */
  lastCallAt?: Date | string | null;
}

/** What the rule needs to know about the new report. */
interface DuplicateReport {
  lat: number | null | undefined;
  lng: number | null | undefined;
  /** When the report was received; null means now. */
  at?: Date | string | null;
}

/** A case that matches the rule, with how far and how long apart it is. */
interface DuplicateMatch<C extends DuplicateCase = DuplicateCase> {
  case: C;
  distanceM: number;
  /** Minutes between the report and the nearest call of the case (0 when inside its span). */
  minutesApart: number;
}

const time = (v: Date | string | null | undefined): number | null => {
  if (v === null || v === undefined) return null;
  const t = (v instanceof Date ? v : new Date(v)).getTime();
  return Number.isFinite(t) ? t : null;
};
const finite = (v: number | null | undefined): v is number => typeof v === "number" && Number.isFinite(v);

/**
 * Checks one case against a report. Returns the match, or null when the case is not active, either
 * position is missing, the case has no valid time, or distance or time is out of bounds.
 */
export function matchDuplicate<C extends DuplicateCase>(
  c: C,
  report: DuplicateReport,
  now: Date = new Date(),
): DuplicateMatch<C> | null {
  if (!ACTIVE_CASE_STATUSES.includes(c.status as CaseStatus)) return null;
  if (!finite(report.lat) || !finite(report.lng) || !finite(c.lat) || !finite(c.lng)) return null;
  const first = time(c.receivedAt);
  if (first === null) return null;
  const last = Math.max(first, time(c.lastCallAt) ?? first);
  const at = report.at === null || report.at === undefined ? now.getTime() : time(report.at);
  if (at === null) return null;
  const gapMs = at < first ? first - at : at > last ? at - last : 0;
  if (gapMs > DUPLICATE_WINDOW_MS) return null;
  const distanceM = haversineMeters({ lat: c.lat, lng: c.lng }, { lat: report.lat, lng: report.lng });
  if (distanceM > DUPLICATE_RADIUS_M) return null;
  return { case: c, distanceM, minutesApart: gapMs / 60_000 };
}

/** Every matching case, nearest first (then closest in time). */
export function findDuplicates<C extends DuplicateCase>(
  cases: readonly C[],
  report: DuplicateReport,
  now: Date = new Date(),
): DuplicateMatch<C>[] {
  const out: DuplicateMatch<C>[] = [];
  for (const c of cases) {
    const m = matchDuplicate(c, report, now);
    if (m) out.push(m);
  }
  return out.sort((a, b) => a.distanceM - b.distanceM || a.minutesApart - b.minutesApart);
}

/** What intake does with a report, given the matches and the operator's choice. */
type IntakeDecision =
  { kind: "new" } | { kind: "merge"; caseId: string; by: "operator" | "rule" } | { kind: "invalid_merge_target" };

/**
 * The server's decision on intake:
 * - `forceNew` (the operator said "not the same person") -> a new case;
 * - `mergeInto` given -> merge into it, but only if the rule matches that case (else invalid:
 *   the operator's choice is checked, never trusted blindly);
 * - otherwise merge automatically only when the rule is unambiguous: exactly one active case matches.
 *   Two or more matches (e.g. several people under one bridge) -> a new case, and the duty room sees
 *   the candidates and can merge by hand. This also catches two operators taking calls about the
 *   same person at the same moment, and partner systems (Open311) that have no operator.
 */
export function decideIntake(
  matches: readonly DuplicateMatch[],
  opts: { mergeInto?: string | null; forceNew?: boolean },
): IntakeDecision {
  if (opts.forceNew) return { kind: "new" };
  if (opts.mergeInto) {
    return matches.some((m) => m.case.id === opts.mergeInto)
      ? { kind: "merge", caseId: opts.mergeInto, by: "operator" }
      : { kind: "invalid_merge_target" };
  }
  if (matches.length === 1) return { kind: "merge", caseId: matches[0]!.case.id, by: "rule" };
  return { kind: "new" };
}

/**
 * A bounding box around a point that contains every position within `radiusM`, for a cheap indexed
 * pre-filter in SQL before the exact haversine check.
 */
export function boundingBox(lat: number, lng: number, radiusM: number = DUPLICATE_RADIUS_M) {
  const dLat = (radiusM / 111_320) * 1.01;
  const cos = Math.max(0.01, Math.cos((lat * Math.PI) / 180));
  const dLng = (radiusM / (111_320 * cos)) * 1.01;
  return { minLat: lat - dLat, maxLat: lat + dLat, minLng: lng - dLng, maxLng: lng + dLng };
}
