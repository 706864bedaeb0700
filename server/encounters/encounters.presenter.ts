import type { Encounter } from "../../shared/api/encounters.js";
import type { Role } from "../../shared/roles.js";
import type { ConditionFlag, EncounterOutcome } from "../../shared/vocab.js";
import type { EncounterRow, HandedOutRow, PersonRow } from "./encounters.repo.js";

/**
 * Who may see the identity of a person met, the notes and the person link. Crews record it and
 * need it on the next visit; station heads run the people registry. Operators dispatch by place
 * and condition, supervisors read totals: neither needs who the person is (least privilege).
 * Station scope is applied separately (a crew never sees another station's encounters).
 */
export const IDENTITY_ROLES: readonly Role[] = ["patrol", "head", "admin"];

/** True when `role` may see identity fields of encounters. */
export function seesIdentity(role: Role): boolean {
  return IDENTITY_ROLES.includes(role);
}

/** An encounter for a role: identity, notes and person link only for {@link IDENTITY_ROLES}. */
export function presentEncounter(e: EncounterRow, supplies: HandedOutRow[], person: PersonRow | undefined, role: Role): Encounter {
  const base: Encounter = {
    id: e.id, stationId: e.stationId, caseId: e.caseId, assignmentId: e.assignmentId, sortieId: e.sortieId,
    patrolId: e.patrolId, keyPointVisitId: e.keyPointVisitId, found: e.found, outcome: e.outcome as EncounterOutcome,
    flags: e.flags as ConditionFlag[], lat: e.lat, lng: e.lng, occurredAt: e.occurredAt.toISOString(), recordedBy: e.recordedBy,
    supplies: supplies.map((s) => ({ itemId: s.itemId, quantity: s.quantity, unitValueFen: s.unitValueFen })),
  };
  if (!seesIdentity(role)) return base;
  return {
    ...base, personId: e.personId, notes: e.notes,
    identity: person ? {
      ...(person.name ? { name: person.name } : {}),
      ...(person.gender ? { gender: person.gender as "male" | "female" | "unknown" } : {}),
      ...(person.approxAge !== null ? { approxAge: person.approxAge } : {}),
      ...(person.idNumber ? { idNumber: person.idNumber } : {}),
      ...(person.hometown ? { hometown: person.hometown } : {}),
    } : null,
  };
}

/** Keys of an encounter payload that only {@link IDENTITY_ROLES} receive. */
const PERSONAL_KEYS = ["identity", "notes", "personId"] as const;

/** Redactor for encounter.* events: the same whitelist as the HTTP presenter. */
export function redactEncounterEvent(payload: Record<string, unknown>, role: Role): Record<string, unknown> {
  if (seesIdentity(role)) return payload;
  const out = { ...payload };
  for (const k of PERSONAL_KEYS) delete out[k];
  return out;
}
