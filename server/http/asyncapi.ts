import { z } from "zod";
import { EVENT_CONTRACT } from "../../shared/events/contract.js";
import { DomainEventEnvelope, SocketHandshake } from "../../shared/events.js";
import { ROLES } from "../../shared/roles.js";

type JsonSchema = Record<string, unknown>;

function toSchema(schema: z.ZodType): JsonSchema {
  const s = z.toJSONSchema(schema, { io: "output", unrepresentable: "any", target: "draft-2020-12" }) as JsonSchema;
  delete s.$schema;
  return s;
}

/** Message name of an event type ("case.created" → "case_created"). */
const messageName = (type: string): string => type.replace(/[^A-Za-z0-9_]/g, "_");

/** Which roles receive an event type (in full or redacted), from its audience rule. */
function receivers(type: keyof typeof EVENT_CONTRACT): string[] {
  const audience = EVENT_CONTRACT[type].audience as Record<string, unknown>;
  return ROLES.filter((r) => audience[r] !== "none").map((r) => (audience[r] === "full" ? r : `${r} (redacted)`));
}

/**
 * The AsyncAPI 3.0 document of the Socket.IO stream, generated from the event contract: one message
 * per declared event type, its payload the envelope with `type` fixed and `payload` the type's schema
 * (shared/events/payloads.ts), and who receives it from its audience rule.
 */
export function buildAsyncApi(version: string) {
  const envelope = toSchema(DomainEventEnvelope) as { properties: Record<string, unknown>; required?: string[] };
  const messages: Record<string, unknown> = {};
  for (const type of Object.keys(EVENT_CONTRACT) as (keyof typeof EVENT_CONTRACT)[]) {
    messages[messageName(type)] = {
      name: "event",
      title: type,
      summary: `Received by: ${receivers(type).join(", ") || "no one"}`,
      payload: {
        ...envelope,
        properties: { ...envelope.properties, type: { const: type }, payload: toSchema(EVENT_CONTRACT[type].payload) },
      },
    };
  }
  const replayDone = {
    name: "replay:done",
    payload: {
      type: "object",
      required: ["lastEventId", "replayed"],
      properties: { lastEventId: { type: "integer" }, replayed: { type: "integer" } },
    },
  };
  const resync = {
    name: "resync",
    payload: { type: "object", required: ["lastEventId"], properties: { lastEventId: { type: "integer" } } },
  };
  const eventRefs = Object.keys(messages).map((m) => ({ $ref: `#/channels/events/messages/${m}` }));
  return {
    asyncapi: "3.0.0",
    info: {
      title: "Warmline live events (Socket.IO)",
      version,
      description:
        "Committed domain events, pushed after commit over Socket.IO (socket event name `event`) to the rooms " +
        "of the receiver's station, region and role, each payload presented for the receiver's role. On " +
        "(re)connect send `auth.lastEventId`; missed events are replayed, then `replay:done` follows, or " +
        "`resync` when the client is too far behind and must reload over HTTP.",
    },
    servers: {
      socketio: {
        host: "localhost",
        pathname: "/socket.io",
        protocol: "ws",
        description: "Socket.IO on the same origin as the HTTP API; the session cookie signs the socket in",
        security: [{ $ref: "#/components/securitySchemes/session" }],
      },
    },
    channels: {
      events: {
        address: "/",
        description: "The default Socket.IO namespace",
        messages: { ...messages, replay_done: replayDone, resync },
        bindings: { ws: { query: toSchema(SocketHandshake) } },
      },
    },
    operations: {
      receiveEvents: {
        action: "receive",
        channel: { $ref: "#/channels/events" },
        summary: "Domain events (socket event `event`), by type",
        messages: eventRefs,
      },
      receiveReplayDone: {
        action: "receive",
        channel: { $ref: "#/channels/events" },
        messages: [{ $ref: "#/channels/events/messages/replay_done" }],
      },
      receiveResync: {
        action: "receive",
        channel: { $ref: "#/channels/events" },
        messages: [{ $ref: "#/channels/events/messages/resync" }],
      },
    },
    components: {
      securitySchemes: { session: { type: "httpApiKey", in: "cookie", name: "wl_session" } },
    },
  };
}
