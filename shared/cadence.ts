import type { AlertLevel } from "./vocab.js";

/**
 * How often key points are patrolled and people who refused to come in are re-checked, by cold-alert
 * level, and the hours warming shelters keep. The colder, the tighter: at red, round-the-clock
 * patrols ("全天候巡查"); at orange and red, warming shelters stay open day and night ("all_day")
 * instead of the evening-to-morning hours ("night"). Shelters store no opening hours: this is the
 * standing order the level carries (announced with every level change), not a schedule enforced.
 */
export const CADENCE: Readonly<
  Record<AlertLevel, { keyPointHours: number; recheckHours: number; shelterHours: "night" | "all_day" }>
> = {
  blue: { keyPointHours: 24, recheckHours: 24, shelterHours: "night" },
  yellow: { keyPointHours: 12, recheckHours: 12, shelterHours: "night" },
  orange: { keyPointHours: 6, recheckHours: 4, shelterHours: "all_day" },
  red: { keyPointHours: 2, recheckHours: 2, shelterHours: "all_day" },
};

/** How overdue a key point is: "ok", "due" (within the last 25% of its interval) or "overdue". */
export function keyPointDueState(
  lastVisitedAt: Date | null,
  level: AlertLevel,
  now: Date = new Date(),
): "ok" | "due" | "overdue" {
  if (!lastVisitedAt) return "overdue";
  const intervalMs = CADENCE[level].keyPointHours * 3600_000;
  const age = now.getTime() - lastVisitedAt.getTime();
  if (age >= intervalMs) return "overdue";
  if (age >= intervalMs * 0.75) return "due";
  return "ok";
}
