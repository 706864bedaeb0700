import type { User } from "../../shared/api/users.js";
import { registerEventRedactor } from "../realtime/event-presenter.js";
import type { UserRow } from "./users.repo.js";

/**
 * A user as the API shows it: a whitelist, so the password hash (and anything added to the table
 * later) never leaves the server unless named here.
 */
export function presentUser(u: UserRow): User {
  return {
    id: u.id, username: u.username, displayName: u.displayName, role: u.role,
    stationId: u.stationId, regionId: u.regionId, active: u.active, version: u.version,
    createdAt: u.createdAt.toISOString(),
  };
}

/** Event types of account changes. */
export const USER_EVENTS = ["user.created", "user.updated", "user.password_reset"] as const;

// Account changes are in the event log for the audit trail, but only admins manage accounts:
// nobody else receives them (a patrol has no business learning who else has an account).
for (const type of USER_EVENTS) registerEventRedactor(type, (payload, role) => (role === "admin" ? payload : null));
