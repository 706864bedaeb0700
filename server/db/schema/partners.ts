import { pgTable, uuid, text, boolean, timestamp } from "drizzle-orm/pg-core";
import { stations } from "./stations.js";

/**
 * Partner systems that file reports through Open311 GeoReport v2 (e.g. the city hotline 12345's
 * system). Only a SHA-256 of the api_key is stored: keys are long random strings, so a fast hash is
 * enough and a stolen table does not give working keys.
 */
export const partners = pgTable("partners", {
  id: uuid("id").primaryKey().defaultRandom(),
  name: text("name").notNull(),
  /** hex SHA-256 of the api_key */
  apiKeyHash: text("api_key_hash").notNull().unique(),
  /** Station its reports go to; null: the station nearest to the reported place. */
  stationId: uuid("station_id").references(() => stations.id),
  active: boolean("active").notNull().default(true),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
});
