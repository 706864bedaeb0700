import { sql } from "drizzle-orm";
import { rawRows, type DbOrTx } from "../db/client.js";
import type { Figures, SupplyFigure } from "../../shared/counting.js";
import { REFERRAL_OUTCOMES, inService } from "../../shared/counting.js";
import { identificationClosings, pastDeadlines } from "./identification-passes.js";
import { n, withWorkMem, type CellRow, type FigureQuery, type SetRow } from "./figure-scope.js";

/**
 * One pass per table (or per figure that does not add up): it reads its rows, and returns the fold
 * that adds them to the figures. All passes read concurrently; the folds run after every read is in,
 * so no pass sees another's half-folded figures. Every definition mirrors shared/counting.ts
 * computeFigures.
 */
type FigurePass = (db: DbOrTx, q: FigureQuery) => Promise<() => void>;

const REFERRALS = new Set<string>(REFERRAL_OUTCOMES);

/** A pass whose rows are grouped by (station, day) and each add to that cell's three figures. */
function cellPass(
  query: (q: FigureQuery) => ReturnType<typeof sql>,
  add: (f: Figures, r: CellRow) => void,
): FigurePass {
  return async (db, q) => {
    const rows = await rawRows<CellRow>(db, query(q));
    return () => {
      for (const r of rows) for (const f of q.cell(r.s, r.k)) add(f, r);
    };
  };
}

/** A pass of `grouping sets ((station), (day), ())` rows, each setting its one figure. */
function setPass(
  query: (q: FigureQuery) => ReturnType<typeof sql>,
  apply: (f: Figures, r: SetRow) => void,
  heavy = false,
): FigurePass {
  return async (db, q) => {
    const rows = heavy ? await withWorkMem<SetRow>(db, query(q)) : await rawRows<SetRow>(db, query(q));
    return () => {
      for (const r of rows) {
        const f = q.target(r);
        if (f) apply(f, r);
      }
    };
  };
}

const patrols = cellPass(
  (q) => sql`select p.station_id as s, d.k, count(*) as patrols,
      coalesce(sum((select coalesce(sum((f->>'count')::int), 0) from jsonb_array_elements(p.foot_staff) f)), 0) as foot
    from patrols p ${q.dayJoin(sql`p.started_at`)} where ${q.where(sql`p.started_at`, sql`p.station_id`)} group by 1, 2`,
  (f, r) => {
    f.patrols += n(r.patrols);
    f.staffPersonTimes += n(r.foot);
  },
);

const sorties = cellPass(
  (q) => sql`select x.station_id as s, d.k, count(*) as sorties, coalesce(sum(x.crew_count), 0) as crew
    from sorties x ${q.dayJoin(sql`x.started_at`)} where ${q.where(sql`x.started_at`, sql`x.station_id`)} group by 1, 2`,
  (f, r) => {
    f.sorties += n(r.sorties);
    f.staffPersonTimes += n(r.crew);
  },
);

const keyPointVisits = cellPass(
  (q) => sql`select v.station_id as s, d.k, count(*) as visits
    from key_point_visits v ${q.dayJoin(sql`v.visited_at`)} where ${q.where(sql`v.visited_at`, sql`v.station_id`)} group by 1, 2`,
  (f, r) => {
    f.keyPointVisits += n(r.visits);
  },
);

/** What one found encounter with this outcome adds to, besides the person-times. */
function addOutcome(f: Figures, outcome: string, c: number): void {
  if (outcome === "brought_in") f.aidedInStation += c;
  else if (outcome === "street_aid") f.aidedOnStreet += c;
  else if (outcome === "hospital") f.hospital += c;
  else if (outcome === "escorted_home") f.escortedHome += c;
  else if (outcome === "family_pickup") f.familyPickup += c;
  else if (REFERRALS.has(outcome)) f.referred += c;
}

/**
 * Encounters, read once. The inner aggregate groups the rows by (station, day, outcome, found,
 * person): a hash aggregate over one scan, which also counts the refused encounters that still left
 * with supplies (a hash join on the distinct encounters named by handed-out ledger lines, read from
 * the partial index ledger_handed_out_encounter_idx: an EXISTS inside FILTER would be a probe per row). Its groups are far fewer than the
 * rows (a person is met many times a day), and merges are resolved on them (joining only merged
 * people). The outer `grouping sets` then gives, from those groups, the (station, day, outcome,
 * found, identified) cells that add up, and the distinct identified persons per station, per day
 * and over the whole range, which do not. Each unidentified found encounter is its own person.
 */
const encounters: FigurePass = async (db, q) => {
  const rows = await withWorkMem<SetRow>(
    db,
    sql`select s, k, outcome, found, anon, grouping(s) as gs, grouping(k) as gk, grouping(outcome) as go,
      sum(c) as c, sum(rs) as rs, count(distinct p) filter (where found and outcome <> 'not_found' and not anon) as persons
    from (select g.s, g.k, g.outcome, g.found, g.person_id is null as anon, coalesce(pe.merged_into_id, g.person_id) as p, g.c, g.rs
      from (select e.station_id as s, d.k, e.outcome, e.found, e.person_id, count(*) as c,
          count(*) filter (where e.found and e.outcome = 'refused' and h.encounter_id is not null) as rs
        from encounters e ${q.dayJoin(sql`e.occurred_at`)}
        left join (select distinct l.encounter_id from supply_ledger l
          where l.kind = 'handed_out' and l.encounter_id is not null) h on h.encounter_id = e.id
        where ${q.where(sql`e.occurred_at`, sql`e.station_id`)}
        group by 1, 2, 3, 4, 5) g
      left join people pe on pe.id = g.person_id and pe.merged_into_id is not null) x
    group by grouping sets ((s, k, outcome, found, anon), (s), (k), ())`,
  );
  return () => {
    for (const r of rows) {
      if (n(r.go)) {
        const f = q.target(r);
        if (f) f.foundPersons += n(r.persons);
        continue;
      }
      const cell = q.cell(r.s, r.k);
      const rs = n(r.rs);
      if (rs) for (const f of cell) f.aidedOnStreet += rs;
      if (!r.found || r.outcome === "not_found") continue;
      const c = n(r.c);
      for (const f of cell) {
        f.foundPersonTimes += c;
        if (r.anon) f.foundPersons += c;
        addOutcome(f, String(r.outcome), c);
      }
    }
  };
};

const walkIns = cellPass(
  (q) => sql`select st.station_id as s, d.k, count(*) as walk_ins
    from stays st ${q.dayJoin(sql`st.arrived_at`)} where ${q.where(sql`st.arrived_at`, sql`st.station_id`)} and st.encounter_id is null group by 1, 2`,
  (f, r) => {
    f.aidedInStation += n(r.walk_ins);
  },
);

const endedStays = cellPass(
  (q) => sql`select st.station_id as s, d.k, st.end_reason, count(*) as c
    from stays st ${q.dayJoin(sql`st.ended_at`)} where ${q.where(sql`st.ended_at`, sql`st.station_id`)} group by 1, 2, 3`,
  (f, r) => {
    const c = n(r.c);
    if (r.end_reason === "escorted_home") f.escortedHome += c;
    else if (r.end_reason === "family_pickup") f.familyPickup += c;
    else if (r.end_reason === "hospital") f.hospital += c;
    else if (r.end_reason === "care_institution") {
      f.referred += c;
      f.settled += c;
    } else if (r.end_reason === "settled") f.settled += c;
  },
);

// Supplies handed out, per item: accumulated per figure, then listed by item.
const suppliesHandedOut: FigurePass = async (db, q) => {
  const rows = await rawRows<CellRow>(
    db,
    sql`select l.station_id as s, d.k, l.item_id,
      coalesce(sum(l.quantity), 0) as q, coalesce(sum(l.quantity::bigint * l.unit_value_fen), 0) as v
    from supply_ledger l ${q.dayJoin(sql`l.at`)} where ${q.where(sql`l.at`, sql`l.station_id`)} and l.kind = 'handed_out' group by 1, 2, 3`,
  );
  return () => {
    const perItem = new Map<Figures, Map<string, SupplyFigure>>();
    for (const r of rows) {
      const quantity = n(r.q);
      const value = n(r.v);
      const itemId = String(r.item_id);
      for (const f of q.cell(r.s, r.k)) {
        let items = perItem.get(f);
        if (!items) perItem.set(f, (items = new Map()));
        const line = items.get(itemId) ?? { itemId, quantity: 0, valueFen: 0 };
        line.quantity += quantity;
        line.valueFen += value;
        items.set(itemId, line);
        f.suppliesQuantity += quantity;
        f.suppliesValueFen += value;
      }
    }
    for (const [f, items] of perItem) f.supplies = [...items.values()].sort((a, b) => a.itemId.localeCompare(b.itemId));
  };
};

const responseTimes = setPass(
  (q) => sql`select s, k, grouping(s) as gs, grouping(k) as gk,
      percentile_disc(0.5) within group (order by secs) as p50, percentile_disc(0.9) within group (order by secs) as p90, count(*) as c
    from (select station_id as s, ${q.dayOf(sql`received_at`)} as k,
            greatest(0, round(extract(epoch from (on_scene_at - received_at))))::int as secs
          from cases where ${q.where(sql`received_at`, sql`station_id`)} and on_scene_at is not null
            and status not in ('merged', 'cancelled')) x
    group by grouping sets ((s), (k), ())`,
  (f, r) => {
    f.responseP50Sec = r.p50 === null ? null : n(r.p50);
    f.responseP90Sec = r.p90 === null ? null : n(r.p90);
    f.responseCount = n(r.c);
  },
);

const familiesFound = setPass(
  (q) => sql`select s, k, grouping(s) as gs, grouping(k) as gk, count(distinct p) as found
    from (select f.station_id as s, ${q.dayOf(sql`f.at`)} as k, coalesce(pe.merged_into_id, f.person_id) as p
      from family_search_log f join people pe on pe.id = f.person_id
      where ${q.where(sql`f.at`, sql`f.station_id`)} and f.status = 'family_found') x
    group by grouping sets ((s), (k), ())`,
  (f, r) => {
    f.familiesFound = n(r.found);
  },
);

const keyPointsCovered = setPass(
  (q) => sql`select s, k, grouping(s) as gs, grouping(k) as gk, count(distinct kp) as covered
    from (select v.station_id as s, ${q.dayOf(sql`v.visited_at`)} as k, v.key_point_id as kp
      from key_point_visits v where ${q.where(sql`v.visited_at`, sql`v.station_id`)}) x
    group by grouping sets ((s), (k), ())`,
  (f, r) => {
    f.keyPointsCovered = n(r.covered);
  },
);

// Shelters in service are few rows: their periods are read and overlapped with each range by the
// same `inService` as the pure rules.
const sheltersInService: FigurePass = async (db, q) => {
  const rows = await rawRows<{ s: string; opened_at: Date | string; closed_at: Date | string | null }>(
    db,
    sql`select sh.station_id as s, sh.opened_at, sh.closed_at
    from shelters sh where ${q.inStations(sql`sh.station_id`)} and sh.opened_at < ${q.to}::timestamptz
      and (sh.closed_at is null or sh.closed_at > ${q.from}::timestamptz)`,
  );
  return () => {
    for (const r of rows) {
      const period = {
        id: "",
        openedAt: new Date(r.opened_at),
        closedAt: r.closed_at === null ? null : new Date(r.closed_at),
      };
      q.set.whole.sheltersInService++;
      const st = q.set.byStation.get(String(r.s));
      if (st) st.sheltersInService++;
      q.days.forEach((d, i) => {
        if (inService(period, { from: q.bounds[i]!, to: q.bounds[i + 1]! })) q.set.byDay.get(d)!.sheltersInService++;
      });
    }
  };
};

// Recipients of distributions (shared/counting.ts distributionRecipients); their supplies are
// already in the ledger pass (handed_out lines).
const distributionRecipients = cellPass(
  (q) => sql`select x.station_id as s, d.k, coalesce(sum(x.recipients), 0) as r
    from distributions x ${q.dayJoin(sql`x.occurred_at`)} where ${q.where(sql`x.occurred_at`, sql`x.station_id`)} group by 1, 2`,
  (f, r) => {
    f.distributionRecipients += n(r.r);
  },
);

/** Every pass of a computation; a new figure is a new pass here. */
export const FIGURE_PASSES: FigurePass[] = [
  patrols,
  sorties,
  keyPointVisits,
  encounters,
  walkIns,
  endedStays,
  suppliesHandedOut,
  responseTimes,
  familiesFound,
  keyPointsCovered,
  sheltersInService,
  distributionRecipients,
  identificationClosings,
  pastDeadlines,
];
