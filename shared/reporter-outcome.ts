import type { CaseStatus } from "./machines.js";
import { REPORTER_OUTCOME_SENTENCES, type VocabLang } from "./vocab-labels.js";

/**
 * Closing the loop (issue 19): what the person or partner who reported a case is told about it.
 * StreetLink answers its reporters within 10 working days; a caller here hears as the case moves.
 *
 * The outcome is worked out from the case's state and its encounters' outcomes alone, and its words
 * (shared/vocab-labels.ts) name the report, never the person met: no name, no place of stay, no
 * health detail, not even which kind of help (brought in, hospital, refused) — "helped" covers every
 * encounter in which the crew met the person. Zod-free, so the browser can use it as it is.
 */
export const REPORTER_OUTCOMES = ["received", "duplicate", "crew_sent", "helped", "not_found", "closed"] as const;
export type ReporterOutcome = (typeof REPORTER_OUTCOMES)[number];

/** What the mapping reads: the case the report belongs to now, and what its encounters ended in. */
interface ReporterOutcomeInput {
  /** Status of the case the call is filed under now (after a merge: the case it was merged into). */
  caseStatus: CaseStatus;
  /** Every encounter recorded against that case. */
  encounters: readonly { found: boolean; outcome: string }[];
  /** The call was filed into a case someone had already reported (duplicate rule or operator). */
  joinedExisting: boolean;
}

/** Outcomes after which nothing more is told (Open311 answers `closed` for them too). */
const FINAL: ReadonlySet<ReporterOutcome> = new Set(["helped", "not_found", "closed"]);

/** True for an outcome after which the reporter hears nothing more. */
export function isFinalOutcome(o: ReporterOutcome): boolean {
  return FINAL.has(o);
}

/**
 * The outcome a reporter is told, in order of precedence:
 * - the crew met the person (any encounter found, whatever it ended in) → helped, even while the
 *   case is still on scene: that is the answer the reporter waits for;
 * - the case ended (closed, or cancelled e.g. as a hoax) → not_found when crews went and found no
 *   one, else closed (cleared with nothing recorded, or cancelled);
 * - a crew is on its way or on scene → crew_sent;
 * - the case was merged into another one → duplicate (its calls normally move along, so this is the
 *   answer for a case row itself);
 * - waiting → duplicate for a call that joined an existing case, else received.
 */
export function reporterOutcome(i: ReporterOutcomeInput): ReporterOutcome {
  if (i.encounters.some((e) => e.found && e.outcome !== "not_found")) return "helped";
  switch (i.caseStatus) {
    case "closed":
    case "cancelled":
      return i.encounters.length ? "not_found" : "closed";
    case "dispatched":
    case "on_scene":
      return "crew_sent";
    case "merged":
      return "duplicate";
    case "open":
      return i.joinedExisting ? "duplicate" : "received";
  }
}

/** The sentence for an outcome in one language. */
function reporterOutcomeText(o: ReporterOutcome, lang: VocabLang): string {
  return REPORTER_OUTCOME_SENTENCES[o][lang];
}

/** Open311 `status_notes`: the outcome code, then the sentence in English and in Chinese. */
export function reporterOutcomeNotes(o: ReporterOutcome): string {
  return `${o}: ${reporterOutcomeText(o, "en")} ${reporterOutcomeText(o, "zh-CN")}`;
}

/** The reference a caller is given for their report: short, from the call id, naming nobody. */
export function reportReference(callId: string): string {
  return `WL-${callId.replace(/-/g, "").slice(0, 8).toUpperCase()}`;
}

/** The whole body of an outgoing message: the reference, the outcome and its sentences. Nothing else. */
export interface OutcomeMessageBody {
  reference: string;
  category: ReporterOutcome;
  text: Record<VocabLang, string>;
}

/** Builds an outgoing message body; the only input besides the outcome is the report's reference. */
export function outcomeMessageBody(reference: string, category: ReporterOutcome): OutcomeMessageBody {
  return {
    reference,
    category,
    text: { "zh-CN": reporterOutcomeText(category, "zh-CN"), en: reporterOutcomeText(category, "en") },
  };
}
