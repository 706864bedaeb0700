import { z } from "zod";

import type { EventPayloads, EventType } from "./events/contract.js";

export type { EventType } from "./events/contract.js";

/**
 * A committed domain event as it leaves the server (over Socket.IO, and in replay), without its
 * payload's shape: the envelope every event shares. The payload of each type is declared in
 * shared/events/contract.ts.
 */
export const DomainEventEnvelope = z.object({
  /** Monotonic id from the events table; commit order equals id order. */
  id: z.number().int().positive().describe("Monotonic event id; commit order equals id order"),
  /** Dotted event type, noun first: "case.created", "vehicle.status_changed". */
  type: z.string().describe("Event type, noun.verb"),
  /** Station the event belongs to; null for city-wide events. */
  stationId: z.string().uuid().nullable().describe("Station scope of the event, null if global"),
  /** User who caused it; null for system events. */
  actorId: z.string().uuid().nullable().describe("User who caused the event"),
  /** ISO time of commit. */
  at: z.string().describe("ISO timestamp of the event"),
  /** Event-specific data, already presented for the receiver's role. */
  payload: z.record(z.string(), z.unknown()).describe("Event data, presented for the receiver's role"),
});

/** What every event carries besides its type and payload. */
interface EventMeta {
  id: number;
  stationId: string | null;
  actorId: string | null;
  at: string;
}

/** One event of type `T`, as received. */
export type EventOf<T extends EventType> = EventMeta & { type: T; payload: EventPayloads[T] };

/**
 * A committed domain event, discriminated by `type`: handlers narrow on `e.type` and get the
 * payload's declared type (already redacted for the receiver's role, which keeps the same type).
 */
export type DomainEvent = { [K in EventType]: EventOf<K> }[EventType];

/** What the client sends in the Socket.IO handshake `auth`. */
export const SocketHandshake = z.object({
  /** Last event id the client has applied; omitted or null means "only new events". */
  lastEventId: z
    .number()
    .int()
    .nonnegative()
    .nullable()
    .optional()
    .describe("Last event id the client applied; events after it are replayed"),
});
export type SocketHandshake = z.infer<typeof SocketHandshake>;

/** Sent when replay after (re)connect is complete; live events follow. */
export interface ReplayDone {
  /** Highest event id the server has sent to this socket so far (replayed or not). */
  lastEventId: number;
  /** Number of events replayed. */
  replayed: number;
}

/** Sent instead of a replay when the client is too far behind: it must reload state over HTTP. */
export interface ResyncRequired {
  /** Id to continue from after reloading state. */
  lastEventId: number;
}

/** Events the server emits; typed once here and used by server and browser. */
export interface ServerToClientEvents {
  event: (e: DomainEvent) => void;
  "replay:done": (info: ReplayDone) => void;
  resync: (info: ResyncRequired) => void;
}

/** Events the client emits. Writes go over HTTP (idempotent, versioned); the socket is for reading. */
export interface ClientToServerEvents {
  ping: (ack: (serverTime: string) => void) => void;
}
