import type { Hono } from "hono";
import { deleteCookie, setCookie } from "hono/cookie";
import { getConnInfo } from "@hono/node-server/conninfo";
import { authApi } from "../../shared/api/auth.js";
import type { AppEnv } from "../http/context.js";
import { mount } from "../http/router.js";
import type { Services } from "../services.js";
import { SESSION_COOKIE } from "./auth.middleware.js";
import { presentMe } from "./auth.presenter.js";

/**
 * The sign-in's client address: behind `trustedHops` proxies, the X-Forwarded-For entry they
 * appended (counted from the right, so what a client put there itself is ignored); else the peer.
 */
function clientAddress(c: Parameters<typeof getConnInfo>[0], trustedHops: number): string {
  if (trustedHops > 0) {
    const hops = (c.req.header("x-forwarded-for") ?? "")
      .split(",")
      .map((h) => h.trim())
      .filter(Boolean);
    if (hops.length >= trustedHops) return hops[hops.length - trustedHops]!.slice(0, 64);
  }
  try {
    return getConnInfo(c).remote.address ?? "unknown";
  } catch {
    return "unknown";
  }
}

/** Wires the auth endpoints. */
export function authRoutes(app: Hono<AppEnv>, s: Services): void {
  mount(app, authApi.login, async ({ body }, { c }) => {
    const { user, token, expiresAt } = await s.auth.login(body, clientAddress(c, s.env.TRUST_PROXY));
    setCookie(c, SESSION_COOKIE, token, {
      httpOnly: true,
      sameSite: "Lax",
      path: "/",
      secure: s.env.COOKIE_SECURE,
      expires: expiresAt,
    });
    return presentMe(user);
  });
  mount(app, authApi.logout, async (_, { c }) => {
    const token = c.get("sessionToken");
    if (token) await s.auth.logout(token);
    deleteCookie(c, SESSION_COOKIE, { path: "/" });
    return { ok: true as const };
  });
  mount(app, authApi.me, async (_, { user }) => presentMe(user));
}
