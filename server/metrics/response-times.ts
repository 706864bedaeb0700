import { Task } from "../../shared/api/dispatch.js";
import type { Db } from "../db/client.js";
import type { EventLog } from "../events/event-log.js";
import type { EventRow } from "../events/events.repo.js";
import type { Logger } from "../logger.js";
import type { Metrics } from "./metrics.js";
import { caseResponseFacts } from "./metrics.repo.js";

/**
 * Observes the call-to-dispatch and call-to-on-scene times of each case, once per case: at its
 * first dispatched task and at its first crew on scene (a reassignment or a second vehicle does not
 * count again). It listens to this process's own commits, so in a cluster each case is observed by
 * the one node that recorded the change, and the cluster's histogram is the sum over nodes.
 */
export function observeResponseTimes(eventLog: EventLog, db: Db, metrics: Metrics, log: Logger): void {
  const seconds = (from: Date, to: string) => Math.max(0, (Date.parse(to) - from.getTime()) / 1000);
  const observe = async (row: EventRow) => {
    if (row.type !== "assignment.created" && row.type !== "assignment.status_changed") return;
    const parsed = Task.safeParse(row.payload);
    if (!parsed.success) return;
    const task = parsed.data;
    const arrived = row.type === "assignment.status_changed" && task.status === "on_scene" && task.onSceneAt;
    if (row.type !== "assignment.created" && !arrived) return;
    const facts = await caseResponseFacts(db, task.caseId);
    if (!facts) return;
    const labels = { urgency: task.case.urgency };
    if (row.type === "assignment.created" && facts.dispatched === 1)
      metrics.callToDispatch.observe(labels, seconds(facts.receivedAt, task.dispatchedAt));
    if (arrived && facts.onScene === 1) metrics.callToOnScene.observe(labels, seconds(facts.receivedAt, arrived));
  };
  eventLog.onCommit((rows) => {
    for (const row of rows)
      void observe(row).catch((err) => log.warn("response time not observed", { err: String(err), event: row.id }));
  });
}
