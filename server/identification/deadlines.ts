import type { DeadlineKind } from "../../shared/identification.js";
import { maskedLabel } from "../../shared/identity.js";
import type { DbOrTx } from "../db/client.js";
import * as repo from "./identification.repo.js";
import { fileDeadlines } from "./identification.presenter.js";

/** A due or overdue deadline of an open file (no identity: the due-now list and the report use it). */
interface DueDeadline {
  personId: string;
  stationId: string;
  label: string;
  kind: DeadlineKind;
  dueAt: string;
  state: "due" | "overdue";
}

/**
 * Due and overdue deadlines of the files open at `at` (now, or the end of a past report period: a
 * step or closing dated later does not count yet), earliest deadline first.
 */
export async function dueDeadlines(db: DbOrTx, stationIds: string[], at = new Date()): Promise<DueDeadline[]> {
  const files = (await repo.filesOf(db, stationIds, at)).filter((f) => f.arrivedAt <= at);
  if (!files.length) return [];
  const [steps, rules] = await Promise.all([
    repo.stepsOf(
      db,
      files.map((f) => f.personId),
    ),
    repo.rulesOfStations(db, stationIds),
  ]);
  return files
    .flatMap((f) =>
      fileDeadlines(
        f,
        steps.filter((s) => s.personId === f.personId),
        rules.get(f.stationId)!,
        at,
      )
        .filter((d) => d.state === "due" || d.state === "overdue")
        .map((d) => ({
          personId: f.personId,
          stationId: f.stationId,
          label: maskedLabel(f.personId),
          kind: d.kind,
          dueAt: d.dueAt.toISOString(),
          state: d.state as "due" | "overdue",
        })),
    )
    .sort((a, b) => a.dueAt.localeCompare(b.dueAt) || a.personId.localeCompare(b.personId));
}
