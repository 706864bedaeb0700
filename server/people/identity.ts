import type { SessionUser } from "../auth/session-user.js";
import { canSeeStation } from "../auth/policy.js";
import { roleSeesIdentity } from "../../shared/identity.js";
import type { DbOrTx } from "../db/client.js";
import { auditReads, type ReadKind } from "./people.repo.js";

export { maskedLabel } from "../../shared/identity.js";

/**
 * The identity rule on the server: shared/identity.ts decides the roles, this adds station scope.
 * Every presenter that could show a person's name, ID number, hometown or notes asks this function
 * (people, encounters, exports, and the event contract through the same shared rule).
 */
export function seesIdentity(user: SessionUser, stationId: string): boolean {
  return roleSeesIdentity(user.role) && canSeeStation(user, stationId);
}

/**
 * Writes the audit rows for identity a response is about to show: one per person, before the
 * answer leaves (an audit that fails stops the answer, never the other way round).
 */
export async function auditIdentityReads(
  db: DbOrTx,
  user: SessionUser,
  personIds: (string | null | undefined)[],
  kind: ReadKind,
): Promise<void> {
  const ids = [...new Set(personIds.filter((p): p is string => !!p))];
  if (ids.length) await auditReads(db, ids, user, kind);
}
