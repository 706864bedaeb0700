import { pgTable, uuid, text, doublePrecision, boolean, index, integer } from "drizzle-orm/pg-core";
import { stations } from "./stations.js";

/** Known places where rough sleepers gather (重点点位). */
export const keyPoints = pgTable(
  "key_points",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    stationId: uuid("station_id")
      .notNull()
      .references(() => stations.id),
    name: text("name").notNull(),
    kind: text("kind").notNull(),
    lat: doublePrecision("lat").notNull(),
    lng: doublePrecision("lng").notNull(),
    address: text("address").notNull().default(""),
    notes: text("notes").notNull().default(""),
    active: boolean("active").notNull().default(true),
    /** Optimistic-lock version: every change bumps it; an edit naming an older one is refused (409). */
    version: integer("version").notNull().default(1),
  },
  (t) => [index("key_points_station_idx").on(t.stationId)],
);
