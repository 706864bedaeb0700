import type { MiddlewareHandler } from "hono";
import { getCookie } from "hono/cookie";
import type { AppEnv } from "../http/context.js";
import type { AuthService } from "./auth.service.js";

/** Name of the session cookie. */
export const SESSION_COOKIE = "wl_session";

/** Resolves the session cookie to a user for every API request; never refuses by itself. */
export function sessionMiddleware(auth: AuthService): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const token = getCookie(c, SESSION_COOKIE);
    const user = await auth.userForToken(token);
    if (user) {
      c.set("user", user);
      c.set("sessionToken", token);
    }
    await next();
  };
}

/** Reads the session token from a raw Cookie header (the Socket.IO handshake). */
export function tokenFromCookieHeader(header: string | undefined): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(";")) {
    const [k, ...v] = part.trim().split("=");
    if (k === SESSION_COOKIE) return decodeURIComponent(v.join("="));
  }
  return undefined;
}
