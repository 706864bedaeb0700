import type { Role } from "../../shared/roles.js";
import { forbidden } from "../http/errors.js";
import type { SessionUser } from "./session-user.js";

/** Refuses (403) unless the user has one of `roles`. */
export function requireRole(user: SessionUser, roles: readonly Role[]): void {
  if (!roles.includes(user.role)) throw forbidden(`This needs one of the roles: ${roles.join(", ")}`);
}

/** True when `stationId` is within the user's scope. */
export function canSeeStation(user: SessionUser, stationId: string | null): boolean {
  if (user.allStations) return true;
  if (stationId === null) return true;
  return user.stationIds.includes(stationId);
}

/** Refuses (403) unless `stationId` is within the user's scope. */
export function requireStation(user: SessionUser, stationId: string): void {
  if (!canSeeStation(user, stationId)) throw forbidden("That station is outside your scope");
}
