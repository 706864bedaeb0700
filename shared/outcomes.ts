import { addDays, reportDayOf } from "./report-day.js";
import type { EncounterOutcome } from "./vocab.js";

/**
 * Outcome measures of street outreach (issue 19): who leaves the street, not only how many contacts.
 * Pure rules over plain encounters; the server computes the same in SQL (server/outcomes/) and the API
 * tests check both agree on generated encounters. This file is the definition.
 *
 * Words:
 * - **seen on the street**: an encounter where someone was found (`found` and not `not_found`). Every
 *   encounter is a street contact (patrols meet people outside), whatever it ended in.
 * - **night**: the report day of the encounter (shared/report-day.ts reportDayOf: local
 *   `REPORT_DAY_START`, e.g. 08:00, so 02:00 on the 13th is the night of the 12th). Two encounters on
 *   the same night are one night seen.
 * - **person**: a record of the people registry (named, or only described: gender, age, flags),
 *   following merges (a merged record counts as the one it was merged into). An encounter with no
 *   person record cannot be followed over nights: it counts in contacts (its own person, as in
 *   shared/counting.ts) and in `untrackedContacts`, never in the return measures.
 * - **first night**: the earliest night the person was ever seen on the street, at any station (a
 *   person first seen before the range is not new in it). It belongs to the station of that earliest
 *   encounter.
 * - **seen again within N nights** (N = 1, 7, 30): seen on a later night d with first < d ≤ first + N,
 *   at any station. Same night twice is not "again". Night first + 1 is the next night (NSNO's
 *   "second night out").
 * - **window**: for N it is closed once night first + N has ended, i.e. `asOf` (today's report day) is
 *   after it. Per N and per person exactly one of: `returned` (seen again within N, known as soon as it
 *   happens), `notReturned` (window closed, not seen again), `pending` (window open, not seen again
 *   yet). The rate counts closed windows only (`returnedOfClosed / closed`), so people whose outcome
 *   cannot be known yet do not bend it either way.
 * - **returner**: a person seen on a night in the range who had been seen before, but not on any of the
 *   RETURNER_GAP_NIGHTS nights before that night (back after a month or more off the street, as far as
 *   outreach knows). Distinct persons; counted at each station that saw them on such a night.
 * - **contacts** (人次): every encounter seen on the street in the range; `contactPersons` (人): distinct
 *   persons among them (unlinked encounters each their own person, as foundPersons).
 * - **engagement**: an encounter whose outcome means the person accepted help (ENGAGED_OUTCOMES:
 *   brought in, aided on the street, hospital, escorted home, family pick-up, a referral). `refused`
 *   is declined help even when supplies were left (that still counts as 站外救助 in the published
 *   figures: aid given is not help accepted). `engagedPersons`: distinct persons with at least one.
 *
 * Contacts, engagement and returners count in the range [from, to] by the encounter's night and its
 * station; new persons by their first night and its station; their windows look forward past `to`
 * up to `asOf`, so a range's return figures grow final as its windows close.
 */

/** The return windows, in nights after the first. */
export const RETURN_WINDOWS = [1, 7, 30] as const;
/** A returner was not seen on any of this many nights before the night they were seen again. */
export const RETURNER_GAP_NIGHTS = 30;
/** Encounter outcomes meaning the person accepted help. */
export const ENGAGED_OUTCOMES = [
  "brought_in",
  "street_aid",
  "hospital",
  "escorted_home",
  "family_pickup",
  "referred_police",
  "referred_minors",
  "referred_mental_health",
] as const satisfies readonly EncounterOutcome[];
const ENGAGED = new Set<string>(ENGAGED_OUTCOMES);

/** One meeting with one person (or not finding them). */
export interface OutcomeEncounter {
  id: string;
  stationId: string;
  personId: string | null;
  found: boolean;
  outcome: string;
  occurredAt: Date;
}

/** What the measures are taken over: the scope's stations, report days from..to, and today's report day. */
export interface OutcomeScope {
  stationIds: string[];
  from: string;
  to: string;
  /** Today's report day: a window is closed when its last night is before it. */
  asOf: string;
  timeZone: string;
  dayStart: string;
}

/** One return window's counts over the new persons. */
export interface ReturnWindow {
  nights: number;
  /** Seen again on a night first < d ≤ first + nights. */
  returned: number;
  /** Window closed and not seen again. */
  notReturned: number;
  /** Window still open and not seen again yet. */
  pending: number;
  /** Windows closed (the rate's denominator). */
  closed: number;
  /** Returned among the closed windows (the rate's numerator). */
  returnedOfClosed: number;
}

/** The outcome measures of one scope (whole, or one station). */
export interface OutcomeMeasures {
  contacts: number;
  contactPersons: number;
  engagedContacts: number;
  engagedPersons: number;
  untrackedContacts: number;
  newPersons: number;
  windows: ReturnWindow[];
  returners: number;
}

/** The measures over the whole scope and per station. */
export interface OutcomeSet {
  whole: OutcomeMeasures;
  byStation: Map<string, OutcomeMeasures>;
}

/** Measures with all zeros. */
export function emptyOutcomes(): OutcomeMeasures {
  return {
    contacts: 0,
    contactPersons: 0,
    engagedContacts: 0,
    engagedPersons: 0,
    untrackedContacts: 0,
    newPersons: 0,
    windows: RETURN_WINDOWS.map((nights) => ({
      nights,
      returned: 0,
      notReturned: 0,
      pending: 0,
      closed: 0,
      returnedOfClosed: 0,
    })),
    returners: 0,
  };
}

/** A share with its denominator, or null when there is nothing to divide by. */
export function ratio(numerator: number, denominator: number): number | null {
  return denominator > 0 ? numerator / denominator : null;
}

/** Whole nights from report day `a` to report day `b` (b − a). */
function nightsBetween(a: string, b: string): number {
  return Math.round((Date.parse(b) - Date.parse(a)) / 86_400_000);
}

/** True when an encounter means someone was seen on the street. */
const seenOnStreet = (e: Pick<OutcomeEncounter, "found" | "outcome">) => e.found && e.outcome !== "not_found";
/** True when an encounter's outcome means the person accepted help. */
const engaged = (outcome: string) => ENGAGED.has(outcome);

/** Where one new person's return window N stands. */
export function windowState(
  first: string,
  nextNight: string | null,
  nights: number,
  asOf: string,
): "returned" | "notReturned" | "pending" {
  if (nextNight !== null && nightsBetween(first, nextNight) <= nights) return "returned";
  return addDays(first, nights) < asOf ? "notReturned" : "pending";
}

/** Adds `count` new persons with first night `first` and next night seen `next` to the window counts. */
export function addNewPerson(m: OutcomeMeasures, first: string, next: string | null, asOf: string, count = 1): void {
  m.newPersons += count;
  for (const w of m.windows) {
    const state = windowState(first, next, w.nights, asOf);
    w[state] += count;
    if (addDays(first, w.nights) < asOf) {
      w.closed += count;
      if (state === "returned") w.returnedOfClosed += count;
    }
  }
}

/** The outcome measures over `encounters` for `scope` (see the file comment for each definition). */
export function computeOutcomes(
  encounters: OutcomeEncounter[],
  scope: OutcomeScope,
  mergedInto: Record<string, string> = {},
): OutcomeSet {
  const inScope = new Set(scope.stationIds);
  const set: OutcomeSet = {
    whole: emptyOutcomes(),
    byStation: new Map(scope.stationIds.map((s) => [s, emptyOutcomes()])),
  };
  const night = (e: OutcomeEncounter) => reportDayOf(e.occurredAt, scope.timeZone, scope.dayStart);
  const inRange = (d: string) => d >= scope.from && d <= scope.to;
  const resolve = (id: string) => mergedInto[id] ?? id;
  const seen = encounters.filter(seenOnStreet);

  // Contacts and engagement: encounters of the scope's stations on nights in the range.
  const distinct = new Map<OutcomeMeasures, { persons: Set<string>; engaged: Set<string> }>();
  const tally = (m: OutcomeMeasures) => {
    let d = distinct.get(m);
    if (!d) distinct.set(m, (d = { persons: new Set(), engaged: new Set() }));
    return d;
  };
  for (const e of seen) {
    if (!inScope.has(e.stationId) || !inRange(night(e))) continue;
    const key = e.personId ? `p:${resolve(e.personId)}` : `e:${e.id}`;
    for (const m of [set.whole, set.byStation.get(e.stationId)!]) {
      m.contacts++;
      if (!e.personId) m.untrackedContacts++;
      const d = tally(m);
      d.persons.add(key);
      if (engaged(e.outcome)) {
        m.engagedContacts++;
        d.engaged.add(key);
      }
    }
  }
  for (const [m, d] of distinct) {
    m.contactPersons = d.persons.size;
    m.engagedPersons = d.engaged.size;
  }

  // Each person's nights seen, in order, and where the first was.
  const byPerson = new Map<string, OutcomeEncounter[]>();
  for (const e of seen) {
    if (!e.personId) continue;
    const p = resolve(e.personId);
    const list = byPerson.get(p) ?? [];
    list.push(e);
    byPerson.set(p, list);
  }
  for (const list of byPerson.values()) {
    list.sort((a, b) => a.occurredAt.getTime() - b.occurredAt.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    const nights = [...new Set(list.map(night))].sort();
    const first = list[0]!;
    const firstNight = nights[0]!;
    if (inScope.has(first.stationId) && inRange(firstNight)) {
      const next = nights[1] ?? null;
      addNewPerson(set.whole, firstNight, next, scope.asOf);
      addNewPerson(set.byStation.get(first.stationId)!, firstNight, next, scope.asOf);
    }
    // Returners: a night in the range after more than RETURNER_GAP_NIGHTS nights unseen.
    const back = new Set<string>();
    for (let i = 1; i < nights.length; i++) {
      const d = nights[i]!;
      if (inRange(d) && nightsBetween(nights[i - 1]!, d) > RETURNER_GAP_NIGHTS) back.add(d);
    }
    if (!back.size) continue;
    const stations = new Set(
      list.filter((e) => inScope.has(e.stationId) && back.has(night(e))).map((e) => e.stationId),
    );
    if (stations.size) set.whole.returners++;
    for (const s of stations) set.byStation.get(s)!.returners++;
  }
  return set;
}
