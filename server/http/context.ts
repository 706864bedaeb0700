import type { Logger } from "../logger.js";
import type { SessionUser } from "../auth/session-user.js";

/** Hono variables set by middleware for every request. */
export interface AppEnv {
  Variables: {
    requestId: string;
    log: Logger;
    /** The signed-in user, when the session cookie is valid. */
    user?: SessionUser;
    /** Raw session token, to end the session on logout. */
    sessionToken?: string;
  };
}
