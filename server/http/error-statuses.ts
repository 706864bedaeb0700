import type { Endpoint, ErrorStatus } from "../../shared/api/endpoint.js";

const WRITES = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/** Why each error status may come back, for the OpenAPI document. */
export const ERROR_DESCRIPTIONS: Record<ErrorStatus, string> = {
  400: "Invalid input; the message names the field",
  401: "No session",
  403: "Role or station not allowed, a cross-origin write, or (Open311) no valid partner api_key",
  404: "A record the path or body names does not exist or is not visible (Open311: unknown service_code or format)",
  409: "Conflict: the same id with other content, a stale version, a step the status machine does not allow or too little stock",
  413: "Body larger than the limit",
  415: "Body in a media type the endpoint does not take",
  429: "Too many attempts; Retry-After says when to try again",
  503: "Database unavailable or out of connections; Retry-After says when to try again",
};

/**
 * The error statuses an endpoint can answer, derived from its declaration: its access (401/403), its
 * path parameters and the records its input names (404), a write's body (400/409/413/415; same-origin
 * check 403), a partner key (403), plus what its rules declare in `alsoErrors` (e.g. 429 on sign-in).
 * Every endpoint may answer 503 while the database is unavailable.
 */
export function errorStatuses(ep: Endpoint): ErrorStatus[] {
  const s = new Set<ErrorStatus>([503]);
  const hasInput = !!(ep.params || ep.query || ep.body);
  if (hasInput) s.add(400);
  if (ep.access !== "public") [401, 403].forEach((x) => s.add(x as ErrorStatus));
  if (ep.partnerKey) s.add(403);
  if (ep.params || (ep.body && ep.access !== "public") || ep.errors === "open311") s.add(404);
  if (WRITES.has(ep.method)) {
    s.add(403); // cross-origin writes are refused before any endpoint runs
    if (ep.body) [400, 413, 415].forEach((x) => s.add(x as ErrorStatus));
    if (ep.body && ep.errors !== "open311") s.add(409);
  }
  for (const x of ep.alsoErrors ?? []) s.add(x);
  return [...s].sort((a, b) => a - b);
}
