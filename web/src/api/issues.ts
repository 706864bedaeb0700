import type { ValidationIssue } from "../../../shared/errors.js";
import { ApiError } from "./http.js";

/**
 * Maps validation problems onto form fields. The server names fields as "body.code",
 * "query.limit" ...; a form only knows "code". Nested paths keep their tail ("body.geo.lat" ->
 * "geo.lat"). When a 4xx has no issues but its message starts with a field path (e.g. a
 * CONFLICT "body.code: a station with code X already exists"), that field gets the message.
 */
export function fieldErrors(err: unknown, where: "body" | "query" | "params" = "body"): Record<string, string> {
  if (!(err instanceof ApiError)) return {};
  const issues: ValidationIssue[] = err.issues.length ? err.issues : fromMessage(err.message);
  return issuesToFields(issues, where);
}

/** Same mapping for issues produced in the browser (zod paths joined with "."). */
export function issuesToFields(issues: readonly ValidationIssue[], where: string): Record<string, string> {
  const out: Record<string, string> = {};
  const prefix = `${where}.`;
  for (const i of issues) {
    if (!i.path.startsWith(prefix)) continue;
    const field = i.path.slice(prefix.length);
    // First problem per field wins: it is the one the user should fix first.
    if (field && !(field in out)) out[field] = i.message;
  }
  return out;
}

function fromMessage(message: string): ValidationIssue[] {
  const m = /^((?:body|query|params)\.[\w.]+): (.+)$/.exec(message);
  return m ? [{ path: m[1]!, message: m[2]! }] : [];
}
