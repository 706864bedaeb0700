import { pgTable, uuid, text, integer, jsonb, real, timestamp, index, uniqueIndex } from "drizzle-orm/pg-core";
import { regions, stations } from "./stations.js";
import { users } from "./users.js";
import { people } from "./operations.js";

/**
 * A person's identification file (甄别寻亲): opened for someone in the station's care who is not yet
 * identified; deadlines run from `arrivedAt` (shared/identification.ts). Closing it with a family
 * found writes the family-search log too, so 寻亲成功 counts on the day it happened.
 */
export const identificationFiles = pgTable(
  "identification_files",
  {
    personId: uuid("person_id")
      .primaryKey()
      .references(() => people.id),
    stationId: uuid("station_id")
      .notNull()
      .references(() => stations.id),
    arrivedAt: timestamp("arrived_at", { withTimezone: true }).notNull(),
    heightCm: integer("height_cm"),
    features: text("features").notNull().default(""),
    foundPlace: text("found_place").notNull().default(""),
    foundAt: timestamp("found_at", { withTimezone: true }),
    /** The notice's fields the head chose (shared/identification.ts NOTICE_FIELDS); empty: not chosen yet. */
    noticeFields: jsonb("notice_fields").$type<string[]>().notNull().default([]),
    /** family_found | escorted_home | picked_up | settled; null while open. */
    closing: text("closing"),
    closedAt: timestamp("closed_at", { withTimezone: true }),
    closingNote: text("closing_note").notNull().default(""),
    closedBy: uuid("closed_by").references(() => users.id),
    /** Consent to a photo (who gave it and when, who recorded it); withdrawing it clears these and deletes the photo. */
    photoConsentBy: text("photo_consent_by"),
    photoConsentAt: timestamp("photo_consent_at", { withTimezone: true }),
    photoConsentRecordedBy: uuid("photo_consent_recorded_by").references(() => users.id),
    photoConsentRecordedAt: timestamp("photo_consent_recorded_at", { withTimezone: true }),
    openedBy: uuid("opened_by").references(() => users.id),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    version: integer("version").notNull().default(1),
  },
  (t) => [
    index("identification_files_station_idx").on(t.stationId, t.closedAt),
    index("identification_files_closed_idx").on(t.stationId, t.closing, t.closedAt),
  ],
);

/** Conversations and clues (dialect, place names, relatives' names, schools, features), dated when they happened. */
export const identificationClues = pgTable(
  "identification_clues",
  {
    id: uuid("id").primaryKey(),
    personId: uuid("person_id")
      .notNull()
      .references(() => people.id),
    stationId: uuid("station_id")
      .notNull()
      .references(() => stations.id),
    kind: text("kind").notNull(),
    text: text("text").notNull(),
    /** Who talked with the person (staff name as written). */
    who: text("who").notNull().default(""),
    at: timestamp("at", { withTimezone: true }).notNull(),
    recordedBy: uuid("recorded_by").references(() => users.id),
    recordedAt: timestamp("recorded_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("identification_clues_person_idx").on(t.personId, t.at)],
);

/** Statutory steps (fingerprint check, notice, DNA request and result, police check), dated when done. */
export const identificationSteps = pgTable(
  "identification_steps",
  {
    id: uuid("id").primaryKey(),
    personId: uuid("person_id")
      .notNull()
      .references(() => people.id),
    stationId: uuid("station_id")
      .notNull()
      .references(() => stations.id),
    kind: text("kind").notNull(),
    /** Notices: national_site | newspaper | news_app. */
    channel: text("channel"),
    outcome: text("outcome").notNull().default(""),
    who: text("who").notNull().default(""),
    at: timestamp("at", { withTimezone: true }).notNull(),
    recordedBy: uuid("recorded_by").references(() => users.id),
    recordedAt: timestamp("recorded_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("identification_steps_person_idx").on(t.personId, t.kind)],
);

/** A province's deadlines (the national rules where a province has none). */
export const identificationDeadlines = pgTable("identification_deadlines", {
  regionId: uuid("region_id")
    .primaryKey()
    .references(() => regions.id),
  fingerprintHours: integer("fingerprint_hours").notNull(),
  noticeHours: integer("notice_hours").notNull(),
  dnaRequestMonths: integer("dna_request_months").notNull(),
  settleReviewMonths: integer("settle_review_months").notNull(),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});

/** A head's decision on a partner-list candidate; nothing is merged by it (the decision is the record). */
export const matchDecisions = pgTable(
  "match_decisions",
  {
    id: uuid("id").primaryKey(),
    stationId: uuid("station_id")
      .notNull()
      .references(() => stations.id),
    personId: uuid("person_id")
      .notNull()
      .references(() => people.id),
    listName: text("list_name").notNull(),
    row: integer("row").notNull(),
    /** The list row as given (partner data). */
    listed: jsonb("listed").$type<Record<string, unknown>>().notNull(),
    /** confirmed | rejected */
    decision: text("decision").notNull(),
    score: real("score").notNull(),
    reasons: text("reasons").array().notNull().default([]),
    note: text("note").notNull().default(""),
    decidedBy: uuid("decided_by").references(() => users.id),
    decidedAt: timestamp("decided_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("match_decisions_person_idx").on(t.personId),
    uniqueIndex("match_decisions_list_row_person_uq").on(t.stationId, t.listName, t.row, t.personId),
  ],
);

/**
 * A person's photo for the family search, only with consent recorded on the file: the station's
 * data, stored here (JPEG or PNG, base64, size-limited), never sent anywhere, never in an export;
 * shown to the station's head and crews (audited) and on a printed notice only when the head chooses it.
 */
export const identificationPhotos = pgTable("identification_photos", {
  personId: uuid("person_id")
    .primaryKey()
    .references(() => people.id),
  stationId: uuid("station_id")
    .notNull()
    .references(() => stations.id),
  contentType: text("content_type").notNull(),
  /** The image bytes, base64. */
  data: text("data").notNull(),
  bytes: integer("bytes").notNull(),
  uploadedBy: uuid("uploaded_by").references(() => users.id),
  uploadedAt: timestamp("uploaded_at", { withTimezone: true }).notNull().defaultNow(),
});
