import type { Role } from "../../shared/roles.js";

/** The signed-in user as services see it, with the stations in scope resolved once per request. */
export interface SessionUser {
  id: string;
  username: string;
  displayName: string;
  role: Role;
  stationId: string | null;
  regionId: string | null;
  /** Stations the user may see and act on. */
  stationIds: string[];
  /** True for admins: every station, including ones created after sign-in. */
  allStations: boolean;
}
