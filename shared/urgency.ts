import { z } from "zod";
import {
  ALERT_LEVEL_LABELS,
  ALERT_LEVELS,
  AlertLevel,
  CONDITION_FLAGS,
  CONDITION_LABELS,
  ConditionFlag,
  URGENCIES,
  Urgency,
} from "./vocab.js";

/**
 * The ONE urgency rule (triage) for a case, used by the server on intake and merge and by the
 * browser to preview while the operator types. Deterministic and explainable: it returns the reasons
 * it used, which the UI shows in zh-CN or en.
 *
 * 1. Base from condition flags:
 *    - "not_moving" -> critical (may be unconscious or freezing; 严防冻死冻伤);
 *    - "injured_or_ill" or "mental_health_crisis" -> high (先救治、后救助);
 *    - vulnerable ("elderly", "minor", "pregnant", "disabled") or exposure risk
 *      ("intoxicated", "inadequate_clothing") -> medium;
 *    - otherwise low.
 * 2. Cold raises it one step:
 *    - severe cold (alert red, or a known temperature <= -20 °C) raises every case;
 *    - cold (alert orange, or a known temperature <= -10 °C) raises cases with any flag.
 *    Only one step in total, so the rule stays predictable.
 * 3. Floor by the campaign's alert level: red -> at least high, orange -> at least medium.
 *    ("发现一例、救助一例": in extreme cold nobody waits at low priority.)
 * An unknown temperature (null) or no running campaign (null alert, treated as blue) simply adds nothing.
 */

/** Temperature (°C) at or below which it counts as cold for flagged cases. */
export const COLD_TEMP_C = -10;
/** Temperature (°C) at or below which it counts as severe cold for every case. */
export const SEVERE_COLD_TEMP_C = -20;

const MEDICAL: readonly ConditionFlag[] = ["injured_or_ill", "mental_health_crisis"];
const VULNERABLE: readonly ConditionFlag[] = ["elderly", "minor", "pregnant", "disabled"];
const EXPOSURE: readonly ConditionFlag[] = ["intoxicated", "inadequate_clothing"];

/** Why the rule chose what it chose; the UI translates the codes. */
const URGENCY_REASON_CODES = [
  "not_moving",
  "medical",
  "vulnerable",
  "exposure",
  "no_risk_flags",
  "severe_cold_alert",
  "severe_cold_temp",
  "cold_alert",
  "cold_temp",
  "alert_floor",
] as const;
/** One of {@link URGENCY_REASON_CODES}. */
const UrgencyReasonCode = z.enum(URGENCY_REASON_CODES).describe("Reason code of the urgency rule");
type UrgencyReasonCode = z.infer<typeof UrgencyReasonCode>;

/** One reason, with the flags, level or temperature it refers to. */
export const UrgencyReason = z.object({
  /** What the rule looked at. */
  code: UrgencyReasonCode,
  /** Flags that triggered it (flag-based codes). */
  flags: z.array(ConditionFlag).optional().describe("Flags that triggered this reason"),
  /** Alert level that triggered it (alert-based codes). */
  alertLevel: AlertLevel.optional().describe("Alert level that triggered this reason"),
  /** Temperature that triggered it (temperature-based codes). */
  temperatureC: z.number().optional().describe("Temperature (°C) that triggered this reason"),
});
export type UrgencyReason = z.infer<typeof UrgencyReason>;

/** What the rule needs. */
interface UrgencyInput {
  /** Condition flags of the person (union over all calls of a case). */
  flags: readonly ConditionFlag[];
  /** Temperature at the place if known. */
  temperatureC: number | null | undefined;
  /** Current cold-alert level of the running campaign; null when none runs. */
  alertLevel: AlertLevel | null | undefined;
}

/** The rule's answer. */
export interface UrgencyAssessment {
  urgency: Urgency;
  reasons: UrgencyReason[];
  /** Alert level the rule used (null: no running campaign). */
  alertLevel: AlertLevel | null;
}

/** Rank: 0 = low ... 3 = critical. */
export function urgencyRank(u: Urgency): number {
  return URGENCIES.length - 1 - URGENCIES.indexOf(u);
}
const fromRank = (r: number): Urgency => URGENCIES[URGENCIES.length - 1 - Math.max(0, Math.min(3, r))]!;
const alertRank = (a: AlertLevel | null | undefined) => (a ? ALERT_LEVELS.indexOf(a) : 0);

/** Computes urgency and its reasons from flags, temperature and the campaign's alert level. */
export function computeUrgency(input: UrgencyInput): UrgencyAssessment {
  const flags = new Set(input.flags);
  const alert = input.alertLevel ?? null;
  const temp =
    typeof input.temperatureC === "number" && Number.isFinite(input.temperatureC) ? input.temperatureC : null;
  const reasons: UrgencyReason[] = [];
  const hit = (group: readonly ConditionFlag[]) => group.filter((f) => flags.has(f));

  let rank = 0;
  const medical = hit(MEDICAL);
  const vulnerable = hit(VULNERABLE);
  const exposure = hit(EXPOSURE);
  if (flags.has("not_moving")) {
    rank = 3;
    reasons.push({ code: "not_moving", flags: ["not_moving"] });
  }
  if (medical.length) {
    rank = Math.max(rank, 2);
    reasons.push({ code: "medical", flags: medical });
  }
  if (vulnerable.length) {
    rank = Math.max(rank, 1);
    reasons.push({ code: "vulnerable", flags: vulnerable });
  }
  if (exposure.length) {
    rank = Math.max(rank, 1);
    reasons.push({ code: "exposure", flags: exposure });
  }
  if (flags.size === 0) reasons.push({ code: "no_risk_flags" });

  const aRank = alertRank(alert);
  if (alert === "red") reasons.push({ code: "severe_cold_alert", alertLevel: alert });
  else if (temp !== null && temp <= SEVERE_COLD_TEMP_C) reasons.push({ code: "severe_cold_temp", temperatureC: temp });
  else if (flags.size > 0 && alert === "orange") reasons.push({ code: "cold_alert", alertLevel: alert });
  else if (flags.size > 0 && temp !== null && temp <= COLD_TEMP_C)
    reasons.push({ code: "cold_temp", temperatureC: temp });
  const raised = reasons.some((r) =>
    ["severe_cold_alert", "severe_cold_temp", "cold_alert", "cold_temp"].includes(r.code),
  );
  if (raised) rank += 1;

  const floor = aRank >= 3 ? 2 : aRank >= 2 ? 1 : 0;
  if (floor > rank) {
    rank = floor;
    reasons.push({ code: "alert_floor", alertLevel: alert! });
  }
  return { urgency: fromRank(rank), reasons, alertLevel: alert };
}

type Lang = "zh" | "en";
// The condition's one label (shared/vocab-labels.ts); English in lower case inside a sentence.
const FLAG_TEXT = Object.fromEntries(
  CONDITION_FLAGS.map((f) => [f, { zh: CONDITION_LABELS[f]["zh-CN"], en: CONDITION_LABELS[f].en.toLowerCase() }]),
) as Record<ConditionFlag, Record<Lang, string>>;
// The level's one label, likewise.
const LEVEL_TEXT = Object.fromEntries(
  ALERT_LEVELS.map((l) => [l, { zh: ALERT_LEVEL_LABELS[l]["zh-CN"], en: ALERT_LEVEL_LABELS[l].en.toLowerCase() }]),
) as Record<AlertLevel, Record<Lang, string>>;

/** One reason as a short human-readable phrase in Chinese or English. */
function describeUrgencyReason(r: UrgencyReason, lang: Lang): string {
  const flags = (r.flags ?? []).map((f) => FLAG_TEXT[f][lang]).join(lang === "zh" ? "、" : ", ");
  const level = r.alertLevel ? LEVEL_TEXT[r.alertLevel][lang] : "";
  const t = r.temperatureC ?? "";
  const zh: Record<UrgencyReasonCode, string> = {
    not_moving: "人员无法移动或无反应",
    medical: `医疗风险：${flags}`,
    vulnerable: `弱势人员：${flags}`,
    exposure: `冻伤风险：${flags}`,
    no_risk_flags: "未报告风险情况",
    severe_cold_alert: `${level}寒潮预警，提高一级`,
    severe_cold_temp: `气温 ${t}°C，严寒，提高一级`,
    cold_alert: `${level}寒潮预警，有风险情况，提高一级`,
    cold_temp: `气温 ${t}°C，有风险情况，提高一级`,
    alert_floor: `${level}预警下的最低级别`,
  };
  const en: Record<UrgencyReasonCode, string> = {
    not_moving: "person not moving or unresponsive",
    medical: `medical risk: ${flags}`,
    vulnerable: `vulnerable: ${flags}`,
    exposure: `exposure risk: ${flags}`,
    no_risk_flags: "no risk flags reported",
    severe_cold_alert: `${level} cold alert: raised one level`,
    severe_cold_temp: `${t} °C, severe cold: raised one level`,
    cold_alert: `${level} cold alert with risk flags: raised one level`,
    cold_temp: `${t} °C with risk flags: raised one level`,
    alert_floor: `minimum under a ${level} alert`,
  };
  return (lang === "zh" ? zh : en)[r.code];
}

/** All reasons as one sentence. */
export function describeUrgency(reasons: readonly UrgencyReason[], lang: Lang): string {
  return reasons.map((r) => describeUrgencyReason(r, lang)).join(lang === "zh" ? "；" : "; ");
}

/** Sorts most urgent first, then longest waiting (earliest received) first: the duty-room queue order. */
export function compareQueue(
  a: { urgency: Urgency; receivedAt: string | Date },
  b: { urgency: Urgency; receivedAt: string | Date },
): number {
  const d = urgencyRank(b.urgency) - urgencyRank(a.urgency);
  if (d) return d;
  return new Date(a.receivedAt).getTime() - new Date(b.receivedAt).getTime();
}

export { Urgency };
