import type { Role } from "./roles.js";

/**
 * The one identity rule. Identity of a person met is their name, ID number, hometown and the free
 * notes written about them (notes hold relatives' names, dialect, places: DOMAIN.md). Crews record
 * it and need it on the next visit; station heads run the people registry. Operators dispatch by
 * place and condition, admins run accounts and configuration, supervisors read totals: none of
 * them needs who the person is (least privilege). Every presenter, event audience and export asks
 * this module, so there is exactly one place to change the rule.
 *
 * Station scope is applied on top by the server (a head of another station sees no identity).
 */
const IDENTITY_ROLES: readonly Role[] = ["patrol", "head"];

/** True when `role` may see identity at all (within its station scope). */
export function roleSeesIdentity(role: Role): boolean {
  return IDENTITY_ROLES.includes(role);
}

/** A label that identifies a person's record without personal data. */
export const maskedLabel = (id: string): string => `#${id.slice(0, 6)}`;

/**
 * Roles that may see a caller's name and phone on cases (they call back); patrols and supervisors
 * may not. A separate rule from identity: callers are not the people met.
 */
const CALLER_DETAIL_ROLES: readonly Role[] = ["operator", "head", "admin"];

/** True when `role` may see caller name and phone. */
export function roleSeesCallerDetail(role: Role): boolean {
  return CALLER_DETAIL_ROLES.includes(role);
}
