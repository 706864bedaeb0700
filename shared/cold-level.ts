import { z } from "zod";
import { ALERT_LEVELS, AlertLevel } from "./vocab.js";

/**
 * The cold rule that proposes a campaign alert level from the weather, with its reasons. A head or
 * supervisor confirms the proposal; nothing here sets a level by itself.
 *
 * Two kinds of cold raise a level, and the rule takes the higher:
 * - **A cold wave** (寒潮, China's warning signal): defined by a *fall* of the daily minimum
 *   temperature to a low enough value with enough wind, so a steady −25 °C night raises none.
 *   Blue: 48 h fall ≥ 8 °C to ≤ 4 °C with wind ≥ force 5; yellow: 24 h fall ≥ 10 °C to ≤ 4 °C,
 *   force 6; orange: 24 h fall ≥ 12 °C to ≤ 0 °C, force 6; red: 24 h fall ≥ 16 °C to ≤ 0 °C, force 6.
 *   A signal the meteorological office issued (entered or pushed) counts as given.
 * - **Absolute cold**, as protocols abroad use (Philadelphia's Code Blue at a wind chill of 20 °F,
 *   about −7 °C; the UK's SWEP on a "feels like" rule): the night's feels-like temperature at or
 *   below a city's threshold per level. Feels-like is the wind chill of the night's minimum when
 *   the source gives none.
 * Both tables are per city (configurable); the defaults below are a northern Chinese city's.
 */

/** One night's weather for a district, as entered, uploaded or pushed. */
export const WeatherNight = z.object({
  date: z.iso.date().describe("The night's date (the evening it starts), YYYY-MM-DD"),
  minTempC: z.number().min(-80).max(60).describe("Lowest temperature of the night, °C"),
  windForce: z.number().int().min(0).max(17).describe("Strongest sustained wind, Beaufort force"),
  feelsLikeC: z
    .number()
    .min(-100)
    .max(60)
    .nullable()
    .optional()
    .describe("Feels-like temperature, °C, if the source gives it"),
  officialSignal: AlertLevel.nullable()
    .optional()
    .describe("Cold-wave signal the meteorological office issued, if any"),
});
export type WeatherNight = z.infer<typeof WeatherNight>;

/** One cold-wave colour: a fall over `hours` of at least `fallC` to at most `toC`, wind at least `windForce`. */
interface ColdWaveStep {
  level: AlertLevel;
  hours: 24 | 48;
  fallC: number;
  toC: number;
  windForce: number;
}

export interface ColdRule {
  coldWave: ColdWaveStep[];
  /** Feels-like threshold (°C, at or below) per level; a level left out is never raised this way. */
  feelsLike: Partial<Record<AlertLevel, number>>;
}

export const DEFAULT_COLD_RULE: ColdRule = {
  coldWave: [
    { level: "blue", hours: 48, fallC: 8, toC: 4, windForce: 5 },
    { level: "yellow", hours: 24, fallC: 10, toC: 4, windForce: 6 },
    { level: "orange", hours: 24, fallC: 12, toC: 0, windForce: 6 },
    { level: "red", hours: 24, fallC: 16, toC: 0, windForce: 6 },
  ],
  feelsLike: { blue: -7, yellow: -20, orange: -30, red: -38 },
};

export type ColdReason =
  | { rule: "official_signal"; level: AlertLevel }
  | { rule: "cold_wave"; level: AlertLevel; hours: 24 | 48; fallC: number; minTempC: number; windForce: number }
  | { rule: "feels_like"; level: AlertLevel; feelsLikeC: number; thresholdC: number };

interface ColdProposal {
  date: string;
  /** The highest level any reason gives; null when none applies. */
  level: AlertLevel | null;
  /** Every reason that applies, highest level first. */
  reasons: ColdReason[];
}

const rank = (l: AlertLevel | null | undefined): number => (l ? ALERT_LEVELS.indexOf(l) + 1 : 0);

/** Middle of each Beaufort force's speed range, km/h (force 12 and above: 118). */
const BEAUFORT_KMH = [0, 3, 9, 15, 24, 34, 44, 56, 68, 82, 96, 110, 118];

/**
 * Wind chill (°C) by the North American formula, for air at or below 10 °C with wind above
 * 4.8 km/h; otherwise the air temperature itself.
 */
export function windChillC(tempC: number, windForce: number): number {
  const v = BEAUFORT_KMH[Math.min(windForce, 12)]!;
  if (tempC > 10 || v <= 4.8) return tempC;
  const p = v ** 0.16;
  return Math.round((13.12 + 0.6215 * tempC - 11.37 * p + 0.3965 * tempC * p) * 10) / 10;
}

const DAY_MS = 86_400_000;
const dayBefore = (date: string, days: number) =>
  new Date(Date.parse(`${date}T00:00:00Z`) - days * DAY_MS).toISOString().slice(0, 10);

/**
 * The level the rule proposes for `night`, given the nights before it (any order; the 24 h and
 * 48 h falls use the nights 1 and 2 days earlier when present — a missing night raises no wave).
 */
export function proposeColdLevel(night: WeatherNight, earlier: WeatherNight[], rule = DEFAULT_COLD_RULE): ColdProposal {
  const byDate = new Map(earlier.map((n) => [n.date, n]));
  const reasons: ColdReason[] = [];
  if (night.officialSignal) reasons.push({ rule: "official_signal", level: night.officialSignal });
  for (const step of rule.coldWave) {
    const before = byDate.get(dayBefore(night.date, step.hours / 24));
    if (!before) continue;
    const fallC = Math.round((before.minTempC - night.minTempC) * 10) / 10;
    if (fallC >= step.fallC && night.minTempC <= step.toC && night.windForce >= step.windForce)
      reasons.push({
        rule: "cold_wave",
        level: step.level,
        hours: step.hours,
        fallC,
        minTempC: night.minTempC,
        windForce: night.windForce,
      });
  }
  const feelsLikeC = night.feelsLikeC ?? windChillC(night.minTempC, night.windForce);
  for (const level of ALERT_LEVELS) {
    const thresholdC = rule.feelsLike[level];
    if (thresholdC !== undefined && feelsLikeC <= thresholdC)
      reasons.push({ rule: "feels_like", level, feelsLikeC, thresholdC });
  }
  // Only the strongest reason of each kind matters to the reader; keep them all, highest first.
  reasons.sort((a, b) => rank(b.level) - rank(a.level));
  const top = reasons[0]?.level ?? null;
  return { date: night.date, level: top, reasons };
}

interface UnderLevelledNight {
  date: string;
  proposed: AlertLevel;
  set: AlertLevel | null;
  reasons: ColdReason[];
}

/**
 * The backtest: over a winter's nights (any order), every night the rule would have set higher
 * than the level that was actually set (`setLevels` by date; a night missing there had none).
 */
export function backtestColdRule(
  nights: WeatherNight[],
  setLevels: Record<string, AlertLevel | null | undefined>,
  rule = DEFAULT_COLD_RULE,
): UnderLevelledNight[] {
  const sorted = [...nights].sort((a, b) => a.date.localeCompare(b.date));
  const out: UnderLevelledNight[] = [];
  sorted.forEach((night, i) => {
    const p = proposeColdLevel(night, sorted.slice(Math.max(0, i - 2), i), rule);
    const set = setLevels[night.date] ?? null;
    if (p.level && rank(p.level) > rank(set))
      out.push({ date: night.date, proposed: p.level, set, reasons: p.reasons });
  });
  return out;
}
