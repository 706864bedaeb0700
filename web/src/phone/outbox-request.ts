import type { z } from "zod";
import type { Endpoint, EndpointArgs, Method } from "../../../shared/api/endpoint.js";
import { fillPath } from "../../../shared/api/endpoint.js";
import type { EndpointRef } from "../api/http.js";

/**
 * What the outbox stores for one write, and the only way to build it: from a declared endpoint
 * (shared/api) and that endpoint's typed arguments. The stored request keeps the method, the
 * resolved path and the body, so a page reload with requests still queued replays them exactly,
 * even after an update changed the declarations. Zod is imported for types only: the phone
 * bundle stays without it.
 */

/** Methods the outbox sends (every write; reads never wait in a queue). */
export type WriteMethod = Exclude<Method, "GET">;

/** One queued write as stored in IndexedDB. */
export interface OutboxEntry {
  /** Order of queuing (IndexedDB key). */
  seq?: number;
  /** What the crew sees, already translated when queued. */
  label: string;
  method: WriteMethod;
  /** The endpoint's path with its parameters filled in. */
  path: string;
  body: unknown;
  /** When it was queued; absent on entries of early versions. */
  queuedAt?: string;
  /**
   * Not sent before this time: the crew's undo window for a task step. The entry is already safe
   * in IndexedDB (a killed tab loses nothing); undo deletes it before it was ever sent.
   */
  holdUntil?: string;
  /**
   * Sent before everything else queued (the panic action): at the head of the queue, and beside a
   * send already under way rather than behind it.
   */
  urgent?: boolean;
}

/** An endpoint the outbox can queue: a write with a JSON body and no query string. */
export type QueueableEndpoint = Endpoint & { method: WriteMethod; body: z.ZodType; query?: undefined };

/** A declared endpoint or a runtime-light handle on one (the phone uses handles: no zod). */
// `response?: never` keeps full endpoints out of the handle branch, so a GET endpoint cannot slip
// in there with E widened to the constraint (the same guard as `call` in ../api/http.ts).
export type QueueTarget<E extends QueueableEndpoint> = E | (EndpointRef<E> & { response?: never });

/** The endpoint's params and body, typed by its declaration. */
export type QueueArgs<E extends QueueableEndpoint> = Pick<EndpointArgs<E>, "params" | "body">;

/** The stored request for `ep` called with `args` (not yet numbered). */
export function outboxRequest<E extends QueueableEndpoint>(
  ep: QueueTarget<E>,
  args: QueueArgs<E>,
  label: string,
  queuedAt = new Date().toISOString(),
): OutboxEntry {
  const { params, body } = args as { params?: Record<string, unknown>; body: unknown };
  // The handle's method is the declared one (ref() checks it), a write by QueueableEndpoint.
  return { label, method: ep.method as WriteMethod, path: fillPath(ep.path, params), body, queuedAt };
}

/**
 * An entry as read back from IndexedDB. Entries queued by earlier versions of the page may lack
 * the method (all writes were POST then); they replay as they were.
 */
export function storedEntry(raw: Omit<OutboxEntry, "method"> & Partial<OutboxEntry>): OutboxEntry {
  return { method: "POST", ...raw };
}

/**
 * Whether `path` is the declared `pattern` with its parameters filled in. Declared paths are plain
 * segments (letters, digits, "-", "_"), and fillPath encodes parameters, so no "/" inside one.
 */
function fills(pattern: string, path: string): boolean {
  return new RegExp(`^${pattern.replace(/:\w+/g, "[^/]+")}$`).test(path);
}

/** Whether `entry` is a request to `ep`; its body is then typed by the endpoint (as sent, before defaults). */
export function isRequestTo<E extends QueueableEndpoint>(
  ep: QueueTarget<E>,
  entry: OutboxEntry,
): entry is OutboxEntry & { body: z.input<E["body"]> } {
  return entry.method === ep.method && fills(ep.path, entry.path);
}
