import { randomUUID } from "node:crypto";
import postgres from "postgres";
import { login, percentile, result, spawnServer, throwawayDatabase, type BenchResult } from "./lib.js";

/**
 * Nearest available vehicle among `n` (all in the operator's station, spread over ~40 × 40 km):
 * GET /api/cases/:id/recommendations (the nearest 20) against the raw SQL (haversine ORDER BY ... LIMIT 20
 * over the same table, a sequential scan). Also checks that the server's first recommendation is the true nearest vehicle.
 */
export async function nearestVehicle(n = 100_000, runs = 10): Promise<BenchResult[]> {
  const db = await throwawayDatabase();
  const ours = await spawnServer({ DATABASE_URL: db.url, PORT: "0", SEED: "demo" });
  const sqlc = postgres(db.url, { max: 2, onnotice: () => {} });
  try {
    const stationId = (
      await sqlc<{ station_id: string }[]>`select station_id from users where username = 'operator'`
    )[0]!.station_id;
    await sqlc`insert into vehicles (station_id, call_sign, plate, status, last_lat, last_lng, last_position_at)
      select ${stationId}::uuid, 'NV-' || lpad(g::text, 6, '0'), 'P' || g, 'available',
        45.55 + random() * 0.36, 126.40 + random() * 0.52, now()
      from generate_series(1, ${n}) g`;
    await sqlc`analyze vehicles`;
    const cookie = await login(ours.url, "operator");
    const spot = { lat: 45.7712, lng: 126.6789 };
    const r = await fetch(`${ours.url}/api/sightings`, {
      method: "POST",
      headers: { cookie, "content-type": "application/json" },
      body: JSON.stringify({
        id: randomUUID(),
        source: "public_hotline",
        ...spot,
        description: "bench",
        newCase: true,
      }),
    });
    if (r.status !== 201) throw new Error(`sighting ${r.status} ${await r.text()}`);
    const caseId = ((await r.json()) as { case: { id: string } }).case.id;

    type Rec = { vehicleId: string; callSign: string; distanceM: number | null };
    let first: Rec | undefined;
    let count = 0;
    let bytes = 0;
    const oursMs: number[] = [];
    for (let i = 0; i < runs + 1; i++) {
      const t = performance.now();
      const res = await fetch(`${ours.url}/api/cases/${caseId}/recommendations`, { headers: { cookie } });
      const text = await res.text();
      if (!res.ok) throw new Error(`recommendations ${res.status} ${text.slice(0, 200)}`);
      if (i > 0) oursMs.push(performance.now() - t);
      const body = JSON.parse(text) as { items: Rec[] };
      first = body.items[0];
      count = body.items.length;
      bytes = text.length;
    }

    const rawQuery = () => sqlc<{ id: string; call_sign: string; d: number }[]>`
      select id, call_sign, 2 * 6371008.8 * asin(sqrt(
          power(sin(radians(last_lat - ${spot.lat}) / 2), 2)
          + cos(radians(${spot.lat})) * cos(radians(last_lat)) * power(sin(radians(last_lng - ${spot.lng}) / 2), 2))) as d
      from vehicles where station_id = ${stationId}::uuid and status = 'available' and last_lat is not null
      order by d limit 20`;
    const rawMs: number[] = [];
    let nearest: { id: string; call_sign: string; d: number } | undefined;
    for (let i = 0; i < runs + 1; i++) {
      const t = performance.now();
      const rows = await rawQuery();
      if (i > 0) rawMs.push(performance.now() - t);
      nearest = rows[0];
    }
    const correct = first?.vehicleId === nearest?.id;
    return [
      result({
        name: "nearest vehicle",
        metric: `ms for nearest available vehicle among ${n.toLocaleString("en-US")}, median of ${runs}`,
        ours: percentile(oursMs, 50),
        baseline: percentile(rawMs, 50),
        lowerIsBetter: true,
        details:
          `server returned ${count} items (${Math.round(bytes / 1024)} KiB); its first ${first?.callSign} at ${first?.distanceM} m, ` +
          `true nearest ${nearest?.call_sign} at ${Math.round(nearest?.d ?? NaN)} m — ${correct ? "correct" : "WRONG"}; ours: bounding box on vehicles_status_position_idx widened until it holds the nearest 20; raw: haversine ORDER BY LIMIT 20 (seq scan)`,
      }),
    ];
  } finally {
    await sqlc.end();
    await ours.stop("SIGKILL");
    await db.drop();
  }
}
