import type { PersonDetail, PersonSummary } from "../../shared/api/people.js";
import type { SessionUser } from "../auth/session-user.js";
import type { PersonWithStats } from "./people.repo.js";
import { maskedLabel, seesIdentity } from "./identity.js";

/** The identity rule and the masked label, from the one place that defines them. */
export { maskedLabel, seesIdentity } from "./identity.js";

/** A person as `user` may see them: identity only for identity roles. */
export function presentPerson(p: PersonWithStats, user: SessionUser): PersonSummary {
  const full = seesIdentity(user, p.stationId);
  return {
    id: p.id,
    stationId: p.stationId,
    label: full && p.name ? p.name : maskedLabel(p.id),
    gender: (p.gender as PersonSummary["gender"]) ?? null,
    approxAge: p.approxAge,
    flags: p.flags,
    familySearch: p.familySearch as PersonSummary["familySearch"],
    mergedIntoId: p.mergedIntoId,
    encounterCount: p.encounterCount,
    lastSeenAt: p.lastSeenAt ? p.lastSeenAt.toISOString() : null,
    version: p.version,
    ...(full ? { identity: { name: p.name, idNumber: p.idNumber, hometown: p.hometown } } : {}),
  };
}

/** Strips notes from a detail for roles without identity. */
export function redactDetail(d: PersonDetail, full: boolean): PersonDetail {
  if (full) return d;
  return {
    ...d,
    encounters: d.encounters.map(({ notes: _n, ...e }) => e),
    familySearchLog: d.familySearchLog.map((f) => ({ ...f, note: "" })),
  };
}

// person.* and stay.* events: their audiences are in shared/events/contract.ts (the same identity rule).
