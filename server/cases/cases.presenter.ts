import type { Call, Case, CaseDetail } from "../../shared/api/cases.js";
import type { Role } from "../../shared/roles.js";
import type { AlertLevel, ConditionFlag, SourceChannel, Urgency } from "../../shared/vocab.js";
import type { CaseStatus } from "../../shared/status.js";
import type { UrgencyAssessment, UrgencyReason } from "../../shared/urgency.js";
import type { CallRow, CaseRow } from "./cases.repo.js";

/** The caller rule lives with the identity rule in shared/identity.ts (events use it too). */
import { roleSeesCallerDetail as seesCallerDetail } from "../../shared/identity.js";

/** What the cases.urgency_reason column holds: the rule's whole answer, as JSON. */
interface StoredUrgency {
  computed: Urgency;
  reasons: UrgencyReason[];
  alertLevel: AlertLevel | null;
}

/** Serialises the rule's answer for the urgency_reason column. */
export function storeUrgency(a: UrgencyAssessment): string {
  const s: StoredUrgency = { computed: a.urgency, reasons: a.reasons, alertLevel: a.alertLevel };
  return JSON.stringify(s);
}

/** Reads the urgency_reason column; tolerant of rows written by other code (plain text or empty). */
function readUrgency(row: Pick<CaseRow, "urgency" | "urgencyReason">): StoredUrgency {
  try {
    const v = JSON.parse(row.urgencyReason) as Partial<StoredUrgency>;
    if (v && typeof v === "object" && Array.isArray(v.reasons) && v.computed) {
      return { computed: v.computed, reasons: v.reasons, alertLevel: v.alertLevel ?? null };
    }
  } catch {
    /* not ours */
  }
  return { computed: row.urgency as Urgency, reasons: [], alertLevel: null };
}

const iso = (d: Date | string | null): string | null => (d === null ? null : new Date(d).toISOString());

/** A case as every role in scope may see it (no caller data is stored on cases). */
export function presentCase(r: CaseRow): Case {
  const u = readUrgency(r);
  return {
    id: r.id,
    stationId: r.stationId,
    status: r.status as CaseStatus,
    urgency: r.urgency as Urgency,
    urgencyReasons: u.reasons,
    computedUrgency: u.computed,
    urgencyAlertLevel: u.alertLevel,
    urgencyOverridden: r.urgencyOverridden,
    urgencyOverrideReason: r.urgencyOverrideReason,
    lat: r.lat,
    lng: r.lng,
    placeText: r.placeText,
    keyPointId: r.keyPointId,
    peopleCount: r.peopleCount,
    description: r.description,
    flags: r.flags as ConditionFlag[],
    temperatureC: r.temperatureC,
    notes: r.notes,
    source: r.source as SourceChannel,
    callerCount: r.callerCount,
    mergedIntoId: r.mergedIntoId,
    receivedAt: iso(r.receivedAt)!,
    lastCallAt: iso(r.lastCallAt)!,
    createdAt: iso(r.createdAt)!,
    updatedAt: iso(r.updatedAt)!,
    dispatchedAt: iso(r.dispatchedAt),
    onSceneAt: iso(r.onSceneAt),
    clearedAt: iso(r.clearedAt),
    version: r.version,
  };
}

/** A call; caller name and phone only when `withCaller`. */
export function presentCall(r: CallRow, withCaller: boolean): Call {
  return {
    id: r.id,
    caseId: r.caseId,
    originalCaseId: r.originalCaseId,
    source: r.source as SourceChannel,
    ...(withCaller ? { callerName: r.callerName, callerPhone: r.callerPhone } : {}),
    lat: r.lat,
    lng: r.lng,
    placeText: r.placeText,
    keyPointId: r.keyPointId,
    peopleCount: r.peopleCount,
    description: r.description,
    flags: r.flags as ConditionFlag[],
    temperatureC: r.temperatureC,
    notes: r.notes,
    intake: r.intake as Call["intake"],
    fromPartner: r.partnerId !== null,
    receivedAt: iso(r.receivedAt)!,
  };
}

/** A case with its calls, for `role`. */
export function presentCaseDetail(r: CaseRow, calls: CallRow[], role: Role): CaseDetail {
  const withCaller = seesCallerDetail(role);
  return { ...presentCase(r), calls: calls.map((c) => presentCall(c, withCaller)) };
}
