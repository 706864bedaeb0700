import { addDays, daysBetween, type Range } from "./report-day.js";
import { identificationCounts, type IdentificationCounts, type IdFileRec } from "./identification-figures.js";
// Report days and time zones live in ./report-day.ts; re-exported here, where the counting rules'
// users have always found them.
export {
  localDay,
  dayStartMinutes,
  zoneOffsetMs,
  dayStart,
  reportDayOf,
  addDays,
  daysBetween,
  dayRange,
} from "./report-day.js";
/**
 * Counting rules of the published campaign figures (DOMAIN.md "Counting rules"), as pure functions
 * over plain records. The server computes the same figures in SQL aggregates (server/totals/); the
 * tests check that both give the same answer over the same records, so this file is the definition.
 *
 * Definitions, each over the records whose own time falls in the range:
 * - patrols (巡查 次): patrol outings by `startedAt`.
 * - sorties (出动车辆 台次): each vehicle going out, by sortie `startedAt`.
 * - staffPersonTimes (出动人员 人次): sum of sortie crews + partner staff on foot of the patrols.
 * - keyPointVisits (巡查点位 个次): each check of a key point, found someone or not;
 *   keyPointsCovered (巡查重点点位 个): distinct key points among those checks.
 * - foundPersonTimes (人次): encounters where someone was found; foundPersons (人): distinct people
 *   among them, following merges; an unidentified encounter is its own person (it cannot be linked).
 * - aidedInStation (站内救助): encounters ending "brought_in", plus stays with no encounter behind
 *   them (walk-ins), so a patrol's pick-up that became a stay is counted once.
 * - aidedOnStreet (站外救助): encounters ending "street_aid", plus "refused" encounters that
 *   nevertheless got supplies (a refused person left with a quilt was aided on the street).
 * - hospital / escortedHome / familyPickup: encounters with that outcome plus stays ending that way
 *   (a stay ends in a departure; its time is `endedAt`). escorts (护送/接领) = escortedHome + familyPickup.
 * - referred (转介): encounters referred to police, minors protection or mental-health services, plus
 *   stays ending in a care institution.
 * - settled (安置 人): stays ending in local settlement (落户安置, "settled") or placement in care
 *   ("care_institution", also a referral), by `endedAt`.
 * - sheltersInService (设立临时避寒场所/室外救助点 个): warming shelters and outdoor aid points whose
 *   service period [openedAt, closedAt) overlaps the range.
 * - familiesFound (寻亲成功): distinct people whose family search was marked found in the range, by
 *   the time the family was found (entered with the change, often days later).
 * - supplies: handed_out ledger rows, per item and in fen from the unit value recorded at the time.
 * - distributionRecipients (发放受助人次): recipients of distributions (supplies handed out in bulk
 *   without a record per person), by the distribution's time; their supplies count in supplies like
 *   any handed_out line. Never part of people found or aided: nobody was met one by one.
 * - householdSettled (落户安置 人), medianDaysToIdentification, past<Deadline> (people past each
 *   statutory deadline at the period's end): the identification files (shared/identification-figures.ts).
 * - response time: case received -> first unit on scene, seconds; nearest-rank percentiles
 *   (the same as SQL percentile_disc), merged and cancelled cases excluded.
 */

/** A patrol outing. */
export interface PatrolRec {
  id: string;
  startedAt: Date;
  footStaff: { agency: string; count: number }[];
}
/** A vehicle sortie. */
export interface SortieRec {
  id: string;
  patrolId: string;
  crewCount: number;
  startedAt: Date;
}
/** A key-point check. */
export interface VisitRec {
  id: string;
  keyPointId: string;
  visitedAt: Date;
}
/** One meeting with one person (or not finding them). */
export interface EncounterRec {
  id: string;
  personId: string | null;
  found: boolean;
  outcome: string;
  occurredAt: Date;
}
/** A stay in the station or a shelter. */
export interface StayRec {
  id: string;
  encounterId: string | null;
  arrivedAt: Date;
  endedAt: Date | null;
  endReason: string | null;
}
/** One supply ledger movement. */
export interface LedgerRec {
  itemId: string;
  vehicleId: string | null;
  encounterId: string | null;
  kind: string;
  quantity: number;
  unitValueFen: number;
  at: Date;
}
/** A case's CAD timestamps. */
export interface CaseRec {
  id: string;
  status: string;
  receivedAt: Date;
  onSceneAt: Date | null;
}
/** A warming shelter or outdoor aid point and its service period (closedAt null: still open). */
export interface ShelterRec {
  id: string;
  openedAt: Date;
  closedAt: Date | null;
}
/** A distribution: supplies handed out in bulk to a number of recipients (null: not counted). */
export interface DistributionRec {
  id: string;
  recipients: number | null;
  occurredAt: Date;
}
/** A family-search outcome change. */
export interface FamilyFoundRec {
  personId: string;
  at: Date;
}

/** Everything the figures are computed from. `mergedInto` maps a merged person to the one kept. */
export interface CountingInput {
  patrols: PatrolRec[];
  sorties: SortieRec[];
  visits: VisitRec[];
  encounters: EncounterRec[];
  stays: StayRec[];
  ledger: LedgerRec[];
  cases: CaseRec[];
  familyFound: FamilyFoundRec[];
  shelters: ShelterRec[];
  distributions?: DistributionRec[];
  /** Identification files (甄别寻亲) with their deadlines in force. */
  identificationFiles?: IdFileRec[];
  mergedInto?: Record<string, string>;
}

/** Supplies handed out of one item. */
export interface SupplyFigure {
  itemId: string;
  quantity: number;
  valueFen: number;
}

/** The campaign figures for one scope and range. */
export interface Figures extends IdentificationCounts {
  patrols: number;
  sorties: number;
  staffPersonTimes: number;
  keyPointVisits: number;
  keyPointsCovered: number;
  foundPersonTimes: number;
  foundPersons: number;
  aidedInStation: number;
  aidedOnStreet: number;
  aidedTotal: number;
  hospital: number;
  escortedHome: number;
  familyPickup: number;
  escorts: number;
  referred: number;
  settled: number;
  sheltersInService: number;
  familiesFound: number;
  supplies: SupplyFigure[];
  suppliesQuantity: number;
  suppliesValueFen: number;
  distributionRecipients: number;
  responseP50Sec: number | null;
  responseP90Sec: number | null;
  responseCount: number;
}

/**
 * Figures that add up across stations and days (distinct persons, key points, shelters in service and
 * percentiles do not: the same key point checked on two days, or a shelter open all week, is one).
 */
export const ADDITIVE_FIGURES = [
  "patrols",
  "sorties",
  "staffPersonTimes",
  "keyPointVisits",
  "foundPersonTimes",
  "aidedInStation",
  "aidedOnStreet",
  "aidedTotal",
  "hospital",
  "escortedHome",
  "familyPickup",
  "escorts",
  "referred",
  "settled",
  "suppliesQuantity",
  "suppliesValueFen",
  "distributionRecipients",
] as const satisfies readonly (keyof Figures)[];

/** Outcomes that are referrals (转介). */
export const REFERRAL_OUTCOMES = ["referred_police", "referred_minors", "referred_mental_health"] as const;
/** How a stay ends (离站方式); "settled" and "care_institution" are 安置. */
export const STAY_END_REASONS = [
  "left",
  "escorted_home",
  "family_pickup",
  "hospital",
  "care_institution",
  "settled",
] as const;
export type StayEndReason = (typeof STAY_END_REASONS)[number];

const inRange = (d: Date | null, r: Range) =>
  d !== null && d.getTime() >= r.from.getTime() && d.getTime() < r.to.getTime();

/** True when a shelter's service period [openedAt, closedAt) overlaps the range. */
export const inService = (s: ShelterRec, r: Range) =>
  s.openedAt.getTime() < r.to.getTime() && (s.closedAt === null || s.closedAt.getTime() > r.from.getTime());

/** Nearest-rank percentile (smallest value with at least p of the values at or below it), as SQL percentile_disc. */
export function percentileDisc(values: number[], p: number): number | null {
  if (!values.length) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const idx = Math.max(0, Math.ceil(p * sorted.length) - 1);
  return sorted[idx]!;
}

/** The figures over `input` for records in `range` (see the file comment for each definition). */
export function computeFigures(input: CountingInput, range: Range, now = new Date()): Figures {
  const resolve = (id: string) => input.mergedInto?.[id] ?? id;
  const patrols = input.patrols.filter((p) => inRange(p.startedAt, range));
  const sorties = input.sorties.filter((s) => inRange(s.startedAt, range));
  const encounters = input.encounters.filter((e) => inRange(e.occurredAt, range));
  const found = encounters.filter((e) => e.found && e.outcome !== "not_found");
  const ended = input.stays.filter((s) => inRange(s.endedAt, range));
  const endedAs = (r: StayEndReason) => ended.filter((s) => s.endReason === r).length;
  const outcome = (o: string) => found.filter((e) => e.outcome === o).length;
  const visits = input.visits.filter((v) => inRange(v.visitedAt, range));

  const suppliedEncounters = new Set(
    input.ledger.filter((l) => l.kind === "handed_out" && l.encounterId).map((l) => l.encounterId!),
  );
  const persons = new Set(found.map((e) => (e.personId ? `p:${resolve(e.personId)}` : `e:${e.id}`)));

  const handed = input.ledger.filter((l) => l.kind === "handed_out" && inRange(l.at, range));
  const perItem = new Map<string, SupplyFigure>();
  for (const l of handed) {
    const f = perItem.get(l.itemId) ?? { itemId: l.itemId, quantity: 0, valueFen: 0 };
    f.quantity += l.quantity;
    f.valueFen += l.quantity * l.unitValueFen;
    perItem.set(l.itemId, f);
  }
  const supplies = [...perItem.values()].sort((a, b) => a.itemId.localeCompare(b.itemId));

  const responses = input.cases
    .filter((c) => inRange(c.receivedAt, range) && c.onSceneAt && c.status !== "merged" && c.status !== "cancelled")
    .map((c) => Math.max(0, Math.round((c.onSceneAt!.getTime() - c.receivedAt.getTime()) / 1000)));

  const aidedInStation =
    outcome("brought_in") + input.stays.filter((s) => !s.encounterId && inRange(s.arrivedAt, range)).length;
  const aidedOnStreet =
    outcome("street_aid") + found.filter((e) => e.outcome === "refused" && suppliedEncounters.has(e.id)).length;
  const escortedHome = outcome("escorted_home") + endedAs("escorted_home");
  const familyPickup = outcome("family_pickup") + endedAs("family_pickup");

  return {
    patrols: patrols.length,
    sorties: sorties.length,
    staffPersonTimes:
      sorties.reduce((n, s) => n + s.crewCount, 0) +
      patrols.reduce((n, p) => n + p.footStaff.reduce((m, f) => m + f.count, 0), 0),
    keyPointVisits: visits.length,
    keyPointsCovered: new Set(visits.map((v) => v.keyPointId)).size,
    foundPersonTimes: found.length,
    foundPersons: persons.size,
    aidedInStation,
    aidedOnStreet,
    aidedTotal: aidedInStation + aidedOnStreet,
    hospital: outcome("hospital") + endedAs("hospital"),
    escortedHome,
    familyPickup,
    escorts: escortedHome + familyPickup,
    referred:
      found.filter((e) => (REFERRAL_OUTCOMES as readonly string[]).includes(e.outcome)).length +
      endedAs("care_institution"),
    settled: endedAs("settled") + endedAs("care_institution"),
    sheltersInService: input.shelters.filter((s) => inService(s, range)).length,
    familiesFound: new Set(input.familyFound.filter((f) => inRange(f.at, range)).map((f) => resolve(f.personId))).size,
    supplies,
    suppliesQuantity: supplies.reduce((n, s) => n + s.quantity, 0),
    suppliesValueFen: supplies.reduce((n, s) => n + s.valueFen, 0),
    distributionRecipients: distributionRecipients(input, range),
    responseP50Sec: percentileDisc(responses, 0.5),
    responseP90Sec: percentileDisc(responses, 0.9),
    responseCount: responses.length,
    ...identificationCounts(input.identificationFiles ?? [], range, now, resolve),
  };
}

/** Recipients of the distributions in the range (their own figure, never people found). */
function distributionRecipients(input: Pick<CountingInput, "distributions">, range: Range): number {
  return (input.distributions ?? [])
    .filter((d) => inRange(d.occurredAt, range))
    .reduce((n, d) => n + (d.recipients ?? 0), 0);
}

/** True when nothing at all happened: the day is reported as a zero report (零报告). */
export function isZeroDay(f: Figures): boolean {
  return (
    ADDITIVE_FIGURES.every((k) => f[k] === 0) &&
    f.foundPersons === 0 &&
    f.keyPointsCovered === 0 &&
    f.familiesFound === 0 &&
    f.householdSettled === 0 &&
    f.responseCount === 0
  );
}

/** Sums the additive figures of parts (stations, days); persons and percentiles are left out. */
export function sumAdditive(
  parts: Pick<Figures, (typeof ADDITIVE_FIGURES)[number]>[],
): Record<(typeof ADDITIVE_FIGURES)[number], number> {
  const out = Object.fromEntries(ADDITIVE_FIGURES.map((k) => [k, 0])) as Record<
    (typeof ADDITIVE_FIGURES)[number],
    number
  >;
  for (const p of parts) for (const k of ADDITIVE_FIGURES) out[k] += p[k];
  return out;
}

/** Stock of one item at the station and on each vehicle, from ledger rows (which direction each kind moves). */
export function stockFromLedger(rows: Pick<LedgerRec, "vehicleId" | "kind" | "quantity">[]): {
  station: number;
  vehicles: Record<string, number>;
} {
  let station = 0;
  const vehicles: Record<string, number> = {};
  const onVehicle = (v: string, q: number) => {
    vehicles[v] = (vehicles[v] ?? 0) + q;
  };
  for (const r of rows) {
    const q = r.quantity;
    switch (r.kind) {
      case "received":
        station += q;
        break;
      case "loaded":
        station -= q;
        if (r.vehicleId) onVehicle(r.vehicleId, q);
        break;
      case "returned":
        station += q;
        if (r.vehicleId) onVehicle(r.vehicleId, -q);
        break;
      case "handed_out":
      case "written_off":
        if (r.vehicleId) onVehicle(r.vehicleId, -q);
        else station -= q;
        break;
    }
  }
  return { station, vehicles };
}

/** One station's standing on daily reports: which campaign days that have ended have none. */
interface MissingReports {
  missingDays: string[];
  lastReportedDay: string | null;
  overdueDays: number;
}

/**
 * Missing daily reports of one station: every campaign day that has ended (before `today`) and has
 * no submitted report. `overdueDays` is how long the oldest gap has been open, in days.
 */
export function missingReports(
  campaign: { startsOn: string; endsOn: string },
  reportedDays: Iterable<string>,
  today: string,
): MissingReports {
  const reported = new Set(reportedDays);
  const lastDue = addDays(today, -1) < campaign.endsOn ? addDays(today, -1) : campaign.endsOn;
  const missingDays =
    campaign.startsOn <= lastDue ? daysBetween(campaign.startsOn, lastDue).filter((d) => !reported.has(d)) : [];
  const last =
    [...reported]
      .filter((d) => d >= campaign.startsOn && d <= campaign.endsOn)
      .sort()
      .pop() ?? null;
  const oldest = missingDays[0];
  const overdueDays = oldest ? Math.round((Date.parse(today) - Date.parse(oldest)) / 86_400_000) : 0;
  return { missingDays, lastReportedDay: last, overdueDays };
}
