import { pgTable, uuid, text, doublePrecision, index } from "drizzle-orm/pg-core";
import { stations } from "./stations.js";

/**
 * The gazetteer (地名库): streets and landmarks of a station's area, imported from a spreadsheet so
 * the duty room can find a place by name when the map has no tiles. `search` is computed on write
 * (shared/place-search.ts): normalized name, full pinyin and pinyin initials, so lookups need no
 * pinyin work per row.
 */
export const places = pgTable(
  "places",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    stationId: uuid("station_id")
      .notNull()
      .references(() => stations.id),
    name: text("name").notNull(),
    kind: text("kind").notNull(),
    lat: doublePrecision("lat").notNull(),
    lng: doublePrecision("lng").notNull(),
    search: text("search").notNull(),
  },
  (t) => [index("places_station_idx").on(t.stationId)],
);
