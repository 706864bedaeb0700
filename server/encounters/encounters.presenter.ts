import type { Encounter } from "../../shared/api/encounters.js";
import type { SessionUser } from "../auth/session-user.js";
import { seesIdentity } from "../people/identity.js";
import type { ConditionFlag, EncounterOutcome } from "../../shared/vocab.js";
import type { EncounterRow, HandedOutRow, PersonRow } from "./encounters.repo.js";

/**
 * Who reads an encounter: a signed-in user (identity by the one rule in server/people/identity.ts:
 * crews and heads of the encounter's station), or FULL for the event payload, which the event
 * contract then redacts per receiving role.
 */
export const FULL = "full" as const;
type EncounterViewer = SessionUser | typeof FULL;

/** True when `viewer` sees identity, notes and person link of an encounter of `stationId`. */
export function encounterIdentityFor(viewer: EncounterViewer, stationId: string): boolean {
  return viewer === FULL || seesIdentity(viewer, stationId);
}

/** An encounter for a viewer: identity, notes and person link only when the identity rule allows. */
export function presentEncounter(
  e: EncounterRow,
  supplies: HandedOutRow[],
  person: PersonRow | undefined,
  viewer: EncounterViewer,
): Encounter {
  const base: Encounter = {
    id: e.id,
    stationId: e.stationId,
    caseId: e.caseId,
    assignmentId: e.assignmentId,
    sortieId: e.sortieId,
    patrolId: e.patrolId,
    keyPointVisitId: e.keyPointVisitId,
    found: e.found,
    outcome: e.outcome as EncounterOutcome,
    flags: e.flags as ConditionFlag[],
    lat: e.lat,
    lng: e.lng,
    occurredAt: e.occurredAt.toISOString(),
    recordedBy: e.recordedBy,
    supplies: supplies.map((s) => ({ itemId: s.itemId, quantity: s.quantity, unitValueFen: s.unitValueFen })),
  };
  if (!encounterIdentityFor(viewer, e.stationId)) return base;
  return {
    ...base,
    personId: e.personId,
    notes: e.notes,
    identity: person
      ? {
          ...(person.name ? { name: person.name } : {}),
          ...(person.gender ? { gender: person.gender as "male" | "female" | "unknown" } : {}),
          ...(person.approxAge !== null ? { approxAge: person.approxAge } : {}),
          ...(person.idNumber ? { idNumber: person.idNumber } : {}),
          ...(person.hometown ? { hometown: person.hometown } : {}),
        }
      : null,
  };
}
