import type { Role } from "../../shared/roles.js";
import { registerEventRedactor } from "../realtime/event-presenter.js";
import { seesCallerDetail } from "./cases.presenter.js";

/**
 * Event types of the cases domain. Payloads are presented with caller details (for operators,
 * heads and admins); the redactor below strips them for every other role (patrols, supervisors).
 *
 * - case.created   { case: Case, call: Call }                       a new case from intake
 * - call.added     { caseId, call: Call, case: Case }               a call filed into an existing case
 * - case.updated   { case: Case }                                   urgency override and similar changes
 * - case.merged    { from: Case, into: Case, movedCallIds: Id[] }   a case merged into another
 * - case.unmerged  { callId, call: Call, from: Case, to: Case }     a call moved back out to its own case
 *                                                                    (`to` may be a case the client has never seen)
 */
export const CASE_EVENT_TYPES = ["case.created", "call.added", "case.updated", "case.merged", "case.unmerged"] as const;

const PERSONAL_KEYS = new Set(["callerName", "callerPhone"]);

/** Deep copy without caller name and phone, wherever they sit in the payload. */
export function stripCallerDetail(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stripCallerDetail);
  if (value && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (!PERSONAL_KEYS.has(k)) out[k] = stripCallerDetail(v);
    return out;
  }
  return value;
}

/** The redactor for every case event type. */
export function redactCaseEvent(payload: Record<string, unknown>, role: Role): Record<string, unknown> {
  return seesCallerDetail(role) ? payload : (stripCallerDetail(payload) as Record<string, unknown>);
}

for (const t of CASE_EVENT_TYPES) registerEventRedactor(t, redactCaseEvent);
