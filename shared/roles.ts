import { z } from "zod";

/**
 * Roles of the people who use the product (DOMAIN.md "Who uses it").
 * Station-scoped roles see one station; supervisors see a region subtree; admins see everything.
 */
export const ROLES = ["operator", "patrol", "head", "supervisor", "admin"] as const;

/** One of {@link ROLES}. */
export const Role = z.enum(ROLES).describe("Role of a user");
export type Role = z.infer<typeof Role>;

/** Roles whose scope is a single station (they must have a stationId). */
export const STATION_SCOPED_ROLES: readonly Role[] = ["operator", "patrol", "head"];
