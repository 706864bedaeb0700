import type { Me } from "../../shared/api/auth.js";
import type { SessionUser } from "./session-user.js";

/** The signed-in user as the API shows it. */
export function presentMe(u: SessionUser): Me {
  return {
    id: u.id,
    username: u.username,
    displayName: u.displayName,
    role: u.role,
    stationId: u.stationId,
    regionId: u.regionId,
    stationIds: u.stationIds,
  };
}
