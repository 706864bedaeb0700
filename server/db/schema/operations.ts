import { sql } from "drizzle-orm";
import {
  pgTable,
  uuid,
  text,
  integer,
  doublePrecision,
  real,
  boolean,
  jsonb,
  timestamp,
  bigserial,
  index,
  uniqueIndex,
} from "drizzle-orm/pg-core";
import { stations } from "./stations.js";
import { users } from "./users.js";
import { vehicles } from "./fleet.js";
import { cases } from "./cases.js";
import { keyPoints } from "./keypoints.js";
import { supplyItems } from "./supplies.js";

/**
 * A patrol (巡查, counted in 次): one outing, planned or sent to a call. A joint patrol has several
 * sorties and partner staff on foot; a single dispatched vehicle is a patrol of one.
 */
export const patrols = pgTable(
  "patrols",
  {
    id: uuid("id").primaryKey(),
    stationId: uuid("station_id")
      .notNull()
      .references(() => stations.id),
    /** planned | dispatched | proactive */
    kind: text("kind").notNull(),
    /** [{ agency, count }]: partner staff on foot, counted in 出动人员人次. */
    footStaff: jsonb("foot_staff").$type<{ agency: string; count: number }[]>().notNull().default([]),
    startedAt: timestamp("started_at", { withTimezone: true }).notNull(),
    endedAt: timestamp("ended_at", { withTimezone: true }),
    notes: text("notes").notNull().default(""),
    createdBy: uuid("created_by").references(() => users.id),
  },
  (t) => [index("patrols_station_started_idx").on(t.stationId, t.startedAt)],
);

/** A vehicle going out on a patrol (出车, counted in 台次). Its crew counts in 出动人员人次. */
export const sorties = pgTable(
  "sorties",
  {
    id: uuid("id").primaryKey(),
    patrolId: uuid("patrol_id")
      .notNull()
      .references(() => patrols.id),
    vehicleId: uuid("vehicle_id")
      .notNull()
      .references(() => vehicles.id),
    stationId: uuid("station_id")
      .notNull()
      .references(() => stations.id),
    crewCount: integer("crew_count").notNull(),
    crewNames: text("crew_names").array().notNull().default([]),
    startedAt: timestamp("started_at", { withTimezone: true }).notNull(),
    endedAt: timestamp("ended_at", { withTimezone: true }),
    createdBy: uuid("created_by").references(() => users.id),
  },
  (t) => [
    index("sorties_vehicle_idx").on(t.vehicleId, t.startedAt),
    index("sorties_station_started_idx").on(t.stationId, t.startedAt),
  ],
);

/** A task: one vehicle sent to one case, with the CAD timestamps of that vehicle's response. */
export const assignments = pgTable(
  "assignments",
  {
    id: uuid("id").primaryKey(),
    caseId: uuid("case_id")
      .notNull()
      .references(() => cases.id),
    vehicleId: uuid("vehicle_id")
      .notNull()
      .references(() => vehicles.id),
    stationId: uuid("station_id")
      .notNull()
      .references(() => stations.id),
    sortieId: uuid("sortie_id").references(() => sorties.id),
    /** assigned | acknowledged | en_route | on_scene | cleared | cancelled */
    status: text("status").notNull().default("assigned"),
    assignedBy: uuid("assigned_by").references(() => users.id),
    dispatchedAt: timestamp("dispatched_at", { withTimezone: true }).notNull(),
    acknowledgedAt: timestamp("acknowledged_at", { withTimezone: true }),
    enRouteAt: timestamp("en_route_at", { withTimezone: true }),
    onSceneAt: timestamp("on_scene_at", { withTimezone: true }),
    clearedAt: timestamp("cleared_at", { withTimezone: true }),
    cancelledAt: timestamp("cancelled_at", { withTimezone: true }),
    cancelReason: text("cancel_reason"),
    /** Set once when the crew did not acknowledge in time and the alert event was recorded. */
    ackAlertedAt: timestamp("ack_alerted_at", { withTimezone: true }),
    version: integer("version").notNull().default(1),
  },
  (t) => [
    index("assignments_case_idx").on(t.caseId),
    index("assignments_vehicle_idx").on(t.vehicleId, t.status),
    index("assignments_status_dispatched_idx").on(t.status, t.dispatchedAt),
  ],
);

/** GPS track points sent by patrol phones (WGS-84). */
export const positions = pgTable(
  "positions",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    vehicleId: uuid("vehicle_id")
      .notNull()
      .references(() => vehicles.id),
    sortieId: uuid("sortie_id"),
    lat: doublePrecision("lat").notNull(),
    lng: doublePrecision("lng").notNull(),
    accuracyM: real("accuracy_m"),
    recordedAt: timestamp("recorded_at", { withTimezone: true }).notNull(),
    receivedAt: timestamp("received_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    // Unique so a phone's outbox can resend a batch of track points without duplicating them.
    uniqueIndex("positions_vehicle_recorded_uq").on(t.vehicleId, t.recordedAt),
  ],
);

/**
 * A person met (受助人员). Identity is optional and personal: only presenters for roles that need it
 * let it out. Encounters link here when identity (or a crew's judgement) says it is the same person.
 */
export const people = pgTable(
  "people",
  {
    id: uuid("id").primaryKey(),
    stationId: uuid("station_id")
      .notNull()
      .references(() => stations.id),
    name: text("name"),
    gender: text("gender"),
    approxAge: integer("approx_age"),
    idNumber: text("id_number"),
    hometown: text("hometown"),
    flags: text("flags").array().notNull().default([]),
    /** none | notice_published | family_found */
    familySearch: text("family_search").notNull().default("none"),
    familySearchNote: text("family_search_note"),
    mergedIntoId: uuid("merged_into_id"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    version: integer("version").notNull().default(1),
  },
  (t) => [index("people_station_idx").on(t.stationId), index("people_merged_into_idx").on(t.mergedIntoId)],
);

/** A check of a key point (巡查点位 个次), whether or not anyone was there. */
export const keyPointVisits = pgTable(
  "key_point_visits",
  {
    id: uuid("id").primaryKey(),
    keyPointId: uuid("key_point_id")
      .notNull()
      .references(() => keyPoints.id),
    stationId: uuid("station_id")
      .notNull()
      .references(() => stations.id),
    patrolId: uuid("patrol_id").references(() => patrols.id),
    sortieId: uuid("sortie_id").references(() => sorties.id),
    peopleFound: integer("people_found").notNull().default(0),
    notes: text("notes").notNull().default(""),
    visitedAt: timestamp("visited_at", { withTimezone: true }).notNull(),
    recordedBy: uuid("recorded_by").references(() => users.id),
  },
  (t) => [
    index("kpv_key_point_idx").on(t.keyPointId, t.visitedAt),
    index("kpv_station_idx").on(t.stationId, t.visitedAt),
  ],
);

/** One person met once (人次): found or not, and what it ended in. */
export const encounters = pgTable(
  "encounters",
  {
    id: uuid("id").primaryKey(),
    stationId: uuid("station_id")
      .notNull()
      .references(() => stations.id),
    caseId: uuid("case_id").references(() => cases.id),
    patrolId: uuid("patrol_id").references(() => patrols.id),
    sortieId: uuid("sortie_id").references(() => sorties.id),
    keyPointVisitId: uuid("key_point_visit_id").references(() => keyPointVisits.id),
    /** The task (vehicle sent to the case) during which the person was met, if any. */
    assignmentId: uuid("assignment_id").references(() => assignments.id),
    personId: uuid("person_id").references(() => people.id),
    found: boolean("found").notNull().default(true),
    outcome: text("outcome").notNull(),
    flags: text("flags").array().notNull().default([]),
    lat: doublePrecision("lat"),
    lng: doublePrecision("lng"),
    notes: text("notes").notNull().default(""),
    occurredAt: timestamp("occurred_at", { withTimezone: true }).notNull(),
    recordedBy: uuid("recorded_by").references(() => users.id),
    recordedAt: timestamp("recorded_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("encounters_station_time_idx").on(t.stationId, t.occurredAt),
    index("encounters_person_idx").on(t.personId),
    index("encounters_case_idx").on(t.caseId),
    index("encounters_sortie_idx").on(t.sortieId),
    // Totals, distinct persons: the identified found encounters of a station over a time range, read
    // by an index-only scan (person_id is a key column because drizzle has no INCLUDE).
    index("encounters_found_person_idx")
      .on(t.stationId, t.occurredAt, t.personId)
      .where(sql`${t.found} and ${t.outcome} <> 'not_found' and ${t.personId} is not null`),
  ],
);

/**
 * Supplies handed out to a number of recipients at once (发放), at a shelter, a distribution point or
 * from a vehicle, without recording each person. Its ledger lines (handed_out, naming it) count in
 * supplies handed out; `recipients`, when given, counts in its own figure, never as people found.
 */
export const distributions = pgTable(
  "distributions",
  {
    id: uuid("id").primaryKey(),
    stationId: uuid("station_id")
      .notNull()
      .references(() => stations.id),
    /** shelter | distribution_point | vehicle */
    placeKind: text("place_kind").notNull(),
    shelterId: uuid("shelter_id").references(() => shelters.id),
    /** The vehicle whose load the supplies came from; null: from the station's store. */
    vehicleId: uuid("vehicle_id").references(() => vehicles.id),
    placeText: text("place_text").notNull().default(""),
    /** Recipients (受助人次 of distributions), when counted. */
    recipients: integer("recipients"),
    notes: text("notes").notNull().default(""),
    occurredAt: timestamp("occurred_at", { withTimezone: true }).notNull(),
    recordedBy: uuid("recorded_by").references(() => users.id),
    recordedAt: timestamp("recorded_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("distributions_station_time_idx").on(t.stationId, t.occurredAt)],
);

/**
 * Supply movements (append-only). Station stock and vehicle load are sums over this ledger;
 * handed_out rows carry the encounter and the unit value at the time (元 totals use it).
 */
export const supplyLedger = pgTable(
  "supply_ledger",
  {
    id: uuid("id").primaryKey(),
    stationId: uuid("station_id")
      .notNull()
      .references(() => stations.id),
    vehicleId: uuid("vehicle_id").references(() => vehicles.id),
    sortieId: uuid("sortie_id").references(() => sorties.id),
    encounterId: uuid("encounter_id").references(() => encounters.id),
    /** The distribution a handed_out line belongs to (supplies handed out without an encounter). */
    distributionId: uuid("distribution_id").references(() => distributions.id),
    itemId: uuid("item_id")
      .notNull()
      .references(() => supplyItems.id),
    /** received | loaded | handed_out | returned | written_off */
    kind: text("kind").notNull(),
    /** Always positive; the kind gives the direction. */
    quantity: integer("quantity").notNull(),
    unitValueFen: integer("unit_value_fen").notNull(),
    at: timestamp("at", { withTimezone: true }).notNull().defaultNow(),
    recordedBy: uuid("recorded_by").references(() => users.id),
    notes: text("notes").notNull().default(""),
  },
  (t) => [
    index("ledger_station_item_idx").on(t.stationId, t.itemId),
    index("ledger_vehicle_item_idx").on(t.vehicleId, t.itemId),
    index("ledger_encounter_idx").on(t.encounterId),
    index("ledger_distribution_idx").on(t.distributionId),
    // Totals: handed-out supplies of a station over a time range.
    index("ledger_station_kind_at_idx").on(t.stationId, t.kind, t.at),
    // Totals, "refused but got supplies": semi-join of refused encounters on the handed-out lines
    // that name an encounter (a third of the ledger at most; index-only).
    index("ledger_handed_out_encounter_idx")
      .on(t.encounterId)
      .where(sql`${t.kind} = 'handed_out' and ${t.encounterId} is not null`),
  ],
);

/** Temporary warming shelters and outdoor service points (临时避寒场所, 站外救助服务点). */
export const shelters = pgTable("shelters", {
  id: uuid("id").primaryKey().defaultRandom(),
  stationId: uuid("station_id")
    .notNull()
    .references(() => stations.id),
  name: text("name").notNull(),
  /** warming_shelter | service_point */
  kind: text("kind").notNull(),
  lat: doublePrecision("lat").notNull(),
  lng: doublePrecision("lng").notNull(),
  address: text("address").notNull().default(""),
  capacity: integer("capacity").notNull().default(0),
  active: boolean("active").notNull().default(true),
  /** Start of service (设立): counted in "shelters in service" for ranges after it. */
  openedAt: timestamp("opened_at", { withTimezone: true }).notNull().defaultNow(),
  /** End of service (switched off); null while in service. */
  closedAt: timestamp("closed_at", { withTimezone: true }),
  version: integer("version").notNull().default(1),
});
