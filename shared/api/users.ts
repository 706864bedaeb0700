import { z } from "zod";
import { endpoint } from "./endpoint.js";
import { Id, IdParams } from "./common.js";
import { Role, STATION_SCOPED_ROLES } from "../roles.js";

/** Shortest password an admin may set (the demo seed's "demo" predates this rule). */
export const PASSWORD_MIN_LENGTH = 8;

/** A user account as the admin screen sees it. Never carries the password hash. */
export const User = z.object({
  id: Id.describe("User id"),
  username: z.string().describe("Account name used to sign in"),
  displayName: z.string().describe('Name shown in the UI, e.g. "巡查一组 李强".'),
  /** Role, which decides what the user may do. */
  role: Role,
  stationId: Id.nullable().describe("Home station of station-scoped roles (operator, patrol, head); null otherwise"),
  regionId: Id.nullable().describe("Region overseen (supervisor); null otherwise"),
  active: z.boolean().describe("False when the account is switched off: it cannot sign in and its sessions are ended"),
  version: z
    .number()
    .int()
    .positive()
    .describe("Optimistic-lock version: every change bumps it (a password reset too); changes must send it"),
  createdAt: z.string().describe("ISO time the account was created"),
});
export type User = z.infer<typeof User>;

/** Account name: lower-case letters, digits, ".", "_" and "-", 2–32 characters. */
export const Username = z
  .string()
  .trim()
  .toLowerCase()
  .min(2)
  .max(32)
  .regex(/^[a-z0-9][a-z0-9._-]*$/, "lower-case letters, digits, '.', '_' and '-', starting with a letter or digit")
  .describe("Account name (lower-case letters, digits, . _ -)");

/** A new password. */
export const NewPassword = z
  .string()
  .min(PASSWORD_MIN_LENGTH)
  .max(256)
  .describe(`Password, at least ${PASSWORD_MIN_LENGTH} characters`);

/**
 * What a role needs for its scope (see server/auth session-user): station-scoped roles one station,
 * supervisors one region, admins neither. Returns the field at fault and why, or null when fine.
 * Used by the create schema below and by the server on a change (where the result of old + new counts).
 */
export function roleScopeProblem(
  role: Role,
  stationId: string | null | undefined,
  regionId: string | null | undefined,
): { field: "stationId" | "regionId"; message: string } | null {
  const scoped = STATION_SCOPED_ROLES.includes(role);
  if (scoped && !stationId) return { field: "stationId", message: `a ${role} needs a station` };
  if (!scoped && stationId) return { field: "stationId", message: `a ${role} has no home station` };
  if (role === "supervisor" && !regionId) return { field: "regionId", message: "a supervisor needs a region" };
  if (role !== "supervisor" && regionId) return { field: "regionId", message: `a ${role} has no region` };
  return null;
}

/** Fields of a new account before the role/scope rule is applied. */
const UserCreateFields = z.object({
  id: Id.optional().describe("Client-generated id; a retry with the same id returns the first result"),
  /** Account name, unique. */
  username: Username,
  displayName: z.string().trim().min(1).max(60).describe("Name shown in the UI"),
  /** Role. */
  role: Role,
  stationId: Id.nullable().optional().describe("Home station, for operator, patrol and head"),
  regionId: Id.nullable().optional().describe("Region overseen (supervisor)"),
  /** First password; the admin hands it over and the user should change it. */
  password: NewPassword,
});

/** Creating a user (admin): station or region as the role needs. */
export const UserCreate = UserCreateFields.superRefine((v, ctx) => {
  const p = roleScopeProblem(v.role, v.stationId, v.regionId);
  if (p) ctx.addIssue({ code: "custom", path: [p.field], message: p.message });
});
export type UserCreate = z.infer<typeof UserCreate>;

/**
 * Changing a user (admin); only the fields sent change, and the result must still fit the role
 * (send stationId: null when making an operator a supervisor). A change of role, scope or active
 * ends the user's sessions, so the next request runs with what they may now do.
 * `version` is the one the admin loaded; a stale one is refused (409 VERSION_CONFLICT).
 */
export const UserUpdate = z.object({
  version: z.number().int().positive().describe("Version last seen"),
  /** Name shown in the UI. */
  displayName: UserCreateFields.shape.displayName.optional(),
  /** Role. */
  role: Role.optional(),
  stationId: Id.nullable().optional().describe("Home station (null to clear)"),
  regionId: Id.nullable().optional().describe("Region overseen (null to clear)"),
  active: z
    .boolean()
    .optional()
    .describe("False switches the account off (it cannot sign in); true switches it back on"),
});
export type UserUpdate = z.infer<typeof UserUpdate>;

/** Setting a new password (admin); every session of the user ends. */
export const PasswordReset = z.object({
  /** The new password. */
  password: NewPassword,
});
export type PasswordReset = z.infer<typeof PasswordReset>;

/** User list filters (paged on the server: a city may have thousands of accounts). */
const UserListQuery = z.object({
  q: z.string().trim().max(60).optional().describe("Search in account and display names"),
  role: Role.optional().describe("Only this role"),
  stationId: Id.optional().describe("Only users of this station"),
  limit: z.coerce.number().int().min(1).max(200).default(50).describe("Max rows (1..200)."),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0).describe("Rows to skip"),
});

/** User endpoints (admin only). */
export const usersApi = {
  list: endpoint({
    method: "GET",
    path: "/api/users",
    tag: "users",
    access: ["admin"],
    query: UserListQuery,
    summary: "Users, paged and searchable",
    response: z.object({ items: z.array(User), total: z.number().int().describe("Rows matching") }),
  }),
  get: endpoint({
    method: "GET",
    path: "/api/users/:id",
    tag: "users",
    access: ["admin"],
    params: IdParams,
    summary: "One user",
    response: User,
  }),
  create: endpoint({
    method: "POST",
    path: "/api/users",
    tag: "users",
    access: ["admin"],
    status: 201,
    summary: "Create a user (idempotent by id)",
    body: UserCreate,
    response: User,
  }),
  update: endpoint({
    method: "PATCH",
    path: "/api/users/:id",
    tag: "users",
    access: ["admin"],
    params: IdParams,
    summary: "Change a user's name, role, scope or active flag",
    body: UserUpdate,
    response: User,
  }),
  resetPassword: endpoint({
    method: "POST",
    path: "/api/users/:id/password",
    tag: "users",
    access: ["admin"],
    params: IdParams,
    summary: "Set a new password; the user's sessions end",
    body: PasswordReset,
    response: User,
  }),
};
