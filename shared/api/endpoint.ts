import type { z } from "zod";
import type { Role } from "../roles.js";

/** HTTP methods used by the API. */
export type Method = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

/**
 * One endpoint of the HTTP API, declared once: the server validates and documents it from this,
 * and the browser client calls it through it, so path, input and output types cannot drift.
 */
export interface Endpoint {
  /** HTTP method. */
  method: Method;
  /** Path in Hono style, e.g. "/api/sightings/:id". */
  path: string;
  /** One line for the OpenAPI document. */
  summary: string;
  /** OpenAPI tag (the domain noun). */
  tag: string;
  /** Who may call it; documentation only, services enforce. "public" needs no session. */
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
  body: InferOr<E["body"], undefined>;
}

/** What a browser caller passes. */
export type EndpointArgs<E extends Endpoint> = (E["params"] extends z.ZodType
  ? { params: InputOr<E["params"], never> }
  : { params?: undefined }) &
  (E["query"] extends z.ZodType ? { query?: InputOr<E["query"], never> } : { query?: undefined }) &
  (E["body"] extends z.ZodType ? { body: InputOr<E["body"], never> } : { body?: undefined });

/** What a handler returns and a caller receives. */
export type EndpointOutput<E extends Endpoint> = z.infer<E["response"]>;

/** Fills ":name" segments of a path. */
export function fillPath(path: string, params: Record<string, unknown> | undefined): string {
  if (!params) return path;
  return path.replace(/:([A-Za-z_]+)/g, (_, k: string) => encodeURIComponent(String(params[k])));
}
