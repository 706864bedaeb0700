import { CONDITION_FLAGS, type ConditionFlag } from "../../shared/vocab.js";
import type { UrgencyAssessment } from "../../shared/urgency.js";
import { storeUrgency } from "./cases.presenter.js";
import type { CallRow, CaseRow } from "./cases.repo.js";

/**
 * What a case derives from its calls. A case's flags are the union of its calls' flags, so merging
 * and un-merging are exact inverses; the people count is the largest any caller reported; the
 * temperature the latest one reported; the waiting time runs from the first call.
 * Null when the case has no calls left (merged away).
 */
export function aggregateCalls(calls: readonly CallRow[]): {
  callerCount: number;
  flags: ConditionFlag[];
  peopleCount: number;
  temperatureC: number | null;
  receivedAt: Date;
  lastCallAt: Date;
} | null {
  if (!calls.length) return null;
  const flags = new Set<string>();
  let peopleCount = 1;
  let first = calls[0]!.receivedAt;
  let last = calls[0]!.receivedAt;
  let temp: { at: Date; value: number } | null = null;
  for (const c of calls) {
    for (const f of c.flags) flags.add(f);
    peopleCount = Math.max(peopleCount, c.peopleCount);
    if (c.receivedAt < first) first = c.receivedAt;
    if (c.receivedAt > last) last = c.receivedAt;
    if (c.temperatureC !== null && (!temp || c.receivedAt >= temp.at))
      temp = { at: c.receivedAt, value: c.temperatureC };
  }
  return {
    callerCount: calls.length,
    flags: CONDITION_FLAGS.filter((f) => flags.has(f)),
    peopleCount,
    temperatureC: temp?.value ?? null,
    receivedAt: first,
    lastCallAt: last,
  };
}

/**
 * Urgency columns after the rule ran: the rule's urgency applies unless an operator overrode it,
 * in which case the override stands and only the rule's reasons are refreshed.
 */
export function urgencyFields(row: Pick<CaseRow, "urgency" | "urgencyOverridden"> | null, a: UrgencyAssessment) {
  return {
    urgency: row?.urgencyOverridden ? row.urgency : a.urgency,
    urgencyReason: storeUrgency(a),
  };
}
