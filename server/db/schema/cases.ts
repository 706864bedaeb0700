import { pgTable, uuid, text, integer, doublePrecision, real, boolean, timestamp, index } from "drizzle-orm/pg-core";
import { stations } from "./stations.js";
import { keyPoints } from "./keypoints.js";
import { users } from "./users.js";

/**
 * A case: one person (or group) at one place needing help. Several calls about the same person
 * merge into one case (calls keep every caller). CAD timestamps sit here at case level (first
 * dispatch, first arrival); per-vehicle ones sit on assignments.
 */
export const cases = pgTable(
  "cases",
  {
    id: uuid("id").primaryKey(),
    stationId: uuid("station_id")
      .notNull()
      .references(() => stations.id),
    /** open | dispatched | on_scene | closed | merged | cancelled (machine in shared/) */
    status: text("status").notNull().default("open"),
    urgency: text("urgency").notNull(),
    urgencyReason: text("urgency_reason").notNull().default(""),
    urgencyOverridden: boolean("urgency_overridden").notNull().default(false),
    urgencyOverrideReason: text("urgency_override_reason"),
    lat: doublePrecision("lat").notNull(),
    lng: doublePrecision("lng").notNull(),
    placeText: text("place_text").notNull().default(""),
    keyPointId: uuid("key_point_id").references(() => keyPoints.id),
    peopleCount: integer("people_count").notNull().default(1),
    description: text("description").notNull().default(""),
    flags: text("flags").array().notNull().default([]),
    temperatureC: real("temperature_c"),
    notes: text("notes").notNull().default(""),
    /** Channel of the first call. */
    source: text("source").notNull(),
    callerCount: integer("caller_count").notNull().default(1),
    mergedIntoId: uuid("merged_into_id"),
    createdBy: uuid("created_by").references(() => users.id),
    receivedAt: timestamp("received_at", { withTimezone: true }).notNull(),
    /** Latest call about the case: the duplicate window runs from here (a case called about keeps matching). */
    lastCallAt: timestamp("last_call_at", { withTimezone: true }).notNull().defaultNow(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    /** Last change through the cases service (Open311 updated_datetime also looks at the CAD timestamps). */
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
    dispatchedAt: timestamp("dispatched_at", { withTimezone: true }),
    onSceneAt: timestamp("on_scene_at", { withTimezone: true }),
    clearedAt: timestamp("cleared_at", { withTimezone: true }),
    version: integer("version").notNull().default(1),
  },
  (t) => [
    index("cases_station_status_idx").on(t.stationId, t.status),
    index("cases_received_idx").on(t.receivedAt),
    // Totals: response times of a station's cases over a time range.
    index("cases_station_received_idx").on(t.stationId, t.receivedAt),
    // Duplicate look-up: active cases of a station whose latest call is recent.
    index("cases_station_status_last_call_idx").on(t.stationId, t.status, t.lastCallAt),
  ],
);

/** One call or report about a case (caller details are personal data: presenters decide). */
export const calls = pgTable(
  "calls",
  {
    id: uuid("id").primaryKey(),
    caseId: uuid("case_id")
      .notNull()
      .references(() => cases.id),
    /** Case the call was first filed under; kept so a merge can be undone. */
    originalCaseId: uuid("original_case_id").notNull(),
    stationId: uuid("station_id")
      .notNull()
      .references(() => stations.id),
    source: text("source").notNull(),
    callerName: text("caller_name"),
    callerPhone: text("caller_phone"),
    lat: doublePrecision("lat").notNull(),
    lng: doublePrecision("lng").notNull(),
    placeText: text("place_text").notNull().default(""),
    peopleCount: integer("people_count").notNull().default(1),
    description: text("description").notNull().default(""),
    flags: text("flags").array().notNull().default([]),
    /** Kept per call so an un-merged call rebuilds its own case with nothing lost. */
    temperatureC: real("temperature_c"),
    notes: text("notes").notNull().default(""),
    keyPointId: uuid("key_point_id").references(() => keyPoints.id),
    /** created | merged_by_rule | merged_by_operator: what intake did with the call. */
    intake: text("intake").notNull().default("created"),
    /** Set when the call came from a partner system through Open311. */
    partnerId: uuid("partner_id"),
    createdBy: uuid("created_by").references(() => users.id),
    receivedAt: timestamp("received_at", { withTimezone: true }).notNull(),
  },
  (t) => [
    index("calls_case_idx").on(t.caseId),
    index("calls_received_idx").on(t.stationId, t.receivedAt),
    index("calls_partner_idx").on(t.partnerId, t.receivedAt),
  ],
);
