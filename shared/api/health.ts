import { z } from "zod";
import { endpoint } from "./endpoint.js";

/** Liveness and which database engine is in use. */
const Health = z.object({
  ok: z.boolean().describe("True when the database answered"),
  db: z.enum(["pglite", "postgres"]).describe("Engine in use: embedded PGlite or PostgreSQL"),
  version: z.string().describe("Product version"),
  /** This node's live feed: the last event id delivered and how long delivery has been held back. */
  liveFeed: z
    .object({
      delivered: z.number().int().nonnegative().describe("Highest event id this node has delivered"),
      waitingMs: z
        .number()
        .int()
        .nonnegative()
        .describe("How long delivery has waited on an open transaction that wrote events; 0 when flowing"),
    })
    .describe("Event delivery of this node"),
  /** The read replica (DATABASE_REPLICA_URL), when one is configured. */
  replica: z
    .object({
      streaming: z.boolean().describe("The replica answers and is a standby"),
      lagMs: z.number().int().nonnegative().nullable().describe("Replay lag in ms (0 when caught up); null when down"),
      lagBytes: z.number().int().nonnegative().nullable().describe("WAL bytes not yet replayed; null when down"),
      reads: z
        .object({
          replica: z.number().int().nonnegative().describe("Lagging reads served by the replica"),
          primary: z
            .number()
            .int()
            .nonnegative()
            .describe("Lagging reads sent to the primary (replica behind or down)"),
        })
        .describe("Reads routed by this node since start"),
    })
    .optional()
    .describe("Read replica status; absent without one"),
});
type Health = z.infer<typeof Health>;

/** Readiness: the database answers and has every migration this build carries. */
const Ready = z.object({
  ready: z.literal(true).describe("Always true in a 200 answer (not ready is 503)"),
  db: z.enum(["pglite", "postgres"]).describe("Database engine"),
  /** Migrations applied and expected. */
  migrations: z
    .object({
      applied: z.number().int().nonnegative().describe("Migrations the database has applied"),
      expected: z.number().int().nonnegative().describe("Migrations this build carries"),
    })
    .describe("Schema migrations"),
});
type Ready = z.infer<typeof Ready>;

/** Health endpoints. */
export const healthApi = {
  health: endpoint({
    method: "GET",
    path: "/api/health",
    tag: "health",
    access: "public",
    summary: "Liveness: the process is up (200 even when the database is down; see /api/ready)",
    response: Health,
  }),
  ready: endpoint({
    method: "GET",
    path: "/api/ready",
    tag: "health",
    access: "public",
    summary:
      "Readiness for a load balancer: 200 when the database answers and is fully migrated; 503 DATABASE_UNAVAILABLE or NOT_READY otherwise",
    response: Ready,
  }),
};
