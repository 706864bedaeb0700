import { z } from "zod";
import { endpoint } from "./endpoint.js";
import { Id, Ok } from "./common.js";
import { Role } from "../roles.js";

/** Login form. */
export const LoginInput = z.object({
  username: z.string().trim().min(1).max(64).describe('Account name, e.g. "operator".'),
  password: z.string().min(1).max(256).describe("Password in clear; sent over the session's transport only"),
});
export type LoginInput = z.infer<typeof LoginInput>;

/** The signed-in user as the browser sees them. */
export const Me = z.object({
  /** User id. */
  id: Id,
  username: z.string().describe("Account name"),
  displayName: z.string().describe("Name shown in the UI"),
  /** Role, which decides what the user may do. */
  role: Role,
  stationId: Id.nullable().describe("Station the user works for; null for supervisors and admins"),
  regionId: Id.nullable().describe("Region the user oversees (supervisors); null otherwise"),
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
