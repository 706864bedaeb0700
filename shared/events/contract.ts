import type { z } from "zod";
import { ROLES, type Role } from "../roles.js";
import { maskedLabel, roleSeesCallerDetail, roleSeesIdentity } from "../identity.js";
import type { Call } from "../api/cases.js";
import * as P from "./payloads.js";

/**
 * The event contract: every event type the server records, declared once with its payload schema
 * and its audience (what each role receives). `record()` on the server and the browser's event
 * stream are typed by it; the server refuses to start if a type lacks a rule for a role, and an
 * event row of a type not declared here reaches no one (fail closed).
 */

/** What one role gets of an event: all of it, nothing, or a redacted copy. */
type Delivery<T> = "full" | "none" | ((payload: T) => T);
/** A rule for every role, by name: adding a role makes every declaration fail to compile. */
export type Audience<T> = { readonly [R in Role]: Delivery<T> };

/** One declared event type. */
export interface EventSpec<S extends z.ZodType = z.ZodType> {
  readonly payload: S;
  readonly audience: Audience<z.output<S>>;
  /**
   * The person whose identity a full copy of the payload carries, if any: delivering that copy is
   * an identity read (audited).
   */
  readonly identityOf?: (payload: z.output<S>) => string | null;
}

function spec<S extends z.ZodType>(
  payload: S,
  audience: Audience<z.output<S>>,
  identityOf?: (p: z.output<S>) => string | null,
): EventSpec<S> {
  return identityOf ? { payload, audience, identityOf } : { payload, audience };
}

/** An audience built from one decision per role. */
const byRole = <T>(f: (r: Role) => Delivery<T>): Audience<T> => ({
  operator: f("operator"),
  patrol: f("patrol"),
  head: f("head"),
  supervisor: f("supervisor"),
  admin: f("admin"),
});
/** Everyone receives it as recorded (no personal data in the payload). */
const everyone = <T>(): Audience<T> => byRole(() => "full");
/** Admins only (account management). */
const adminOnly = <T>(): Audience<T> => byRole((r) => (r === "admin" ? "full" : "none"));
/**
 * The identity rule (shared/identity.ts): identity roles get the payload, every other role the
 * copy without identity; `supervisor` may be narrowed further (totals only).
 */
const identity = <T>(strip: (p: T) => T, supervisor: Delivery<T> = strip): Audience<T> =>
  byRole((r) => (roleSeesIdentity(r) ? "full" : r === "supervisor" ? supervisor : strip));
/** The caller rule: roles that call back get the caller's name and phone, others not. */
const callers = <T>(strip: (p: T) => T): Audience<T> => byRole((r) => (roleSeesCallerDetail(r) ? "full" : strip));

/** A call without its caller's name and phone. */
const anonymousCall = ({ callerName: _n, callerPhone: _p, ...call }: Call): Call => call;

type Enc = z.output<typeof P.EncounterRecordedPayload>;
type Person = z.output<typeof P.PersonPayload>;
type StayP = z.output<typeof P.StayPayload>;

/** An encounter without identity, notes and person link (the same whitelist as GET /api/encounters). */
const encounterWithoutIdentity = ({ identity: _i, notes: _n, personId: _p, ...rest }: Enc): Enc => rest;
/** A person without identity, with a label that names nobody. */
const personWithoutIdentity = ({ identity: _i, ...rest }: Person): Person => ({ ...rest, label: maskedLabel(rest.id) });
/** A stay without the person link and needs (supervisors read totals only). */
const stayForTotals = ({ personId: _p, needs: _n, ...rest }: StayP): StayP => rest;
const stays = byRole<StayP>((r) => (r === "supervisor" ? stayForTotals : "full"));
const noSupervisor = <T>(): Audience<T> => byRole((r) => (r === "supervisor" ? "none" : "full"));

/** Every event type, its payload and its audience. */
export const EVENT_CONTRACT = {
  "case.created": spec(
    P.CaseCreatedPayload,
    callers((p) => ({ ...p, call: anonymousCall(p.call) })),
  ),
  "call.added": spec(
    P.CallAddedPayload,
    callers((p) => ({ ...p, call: anonymousCall(p.call) })),
  ),
  "case.updated": spec(P.CaseUpdatedPayload, everyone()),
  "case.merged": spec(P.CaseMergedPayload, everyone()),
  "case.unmerged": spec(
    P.CaseUnmergedPayload,
    callers((p) => ({ ...p, call: anonymousCall(p.call) })),
  ),

  "encounter.recorded": spec(P.EncounterRecordedPayload, identity(encounterWithoutIdentity), (p) =>
    p.identity || p.notes ? (p.personId ?? null) : null,
  ),

  "person.created": spec(P.PersonPayload, identity(personWithoutIdentity, "none"), (p) => (p.identity ? p.id : null)),
  "person.updated": spec(P.PersonPayload, identity(personWithoutIdentity, "none"), (p) => (p.identity ? p.id : null)),
  "person.family_search_changed": spec(P.FamilySearchChangedPayload, noSupervisor()),
  "person.merged": spec(P.PersonMergedPayload, noSupervisor()),
  "person.identified": spec(P.PersonIdentifiedPayload, noSupervisor()),
  "identification.changed": spec(P.IdentificationChangedPayload, noSupervisor()),

  "stay.started": spec(P.StayPayload, stays),
  "stay.ended": spec(P.StayPayload, stays),

  "user.created": spec(P.UserUpdatedPayload, adminOnly()),
  "user.updated": spec(P.UserUpdatedPayload, adminOnly()),
  "user.password_reset": spec(P.UserPasswordResetPayload, adminOnly()),

  "station.created": spec(P.Station, everyone()),
  "station.updated": spec(P.Station, everyone()),
  // Region names and their place in the hierarchy are no secret; every role's pickers need them.
  "region.created": spec(P.Region, everyone()),
  "region.updated": spec(P.Region, everyone()),

  "vehicle.created": spec(P.VehiclePayload, everyone()),
  "vehicle.updated": spec(P.VehiclePayload, everyone()),
  "vehicle.status_changed": spec(P.VehiclePayload, everyone()),
  "vehicle.position": spec(P.VehiclePositionPayload, everyone()),

  "assignment.created": spec(P.Task, everyone()),
  "assignment.status_changed": spec(P.Task, everyone()),
  "assignment.cancelled": spec(P.Task, everyone()),
  "assignment.unacknowledged": spec(P.UnacknowledgedPayload, everyone()),

  "patrol.started": spec(P.Patrol, everyone()),
  "sortie.started": spec(P.SortieStartedPayload, everyone()),
  "sortie.ended": spec(P.SortieEndedPayload, everyone()),

  "keypoint.created": spec(P.KeyPointPayload, everyone()),
  "keypoint.updated": spec(P.KeyPointPayload, everyone()),
  "keypoint.reactivated": spec(P.KeyPointPayload, everyone()),
  "keypoint.deactivated": spec(P.KeyPointPayload, everyone()),
  "keypoint.visited": spec(P.KeyPointVisitedPayload, everyone()),

  "shelter.created": spec(P.Shelter, everyone()),
  "shelter.updated": spec(P.Shelter, everyone()),

  "supply_item.created": spec(P.SupplyItem, everyone()),
  "supply_item.updated": spec(P.SupplyItem, everyone()),
  "supply.received": spec(P.StockMovedPayload, everyone()),
  "supply.written_off": spec(P.StockMovedPayload, everyone()),
  "distribution.recorded": spec(P.DistributionRecordedPayload, everyone()),

  "report.submitted": spec(P.ReportSubmittedPayload, everyone()),
  "report.amended": spec(P.ReportAmendedPayload, everyone()),
  "report.missing": spec(P.ReportMissingPayload, everyone()),

  "campaign.created": spec(P.CampaignCreatedPayload, everyone()),
  "campaign.alert_changed": spec(P.AlertChangedPayload, everyone()),
  "campaign.due_now": spec(P.DueNowPayload, everyone()),

  // The outgoing queue is run by heads and admins; the recipient in it is already masked.
  "outbound.retried": spec(
    P.OutboundRetriedPayload,
    byRole((r) => (r === "head" || r === "admin" ? "full" : "none")),
  ),
  // Crew safety (issue 19): station-scoped like the rest of the fleet's events, so a crew sees its
  // station's, operators and heads their station's, supervisors their region's. Staff only, no clients.
  "check_in.policy_changed": spec(P.CheckInPolicy, everyone()),
  "check_in.schedule_changed": spec(P.CheckInStatus, everyone()),
  "check_in.recorded": spec(P.CheckInRecordedPayload, everyone()),
  "crew_alert.panic": spec(P.CrewAlert, everyone()),
  "crew_alert.missed_check_in": spec(P.CrewAlert, everyone()),
  "crew_alert.cleared": spec(P.CrewAlert, everyone()),
  "crew_alert.acknowledged": spec(P.CrewAlert, everyone()),
  "weather.recorded": spec(P.WeatherRecordedPayload, everyone()),
  "weather.proposed": spec(P.WeatherProposedPayload, everyone()),
  "weather.confirmed": spec(P.WeatherConfirmedPayload, everyone()),
} as const;

/** Every declared event type. */
export type EventType = keyof typeof EVENT_CONTRACT;
/** Payload type of each event type (what services record; redacted copies are of the same type). */
export type EventPayloads = { [K in EventType]: z.output<(typeof EVENT_CONTRACT)[K]["payload"]> };

/** True when `type` is a declared event type. */
export function isEventType(type: string): type is EventType {
  return Object.prototype.hasOwnProperty.call(EVENT_CONTRACT, type);
}

/** A contract after verification: a rule for every role of every type. */
export type EventContract = Readonly<Record<string, EventSpec>>;
/** A contract as written or assembled, before verification. */
export type UncheckedContract = Readonly<
  Record<
    string,
    {
      readonly payload: z.ZodType;
      readonly audience?: Partial<Record<Role, unknown>>;
      readonly identityOf?: unknown;
    }
  >
>;

/** Error raised when a contract has a type without a rule for some role. Stops the server. */
export class EventContractError extends Error {
  readonly code = "EVENT_CONTRACT_INCOMPLETE";
  constructor(readonly missing: string[]) {
    super(
      `Event contract incomplete, refusing to start: no audience rule for ${missing.join(", ")} (shared/events/contract.ts)`,
    );
  }
}

/**
 * Checks that every declared type has a valid rule for every role (the type system says so for
 * EVENT_CONTRACT; this also guards contracts built or edited at run time). Throws EventContractError.
 */
export function verifyEventContract(contract: UncheckedContract): asserts contract is EventContract {
  const missing: string[] = [];
  for (const [type, s] of Object.entries(contract)) {
    for (const role of ROLES) {
      const rule = s.audience?.[role];
      if (rule !== "full" && rule !== "none" && typeof rule !== "function") missing.push(`${type} → ${role}`);
    }
  }
  if (missing.length) throw new EventContractError(missing);
}
