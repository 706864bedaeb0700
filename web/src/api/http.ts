import type { Endpoint, EndpointArgs, EndpointOutput } from "../../../shared/api/endpoint.js";
import { fillPath, withQuery } from "../../../shared/api/endpoint.js";
// Types only: shared/errors.ts builds zod schemas at module load, which would drag zod into
// the phone bundle.
import type { ErrorCode, ValidationIssue } from "../../../shared/errors.js";

/**
 * The HTTP core of the typed API client. It imports only types and tiny helpers from shared/,
 * never the zod schemas, so the phone page can call endpoints without shipping zod:
 * see `ref()` below. The desktop app imports client.ts, which adds the full `api` object.
 */

/** What a call needs at runtime: the method and the path. Everything else is types. */
type Route = Pick<Endpoint, "method" | "path">;

/**
 * A runtime-light handle on a declared endpoint: method and path only, with the endpoint's
 * types carried as a phantom. Created by `ref<typeof authApi.login>({...})`; because shared
 * declares endpoints with literal types, a wrong method or path is a compile error.
 */
export interface EndpointRef<E extends Endpoint> extends Route {
  readonly __endpoint?: E;
}

/** Builds an {@link EndpointRef}; the object literal is checked against the declaration. */
export function ref<E extends Endpoint>(route: Pick<E, "method" | "path">): EndpointRef<E> {
  return route;
}

/** Arguments are optional when the endpoint has no required params, query or body. */
type ArgsTuple<E extends Endpoint> =
  {} extends EndpointArgs<E>
    ? [args?: EndpointArgs<E> & { signal?: AbortSignal }]
    : [args: EndpointArgs<E> & { signal?: AbortSignal }];

/** A failed call: the server's error body, or a network failure (status 0, code "NETWORK"). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode | "NETWORK",
    message: string,
    readonly issues: ValidationIssue[] = [],
  ) {
    super(message);
    this.name = "ApiError";
  }
}

type UnauthenticatedListener = (err: ApiError) => void;
const unauthListeners = new Set<UnauthenticatedListener>();

/**
 * Called when any call (except the session probe itself) gets 401: the session expired or was
 * ended elsewhere, and the app should go back to its login screen instead of showing errors.
 */
export function onUnauthenticated(listener: UnauthenticatedListener): () => void {
  unauthListeners.add(listener);
  return () => unauthListeners.delete(listener);
}

/** Turns a non-2xx response into an ApiError, tolerating bodies that are not ours (proxies). */
async function toError(res: Response): Promise<ApiError> {
  let body: unknown;
  try {
    body = await res.json();
  } catch {
    body = undefined;
  }
  const e = (body as { error?: { code?: unknown; message?: unknown; issues?: unknown } } | undefined)?.error;
  // The code is trusted as typed, like the rest of the response; a code this build does not know
  // yet (the server is newer) still reaches the UI, which falls back to a generic text.
  const code = typeof e?.code === "string" && e.code ? (e.code as ErrorCode) : fallbackCode(res.status);
  const message = typeof e?.message === "string" ? e.message : `HTTP ${res.status}`;
  const issues = Array.isArray(e?.issues) ? (e.issues as ValidationIssue[]) : [];
  return new ApiError(res.status, code, message, issues);
}

function fallbackCode(status: number): ErrorCode {
  if (status === 401) return "UNAUTHENTICATED";
  if (status === 403) return "FORBIDDEN";
  if (status === 404) return "NOT_FOUND";
  if (status === 413) return "PAYLOAD_TOO_LARGE";
  if (status === 429) return "RATE_LIMITED";
  if (status >= 400 && status < 500) return "VALIDATION_FAILED";
  return "INTERNAL";
}

/**
 * Calls one declared endpoint. Input and output types come from the endpoint's zod schemas;
 * the response is trusted as typed (the server already strips it to the response schema).
 */
export function call<E extends Endpoint>(ep: E, ...args: ArgsTuple<E>): Promise<EndpointOutput<E>>;
// `response?: never` keeps full endpoints out of this overload, so they cannot dodge the
// argument checks of the first one by inferring E as the bare Endpoint constraint.
export function call<E extends Endpoint>(
  ep: EndpointRef<E> & { response?: never },
  ...args: ArgsTuple<E>
): Promise<EndpointOutput<E>>;
export function call(
  ep: Route,
  args?: { params?: Record<string, unknown>; query?: Record<string, unknown>; body?: unknown; signal?: AbortSignal },
): Promise<unknown> {
  const url = withQuery(fillPath(ep.path, args?.params), args?.query);
  if (ep.method !== "GET" || args?.signal) return send(ep.method, url, args?.body, args?.signal);
  return sharedGet(url);
}

/**
 * GETs in flight, by URL. Panels of one page often want the same resource at the same moment (the
 * station comparison and the overview both read the campaign totals and what is due): one request
 * answers all of them, so each resource crosses the wire once per load. Only requests already in
 * flight are shared, never kept answers, and a domain event heard ends the sharing (see
 * forgetInFlightReads), so a read started after a change never gets an answer from before it. Callers
 * must not mutate what they get (they share it); calls with an abort signal are not shared.
 *
 * Why due-now crossed the wire twice: the station page's comparison board and its due panel each read
 * /api/due-now (for a supervisor both without a station), each on its own.
 */
const inFlight = new Map<string, Promise<unknown>>();
function sharedGet(url: string): Promise<unknown> {
  const pending = inFlight.get(url);
  if (pending) return pending;
  const p = send("GET", url).finally(() => inFlight.delete(url));
  inFlight.set(url, p);
  return p;
}

/** Called on each live event: reads from now on start afresh instead of joining older ones. */
export function forgetInFlightReads(): void {
  inFlight.clear();
}

/**
 * Sends one request to a resolved URL and returns the JSON answer (undefined when empty). A non-2xx
 * answer throws its ApiError; a lost connection throws status 0 "NETWORK"; an abort is rethrown.
 * The phone's outbox sends its stored requests through this, so every caller sees the same errors.
 */
export async function send(
  method: Route["method"],
  url: string,
  body?: unknown,
  signal?: AbortSignal,
): Promise<unknown> {
  const hasBody = body !== undefined;
  let res: Response;
  try {
    res = await fetch(url, {
      method,
      credentials: "same-origin",
      headers: hasBody
        ? { "Content-Type": "application/json", Accept: "application/json" }
        : { Accept: "application/json" },
      body: hasBody ? JSON.stringify(body) : undefined,
      signal,
    });
  } catch (err) {
    // Aborts are the caller's intent, not a failure to report.
    if (err instanceof DOMException && err.name === "AbortError") throw err;
    throw new ApiError(0, "NETWORK", err instanceof Error ? err.message : "Network error");
  }
  if (!res.ok) {
    const error = await toError(res);
    // The session probe (GET /api/auth/me) answering 401 is the normal "signed out" answer,
    // and a wrong password is INVALID_CREDENTIALS, not a lost session.
    if (error.code === "UNAUTHENTICATED" && url !== "/api/auth/me") for (const l of unauthListeners) l(error);
    throw error;
  }
  if (res.status === 204) return undefined;
  const text = await res.text();
  return text ? JSON.parse(text) : undefined;
}
