import { computeUrgency } from "../../shared/urgency.js";
import { ACTIVE_CASE_STATUSES } from "../../shared/status.js";
import type { ConditionFlag } from "../../shared/vocab.js";
import type { Tx } from "../db/client.js";
import type { DomainEventInput } from "../events/event-log.js";
import { currentAlertLevel } from "./alert-level.repo.js";
import { urgencyFields } from "./case-rules.js";
import { presentCase } from "./cases.presenter.js";
import * as repo from "./cases.repo.js";

/** More active cases than a station ever has at once; the cap only bounds the transaction. */
const MAX_ACTIVE = 5000;

/**
 * Runs the urgency rule again over the active cases of `stationIds` after their cold-alert level
 * changed, inside the transaction that changed it, so the duty-room queue re-sorts at once rather
 * than at each case's next call: on a night that turns red, a case logged at "low" an hour ago
 * must not wait behind the new ones. Operator overrides stand (only their reasons refresh). Each
 * changed case is announced as case.updated. Returns how many cases changed.
 */
export async function retriageActiveCases(
  tx: Tx,
  record: (e: DomainEventInput) => void,
  stationIds: string[],
  actorId: string | null,
): Promise<number> {
  if (!stationIds.length) return 0;
  const rows = await repo.listQueue(tx, { stationIds, statuses: ACTIVE_CASE_STATUSES, limit: MAX_ACTIVE });
  const levels = new Map<string, Awaited<ReturnType<typeof currentAlertLevel>>>();
  let changed = 0;
  for (const row of rows) {
    if (!levels.has(row.stationId)) levels.set(row.stationId, await currentAlertLevel(tx, row.stationId));
    const a = computeUrgency({
      flags: row.flags as ConditionFlag[],
      temperatureC: row.temperatureC,
      alertLevel: levels.get(row.stationId),
    });
    const next = urgencyFields(row, a);
    if (next.urgency === row.urgency && next.urgencyReason === row.urgencyReason) continue;
    const updated = await repo.updateCase(tx, row.id, next);
    if (!updated) continue;
    record({ type: "case.updated", stationId: updated.stationId, actorId, payload: { case: presentCase(updated) } });
    changed++;
  }
  return changed;
}
