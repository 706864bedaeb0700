import { ALERT_LEVELS, type AlertLevel } from "./vocab.js";

/**
 * Crew check-ins on severe nights (issue 19). Crews work alone at night in the cold; as CAD systems
 * keep status timers for officers, every open sortie checks in every N minutes while the cold-alert
 * level in force at its station is one its campaign's policy names. The server, not the phone,
 * decides when a check-in is missed (server/check-ins/), so a phone that went silent is noticed.
 * Pure rules only: no I/O, used by the server and the phone alike.
 */

/** Which levels require check-ins and how often, per campaign. */
interface CheckInRule {
  levels: readonly AlertLevel[];
  intervalMinutes: number;
}

/**
 * Without a campaign's own policy: orange and red nights, every 30 minutes. Thirty minutes is the
 * common CAD status-timer for a unit alone in the field; a campaign may tighten it (down to 5).
 */
export const DEFAULT_CHECK_IN_RULE: CheckInRule = { levels: ["orange", "red"], intervalMinutes: 30 };

/** Bounds of a policy's interval, minutes. */
export const CHECK_IN_MINUTES = { min: 5, max: 240 } as const;

/** The check-in requirement at a station: the strictest over the campaigns whose level requires one. */
export interface CheckInRequirement {
  /** The level in force that requires check-ins (the highest such). */
  level: AlertLevel;
  intervalMinutes: number;
  /** The campaign whose policy gave the interval. */
  campaignId: string;
}

/**
 * Combines the campaigns running over a station (each with its level in force there and its
 * policy) into the requirement: none when no campaign's level is one of its policy's levels, else
 * the shortest interval among those that require, with the highest such level.
 */
export function checkInRequirement(
  campaigns: readonly { campaignId: string; level: AlertLevel; rule: CheckInRule }[],
): CheckInRequirement | null {
  let out: CheckInRequirement | null = null;
  for (const c of campaigns) {
    if (!c.rule.levels.includes(c.level)) continue;
    if (!out) {
      out = { level: c.level, intervalMinutes: c.rule.intervalMinutes, campaignId: c.campaignId };
      continue;
    }
    if (ALERT_LEVELS.indexOf(c.level) > ALERT_LEVELS.indexOf(out.level)) out.level = c.level;
    if (c.rule.intervalMinutes < out.intervalMinutes) {
      out.intervalMinutes = c.rule.intervalMinutes;
      out.campaignId = c.campaignId;
    }
  }
  return out;
}

/** The next deadline after a check-in (or the start of the watch) at `from`. */
export function nextCheckInDue(from: Date, intervalMinutes: number): Date {
  return new Date(from.getTime() + intervalMinutes * 60_000);
}

/** Whole seconds a deadline is overdue at `now` (0 when not yet due). */
export function overdueSeconds(dueAt: Date | string, now: Date): number {
  return Math.max(0, Math.floor((now.getTime() - new Date(dueAt).getTime()) / 1000));
}
