import postgres from "postgres";
import { login, percentile, result, spawnServer, throwawayDatabase, type BenchResult } from "./lib.js";

const OUTCOMES = ["brought_in", "street_aid", "hospital", "escorted_home", "family_pickup", "referred_police",
  "referred_minors", "referred_mental_health", "refused", "not_found"];

/**
 * Campaign totals over `target` records (60 % encounters, 40 % handed-out supply ledger lines) in
 * the head's station, spread over the running campaign: GET /api/campaigns/:id/totals as head
 * against the raw SQL aggregate (count/sum over the same rows). Rows are generated with
 * generate_series after the server migrated the throwaway database, in chunks, stopping early when
 * generation passes `budgetS` seconds (the figure says how many rows it used).
 */
export async function campaignTotals(target = 5_000_000, budgetS = 150, runs = 3): Promise<BenchResult[]> {
  const db = await throwawayDatabase();
  // Jobs off: the due-now job's re-check query (campaigns.repo openRechecks) runs for minutes over
  // millions of encounters and would compete with the figure measured here (see RESULTS.md).
  const ours = await spawnServer({ DATABASE_URL: db.url, PORT: "0", SEED: "demo", JOBS_ENABLED: "false" });
  // Two loader connections (encounters and ledger in parallel); FK triggers off while loading.
  const loaders = [postgres(db.url, { max: 1, onnotice: () => {} }), postgres(db.url, { max: 1, onnotice: () => {} })];
  const sqlc = postgres(db.url, { max: 2, onnotice: () => {} });
  try {
    const stationId = (await sqlc<{ station_id: string }[]>`select station_id from users where username = 'head'`)[0]!.station_id;
    const [camp] = await sqlc<{ id: string; starts_on: string }[]>`select id, starts_on::text from campaigns limit 1`;
    const items = (await sqlc<{ id: string; unit_value_fen: number }[]>`select id, unit_value_fen from supply_items order by code`);
    for (const l of loaders) await l`set session_replication_role = replica`;
    const chunk = 500_000;
    const t0 = performance.now();
    let encountersN = 0;
    let ledgerN = 0;
    // Spread over the campaign so far, ending a minute ago.
    while (encountersN + ledgerN < target && (performance.now() - t0) / 1000 < budgetS) {
      const e = Math.min(Math.round(chunk * 0.6), Math.round(target * 0.6) - encountersN);
      const l = Math.min(Math.round(chunk * 0.4), Math.round(target * 0.4) - ledgerN);
      await Promise.all([
        e > 0 && loaders[0]!.unsafe(`insert into encounters (id, station_id, found, outcome, occurred_at)
          select gen_random_uuid(), $1::uuid, g % 10 <> 9, ($2::text[])[1 + g % 10],
            $3::date + random() * (now() - interval '1 minute' - $3::date)
          from generate_series(1, ${e}) g`, [stationId, OUTCOMES, camp!.starts_on]),
        l > 0 && loaders[1]!.unsafe(`insert into supply_ledger (id, station_id, item_id, kind, quantity, unit_value_fen, at)
          select gen_random_uuid(), $1::uuid, ($2::uuid[])[1 + g % ${items.length}], 'handed_out', 1 + g % 3,
            ($3::int[])[1 + g % ${items.length}], $4::date + random() * (now() - interval '1 minute' - $4::date)
          from generate_series(1, ${l}) g`, [stationId, items.map((i) => i.id), items.map((i) => i.unit_value_fen), camp!.starts_on]),
      ]);
      encountersN += Math.max(e, 0);
      ledgerN += Math.max(l, 0);
    }
    await Promise.all([loaders[0]!`analyze encounters`, loaders[1]!`analyze supply_ledger`]);
    const genS = (performance.now() - t0) / 1000;
    const rows = encountersN + ledgerN;

    const cookie = await login(ours.url, "head");
    const oursMs: number[] = [];
    let figures: { foundPersonTimes: number; suppliesQuantity: number; suppliesValueFen: number } | undefined;
    for (let i = 0; i < runs + 1; i++) {
      const t = performance.now();
      const res = await fetch(`${ours.url}/api/campaigns/${camp!.id}/totals`, { headers: { cookie } });
      const text = await res.text();
      if (!res.ok) throw new Error(`totals ${res.status} ${text.slice(0, 300)}`);
      if (i > 0) oursMs.push(performance.now() - t);
      figures = (JSON.parse(text) as { figures: typeof figures }).figures;
    }

    const raw = () => Promise.all([
      sqlc<{ found: string; brought_in: string }[]>`select count(*) filter (where found and outcome <> 'not_found') as found,
          count(*) filter (where found and outcome = 'brought_in') as brought_in
        from encounters where station_id = ${stationId}::uuid and occurred_at >= ${camp!.starts_on}::date - 1 and occurred_at < now() + interval '1 day'`,
      sqlc<{ q: string; v: string }[]>`select coalesce(sum(quantity), 0) as q, coalesce(sum(quantity::bigint * unit_value_fen), 0) as v
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
    const same = figures?.foundPersonTimes === rawFig?.found && figures?.suppliesQuantity === rawFig?.q && figures?.suppliesValueFen === rawFig?.v;
    return [result({
      name: "campaign totals", metric: `ms for campaign totals over ${(rows / 1e6).toFixed(1)} M records, median of ${runs}`,
      ours: percentile(oursMs, 50), baseline: percentile(rawMs, 50), lowerIsBetter: true,
      details: `${encountersN.toLocaleString("en-US")} encounters + ${ledgerN.toLocaleString("en-US")} ledger lines, generated in ${genS.toFixed(0)} s`
        + `${rows < target ? ` (stopped short of ${target.toLocaleString("en-US")} at the ${budgetS} s budget)` : ""}; `
        + `figures ${same ? "match" : `DIFFER (ours found ${figures?.foundPersonTimes}, qty ${figures?.suppliesQuantity}; raw ${rawFig?.found}, ${rawFig?.q})`}; `
        + `ours = whole + by station + by day (3 × 9 queries, count distinct persons); raw = 2 count/sum queries`,
    })];
  } finally {
    for (const l of loaders) await l.end();
    await sqlc.end();
    await ours.stop("SIGKILL");
    await db.drop();
  }
}
