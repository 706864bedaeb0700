import { z } from "zod";

/**
 * The words of the field (DOMAIN.md), declared once. Labels for the UI live in web/src/i18n;
 * these are the stored values.
 */

/** Where a report came from (来源渠道). */
export const SOURCE_CHANNELS = [
  "public_hotline", // 求助热线
  "police_110",
  "city_hotline_12345",
  "ambulance_120",
  "city_management", // 城管
  "grid_worker", // 网格员
  "volunteer",
  "sanitation_worker",
  "taxi_driver",
  "patrol_found", // 主动发现
  "walk_in",
  "partner_system", // Open311 partners
] as const;
/** One of {@link SOURCE_CHANNELS}. */
export const SourceChannel = z.enum(SOURCE_CHANNELS).describe("Where the report came from");
export type SourceChannel = z.infer<typeof SourceChannel>;

/** Condition flags of a person reported or met. */
export const CONDITION_FLAGS = [
  "elderly",
  "minor",
  "injured_or_ill",
  "mental_health_crisis",
  "intoxicated",
  "pregnant",
  "disabled",
  "inadequate_clothing",
  "not_moving",
] as const;
/** One of {@link CONDITION_FLAGS}. */
export const ConditionFlag = z.enum(CONDITION_FLAGS).describe("Condition flag");
export type ConditionFlag = z.infer<typeof ConditionFlag>;

/** Cold-alert levels, mildest first (蓝/黄/橙/红). */
export const ALERT_LEVELS = ["blue", "yellow", "orange", "red"] as const;
/** One of {@link ALERT_LEVELS}. */
export const AlertLevel = z.enum(ALERT_LEVELS).describe("Cold-alert level");
export type AlertLevel = z.infer<typeof AlertLevel>;

/** Urgency of a case, most urgent first. */
export const URGENCIES = ["critical", "high", "medium", "low"] as const;
/** One of {@link URGENCIES}. */
export const Urgency = z.enum(URGENCIES).describe("Urgency of a case");
export type Urgency = z.infer<typeof Urgency>;

/** What an encounter ended in (离站/处置方式). */
export const ENCOUNTER_OUTCOMES = [
  "brought_in", // 接回站内救助 / 劝导进站
  "street_aid", // 站外救助: declined to come in, given supplies
  "hospital", // 先救治、后救助
  "escorted_home", // 护送返乡
  "family_pickup", // 亲属接领
  "referred_police",
  "referred_minors",
  "referred_mental_health",
  "refused", // 拒绝救助
  "not_found", // 未发现
] as const;
/** One of {@link ENCOUNTER_OUTCOMES}. */
export const EncounterOutcome = z.enum(ENCOUNTER_OUTCOMES).describe("What the encounter ended in");
export type EncounterOutcome = z.infer<typeof EncounterOutcome>;

/** Kinds of key point (重点点位). */
export const KEY_POINT_KINDS = [
  "bridge_underpass",
  "culvert",
  "railway_station",
  "bus_station",
  "square",
  "park",
  "underpass",
  "abandoned_building",
  "construction_site",
  "other",
] as const;
/** One of {@link KEY_POINT_KINDS}. */
export const KeyPointKind = z.enum(KEY_POINT_KINDS).describe("Kind of key point");
export type KeyPointKind = z.infer<typeof KeyPointKind>;

/** Partner agencies that join patrols with staff on foot. */
const PARTNER_AGENCIES = ["police", "city_management", "volunteers", "medical", "other"] as const;
/** One of {@link PARTNER_AGENCIES}. */
export const PartnerAgency = z.enum(PARTNER_AGENCIES).describe("Partner agency");
export type PartnerAgency = z.infer<typeof PartnerAgency>;

/** Movements of the supply ledger. Stock is never stored, only summed from these. */
const LEDGER_KINDS = ["received", "loaded", "handed_out", "returned", "written_off"] as const;
/** One of {@link LEDGER_KINDS}. */
const LedgerKind = z.enum(LEDGER_KINDS).describe("Supply ledger movement");
type LedgerKind = z.infer<typeof LedgerKind>;

// Labels of the vocabularies above (zod-free, so the phone imports ./vocab-labels.js directly).
export * from "./vocab-labels.js";

/** Kinds of gazetteer entries (地名库): streets and landmarks the duty room searches by name. */
const PLACE_KINDS = ["street", "landmark", "building", "bridge", "park", "transit", "other"] as const;
/** One of {@link PLACE_KINDS}. */
export const PlaceKind = z.enum(PLACE_KINDS).describe("Kind of gazetteer place");
export type PlaceKind = z.infer<typeof PlaceKind>;
