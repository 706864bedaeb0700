import { z } from "zod";
import { Id, Lat, Lng } from "../api/common.js";
import { Call, Case } from "../api/cases.js";
import { Encounter } from "../api/encounters.js";
import { User } from "../api/users.js";
import { Region, Station } from "../api/stations.js";
import { Patrol, Sortie, KeyPointVisit } from "../api/patrols.js";
import { Stay, Shelter } from "../api/shelters.js";
import { Task } from "../api/dispatch.js";
import { Vehicle, VehicleSupplyLine } from "../api/vehicles.js";
import { SupplyItem, LedgerEntry } from "../api/supplies.js";
import { AlertRecord } from "../api/campaigns.js";
import { FamilySearchStatus } from "../api/people.js";
import { Distribution } from "../api/distributions.js";
import { OutboundMessage } from "../api/outbound.js";
import { CheckIn, CheckInPolicy, CheckInStatus, CrewAlert } from "../api/check-ins.js";
import { VehicleStatus } from "../status.js";
import { AlertLevel } from "../vocab.js";
import { ColdReasonSchema } from "../api/weather.js";

/**
 * Payload schemas of every event type, as services record them (the presenters' output). Fields a
 * role may lose to redaction are optional here, so what a redacted receiver gets still matches the
 * type. Identity-bearing payloads are exact objects: a field not named here does not exist.
 */

/** case.created: a new case from intake (or a crew's "found someone here"). */
export const CaseCreatedPayload = z.object({ case: Case, call: Call });
/** call.added: a call filed into an existing case. */
export const CallAddedPayload = z.object({ caseId: Id, call: Call, case: Case });
/** case.updated: urgency override, status change by dispatch and similar. */
export const CaseUpdatedPayload = z.object({ case: Case });
/** case.merged: a case merged into another. */
export const CaseMergedPayload = z.object({ from: Case, into: Case, movedCallIds: z.array(Id) });
/** case.unmerged: a call moved back out to its own case (`to` may be new to the client). */
export const CaseUnmergedPayload = z.object({ callId: Id, call: Call, from: Case, to: Case });

/** encounter.recorded: the encounter presented in full; audiences strip identity. */
export const EncounterRecordedPayload = Encounter;

/** user.created / user.updated (admins only). */
export const UserUpdatedPayload = User.extend({ sessionsEnded: z.boolean().optional() });
/** user.password_reset: who, never the password. */
export const UserPasswordResetPayload = z.strictObject({ id: Id, username: z.string(), version: z.number().int() });

/** vehicle.*: the vehicle's own fields (dashboards merge them into what they hold). */
export const VehiclePayload = Vehicle.pick({
  id: true,
  stationId: true,
  callSign: true,
  plate: true,
  status: true,
  version: true,
  lastLat: true,
  lastLng: true,
  lastPositionAt: true,
}).extend({ seats: z.number().int(), previousStatus: VehicleStatus.optional() });
/** vehicle.position: a throttled position fix. */
export const VehiclePositionPayload = z.object({
  vehicleId: Id,
  callSign: z.string(),
  stationId: Id,
  sortieId: Id.nullable(),
  lat: Lat,
  lng: Lng,
  accuracy: z.number().nullable(),
  recordedAt: z.string(),
});

/** keypoint.created / updated / reactivated / deactivated. */
export const KeyPointPayload = z.object({
  id: Id,
  stationId: Id,
  name: z.string(),
  kind: z.string(),
  lat: Lat,
  lng: Lng,
  address: z.string(),
  notes: z.string(),
  active: z.boolean(),
  version: z.number().int(),
});
/** keypoint.visited. */
export const KeyPointVisitedPayload = KeyPointVisit.extend({ keyPointName: z.string() });

/** sortie.started with what was loaded; sortie.ended with what came back. */
export const SortieStartedPayload = Sortie.extend({ load: z.array(VehicleSupplyLine) });
export const SortieEndedPayload = Sortie.extend({ returned: z.array(VehicleSupplyLine) });

/** assignment.unacknowledged: a task nobody acknowledged in time. */
export const UnacknowledgedPayload = Task.extend({ waitingSeconds: z.number().int() });

/** stay.*: person link and needs are withheld from supervisors. */
export const StayPayload = Stay.extend({
  personId: Stay.shape.personId.optional(),
  needs: Stay.shape.needs.optional(),
});

/** supply.received / supply.written_off with the station's stock after it. */
export const StockMovedPayload = LedgerEntry.extend({ stationStock: z.number().int(), low: z.boolean() });

/** report.*. */
export const ReportSubmittedPayload = z.object({
  id: Id,
  campaignId: Id,
  stationId: Id,
  day: z.string(),
  isZero: z.boolean(),
  submittedAt: z.string(),
});
export const ReportAmendedPayload = z.object({ id: Id, reportId: Id, day: z.string(), reason: z.string() });
export const ReportMissingPayload = z.object({
  campaignId: Id,
  stationId: Id,
  missingCount: z.number().int(),
  overdueDays: z.number().int(),
  lastReportedDay: z.string().nullable(),
});

/** campaign.*. */
export const CampaignCreatedPayload = z.object({ id: Id, name: z.string(), startsOn: z.string(), endsOn: z.string() });
export const AlertChangedPayload = AlertRecord.extend({
  cadence: z.object({
    keyPointHours: z.number(),
    recheckHours: z.number(),
    shelterHours: z.enum(["night", "all_day"]).optional(),
  }),
});
/** weather.*: no personal data. */
export const WeatherRecordedPayload = z.object({
  regionIds: z.array(Id),
  dates: z.array(z.string()),
  source: z.enum(["manual", "upload", "partner"]),
  created: z.number().int(),
  updated: z.number().int(),
});
export const WeatherProposedPayload = z.object({
  id: Id,
  stationId: Id,
  date: z.string(),
  regionId: Id,
  level: AlertLevel.nullable(),
  reasons: z.array(ColdReasonSchema),
});
export const WeatherConfirmedPayload = z.object({
  proposalId: Id,
  stationId: Id,
  date: z.string(),
  level: AlertLevel,
  previousLevel: AlertLevel,
  alertId: Id,
  campaignId: Id,
});
export const DueNowPayload = z.object({
  stationId: Id,
  keyPoints: z.number().int(),
  overdue: z.number().int(),
  rechecks: z.number().int(),
  at: z.string(),
});

/**
 * person.created / person.updated: identity-bearing, so exact. `identity` is stripped and `label`
 * masked for roles that may not see identity.
 */
export const PersonPayload = z.strictObject({
  id: Id,
  stationId: Id,
  gender: z.string().nullable(),
  approxAge: z.number().int().nullable(),
  flags: z.array(z.string()),
  familySearch: z.string(),
  mergedIntoId: Id.nullable(),
  version: z.number().int(),
  label: z.string(),
  // Plain strings: the event describes what is stored; input rules (lengths, ID format) are the
  // endpoints' business, and a record imported before a rule changed must not stop its events.
  identity: z
    .strictObject({ name: z.string().nullable(), idNumber: z.string().nullable(), hometown: z.string().nullable() })
    .optional(),
});
/** person.family_search_changed: no identity, no note (the note may name relatives). */
export const FamilySearchChangedPayload = z.strictObject({
  id: Id,
  stationId: Id,
  familySearch: FamilySearchStatus,
  version: z.number().int(),
});
/** person.merged. */
export const PersonMergedPayload = z.strictObject({ id: Id, intoId: Id, stationId: Id, alsoMoved: z.array(Id) });

/** person.identified: an encounter met without identity linked to a record (no identity in it). */
export const PersonIdentifiedPayload = z.strictObject({ encounterId: Id, personId: Id, stationId: Id });
/** identification.changed: what changed in a person's identification file; no identity, no clue text. */
export const IdentificationChangedPayload = z.strictObject({
  personId: Id,
  stationId: Id,
  what: z.enum(["opened", "updated", "clue", "step", "closed", "match_decision", "photo"]),
  version: z.number().int(),
});

/** distribution.recorded: supplies handed out in bulk (no personal data). */
export const DistributionRecordedPayload = Distribution;

/** outbound.retried: a head or admin sent a failed message again (masked, like the list). */
export const OutboundRetriedPayload = OutboundMessage;
/** check_in.recorded: a crew checked in; the sortie's state after it. */
export const CheckInRecordedPayload = z.object({ checkIn: CheckIn, status: CheckInStatus });

export { Region, Station, Patrol, Shelter, SupplyItem, Task, CheckInPolicy, CheckInStatus, CrewAlert };
