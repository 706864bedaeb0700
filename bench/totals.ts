import { randomUUID } from "node:crypto";
import postgres from "postgres";
import { login, percentile, result, spawnServer, throwawayDatabase, type BenchResult } from "./lib.js";

const OUTCOMES = [
  "brought_in",
  "street_aid",
  "hospital",
  "escorted_home",
  "family_pickup",
  "referred_police",
  "referred_minors",
  "referred_mental_health",
  "refused",
  "not_found",
];

/**
 * Campaign totals over `target` records (60 % encounters, 40 % handed-out supply ledger lines) in
 * the head's station, spread over the running campaign: GET /api/campaigns/:id/totals as head
 * against raw SQL giving the same figures (whole range and each day). Rows are generated with
 * generate_series after the server migrated the throwaway database, in chunks, stopping early when
 * generation passes `budgetS` seconds (the figure says how many rows it used).
 *
 * Realistic identity: a pool of PEOPLE people (5 % of them merged into another), 40 % of the
 * encounters linked to one of them, a third of the ledger lines naming an encounter. Each timed
 * read follows a write through the API (a person created: an event, nothing counted), so it is a
 * real computation, not the totals cache; the cached read and 20 concurrent dashboards are reported
 * beside it. The due-now list (its re-check query scans the last 7 days of encounters) is measured too.
 */
const PEOPLE = 20_000;

interface Figures {
  foundPersonTimes: number;
  foundPersons: number;
  aidedOnStreet: number;
  suppliesQuantity: number;
  suppliesValueFen: number;
}
interface TotalsBody {
  from: string;
  to: string;
  timeZone: string;
  dayStart: string;
  figures: Figures;
  daily: { day: string; figures: Figures }[];
}
type RawDay = { day: string | null; g: number; found: string; persons: string; street: string; q: string; v: string };

/** A deterministic, well-formed (version 4 shaped) UUID from a prefix and a row number, in SQL. */
const uuidOf = (prefix: string, n: string) =>
  `overlay(overlay(md5('${prefix}' || ${n}) placing '4' from 13) placing '8' from 17)::uuid`;

export async function campaignTotals(target = 5_000_000, budgetS = 150, runs = 3): Promise<BenchResult[]> {
  const db = await throwawayDatabase();
  // Jobs off: scheduled jobs (the due-now announcement scans the last 7 days of encounters) would
  // compete with the figures measured here; the due-now list is measured on its own below.
  const ours = await spawnServer({ DATABASE_URL: db.url, PORT: "0", SEED: "demo", JOBS_ENABLED: "false" });
  // Two loader connections (encounters and ledger in parallel); FK triggers off while loading.
  const loaders = [postgres(db.url, { max: 1, onnotice: () => {} }), postgres(db.url, { max: 1, onnotice: () => {} })];
  const sqlc = postgres(db.url, { max: 2, onnotice: () => {} });
  try {
    const stationId = (await sqlc<{ station_id: string }[]>`select station_id from users where username = 'head'`)[0]!
      .station_id;
    const [camp] = await sqlc<{ id: string; starts_on: string }[]>`select id, starts_on::text from campaigns limit 1`;
    const items = await sqlc<
      { id: string; unit_value_fen: number }[]
    >`select id, unit_value_fen from supply_items order by code`;
    for (const l of loaders) await l`set session_replication_role = replica`;
    await loaders[0]!.unsafe(
      `insert into people (id, station_id, created_at)
      select ${uuidOf("p", "g")}, $1::uuid, $2::date from generate_series(1, ${PEOPLE}) g`,
      [stationId, camp!.starts_on],
    );
    await loaders[0]!.unsafe(`update people set merged_into_id = ${uuidOf("p", `(1 + (n + 7) % ${PEOPLE})`)}
      from generate_series(20, ${PEOPLE}, 20) n where id = ${uuidOf("p", "n")}`);
    const chunk = 500_000;
    const t0 = performance.now();
    let encountersN = 0;
    let ledgerN = 0;
    // Spread over the campaign so far, ending a minute ago.
    while (encountersN + ledgerN < target && (performance.now() - t0) / 1000 < budgetS) {
      const e = Math.min(Math.round(chunk * 0.6), Math.round(target * 0.6) - encountersN);
      const l = Math.min(Math.round(chunk * 0.4), Math.round(target * 0.4) - ledgerN);
      await Promise.all([
        // Deterministic ids (md5 of the row number) so ledger lines can name earlier encounters.
        e > 0 &&
          loaders[0]!.unsafe(
            `insert into encounters (id, station_id, person_id, found, outcome, occurred_at)
          select ${uuidOf("e", "g")}, $1::uuid,
            case when g % 5 < 2 and g % 10 <> 9 then ${uuidOf("p", `(1 + floor(random() * ${PEOPLE})::int)`)} end,
            g % 10 <> 9, ($2::text[])[1 + g % 10],
            $3::date + random() * (now() - interval '1 minute' - $3::date)
          from generate_series(${encountersN + 1}, ${encountersN + e}) g`,
            [stationId, OUTCOMES, camp!.starts_on],
          ),
        l > 0 &&
          loaders[1]!.unsafe(
            `insert into supply_ledger (id, station_id, item_id, kind, quantity, unit_value_fen, at, encounter_id)
          select gen_random_uuid(), $1::uuid, ($2::uuid[])[1 + g % ${items.length}], 'handed_out', 1 + g % 3,
            ($3::int[])[1 + g % ${items.length}], $4::date + random() * (now() - interval '1 minute' - $4::date),
            case when g % 3 = 0 then ${uuidOf("e", `(1 + floor(random() * ${Math.max(encountersN, 1)})::int)`)} end
          from generate_series(1, ${l}) g`,
            [stationId, items.map((i) => i.id), items.map((i) => i.unit_value_fen), camp!.starts_on],
          ),
      ]);
      encountersN += Math.max(e, 0);
      ledgerN += Math.max(l, 0);
    }
    // vacuum as autovacuum would after a bulk insert: statistics, and the visibility map that lets
    // the totals read the partial encounter index without visiting the table.
    await Promise.all([loaders[0]!`vacuum analyze encounters`, loaders[1]!`vacuum analyze supply_ledger`]);
    await loaders[0]!`vacuum analyze people`;
    const genS = (performance.now() - t0) / 1000;
    const rows = encountersN + ledgerN;

    const cookie = await login(ours.url, "head");
    const totalsUrl = `${ours.url}/api/campaigns/${camp!.id}/totals`;
    const read = async () => {
      const res = await fetch(totalsUrl, { headers: { cookie } });
      const text = await res.text();
      if (!res.ok) throw new Error(`totals ${res.status} ${text.slice(0, 300)}`);
      return JSON.parse(text) as TotalsBody;
    };
    // A write that records an event and changes no figure: the next read must compute afresh.
    const write = async () => {
      const res = await fetch(`${ours.url}/api/people`, {
        method: "POST",
        headers: { cookie, "content-type": "application/json" },
        body: JSON.stringify({ id: randomUUID(), stationId, gender: "male", approxAge: 50 }),
      });
      if (res.status !== 201) throw new Error(`people ${res.status} ${await res.text()}`);
    };
    const oursMs: number[] = [];
    let body: TotalsBody | undefined;
    for (let i = 0; i < runs + 1; i++) {
      await write();
      const t = performance.now();
      body = await read();
      if (i > 0) oursMs.push(performance.now() - t);
    }
    const tc = performance.now();
    await read();
    const cachedMs = performance.now() - tc;
    await write();
    const td = performance.now();
    await Promise.all(Array.from({ length: 20 }, () => read()));
    const dashboardsMs = performance.now() - td;

    // Due-now list (key points + welfare re-checks over the last 7 days of encounters) against a
    // plain count of the re-check candidates.
    const dueMs: number[] = [];
    let rechecks = 0;
    for (let i = 0; i < runs; i++) {
      const t = performance.now();
      const res = await fetch(`${ours.url}/api/due-now?stationId=${stationId}`, { headers: { cookie } });
      const body = (await res.json()) as { rechecks: unknown[] };
      if (!res.ok) throw new Error(`due-now ${res.status}`);
      dueMs.push(performance.now() - t);
      rechecks = body.rechecks.length;
    }
    const dueRawMs: number[] = [];
    let candidates = 0;
    for (let i = 0; i < runs; i++) {
      const t = performance.now();
      const [c] = await sqlc<{ n: string }[]>`select count(*) as n from encounters where station_id = ${stationId}::uuid
        and occurred_at >= now() - interval '7 days' and found and outcome in ('refused', 'street_aid')`;
      dueRawMs.push(performance.now() - t);
      candidates = Number(c!.n);
    }

    // The floor: raw SQL giving the same figures the product computes from these two tables (which
    // hold all but a few hundred of the records), for the whole range and every report day: one
    // statement per table with `grouping sets ((day), ())`, the day cut at the server's report-day
    // start in its time zone, distinct identified people through merges, refused encounters that
    // still left with supplies.
    const { from, to, timeZone, dayStart } = body!;
    const cut = `${dayStart}:00`;
    const raw = () =>
      Promise.all([
        sqlc<RawDay[]>`select d::text as day, grouping(d) as g,
            count(*) filter (where found and outcome <> 'not_found') as found,
            count(*) filter (where found and outcome <> 'not_found' and e.person_id is null)
              + count(distinct coalesce(pe.merged_into_id, e.person_id)) filter (where found and outcome <> 'not_found') as persons,
            count(*) filter (where found and (outcome = 'street_aid' or (outcome = 'refused' and h.encounter_id is not null))) as street,
            0 as q, 0 as v
          from (select *, (occurred_at at time zone ${timeZone} - ${cut}::interval)::date as d from encounters
            where station_id = ${stationId}::uuid) e
          left join people pe on pe.id = e.person_id and pe.merged_into_id is not null
          left join (select distinct encounter_id from supply_ledger
            where kind = 'handed_out' and encounter_id is not null) h on h.encounter_id = e.id
          where d between ${from}::date and ${to}::date
          group by grouping sets ((d), ())`,
        sqlc<RawDay[]>`select d::text as day, grouping(d) as g, 0 as found, 0 as persons, 0 as street,
            coalesce(sum(quantity), 0) as q, coalesce(sum(quantity::bigint * unit_value_fen), 0) as v
          from (select *, (at at time zone ${timeZone} - ${cut}::interval)::date as d from supply_ledger
            where station_id = ${stationId}::uuid and kind = 'handed_out') l
          where d between ${from}::date and ${to}::date
          group by grouping sets ((d), ())`,
      ]);
    const rawMs: number[] = [];
    let rawRows: RawDay[] = [];
    for (let i = 0; i < runs + 1; i++) {
      const t = performance.now();
      const [e, l] = await raw();
      if (i > 0) rawMs.push(performance.now() - t);
      rawRows = [...e, ...l];
    }
    // Every compared figure, whole and per day, as "key=value" lines: the two sides must be equal.
    const pick = (f: Figures) => [
      f.foundPersonTimes,
      f.foundPersons,
      f.aidedOnStreet,
      f.suppliesQuantity,
      f.suppliesValueFen,
    ];
    const oursLines = [
      `all ${pick(body!.figures).join(" ")}`,
      ...body!.daily.filter((d) => pick(d.figures).some((x) => x)).map((d) => `${d.day} ${pick(d.figures).join(" ")}`),
    ].sort();
    const rawBy = new Map<string, number[]>();
    for (const r of rawRows) {
      const k = Number(r.g) ? "all" : r.day!;
      const acc = rawBy.get(k) ?? [0, 0, 0, 0, 0];
      [r.found, r.persons, r.street, r.q, r.v].forEach((x, i) => (acc[i]! += Number(x)));
      rawBy.set(k, acc);
    }
    const rawLines = [...rawBy]
      .filter(([, v]) => v.some((x) => x))
      .map(([k, v]) => `${k} ${v.join(" ")}`)
      .sort();
    const same = oursLines.join("\n") === rawLines.join("\n");
    const figures = body!.figures;
    const rawAll = rawBy.get("all");
    return [
      result({
        name: "campaign totals",
        metric: `ms for campaign totals over ${(rows / 1e6).toFixed(1)} M records, median of ${runs}`,
        ours: percentile(oursMs, 50),
        baseline: percentile(rawMs, 50),
        lowerIsBetter: true,
        details:
          `${encountersN.toLocaleString("en-US")} encounters (40 % of ${PEOPLE.toLocaleString("en-US")} known people) + ${ledgerN.toLocaleString("en-US")} ledger lines, generated in ${genS.toFixed(0)} s` +
          `${rows < target ? ` (stopped short of ${target.toLocaleString("en-US")} at the ${budgetS} s budget)` : ""}; ` +
          `figures ${same ? `match (人次, 人, street aid, supplies quantity and value, whole and each of ${oursLines.length - 1} days)` : `DIFFER (ours ${oursLines[0]}; raw ${rawLines[0]})`} (${figures.foundPersons.toLocaleString("en-US")} persons); ` +
          `ours = whole + by station + by day in one pass per table, computed after a write; cached read ${cachedMs.toFixed(1)} ms, ` +
          `20 concurrent dashboards after a write ${dashboardsMs.toFixed(0)} ms; raw = one statement per table with grouping sets (day, whole) giving the same figures (ours also computes the small tables' figures and each station)`,
      }),
      result({
        name: "due-now rechecks",
        metric: `ms for the due-now list over ${(encountersN / 1e6).toFixed(1)} M encounters, median of ${runs}`,
        ours: percentile(dueMs, 50),
        baseline: percentile(dueRawMs, 50),
        lowerIsBetter: true,
        details:
          `${rechecks} re-checks listed out of ${candidates.toLocaleString("en-US")} refused/street-aid encounters in the last 7 days; ` +
          `raw = count of those candidates`,
      }),
    ];
  } finally {
    for (const l of loaders) await l.end();
    await sqlc.end();
    await ours.stop("SIGKILL");
    await db.drop();
  }
}
