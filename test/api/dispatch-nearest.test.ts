import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, ENGINE, type TestDatabase } from "../helpers/test-server.js";
import type { RunningServer } from "../../server/server.js";
import { signedIn, type TestClient } from "../helpers/http.js";
import { demoIds, openCase, type DemoIds } from "../helpers/fleet.js";
import { api } from "../../shared/api/index.js";
import { haversineMeters } from "../../shared/geo.js";
import { rawRows } from "../../server/db/client.js";

type Item = { callSign: string; distanceM: number | null; stationId: string };

describe(`dispatch recommendations with a large fleet [${ENGINE}]`, () => {
  let tdb: TestDatabase;
  let srv: RunningServer;
  let op: TestClient;
  let ids: DemoIds;
  let visible: string[];

  beforeAll(async () => {
    tdb = await createTestDatabase();
    srv = await tdb.start({ JOBS_ENABLED: "false" });
    op = (await signedIn(srv.url, "operator")) as TestClient;
    ids = await demoIds(srv);
    const rows = await rawRows<{ station_id: string }>(
      srv.database.db,
      sql`select station_id from users where username = 'operator'`,
    );
    visible = rows.map((r) => r.station_id);
  });
  afterAll(async () => {
    await srv?.close();
    await tdb?.destroy();
  });

  /** The nearest available vehicles of the operator's stations, computed in JS over all of them. */
  async function bruteForce(at: { lat: number; lng: number }, n: number): Promise<string[]> {
    const all = await rawRows<{ call_sign: string; last_lat: number | null; last_lng: number | null }>(
      srv.database.db,
      sql`select call_sign, last_lat, last_lng from vehicles where status = 'available'
            and station_id in (${sql.join(
              visible.map((v) => sql`${v}::uuid`),
              sql`, `,
            )})`,
    );
    return all
      .map((v) => ({
        s: v.call_sign,
        d:
          v.last_lat === null || v.last_lng === null
            ? Infinity
            : haversineMeters({ lat: v.last_lat, lng: v.last_lng }, at),
      }))
      .sort((a, b) => a.d - b.d || (a.s < b.s ? -1 : 1))
      .slice(0, n)
      .map((v) => v.s);
  }

  async function recommend(at: { lat: number; lng: number }): Promise<Item[]> {
    const caseId = await openCase(srv, ids.dl, at.lat, at.lng);
    const r = await op.call(api.dispatch.recommendations, { params: { id: caseId } });
    expect(r.status).toBe(200);
    const items = r.body.items as Item[];
    // Nearest first, those without a position last.
    const d = items.map((i) => i.distanceM ?? Infinity);
    expect(d).toEqual([...d].sort((a, b) => a - b));
    return items;
  }

  it("lists the nearest 20 of a small fleet, vehicles without a position last", async () => {
    await srv.database.db.execute(sql`insert into vehicles (station_id, call_sign, plate, status)
      values (${ids.dl}::uuid, 'NOPOS-1', 'X-NOPOS', 'available')`);
    const at = { lat: 45.78, lng: 126.606 }; // next to DL-02
    const items = await recommend(at);
    const expected = await bruteForce(at, 20);
    expect(expected.length).toBeLessThan(20); // the demo fleet: the widening ends with the whole fleet
    expect(items.map((i) => i.callSign)).toEqual(expected);
    expect(items.slice(0, 2).map((i) => i.callSign)).toEqual(["DL-02", "DL-01"]);
    expect(items.at(-1)).toMatchObject({ callSign: "NOPOS-1", distanceM: null });
    expect(items.every((i) => visible.includes(i.stationId))).toBe(true);
  });

  it("returns exactly the nearest 20 of 3,000 vehicles (dense, sparse and far), as a brute force ranks them", async () => {
    // A dense cluster (~1 km), a city-wide spread (~40 km), and a far-away group; some busy,
    // some in another station; call signs sort before the demo ones, so a bound by call sign
    // would not do.
    await srv.database.db.execute(sql`insert into vehicles (station_id, call_sign, plate, status, last_lat, last_lng)
      select case when g % 7 = 0 then ${ids.ng}::uuid else ${ids.dl}::uuid end,
        'AA-' || lpad(g::text, 5, '0'), 'X' || g,
        case when g % 5 = 0 then 'dispatched' else 'available' end,
        case when g <= 500 then 45.70 + ((g * 7919) % 1000) / 1000.0 * 0.01
             when g <= 2500 then 45.55 + ((g * 104729) % 10007) / 10007.0 * 0.36
             else 47.5 + ((g * 31) % 100) / 100.0 end,
        case when g <= 500 then 126.50 + ((g * 6007) % 1000) / 1000.0 * 0.014
             when g <= 2500 then 126.40 + ((g * 130363) % 10009) / 10009.0 * 0.52
             else 128.0 + ((g * 17) % 100) / 100.0 end
      from generate_series(1, 3000) g`);
    const spots = [
      { lat: 45.705, lng: 126.507 }, // inside the dense cluster: answered by the smallest box
      { lat: 45.85, lng: 126.75 }, // in the spread: a wider box
      { lat: 47.9, lng: 128.5 }, // among the far group
      { lat: 40.0, lng: 116.4 }, // far from everything: the whole fleet is ranked
    ];
    for (const at of spots) {
      const items = await recommend(at);
      expect(items).toHaveLength(20);
      expect(items.map((i) => i.callSign).sort()).toEqual((await bruteForce(at, 20)).sort());
      expect(items.every((i) => visible.includes(i.stationId))).toBe(true);
    }
  });
});
