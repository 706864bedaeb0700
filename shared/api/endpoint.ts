import type { z } from "zod";
import type { Role } from "../roles.js";

/** HTTP methods used by the API. */
export type Method = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

/** Media types a file endpoint may send instead of JSON. */
export const FILE_TYPES = {
  csv: "text/csv",
  xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
} as const;
/** A non-JSON response type (a download). */
export type FileType = (typeof FILE_TYPES)[keyof typeof FILE_TYPES];

/**
 * What a file endpoint's handler returns: the file as one piece or as chunks read while it is sent
 * (a long export streams page by page), and the number of data rows when known up front, sent as
 * `X-Total-Rows` before the body so the page can show progress.
 */
export interface FileBody {
  /** Download name, e.g. "patrols-2026-11-15-2026-11-20.csv". */
  filename: string;
  /** The file, or its pieces in order. */
  body: string | Uint8Array | AsyncIterable<string | Uint8Array>;
  /** Data rows the file holds (header rows not counted), when known before sending. */
  totalRows?: number;
}

/**
 * One endpoint of the HTTP API, declared once: the server validates and documents it from this,
 * and the browser client calls it through it, so path, input and output types cannot drift.
 */
export interface Endpoint {
  /** HTTP method. */
  method: Method;
  /** Path in Hono style, e.g. "/api/cases/:id". */
  path: string;
  /** One line for the OpenAPI document. */
  summary: string;
  /** OpenAPI tag (the domain noun). */
  tag: string;
  /**
   * Who may call it, enforced by `mount` (server/http/router.ts) before the handler runs: "public"
   * needs no session, "any" any signed-in user, a role list one of those roles (else 401 / 403).
   * Services still check station scope and finer rules.
   */
  access: "public" | "any" | readonly Role[];
  /** Path parameters. */
  params?: z.ZodType;
  /** Query string. */
  query?: z.ZodType;
  /** JSON body. */
  body?: z.ZodType;
  /** Success response body; unknown keys are stripped, so this is also the whitelist. */
  response: z.ZodType;
  /** Success status, 200 unless said. */
  status?: 200 | 201 | 202 | 204;
  /**
   * A file download instead of JSON: the handler returns a {@link FileBody}, sent with this
   * content type; `response` then documents the body as a string.
   */
  produces?: FileType;
  /**
   * Shape of error bodies: "api" (default) is `{ error: { code, message, issues? } }`; "open311"
   * is GeoReport v2's `[{ code, description }]` with the HTTP status as code.
   */
  errors?: "api" | "open311";
  /** Body encodings accepted; "json" (default), or "json-or-form" (form-encoded unless the type says JSON). */
  bodyEncoding?: "json" | "json-or-form";
  /**
   * The body is decoded but handed to the handler unvalidated, because the service must check
   * something first (e.g. a partner key: 403 before 400). `body` still documents it.
   */
  rawBody?: true;
  /**
   * May run longer than the request deadline (REQUEST_DEADLINE_MS), e.g. a whole spreadsheet
   * written in one transaction; file downloads are exempt anyway.
   */
  slow?: true;
  /**
   * The endpoint also answers XML (Open311): the path ends in `.:format` and these are the element
   * names (`root`, `item` for each array element, `lists` for nested arrays: field → child element).
   */
  xml?: XmlShape;
  /** Needs a partner `api_key` (Open311 POST): the OpenAPI `api_key` security scheme; 403 without it. */
  partnerKey?: true;
  /**
   * Error statuses the handler's rules can answer beyond those the declaration implies (access → 401/403,
   * params → 404, body → 400/413/415, `id`/`version` in the body → 409), e.g. 409 for a state conflict
   * or 429 for the sign-in throttle. The OpenAPI document lists both; test/api checks none is missing.
   */
  alsoErrors?: readonly ErrorStatus[];
}

/** Error statuses the API answers. */
export type ErrorStatus = 400 | 401 | 403 | 404 | 409 | 413 | 415 | 429 | 503;

/** XML element names of an endpoint that also answers XML. */
export interface XmlShape {
  root: string;
  item?: string;
  lists?: Record<string, string>;
}

/** Declares an endpoint, keeping its literal types. */
export function endpoint<const E extends Endpoint>(e: E): E {
  return e;
}

type InferOr<T, D> = T extends z.ZodType ? z.infer<T> : D;
type InputOr<T, D> = T extends z.ZodType ? z.input<T> : D;

/** Validated input a server handler receives. */
export interface EndpointInput<E extends Endpoint> {
  params: InferOr<E["params"], Record<string, never>>;
  query: InferOr<E["query"], Record<string, never>>;
  body: E["rawBody"] extends true ? Record<string, unknown> : InferOr<E["body"], undefined>;
}

/** What a browser caller passes. */
export type EndpointArgs<E extends Endpoint> = (E["params"] extends z.ZodType
  ? { params: InputOr<E["params"], never> }
  : { params?: undefined }) &
  (E["query"] extends z.ZodType ? { query?: InputOr<E["query"], never> } : { query?: undefined }) &
  (E["body"] extends z.ZodType ? { body: InputOr<E["body"], never> } : { body?: undefined });

/** What a handler returns and a caller receives: JSON, or a file for file endpoints. */
export type EndpointOutput<E extends Endpoint> = E["produces"] extends FileType ? FileBody : z.infer<E["response"]>;

/** Fills ":name" segments of a path. */
export function fillPath(path: string, params: Record<string, unknown> | undefined): string {
  if (!params) return path;
  // `requests/:id.:format` — a param name never contains a dot, so the extension stays literal.
  return path.replace(/:([A-Za-z_]+)/g, (_, k: string) => encodeURIComponent(String(params[k])));
}

/** Appends a query string; arrays repeat their key, undefined and null are left out. */
export function withQuery(path: string, query: Record<string, unknown> | undefined): string {
  if (!query) return path;
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined || v === null) continue;
    for (const item of Array.isArray(v) ? v : [v]) qs.append(k, String(item));
  }
  const s = qs.toString();
  return s ? `${path}?${s}` : path;
}
