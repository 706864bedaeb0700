import { sql, type SQL } from "drizzle-orm";
import { type DbOrTx } from "../db/client.js";
import { addDays, dayStart, daysBetween } from "../../shared/report-day.js";
import {
  ENGAGED_OUTCOMES,
  RETURNER_GAP_NIGHTS,
  RETURN_WINDOWS,
  addNewPerson,
  emptyOutcomes,
  type OutcomeScope,
  type OutcomeSet,
} from "../../shared/outcomes.js";
import { n, withWorkMem } from "../totals/figure-scope.js";

/**
 * The outcome measures of shared/outcomes.ts in SQL. Not a totals pass (server/totals/figure-passes.ts):
 * the return windows look past the range (up to 30 nights after its last day) and at every station's
 * encounters of a person, and a person's first night looks at all history before it.
 *
 * Nights are report days cut in JS (dayStart, DST included) and found in SQL by `width_bucket` over
 * those boundaries, as the totals do: the boundaries run from RETURNER_GAP_NIGHTS nights before `from`
 * (a returner's previous night) to the last window's night after `to`. Bucket 0 is "any night before
 * that", the last bucket "any night after it"; neither can be inside a window or the range.
 *
 * Two reads: contacts and engagement of the scope's encounters in the range (grouping sets: per
 * station and whole, distinct persons resolved through merges), and, for the persons seen there, all
 * their nights seen at any station (their record and the records merged into it): the first night
 * with its station and the next night, grouped into counts, and the returners.
 */

const LONGEST_WINDOW = Math.max(...RETURN_WINDOWS);

type ContactRow = {
  s: string | null;
  gs: number;
  contacts: unknown;
  engaged_contacts: unknown;
  untracked: unknown;
  untracked_engaged: unknown;
  persons: unknown;
  engaged_persons: unknown;
};
type NewRow = { s: string; k: unknown; next: unknown; c: unknown };
type BackRow = { s: string | null; gs: number; c: unknown };

const uuidList = (ids: string[]) =>
  sql.join(
    ids.map((id) => sql`${id}::uuid`),
    sql`, `,
  );

/** Computes the outcome measures of a scope: whole and per station. */
export async function computeOutcomeSet(db: DbOrTx, scope: OutcomeScope): Promise<OutcomeSet> {
  const set: OutcomeSet = {
    whole: emptyOutcomes(),
    byStation: new Map(scope.stationIds.map((s) => [s, emptyOutcomes()])),
  };
  if (!scope.stationIds.length || scope.from > scope.to) return set;
  const first = addDays(scope.from, -RETURNER_GAP_NIGHTS);
  const nights = daysBetween(first, addDays(scope.to, LONGEST_WINDOW));
  const bounds = [...nights, addDays(nights[nights.length - 1]!, 1)].map((d) =>
    dayStart(d, scope.timeZone, scope.dayStart),
  );
  const B = sql`${`{${bounds.map((b) => `"${b.toISOString()}"`).join(",")}}`}::timestamptz[]`;
  const nightOf = (k: unknown) => addDays(first, n(k) - 1);
  const lo = RETURNER_GAP_NIGHTS + 1; // bucket of `from`
  const hi = lo + daysBetween(scope.from, scope.to).length - 1; // bucket of `to`
  const fromTs = dayStart(scope.from, scope.timeZone, scope.dayStart).toISOString();
  const toTs = dayStart(addDays(scope.to, 1), scope.timeZone, scope.dayStart).toISOString();
  const S = uuidList(scope.stationIds);
  const seenInRange: SQL = sql`e.station_id in (${S}) and e.occurred_at >= ${fromTs}::timestamptz
    and e.occurred_at < ${toTs}::timestamptz and e.found and e.outcome <> 'not_found'`;
  const engagedList = sql.join(
    ENGAGED_OUTCOMES.map((o) => sql`${o}`),
    sql`, `,
  );

  const [contacts, persons] = await Promise.all([
    withWorkMem<ContactRow>(
      db,
      sql`select s, grouping(s) as gs, count(*) as contacts, count(*) filter (where engaged) as engaged_contacts,
        count(*) filter (where p is null) as untracked, count(*) filter (where p is null and engaged) as untracked_engaged,
        count(distinct p) as persons, count(distinct p) filter (where engaged) as engaged_persons
      from (select e.station_id as s, coalesce(pe.merged_into_id, e.person_id) as p, e.outcome in (${engagedList}) as engaged
        from encounters e left join people pe on pe.id = e.person_id and pe.merged_into_id is not null
        where ${seenInRange}) x
      group by grouping sets ((s), ())`,
    ),
    personNights(db, { B, S, seenInRange, lo, hi }),
  ]);

  const target = (r: { s: string | null; gs: number }) => (n(r.gs) ? set.whole : set.byStation.get(String(r.s)));
  for (const r of contacts) {
    const m = target(r);
    if (!m) continue;
    m.contacts = n(r.contacts);
    m.engagedContacts = n(r.engaged_contacts);
    m.untrackedContacts = n(r.untracked);
    m.contactPersons = n(r.persons) + n(r.untracked);
    m.engagedPersons = n(r.engaged_persons) + n(r.untracked_engaged);
  }
  for (const r of persons.fresh) {
    const firstNight = nightOf(r.k);
    const next = r.next === null ? null : nightOf(r.next);
    for (const m of [set.whole, set.byStation.get(String(r.s))])
      if (m) addNewPerson(m, firstNight, next, scope.asOf, n(r.c));
  }
  for (const r of persons.back) {
    const m = target(r);
    if (m) m.returners = n(r.c);
  }
  return set;
}

/** The nights seen of every person seen in the scope's range: new persons and returners. */
async function personNights(
  db: DbOrTx,
  q: { B: SQL; S: SQL; seenInRange: SQL; lo: number; hi: number },
): Promise<{ fresh: NewRow[]; back: BackRow[] }> {
  const rows = await withWorkMem<(NewRow & { kind: string; gs: number }) | (BackRow & { kind: string })>(
    db,
    sql`with cand as (
        select distinct coalesce(pe.merged_into_id, e.person_id) as p
        from encounters e left join people pe on pe.id = e.person_id and pe.merged_into_id is not null
        where ${q.seenInRange} and e.person_id is not null),
      ids as (select p, p as id from cand
        union all select c.p, pe.id from cand c join people pe on pe.merged_into_id = c.p),
      seen as materialized (select i.p, e.id, e.station_id as s, e.occurred_at as at, width_bucket(e.occurred_at, ${q.B}) as k
        from ids i join encounters e on e.person_id = i.id
        where e.found and e.outcome <> 'not_found'),
      nights as (select p, k, lag(k) over w as prev, lead(k) over w as next, row_number() over w as rn
        from (select distinct p, k from seen) x window w as (partition by p order by k)),
      firsts as (select distinct on (p) p, s, k from seen order by p, at, id)
      select 'new' as kind, f.s, f.k, nt.next, count(*) as c, 0 as gs
        from firsts f join nights nt on nt.p = f.p and nt.rn = 1
        where f.s in (${q.S}) and f.k between ${q.lo}::int and ${q.hi}::int
        group by f.s, f.k, nt.next
      union all
      select 'back' as kind, s, null, null, count(distinct p) as c, grouping(s) as gs
        from (select distinct se.p, se.s from seen se join nights nt on nt.p = se.p and nt.k = se.k
          where se.s in (${q.S}) and se.k between ${q.lo}::int and ${q.hi}::int
            and nt.prev is not null and nt.k - nt.prev > ${RETURNER_GAP_NIGHTS}::int) x
        group by grouping sets ((s), ())`,
  );
  return {
    fresh: rows.filter((r): r is NewRow & { kind: string; gs: number } => r.kind === "new"),
    back: rows.filter((r): r is BackRow & { kind: string } => r.kind === "back"),
  };
}
