import type { SessionUser } from "../auth/session-user.js";
import { requireRole, requireStation } from "../auth/policy.js";
import type { DbOrTx } from "../db/client.js";
import { AppError, fieldError, notFound } from "../http/errors.js";
import * as people from "../people/people.repo.js";
import { seesIdentity } from "../people/identity.js";
import * as repo from "./identification.repo.js";

/** A phone's clock may run a little ahead: times up to this far in the future are taken as now. */
const FUTURE_SKEW_MS = 2 * 60_000;

/** When something happened: given (entered after the fact), not in the future, or now. */
export function happenedAt(at: string | undefined | null, field: string, now = Date.now()): Date {
  if (!at) return new Date(now);
  const t = new Date(at).getTime();
  if (t > now + FUTURE_SKEW_MS) throw fieldError(field, "is in the future");
  return new Date(Math.min(t, now));
}

/**
 * The person, when `user` may see their identity (crews and head of the person's station; anyone
 * else: 403 for a role or station out of reach, 404 otherwise, as the people registry answers).
 */
export async function personInReach(
  db: DbOrTx,
  user: SessionUser,
  id: string,
  roles: SessionUser["role"][] = ["patrol", "head"],
): Promise<people.PersonRow> {
  requireRole(user, roles);
  const p = await people.findPerson(db, id);
  if (!p) throw notFound("Person");
  requireStation(user, p.stationId);
  if (!seesIdentity(user, p.stationId)) throw notFound("Person");
  if (p.mergedIntoId) throw new AppError(409, "CONFLICT", "This record was merged; use the record it was merged into");
  return p;
}

/** The person and their identification file (404 when none is open). */
export async function fileInReach(db: DbOrTx, user: SessionUser, id: string, roles?: SessionUser["role"][]) {
  const p = await personInReach(db, user, id, roles);
  const f = await repo.findFile(db, id);
  if (!f) throw notFound("Identification file");
  return { p, f };
}

/** The identification.changed event of a file. */
export function fileEvent(
  user: SessionUser,
  stationId: string,
  personId: string,
  what: "opened" | "updated" | "clue" | "step" | "closed" | "match_decision" | "photo",
  version: number,
) {
  return {
    type: "identification.changed" as const,
    stationId,
    actorId: user.id,
    payload: { personId, stationId, what, version },
  };
}
