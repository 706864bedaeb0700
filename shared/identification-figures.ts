import {
  DEADLINE_KINDS,
  FAMILY_CLOSINGS,
  deadlineStates,
  type Closing,
  type DeadlineKind,
  type DeadlineRules,
  type StepKind,
} from "./identification.js";

/**
 * The identification figures (甄别寻亲) of the campaign figures, as pure rules over plain records;
 * shared/counting.ts computeFigures adds them to the figures and server/totals/identification-passes.ts
 * computes the same in SQL. Families found (寻亲成功) are not here: they are the counting rule over
 * the family-search log (closing a file with a family found writes that log), so there is one rule.
 *
 * - householdSettled (落户安置 人): distinct people (following merges) whose file closed as `settled`
 *   in the range, by the closing's time.
 * - medianDaysToIdentification: over the files closed with a family found (found, escorted home,
 *   picked up) in the range, whole days from arrival to the closing; the median (mean of the middle
 *   two for an even count, as SQL percentile_cont(0.5)); null when none.
 * - past<Deadline> (人): distinct people whose file was open at the period's end (arrived by then,
 *   not closed by then) and whose deadline had passed with its step not recorded by then; the
 *   period's end is the range's end, or `now` for a period still running. Steps and closings dated
 *   later (entered after the fact) do not count yet at an earlier end.
 */

/** A file as the figures see it, with the deadlines in force for its station. */
export interface IdFileRec {
  personId: string;
  arrivedAt: Date;
  closedAt: Date | null;
  closing: Closing | null;
  steps: { kind: StepKind; at: Date }[];
  rules: DeadlineRules;
}

/** The figure that counts people past each deadline. */
export const PAST_DEADLINE_FIGURES = {
  fingerprint_check: "pastFingerprintCheck",
  notice_published: "pastNotice",
  dna_requested: "pastDnaRequest",
  settle_review: "pastSettleReview",
} as const satisfies Record<DeadlineKind, string>;
type PastFigure = (typeof PAST_DEADLINE_FIGURES)[DeadlineKind];

/** The identification figures of one scope and range. */
export type IdentificationCounts = Record<PastFigure, number> & {
  householdSettled: number;
  medianDaysToIdentification: number | null;
};

const DAY_MS = 86_400_000;

/** Median of numbers (mean of the middle two for an even count). */
export function median(xs: number[]): number | null {
  if (!xs.length) return null;
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** The instant a period's "at the end" figures are taken: its end, or now while it runs. */
export const periodEnd = (range: { to: Date }, now: Date) => new Date(Math.min(range.to.getTime(), now.getTime()));

/** The identification figures over [from, to), people past a deadline at the period's end. */
export function identificationCounts(
  files: IdFileRec[],
  range: { from: Date; to: Date },
  now: Date,
  resolve: (personId: string) => string = (id) => id,
): IdentificationCounts {
  const inRange = (d: Date | null) => !!d && d >= range.from && d < range.to;
  const at = periodEnd(range, now);
  const settled = new Set<string>();
  const days: number[] = [];
  const past = Object.fromEntries(DEADLINE_KINDS.map((k) => [k, new Set<string>()])) as Record<
    DeadlineKind,
    Set<string>
  >;
  for (const f of files) {
    if (f.closing && inRange(f.closedAt)) {
      if (FAMILY_CLOSINGS.includes(f.closing))
        days.push(Math.floor((f.closedAt!.getTime() - f.arrivedAt.getTime()) / DAY_MS));
      else if (f.closing === "settled") settled.add(resolve(f.personId));
    }
    const openAtEnd = f.arrivedAt <= at && (!f.closedAt || f.closedAt > at);
    if (!openAtEnd) continue;
    for (const d of deadlineStates(f, at, f.rules)) if (d.state === "overdue") past[d.kind].add(resolve(f.personId));
  }
  const out = {
    householdSettled: settled.size,
    medianDaysToIdentification: median(days),
  } as IdentificationCounts;
  for (const k of DEADLINE_KINDS) out[PAST_DEADLINE_FIGURES[k]] = past[k].size;
  return out;
}
