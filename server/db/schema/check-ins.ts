import {
  pgTable,
  uuid,
  text,
  integer,
  boolean,
  doublePrecision,
  timestamp,
  index,
  uniqueIndex,
} from "drizzle-orm/pg-core";
import { stations } from "./stations.js";
import { users } from "./users.js";
import { campaigns } from "./campaigns.js";
import { vehicles } from "./fleet.js";
import { sorties } from "./operations.js";

/**
 * A campaign's check-in policy (issue 19): on which cold-alert levels every open sortie checks in,
 * and how often. No row: the default of shared/check-ins.ts (orange and red, every 30 minutes).
 */
export const checkInPolicies = pgTable("check_in_policies", {
  campaignId: uuid("campaign_id")
    .primaryKey()
    .references(() => campaigns.id),
  levels: text("levels").array().notNull(),
  intervalMinutes: integer("interval_minutes").notNull(),
  version: integer("version").notNull().default(1),
  updatedBy: uuid("updated_by").references(() => users.id),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});

/**
 * The check-in watch of one sortie: whether it must check in now and by when. The deadline is
 * stored, so a server that was down when it passed still alerts when it comes back. A missed
 * deadline is alerted once: `alerted_due_at` takes the deadline's value in the same conditional
 * update that records the alert, whichever node runs the job.
 */
export const sortieCheckIns = pgTable(
  "sortie_check_ins",
  {
    sortieId: uuid("sortie_id")
      .primaryKey()
      .references(() => sorties.id),
    stationId: uuid("station_id")
      .notNull()
      .references(() => stations.id),
    vehicleId: uuid("vehicle_id")
      .notNull()
      .references(() => vehicles.id),
    /** Whether the level in force requires check-ins now (false: the level dropped, or the sortie ended). */
    required: boolean("required").notNull(),
    level: text("level"),
    intervalMinutes: integer("interval_minutes"),
    lastCheckInAt: timestamp("last_check_in_at", { withTimezone: true }),
    /** The next deadline; null while not required. */
    nextDueAt: timestamp("next_due_at", { withTimezone: true }),
    /** The deadline whose miss was alerted (equal to next_due_at: already alerted). */
    alertedDueAt: timestamp("alerted_due_at", { withTimezone: true }),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("sortie_check_ins_due_idx").on(t.required, t.nextDueAt)],
);

/** One check-in tap (client id, idempotent). */
export const checkIns = pgTable(
  "check_ins",
  {
    id: uuid("id").primaryKey(),
    sortieId: uuid("sortie_id")
      .notNull()
      .references(() => sorties.id),
    stationId: uuid("station_id")
      .notNull()
      .references(() => stations.id),
    at: timestamp("at", { withTimezone: true }).notNull(),
    receivedAt: timestamp("received_at", { withTimezone: true }).notNull().defaultNow(),
    lat: doublePrecision("lat"),
    lng: doublePrecision("lng"),
    late: boolean("late").notNull().default(false),
    createdBy: uuid("created_by").references(() => users.id),
  },
  (t) => [index("check_ins_sortie_idx").on(t.sortieId, t.at)],
);

/**
 * Duty-room alerts about a crew: a missed check-in (one per missed deadline) or a panic. Open until
 * a late check-in clears a missed one or the duty room acknowledges it (who and when kept).
 */
export const crewAlerts = pgTable(
  "crew_alerts",
  {
    id: uuid("id").primaryKey(),
    /** missed_check_in | panic */
    kind: text("kind").notNull(),
    sortieId: uuid("sortie_id")
      .notNull()
      .references(() => sorties.id),
    stationId: uuid("station_id")
      .notNull()
      .references(() => stations.id),
    vehicleId: uuid("vehicle_id")
      .notNull()
      .references(() => vehicles.id),
    dueAt: timestamp("due_at", { withTimezone: true }),
    raisedAt: timestamp("raised_at", { withTimezone: true }).notNull(),
    lat: doublePrecision("lat"),
    lng: doublePrecision("lng"),
    positionAt: timestamp("position_at", { withTimezone: true }),
    /** phone | vehicle */
    positionSource: text("position_source"),
    clearedAt: timestamp("cleared_at", { withTimezone: true }),
    clearedByCheckIn: uuid("cleared_by_check_in"),
    acknowledgedAt: timestamp("acknowledged_at", { withTimezone: true }),
    acknowledgedBy: uuid("acknowledged_by").references(() => users.id),
    createdBy: uuid("created_by").references(() => users.id),
    version: integer("version").notNull().default(1),
  },
  (t) => [
    uniqueIndex("crew_alerts_missed_uq").on(t.sortieId, t.dueAt),
    index("crew_alerts_station_open_idx").on(t.stationId, t.acknowledgedAt, t.clearedAt),
  ],
);
