import {
  pgTable,
  uuid,
  text,
  integer,
  boolean,
  date,
  jsonb,
  timestamp,
  bigserial,
  index,
  uniqueIndex,
} from "drizzle-orm/pg-core";
import { stations } from "./stations.js";
import { users } from "./users.js";
import { people, encounters, shelters } from "./operations.js";
import { campaigns } from "./campaigns.js";

/**
 * A stay in the station or a warming shelter (站内救助): from arrival to a departure. Open stays
 * (no `endedAt`) fill beds; the free places the duty room sees are capacity minus open stays.
 */
export const stays = pgTable(
  "stays",
  {
    id: uuid("id").primaryKey(),
    stationId: uuid("station_id")
      .notNull()
      .references(() => stations.id),
    /** Null: in the station's own beds. */
    shelterId: uuid("shelter_id").references(() => shelters.id),
    personId: uuid("person_id").references(() => people.id),
    /** The encounter that brought the person in; null for walk-ins (then the stay itself is the in-station aid). */
    encounterId: uuid("encounter_id").references(() => encounters.id),
    bed: text("bed").notNull().default(""),
    needs: text("needs").array().notNull().default([]),
    notes: text("notes").notNull().default(""),
    arrivedAt: timestamp("arrived_at", { withTimezone: true }).notNull(),
    endedAt: timestamp("ended_at", { withTimezone: true }),
    /** left | escorted_home | family_pickup | hospital | care_institution | settled */
    endReason: text("end_reason"),
    travelVoucher: boolean("travel_voucher").notNull().default(false),
    destination: text("destination").notNull().default(""),
    createdBy: uuid("created_by").references(() => users.id),
    version: integer("version").notNull().default(1),
  },
  (t) => [
    index("stays_station_arrived_idx").on(t.stationId, t.arrivedAt),
    index("stays_station_ended_idx").on(t.stationId, t.endedAt),
    index("stays_shelter_idx").on(t.shelterId, t.endedAt),
    index("stays_person_idx").on(t.personId),
  ],
);

/** Cold-alert level changes, kept as history. A null station is the campaign-wide level. */
export const campaignAlerts = pgTable(
  "campaign_alerts",
  {
    id: uuid("id").primaryKey(),
    campaignId: uuid("campaign_id")
      .notNull()
      .references(() => campaigns.id),
    stationId: uuid("station_id").references(() => stations.id),
    level: text("level").notNull(),
    previousLevel: text("previous_level").notNull(),
    reason: text("reason").notNull().default(""),
    setBy: uuid("set_by").references(() => users.id),
    setAt: timestamp("set_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("campaign_alerts_idx").on(t.campaignId, t.stationId, t.setAt)],
);

/** A station's daily report (日报告/零报告) for one campaign day; frozen once submitted. */
export const dailyReports = pgTable(
  "daily_reports",
  {
    id: uuid("id").primaryKey(),
    campaignId: uuid("campaign_id")
      .notNull()
      .references(() => campaigns.id),
    stationId: uuid("station_id")
      .notNull()
      .references(() => stations.id),
    day: date("day").notNull(),
    isZero: boolean("is_zero").notNull(),
    /** The day's figures as computed from the records at submission (shared/counting.ts Figures). */
    figures: jsonb("figures").$type<Record<string, unknown>>().notNull(),
    /** The official sentences (shared/report-text.ts) frozen with the figures, both languages; null before texts were frozen. */
    text: jsonb("text").$type<Record<string, string[]>>(),
    remarks: text("remarks").notNull().default(""),
    submittedBy: uuid("submitted_by").references(() => users.id),
    submittedAt: timestamp("submitted_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("daily_reports_day_uq").on(t.campaignId, t.stationId, t.day)],
);

/** A later correction of a submitted report, shown beside it (the report itself never changes). */
export const dailyReportAmendments = pgTable(
  "daily_report_amendments",
  {
    id: uuid("id").primaryKey(),
    reportId: uuid("report_id")
      .notNull()
      .references(() => dailyReports.id),
    figures: jsonb("figures").$type<Record<string, unknown>>().notNull(),
    reason: text("reason").notNull(),
    /** The official sentences of the amended figures, both languages; null for amendments made before texts were frozen. */
    text: jsonb("text").$type<Record<string, string[]>>(),
    amendedBy: uuid("amended_by").references(() => users.id),
    amendedAt: timestamp("amended_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("daily_report_amendments_report_idx").on(t.reportId, t.amendedAt)],
);

/** Audit of every read of a person's record (who, when, how). */
export const personReads = pgTable(
  "person_reads",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    personId: uuid("person_id").notNull(),
    userId: uuid("user_id").notNull(),
    role: text("role").notNull(),
    /** detail | list | export */
    kind: text("kind").notNull(),
    at: timestamp("at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("person_reads_person_idx").on(t.personId, t.at)],
);

/** Family-search (寻亲) status changes; "family_found" rows are the 寻亲成功 figure. */
export const familySearchLog = pgTable(
  "family_search_log",
  {
    id: uuid("id").primaryKey(),
    personId: uuid("person_id")
      .notNull()
      .references(() => people.id),
    stationId: uuid("station_id")
      .notNull()
      .references(() => stations.id),
    status: text("status").notNull(),
    note: text("note").notNull().default(""),
    setBy: uuid("set_by").references(() => users.id),
    at: timestamp("at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("family_search_log_station_idx").on(t.stationId, t.status, t.at),
    index("family_search_log_person_idx").on(t.personId),
  ],
);

/**
 * What the scheduled announcements (due-now counts, missing reports) last said, per key, so a job
 * run announces only changes: a restart or another node taking over the job does not repeat them.
 */
export const announcementState = pgTable("announcement_state", {
  key: text("key").primaryKey(),
  value: jsonb("value").$type<Record<string, unknown>>().notNull(),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});
