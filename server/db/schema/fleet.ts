import { pgTable, uuid, text, integer, doublePrecision, timestamp, index } from "drizzle-orm/pg-core";
import { stations } from "./stations.js";

/** Patrol vehicles. Status follows the machine in shared/; `version` guards concurrent dispatch. */
export const vehicles = pgTable(
  "vehicles",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    stationId: uuid("station_id")
      .notNull()
      .references(() => stations.id),
    callSign: text("call_sign").notNull().unique(),
    plate: text("plate").notNull(),
    seats: integer("seats").notNull().default(5),
    status: text("status").notNull().default("off_duty"),
    version: integer("version").notNull().default(1),
    lastLat: doublePrecision("last_lat"),
    lastLng: doublePrecision("last_lng"),
    lastPositionAt: timestamp("last_position_at", { withTimezone: true }),
    /** When a vehicle.position event was last recorded: a conditional update on it throttles broadcasts cluster-wide. */
    positionBroadcastAt: timestamp("position_broadcast_at", { withTimezone: true }),
  },
  (t) => [
    index("vehicles_station_status_idx").on(t.stationId, t.status),
    // Nearest-vehicle prefilter: a bounding box is a range on last_lat within a status, with
    // last_lng checked from the index (server/vehicles/vehicles.repo.ts nearestVehicles).
    index("vehicles_status_position_idx").on(t.status, t.lastLat, t.lastLng),
  ],
);
