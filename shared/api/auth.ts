import { z } from "zod";
import { endpoint } from "./endpoint.js";
import { Id, Ok } from "./common.js";
import { Role } from "../roles.js";

/** Login form. */
export const LoginInput = z.object({
  /** Account name, e.g. "operator". */
  username: z.string().trim().min(1).max(64).describe("Account name"),
  /** Password in clear; sent over the session's transport only. */
  password: z.string().min(1).max(256).describe("Password"),
});
export type LoginInput = z.infer<typeof LoginInput>;

/** The signed-in user as the browser sees them. */
export const Me = z.object({
  /** User id. */
  id: Id,
  /** Account name. */
  username: z.string().describe("Account name"),
  /** Name shown in the UI. */
  displayName: z.string().describe("Display name"),
  /** Role, which decides what the user may do. */
  role: Role,
  /** Station the user works for; null for supervisors and admins. */
  stationId: Id.nullable().describe("Home station, null for region-wide roles"),
  /** Region the user oversees (supervisors); null otherwise. */
  regionId: Id.nullable().describe("Region scope for supervisors"),
  /** Stations the user may see. */
  stationIds: z.array(Id).describe("Stations within the user's scope"),
});
export type Me = z.infer<typeof Me>;

/** Auth endpoints. */
export const authApi = {
  login: endpoint({
    method: "POST",
    path: "/api/auth/login",
    tag: "auth",
    access: "public",
    summary: "Sign in; sets an HttpOnly session cookie",
    body: LoginInput,
    response: Me,
    // Wrong name or password, and the sign-in throttle.
    alsoErrors: [401, 429],
  }),
  logout: endpoint({
    method: "POST",
    path: "/api/auth/logout",
    tag: "auth",
    access: "any",
    summary: "Sign out; ends the session",
    response: Ok,
  }),
  me: endpoint({
    method: "GET",
    path: "/api/auth/me",
    tag: "auth",
    access: "any",
    summary: "The signed-in user",
    response: Me,
  }),
};
