import type { Assignment, Task } from "../../shared/api/dispatch.js";
import type { AssignmentStatus, CaseStatus } from "../../shared/status.js";
import type { ConditionFlag, Urgency } from "../../shared/vocab.js";
import type { AssignmentRow, CaseRow, TaskRow } from "./dispatch.repo.js";
import { presentCase } from "../cases/cases.presenter.js";
import type { Case } from "../../shared/api/cases.js";

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** An assignment as the API shows it. */
function presentAssignment(a: AssignmentRow, callSign: string): Assignment {
  return {
    id: a.id,
    caseId: a.caseId,
    vehicleId: a.vehicleId,
    callSign,
    stationId: a.stationId,
    sortieId: a.sortieId,
    status: a.status as AssignmentStatus,
    dispatchedAt: a.dispatchedAt.toISOString(),
    acknowledgedAt: iso(a.acknowledgedAt),
    enRouteAt: iso(a.enRouteAt),
    onSceneAt: iso(a.onSceneAt),
    clearedAt: iso(a.clearedAt),
    cancelledAt: iso(a.cancelledAt),
    cancelReason: a.cancelReason,
    version: a.version,
  };
}

/**
 * A task with what the crew needs about the case: place, what was reported, urgency and flags.
 * Never caller name or phone (those live on calls and only the duty room sees them).
 */
export function presentTask(t: TaskRow): Task {
  return {
    ...presentAssignment(t.a, t.callSign),
    case: {
      id: t.c.id,
      status: t.c.status as CaseStatus,
      urgency: t.c.urgency as Urgency,
      lat: t.c.lat,
      lng: t.c.lng,
      placeText: t.c.placeText,
      description: t.c.description,
      peopleCount: t.c.peopleCount,
      flags: t.c.flags as ConditionFlag[],
    },
  };
}

/**
 * Payload of case.updated recorded by dispatch: the same shape the cases domain uses
 * ({ case: Case }), so the duty room applies it the same way whoever changed the case.
 */
export function caseDispatchPayload(c: CaseRow): { case: Case } {
  return { case: presentCase(c) };
}
