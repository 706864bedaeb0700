import { z } from "zod";
import { endpoint } from "./endpoint.js";
import { Id, IdParams } from "./common.js";
import { AlertLevel } from "../vocab.js";
import { Day } from "./totals.js";
import { ImportFile, type ImportColumn } from "./imports.js";
import { AlertRecord } from "./campaigns.js";
import { WeatherNight } from "../cold-level.js";

/**
 * Weather in (issue 19): nights of weather per district, entered by hand (head, supervisor), uploaded
 * as a CSV (all or nothing) or pushed by a partner system with its api key; the cold rule of
 * shared/cold-level.ts proposes a level per station with its reasons, and a head or supervisor
 * confirms it in one action (the level is set as by POST /api/campaigns/:id/alert). Readings are
 * keyed by (region, night, source): sending the same again changes nothing, a revised forecast
 * replaces the values. No internet is assumed: nothing here fetches weather.
 */

/** Where a reading came from. */
const WeatherSource = z.enum(["manual", "upload", "partner"]).describe("manual | upload | partner");

/** A night as the weather endpoints take it: a calendar day within 2000–2099 (the database's dates stay sane). */
export const WeatherDay = Day.refine((d) => d >= "2000-01-01" && d <= "2099-12-31", {
  error: "must be a day between 2000-01-01 and 2099-12-31",
});

/** One night's weather for a region, as sent (hand entry, partner push). */
export const WeatherReadingInput = WeatherNight.extend({
  date: WeatherDay.describe("The night's date (the evening it starts), YYYY-MM-DD"),
  id: Id.optional().describe("Client-generated UUID for idempotent retries"),
  regionId: Id.describe("District (or city) the reading is for"),
});
export type WeatherReadingInput = z.infer<typeof WeatherReadingInput>;

/** A stored reading. */
export const WeatherReading = z.object({
  id: Id.describe("Reading id"),
  regionId: Id.describe("Region"),
  regionName: z.string().describe("Region name"),
  date: Day.describe("The night (the evening it starts)"),
  source: WeatherSource,
  minTempC: z.number().describe("Lowest temperature of the night, °C"),
  windForce: z.number().int().describe("Strongest sustained wind, Beaufort force"),
  feelsLikeC: z.number().nullable().describe("Feels-like temperature given by the source, °C"),
  officialSignal: AlertLevel.nullable().describe("Cold-wave signal issued, if any"),
  recordedAt: z.string().describe("ISO time last written"),
  version: z.number().int().describe("1, +1 each time the source revised it"),
});
export type WeatherReading = z.infer<typeof WeatherReading>;

/** What writing readings did. */
export const WeatherWriteOutcome = z.object({
  rows: z.number().int().describe("Readings sent"),
  created: z.number().int().describe("New readings"),
  updated: z.number().int().describe("Readings of the same region, night and source revised"),
  unchanged: z.number().int().describe("Readings sent again unchanged"),
  items: z.array(WeatherReading).describe("The readings as stored"),
});
export type WeatherWriteOutcome = z.infer<typeof WeatherWriteOutcome>;

/** The columns of a weather CSV (a header may use the key, the zh-CN label or "label(key)"). */
export const WEATHER_COLUMNS: readonly ImportColumn[] = [
  { key: "region", zh: "区域", required: true, example: "哈尔滨市/道里区" },
  { key: "date", zh: "日期", required: true, example: "2026-12-20" },
  { key: "min_temp_c", zh: "最低气温", required: true, example: "-18" },
  { key: "wind_force", zh: "风力", required: true, example: "5" },
  { key: "feels_like_c", zh: "体感温度", required: false, example: "" },
  { key: "official_signal", zh: "寒潮预警", required: false, example: "" },
];

/** A partner system's push: its api key (header X-Api-Key or this field) and its readings. */
export const WeatherPush = z.object({
  api_key: z.string().min(1).max(200).optional().describe("Partner api key (or header X-Api-Key, or query api_key)"),
  readings: z
    .array(WeatherReadingInput.omit({ id: true }))
    .min(1)
    .max(500)
    .describe("Nights of weather"),
});

const CwStep = z.object({
  level: AlertLevel,
  hours: z.union([z.literal(24), z.literal(48)]).describe("Window of the fall, hours"),
  fallC: z.number().min(0).max(60).describe("Fall of the night's minimum at least, °C"),
  toC: z.number().min(-60).max(30).describe("To at most, °C"),
  windForce: z.number().int().min(0).max(17).describe("Wind at least, Beaufort force"),
});

/** A city's cold rule (shared/cold-level.ts): cold-wave steps and feels-like thresholds per level. */
export const ColdRuleSchema = z.object({
  coldWave: z.array(CwStep).max(8).describe("Cold-wave colours by fall, low and wind"),
  feelsLike: z
    .partialRecord(AlertLevel, z.number().min(-80).max(20))
    .describe("Feels-like threshold (°C, at or below) per level; a level left out is never raised this way"),
});

/** A city's cold rule as stored. */
const CityColdRule = z.object({
  regionId: Id.describe("City region"),
  rule: ColdRuleSchema,
  isDefault: z.boolean().describe("True while the city has not configured its own"),
  version: z.number().int().describe("0 for the default, then 1, 2, …"),
});

/** Changing a city's rule (admin). */
export const ColdRuleUpdate = z.object({
  rule: ColdRuleSchema,
  version: z.number().int().min(0).describe("Version last seen (0: the default)"),
});

/** One reason of a proposal, as the rule gives it (shared/cold-level.ts ColdReason). */
export const ColdReasonSchema = z.discriminatedUnion("rule", [
  z.object({ rule: z.literal("official_signal"), level: AlertLevel }),
  z.object({
    rule: z.literal("cold_wave"),
    level: AlertLevel,
    hours: z.union([z.literal(24), z.literal(48)]),
    fallC: z.number(),
    minTempC: z.number(),
    windForce: z.number(),
  }),
  z.object({ rule: z.literal("feels_like"), level: AlertLevel, feelsLikeC: z.number(), thresholdC: z.number() }),
]);

/** A proposal of the rule for one station's night. */
export const WeatherProposal = z.object({
  id: Id.nullable().describe("Proposal id (to confirm); null when nothing was recorded for this night"),
  stationId: Id.describe("Station"),
  date: Day.describe("The night"),
  regionId: Id.nullable().describe("Region whose reading it is based on; null without a reading"),
  regionName: z.string().nullable().describe("That region's name"),
  reading: WeatherReading.nullable().describe("The night's reading used"),
  earlier: z.array(WeatherReading).describe("The one or two nights before it the falls compare with"),
  level: AlertLevel.nullable().describe("Proposed level; null when the rule raises none"),
  reasons: z.array(ColdReasonSchema).describe("Every reason that applies, highest level first"),
  rule: CityColdRule.describe("The city's thresholds used"),
  campaignId: Id.nullable().describe("Campaign running at the station"),
  currentLevel: AlertLevel.nullable().describe("Level in force at the station (null: no campaign)"),
  confirmed: AlertRecord.nullable().describe("The level change that confirmed this proposal, if any"),
  cadence: z
    .object({
      keyPointHours: z.number(),
      recheckHours: z.number(),
      shelterHours: z.enum(["night", "all_day"]),
    })
    .nullable()
    .describe("What the proposed level means: key-point interval, re-check interval, shelters' hours"),
});
export type WeatherProposal = z.infer<typeof WeatherProposal>;

/** One night the rule would have set higher than what was set. */
const UnderLevelled = z.object({
  date: Day,
  proposed: AlertLevel,
  set: AlertLevel.nullable().describe("Highest level in force at the station that night; null: none"),
  reasons: z.array(ColdReasonSchema),
});

/** Running the backtest: the stored nights of the station's district, or an uploaded winter. */
export const BacktestInput = z.object({
  stationId: Id.describe("Station whose levels set are compared"),
  from: WeatherDay.optional().describe("First night (stored nights; default: the campaign's first day)"),
  to: WeatherDay.optional().describe("Last night (stored nights; default: today)"),
  file: ImportFile.optional().describe("A winter's nights as CSV (date, min_temp_c, wind_force, …; region ignored)"),
});

/** Weather endpoints. */
export const weatherApi = {
  readings: endpoint({
    method: "GET",
    path: "/api/weather/readings",
    tag: "weather",
    access: ["operator", "patrol", "head", "supervisor", "admin"],
    summary: "The latest reading per region and night around today (every source merged: the last written wins)",
    query: z.object({
      stationId: Id.optional().describe("Only the regions of this station (default: all in scope)"),
      from: WeatherDay.optional().describe("First night (default: 3 days ago)"),
      to: WeatherDay.optional().describe("Last night (default: 3 days ahead)"),
    }),
    response: z.object({ items: z.array(WeatherReading) }),
  }),
  enter: endpoint({
    method: "POST",
    path: "/api/weather/readings",
    tag: "weather",
    access: ["head", "supervisor", "admin"],
    summary: "Enter a night's forecast or warning by hand (idempotent by region, night and source, or the id)",
    body: WeatherReadingInput,
    response: WeatherWriteOutcome,
  }),
  upload: endpoint({
    method: "POST",
    path: "/api/weather/readings/upload",
    tag: "weather",
    access: ["head", "supervisor", "admin"],
    summary: "Upload nights of weather as CSV: all rows or none (400 IMPORT_INVALID naming row and column)",
    body: ImportFile,
    response: WeatherWriteOutcome,
  }),
  push: endpoint({
    method: "POST",
    path: "/api/weather/push",
    tag: "weather",
    access: "public",
    partnerKey: true,
    rawBody: true,
    alsoErrors: [401],
    summary: "A partner system pushes nights of weather (api key: 401 without, 403 not valid, before any field)",
    body: WeatherPush,
    response: WeatherWriteOutcome,
  }),
  proposal: endpoint({
    method: "GET",
    path: "/api/weather/proposal",
    tag: "weather",
    access: ["operator", "patrol", "head", "supervisor", "admin"],
    alsoErrors: [404],
    summary: "The level the cold rule proposes for a station's night, with its reasons and the city's thresholds",
    query: z.object({
      stationId: Id.describe("Station"),
      date: WeatherDay.optional().describe("Night (default: tonight, the current report day)"),
    }),
    response: WeatherProposal,
  }),
  confirm: endpoint({
    method: "POST",
    path: "/api/weather/proposals/:id/confirm",
    tag: "weather",
    access: ["head", "supervisor", "admin"],
    alsoErrors: [409],
    summary: "Confirm a proposal: sets the station's level (history, re-triage, events) in one action",
    params: IdParams,
    response: WeatherProposal,
  }),
  rule: endpoint({
    method: "GET",
    path: "/api/weather/rules/:id",
    tag: "weather",
    access: "any",
    summary: "A city's cold rule (the default until an admin configures it)",
    params: IdParams,
    response: CityColdRule,
  }),
  setRule: endpoint({
    method: "PUT",
    path: "/api/weather/rules/:id",
    tag: "weather",
    access: ["admin"],
    summary: "Configure a city's cold rule (version-checked)",
    params: IdParams,
    body: ColdRuleUpdate,
    response: CityColdRule,
  }),
  backtest: endpoint({
    method: "POST",
    path: "/api/weather/backtest",
    tag: "weather",
    access: ["head", "supervisor", "admin"],
    summary: "The nights the rule would have left under-levelled against the levels set (stored or uploaded winter)",
    body: BacktestInput,
    response: z.object({
      nights: z.number().int().describe("Nights compared"),
      from: Day.nullable(),
      to: Day.nullable(),
      items: z.array(UnderLevelled).describe("Under-levelled nights, in date order"),
    }),
  }),
};
