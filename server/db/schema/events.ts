import { pgTable, bigserial, text, uuid, jsonb, timestamp, index } from "drizzle-orm/pg-core";

/**
 * Append-only log of every state change, written in the same transaction as the change.
 * Ids come from a sequence and may commit out of order; the realtime pump only ever delivers the
 * gap-free prefix, so "everything after id N" up to its watermark is a complete answer for replay.
 */
export const events = pgTable(
  "events",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    type: text("type").notNull(),
    stationId: uuid("station_id"),
    actorId: uuid("actor_id"),
    payload: jsonb("payload").$type<Record<string, unknown>>().notNull(),
    at: timestamp("at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("events_station_idx").on(t.stationId, t.id), index("events_type_idx").on(t.type, t.id)],
);
