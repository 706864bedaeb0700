import {
  OPEN311_SERVICE_CODE,
  roundPublic,
  type Open311Discovery,
  type Open311Request,
  type Open311ServiceDef,
} from "../../shared/api/open311.js";
import { ACTIVE_CASE_STATUSES, type CaseStatus } from "../../shared/status.js";
import { reporterOutcome, reporterOutcomeNotes } from "../../shared/reporter-outcome.js";
import type { CallRow, CaseRow } from "../cases/cases.repo.js";

/** The one service this server offers partners. */
export const OPEN311_SERVICE: Open311ServiceDef = {
  service_code: OPEN311_SERVICE_CODE,
  service_name: "Person sleeping rough / in the cold (街面流浪乞讨人员求助)",
  description:
    "Report a person sleeping rough or in distress outdoors, so that a relief station patrol can check on them.",
  metadata: false,
  type: "realtime",
  keywords: "homeless,rough sleeper,cold,流浪,救助",
  group: "Relief",
};

/** What a partner is told on every request it files or reads. */
export const NOTICE =
  "Received by the relief station duty room; a patrol will check the place. Call 110/120 in an emergency.";

/** Discovery; endpoint urls are completed with the address the client used. */
export const DISCOVERY: Open311Discovery = {
  changeset: "2026-11-27T00:00:00Z",
  contact: "The relief station's duty room (救助管理站值班室)",
  key_service: "Ask the relief station's administrator for a partner api_key.",
  endpoints: [
    {
      specification: "http://wiki.open311.org/GeoReport_v2",
      url: "/open311/v2",
      changeset: "2026-11-27T00:00:00Z",
      type: "production",
      formats: ["text/xml", "application/json"],
    },
  ],
};

/**
 * The public view of a request: the call's place rounded to ~100 m, the status of the case it
 * belongs to now (active statuses are "open", the only other value GeoReport v2 allows is
 * "closed"), in `status_notes` the outcome the reporter is told (shared/reporter-outcome.ts: its code
 * and sentence in English and Chinese, the same words as the outgoing messages), and nothing
 * personal (no description, address, names, phone or notes, nothing about the person met).
 */
export function presentPublic(
  call: CallRow,
  kase: CaseRow,
  encounters: readonly { found: boolean; outcome: string }[],
  stationNames: Map<string, string>,
): Open311Request {
  const status = kase.status as CaseStatus;
  const outcome = reporterOutcome({ caseStatus: status, encounters, joinedExisting: call.intake !== "created" });
  const times = [call.receivedAt, kase.updatedAt, kase.dispatchedAt, kase.onSceneAt, kase.clearedAt]
    .filter((d): d is Date => d !== null)
    .map((d) => new Date(d).getTime());
  return {
    service_request_id: call.id,
    status: ACTIVE_CASE_STATUSES.includes(status) ? "open" : "closed",
    status_notes: reporterOutcomeNotes(outcome),
    service_name: OPEN311_SERVICE.service_name,
    service_code: OPEN311_SERVICE.service_code,
    description: null,
    agency_responsible: stationNames.get(kase.stationId) ?? "",
    service_notice: NOTICE,
    requested_datetime: new Date(call.receivedAt).toISOString(),
    updated_datetime: new Date(Math.max(...times)).toISOString(),
    expected_datetime: null,
    address: null,
    address_id: null,
    zipcode: null,
    lat: roundPublic(call.lat),
    long: roundPublic(call.lng),
    media_url: null,
  };
}
