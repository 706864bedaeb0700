import { sql, type SQL } from "drizzle-orm";
import { rawRows, type DbOrTx } from "../db/client.js";
import { FAMILY_CLOSINGS } from "../../shared/identification.js";
import { periodEnd } from "../../shared/identification-figures.js";
import { rulesOfStations } from "../identification/identification.repo.js";
import { n, type CellRow, type FigureQuery, type SetRow } from "./figure-scope.js";

/**
 * The identification figures (甄别寻亲) in SQL, mirroring shared/identification-figures.ts:
 * 落户安置 people and the median days to a family found by the closing's day (grouping sets), and the
 * people past each statutory deadline at the end of each day of the range (now for a day still
 * running), from which the station's and the whole range's figure is the last day's.
 */
type FigurePass = (db: DbOrTx, q: FigureQuery) => Promise<() => void>;

const familyClosings = sql.join(
  FAMILY_CLOSINGS.map((c) => sql`${c}`),
  sql`, `,
);

/** 落户安置 (人, following merges) and the median whole days arrival → family found, by the closing's time. */
export const identificationClosings: FigurePass = async (db, q) => {
  const rows = await rawRows<SetRow>(
    db,
    sql`select s, k, grouping(s) as gs, grouping(k) as gk,
      count(distinct p) filter (where closing = 'settled') as settled,
      percentile_cont(0.5) within group (order by days) filter (where fam) as med
    from (select f.station_id as s, ${q.dayOf(sql`f.closed_at`)} as k, f.closing,
        f.closing in (${familyClosings}) as fam, coalesce(pe.merged_into_id, f.person_id) as p,
        floor(extract(epoch from (f.closed_at - f.arrived_at)) / 86400) as days
      from identification_files f left join people pe on pe.id = f.person_id
      where ${q.where(sql`f.closed_at`, sql`f.station_id`)} and f.closing is not null) x
    group by grouping sets ((s), (k), ())`,
  );
  return () => {
    for (const r of rows) {
      const f = q.target(r);
      if (!f) continue;
      f.householdSettled = n(r.settled);
      f.medianDaysToIdentification = r.med === null || r.med === undefined ? null : Number(r.med);
    }
  };
};

/**
 * People past each deadline at the end of each day (the figures of a day, a station and the range
 * are taken at their end). A deadline in hours runs on the clock; one in months on the station's
 * calendar (UTC+8, a month's last day clamped: PostgreSQL's month arithmetic, as addLocalMonths).
 * The deadlines in force come from the identification repo (a province's own, else the national).
 */
export const pastDeadlines: FigurePass = async (db, q) => {
  const rules = await rulesOfStations(db, q.stationIds);
  const ruleRows = sql.join(
    [...rules].map(
      ([s, r]) =>
        sql`(${s}::uuid, ${r.fingerprintHours}::int, ${r.noticeHours}::int, ${r.dnaRequestMonths}::int, ${r.settleReviewMonths}::int)`,
    ),
    sql`, `,
  );
  const ends = q.bounds.slice(1).map((b) => periodEnd({ to: b }, q.now).toISOString());
  const endsArray = sql`${`{${ends.map((e) => `"${e}"`).join(",")}}`}::timestamptz[]`;
  const local = (months: SQL) =>
    sql`((((f.arrived_at at time zone 'UTC') + interval '8 hours' + make_interval(months => ${months})) - interval '8 hours') at time zone 'UTC')`;
  const rows = await rawRows<CellRow>(
    db,
    sql`select x.s, b.k,
      count(distinct x.p) filter (where x.fp_due < b.at and (x.fp is null or x.fp > b.at)) as fp,
      count(distinct x.p) filter (where x.nt_due < b.at and (x.nt is null or x.nt > b.at)) as nt,
      count(distinct x.p) filter (where x.dna_due < b.at and (x.dna is null or x.dna > b.at)) as dna,
      count(distinct x.p) filter (where x.sr_due < b.at) as sr
    from (select f.station_id as s, coalesce(pe.merged_into_id, f.person_id) as p, f.arrived_at, f.closed_at,
        f.arrived_at + make_interval(hours => r.fh) as fp_due,
        f.arrived_at + make_interval(hours => r.nh) as nt_due,
        ${local(sql`r.dm`)} as dna_due,
        ${local(sql`r.sm`)} as sr_due,
        st.fp, st.nt, st.dna
      from identification_files f
      join (values ${ruleRows}) as r(s, fh, nh, dm, sm) on r.s = f.station_id
      left join people pe on pe.id = f.person_id
      left join (select person_id,
          min(at) filter (where kind = 'fingerprint_check') as fp,
          min(at) filter (where kind = 'notice_published') as nt,
          min(at) filter (where kind = 'dna_requested') as dna
        from identification_steps where ${q.inStations(sql`station_id`)} group by person_id) st on st.person_id = f.person_id
      where ${q.inStations(sql`f.station_id`)} and f.arrived_at < ${q.to}::timestamptz
        and (f.closed_at is null or f.closed_at > ${q.from}::timestamptz)) x
    join unnest(${endsArray}) with ordinality as b(at, k)
      on x.arrived_at <= b.at and (x.closed_at is null or x.closed_at > b.at)
    group by 1, 2`,
  );
  return () => {
    const last = q.days.length;
    for (const r of rows) {
      const k = n(r.k);
      const [whole, station, day] = q.cell(r.s, k);
      const targets = k === last ? [whole!, station!, day!] : [day!];
      for (const f of targets) {
        f.pastFingerprintCheck += n(r.fp);
        f.pastNotice += n(r.nt);
        f.pastDnaRequest += n(r.dna);
        f.pastSettleReview += n(r.sr);
      }
    }
  };
};
