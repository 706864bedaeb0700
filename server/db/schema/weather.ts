import {
  pgTable,
  uuid,
  text,
  date,
  integer,
  doublePrecision,
  jsonb,
  timestamp,
  index,
  uniqueIndex,
} from "drizzle-orm/pg-core";
import { regions, stations } from "./stations.js";
import { users } from "./users.js";
import { partners } from "./partners.js";

/**
 * One night's weather for a region (a district, or a city as a whole): a forecast or an observation,
 * entered by hand, uploaded from a CSV or pushed by a partner system. One row per (region, night,
 * source): the same source saying it again changes nothing, a revised forecast replaces its values
 * (version + 1). `source_key` is `manual`, `upload` or `partner:<partner id>`.
 */
export const weatherReadings = pgTable(
  "weather_readings",
  {
    id: uuid("id").primaryKey(),
    regionId: uuid("region_id")
      .notNull()
      .references(() => regions.id),
    night: date("night").notNull(),
    /** manual | upload | partner */
    source: text("source").notNull(),
    partnerId: uuid("partner_id").references(() => partners.id),
    sourceKey: text("source_key").notNull(),
    minTempC: doublePrecision("min_temp_c").notNull(),
    windForce: integer("wind_force").notNull(),
    feelsLikeC: doublePrecision("feels_like_c"),
    /** blue | yellow | orange | red: a cold-wave signal the meteorological office issued. */
    officialSignal: text("official_signal"),
    recordedBy: uuid("recorded_by").references(() => users.id),
    recordedAt: timestamp("recorded_at", { withTimezone: true }).notNull().defaultNow(),
    version: integer("version").notNull().default(1),
  },
  (t) => [
    uniqueIndex("weather_readings_key_idx").on(t.regionId, t.night, t.sourceKey),
    index("weather_readings_night_idx").on(t.night),
  ],
);

/** A city's cold rule (shared/cold-level.ts ColdRule), edited by admins; a city without a row uses the default. */
export const coldRules = pgTable("cold_rules", {
  regionId: uuid("region_id")
    .primaryKey()
    .references(() => regions.id),
  rule: jsonb("rule").$type<Record<string, unknown>>().notNull(),
  version: integer("version").notNull().default(1),
  updatedBy: uuid("updated_by").references(() => users.id),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});

/**
 * What the rule proposed for a station's night, appended whenever the proposal changes (append-only:
 * the latest row per station and night is the one in force). Confirming one sets the alert level
 * with the proposal's id as the change's id (campaign_alerts), so a confirmation is found by id and
 * a repeated confirm changes nothing.
 */
export const weatherProposals = pgTable(
  "weather_proposals",
  {
    id: uuid("id").primaryKey(),
    stationId: uuid("station_id")
      .notNull()
      .references(() => stations.id),
    night: date("night").notNull(),
    /** The region whose reading it is based on. */
    regionId: uuid("region_id")
      .notNull()
      .references(() => regions.id),
    /** Proposed level, null when the rule raises none. */
    level: text("level"),
    reasons: jsonb("reasons").$type<Record<string, unknown>[]>().notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("weather_proposals_station_idx").on(t.stationId, t.night, t.createdAt)],
);
