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
 * against the raw SQL aggregate (count/sum over the same rows). Rows are generated with
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
      return (JSON.parse(text) as { figures: NonNullable<typeof figures> }).figures;
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
    let figures:
      | { foundPersonTimes: number; foundPersons: number; suppliesQuantity: number; suppliesValueFen: number }
      | undefined;
    for (let i = 0; i < runs + 1; i++) {
      await write();
      const t = performance.now();
      figures = await read();
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

    const raw = () =>
      Promise.all([
        sqlc<
          { found: string; brought_in: string }[]
        >`select count(*) filter (where found and outcome <> 'not_found') as found,
          count(*) filter (where found and outcome = 'brought_in') as brought_in
        from encounters where station_id = ${stationId}::uuid and occurred_at >= ${camp!.starts_on}::date - 1 and occurred_at < now() + interval '1 day'`,
        sqlc<
          { q: string; v: string }[]
        >`select coalesce(sum(quantity), 0) as q, coalesce(sum(quantity::bigint * unit_value_fen), 0) as v
        from supply_ledger where station_id = ${stationId}::uuid and kind = 'handed_out'
          and at >= ${camp!.starts_on}::date - 1 and at < now() + interval '1 day'`,
      ]);
    const rawMs: number[] = [];
    let rawFig: { found: number; q: number; v: number } | undefined;
    for (let i = 0; i < runs + 1; i++) {
      const t = performance.now();
      const [[e], [l]] = await raw();
      if (i > 0) rawMs.push(performance.now() - t);
      rawFig = { found: Number(e!.found), q: Number(l!.q), v: Number(l!.v) };
    }
    const same =
      figures?.foundPersonTimes === rawFig?.found &&
      figures?.suppliesQuantity === rawFig?.q &&
      figures?.suppliesValueFen === rawFig?.v;
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
          `figures ${same ? "match" : `DIFFER (ours found ${figures?.foundPersonTimes}, qty ${figures?.suppliesQuantity}; raw ${rawFig?.found}, ${rawFig?.q})`} (${figures?.foundPersons.toLocaleString("en-US")} persons); ` +
          `ours = whole + by station + by day in one pass per table, computed after a write; cached read ${cachedMs.toFixed(1)} ms, ` +
          `20 concurrent dashboards after a write ${dashboardsMs.toFixed(0)} ms; raw = 2 count/sum queries`,
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
