import type { User } from "../../shared/api/users.js";
import type { UserRow } from "./users.repo.js";

/**
 * A user as the API shows it: a whitelist, so the password hash (and anything added to the table
 * later) never leaves the server unless named here.
 */
export function presentUser(u: UserRow): User {
  return {
    id: u.id,
    username: u.username,
    displayName: u.displayName,
    role: u.role,
    stationId: u.stationId,
    regionId: u.regionId,
    active: u.active,
    version: u.version,
    createdAt: u.createdAt.toISOString(),
  };
}

// user.* events reach admins only: see their audience in shared/events/contract.ts.
