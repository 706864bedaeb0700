import type { AssignmentStatus, CaseStatus, VehicleStatus } from "./machines.js";
import type { ALERT_LEVELS, CONDITION_FLAGS, ENCOUNTER_OUTCOMES, URGENCIES } from "./vocab.js";
import type { ReporterOutcome } from "./reporter-outcome.js";

/**
 * One label per code and language for every vocabulary a person reads: urgency, condition flags,
 * encounter outcomes, cold-alert levels and the case, task and vehicle statuses. The desk, the phone, print, exports
 * and the report text take their labels from here (the locale files spread these tables in), so a
 * code never reads differently on two screens; test/unit/vocab-labels.test.ts checks that no other
 * table labels a code. Zod-free (types only), so the phone bundle can import it.
 */
export type VocabLang = "zh-CN" | "en";
type Labels<K extends string> = Readonly<Record<K, Readonly<Record<VocabLang, string>>>>;

/** Urgency of a case (危急 > 紧急 > 较急 > 一般). */
const URGENCY_LABELS: Labels<(typeof URGENCIES)[number]> = {
  critical: { "zh-CN": "危急", en: "Critical" },
  high: { "zh-CN": "紧急", en: "High" },
  medium: { "zh-CN": "较急", en: "Medium" },
  low: { "zh-CN": "一般", en: "Low" },
};

/** Cold-alert levels (蓝色 < 黄色 < 橙色 < 红色 预警). */
export const ALERT_LEVEL_LABELS: Labels<(typeof ALERT_LEVELS)[number]> = {
  blue: { "zh-CN": "蓝色", en: "Blue" },
  yellow: { "zh-CN": "黄色", en: "Yellow" },
  orange: { "zh-CN": "橙色", en: "Orange" },
  red: { "zh-CN": "红色", en: "Red" },
};

/** Condition flags of the people found. */
export const CONDITION_LABELS: Labels<(typeof CONDITION_FLAGS)[number]> = {
  elderly: { "zh-CN": "老人", en: "Elderly" },
  minor: { "zh-CN": "未成年人", en: "Minor" },
  injured_or_ill: { "zh-CN": "受伤/患病", en: "Injured / ill" },
  mental_health_crisis: { "zh-CN": "疑似精神危机", en: "Mental-health crisis" },
  intoxicated: { "zh-CN": "醉酒", en: "Intoxicated" },
  pregnant: { "zh-CN": "孕妇", en: "Pregnant" },
  disabled: { "zh-CN": "残疾", en: "Disabled" },
  inadequate_clothing: { "zh-CN": "衣着单薄", en: "Inadequate clothing" },
  not_moving: { "zh-CN": "不动/无反应", en: "Not moving" },
};

/** What an encounter ended in (the report words: 站外救助, 送医救治). */
const OUTCOME_LABELS: Labels<(typeof ENCOUNTER_OUTCOMES)[number]> = {
  brought_in: { "zh-CN": "接回站内", en: "Brought in" },
  street_aid: { "zh-CN": "站外救助", en: "Street aid" },
  hospital: { "zh-CN": "送医救治", en: "Hospital" },
  escorted_home: { "zh-CN": "护送返乡", en: "Escorted home" },
  family_pickup: { "zh-CN": "亲属接领", en: "Family pick-up" },
  referred_police: { "zh-CN": "转介公安", en: "Referred to police" },
  referred_minors: { "zh-CN": "转介未保中心", en: "Referred to minors centre" },
  referred_mental_health: { "zh-CN": "转介精神卫生机构", en: "Referred to mental health" },
  refused: { "zh-CN": "拒绝救助", en: "Refused" },
  not_found: { "zh-CN": "未发现", en: "Not found" },
};

/** Task (assignment) statuses. */
const TASK_STATUS_LABELS: Labels<AssignmentStatus> = {
  assigned: { "zh-CN": "已派单", en: "Assigned" },
  acknowledged: { "zh-CN": "已接单", en: "Acknowledged" },
  en_route: { "zh-CN": "前往途中", en: "En route" },
  on_scene: { "zh-CN": "到达现场", en: "On scene" },
  cleared: { "zh-CN": "已完成", en: "Cleared" },
  cancelled: { "zh-CN": "已取消", en: "Cancelled" },
};

/** Vehicle statuses. */
const VEHICLE_STATUS_LABELS: Labels<VehicleStatus> = {
  off_duty: { "zh-CN": "未出勤", en: "Off duty" },
  available: { "zh-CN": "待命", en: "Available" },
  dispatched: { "zh-CN": "已派车", en: "Dispatched" },
  en_route: { "zh-CN": "前往途中", en: "En route" },
  on_scene: { "zh-CN": "到达现场", en: "On scene" },
  transporting: { "zh-CN": "转运中", en: "Transporting" },
  out_of_service: { "zh-CN": "停用", en: "Out of service" },
};

/** Case statuses. */
const CASE_STATUS_LABELS: Labels<CaseStatus> = {
  open: { "zh-CN": "待派", en: "Open" },
  dispatched: { "zh-CN": "已派车", en: "Dispatched" },
  on_scene: { "zh-CN": "已到场", en: "On scene" },
  closed: { "zh-CN": "已结案", en: "Closed" },
  merged: { "zh-CN": "已合并", en: "Merged" },
  cancelled: { "zh-CN": "已取消", en: "Cancelled" },
};

/**
 * What a reporter (a caller who asked to be told, a partner system) is told about their report
 * (shared/reporter-outcome.ts): the short label for lists.
 */
const REPORTER_OUTCOME_LABELS: Labels<ReporterOutcome> = {
  received: { "zh-CN": "已受理", en: "Received" },
  duplicate: { "zh-CN": "已有他人报告", en: "Already reported" },
  crew_sent: { "zh-CN": "已派出救助人员", en: "Crew sent" },
  helped: { "zh-CN": "已找到并提供帮助", en: "Person helped" },
  not_found: { "zh-CN": "现场未找到", en: "Person not found" },
  closed: { "zh-CN": "已办结", en: "Report closed" },
};

/**
 * The sentence a reporter receives for each outcome (message body, Open311 status_notes). It names
 * the report, never the person: no name, place of stay or health detail (shared/reporter-outcome.ts).
 */
export const REPORTER_OUTCOME_SENTENCES: Labels<ReporterOutcome> = {
  received: {
    "zh-CN": "您的求助报告已受理，值班室将安排救助人员前往。",
    en: "Your report has been received; the duty room will send a relief crew.",
  },
  duplicate: {
    "zh-CN": "您报告的情况已有他人报告，救助人员将一并处理。",
    en: "This person had already been reported; the relief crew will follow up both reports together.",
  },
  crew_sent: {
    "zh-CN": "救助人员已出发前往您报告的地点。",
    en: "A relief crew has been sent to the place you reported.",
  },
  helped: {
    "zh-CN": "救助人员已找到受助人员并提供了帮助。感谢您的报告。",
    en: "The relief crew found the person and offered help. Thank you for your report.",
  },
  not_found: {
    "zh-CN": "救助人员已到达您报告的地点，但未找到需要帮助的人员。感谢您的报告。",
    en: "The relief crew went to the place you reported but did not find the person. Thank you for your report.",
  },
  closed: {
    "zh-CN": "您的报告已办结。感谢您的报告。",
    en: "Your report has been closed. Thank you for your report.",
  },
};

/** Every vocabulary by name, for the locale files and the consistency test. */
export const VOCAB_LABELS = {
  urgency: URGENCY_LABELS,
  condition: CONDITION_LABELS,
  alertLevel: ALERT_LEVEL_LABELS,
  outcome: OUTCOME_LABELS,
  taskStatus: TASK_STATUS_LABELS,
  vehicleStatus: VEHICLE_STATUS_LABELS,
  caseStatus: CASE_STATUS_LABELS,
  reporterOutcome: REPORTER_OUTCOME_LABELS,
} as const;
export type VocabName = keyof typeof VOCAB_LABELS;

/** The code -> label map of vocabulary `name` in `lang` (what a locale file spreads in). */
export function vocabLabels<N extends VocabName>(
  name: N,
  lang: VocabLang,
): Record<keyof (typeof VOCAB_LABELS)[N] & string, string> {
  const table = VOCAB_LABELS[name] as Labels<string>;
  return Object.fromEntries(Object.entries(table).map(([code, l]) => [code, l[lang]])) as Record<
    keyof (typeof VOCAB_LABELS)[N] & string,
    string
  >;
}

/** The label of one code (`vocabLabel("urgency", "low", "zh-CN")` is 一般). */
export function vocabLabel(name: VocabName, code: string, lang: VocabLang): string {
  const l = (VOCAB_LABELS[name] as Labels<string>)[code];
  return l ? l[lang] : code;
}
