import type { PersonDetail, PersonSummary } from "../../shared/api/people.js";
import type { SessionUser } from "../auth/session-user.js";
import { canSeeStation } from "../auth/policy.js";
import { registerEventRedactor } from "../realtime/event-presenter.js";
import type { Role } from "../../shared/roles.js";
import type { PersonWithStats } from "./people.repo.js";

/** Roles that see identity, within their own station (see shared/api/people.ts). */
export const IDENTITY_ROLES: readonly Role[] = ["head", "patrol"];

/** True when the user may see the identity of a person of `stationId`. */
export function seesIdentity(user: SessionUser, stationId: string): boolean {
  return IDENTITY_ROLES.includes(user.role) && canSeeStation(user, stationId);
}

/** A label that identifies the record without personal data. */
export const maskedLabel = (id: string) => `#${id.slice(0, 6)}`;

/** A person as `user` may see them: identity only for identity roles. */
export function presentPerson(p: PersonWithStats, user: SessionUser): PersonSummary {
  const full = seesIdentity(user, p.stationId);
  return {
    id: p.id, stationId: p.stationId,
    label: full && p.name ? p.name : maskedLabel(p.id),
    gender: (p.gender as PersonSummary["gender"]) ?? null, approxAge: p.approxAge, flags: p.flags,
    familySearch: p.familySearch as PersonSummary["familySearch"], mergedIntoId: p.mergedIntoId,
    encounterCount: p.encounterCount, lastSeenAt: p.lastSeenAt ? p.lastSeenAt.toISOString() : null, version: p.version,
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

/**
 * Person events carry identity only so that crews and heads see changes live; everyone else gets
 * the event without it, and supervisors (totals only) do not get person events at all.
 */
for (const type of ["person.created", "person.updated", "person.family_search_changed", "person.merged"]) {
  registerEventRedactor(type, (payload, role) => {
    if (role === "supervisor") return null;
    if (IDENTITY_ROLES.includes(role)) return payload;
    const { identity: _i, label: _l, ...rest } = payload;
    return { ...rest, label: maskedLabel(String(payload.id)) };
  });
}

/** Stays carry a person link and needs: not for supervisors. */
for (const type of ["stay.started", "stay.ended"]) {
  registerEventRedactor(type, (payload, role) => {
    if (role !== "supervisor") return payload;
    const { personId: _p, needs: _n, ...rest } = payload;
    return rest;
  });
}
