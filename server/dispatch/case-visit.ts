import { createHash } from "node:crypto";
import type { Tx } from "../db/client.js";
import type { RecordEvent } from "../events/event-log.js";
import type { SessionUser } from "../auth/session-user.js";
import { findKeyPoint, findSortie } from "../patrols/patrols.repo.js";
import { recordVisitIn } from "../patrols/sortie-steps.js";

/** A UUID derived from a name (RFC 4122 version 5 layout), so a step repeated finds its own row. */
function derivedId(name: string): string {
  const h = createHash("sha1").update(name).digest();
  h[6] = (h[6]! & 0x0f) | 0x50;
  h[8] = (h[8]! & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString("hex");
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
}

/**
 * A crew on scene at a case placed at a key point has been at that key point: the arrival counts
 * as a visit (巡查点位 个次), recorded once per task (its id derives from the task's), with the
 * task's sortie. Nobody is counted as found here: people met are counted by their encounters.
 */
export async function visitCaseKeyPoint(
  tx: Tx,
  record: RecordEvent,
  user: SessionUser,
  task: { id: string; sortieId: string | null },
  keyPointId: string,
  at: Date,
): Promise<void> {
  const kp = await findKeyPoint(tx, keyPointId);
  if (!kp || !kp.active) return;
  const sortie = task.sortieId ? await findSortie(tx, task.sortieId) : undefined;
  await recordVisitIn(tx, record, user, {
    id: derivedId(`key-point-visit:task:${task.id}`),
    keyPoint: kp,
    sortie,
    peopleFound: 0,
    notes: "",
    visitedAt: at,
  });
}
