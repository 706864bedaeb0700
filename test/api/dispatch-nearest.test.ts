import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, ENGINE, type TestDatabase } from "../helpers/test-server.js";
import type { RunningServer } from "../../server/server.js";
import { signedIn, type TestClient } from "../helpers/http.js";
import { demoIds, openCase, type DemoIds } from "../helpers/fleet.js";
import { api } from "../../shared/api/index.js";

describe(`dispatch recommendations with a large fleet [${ENGINE}]`, () => {
  let tdb: TestDatabase;
  let srv: RunningServer;
  let op: TestClient;
  let ids: DemoIds;

  beforeAll(async () => {
    tdb = await createTestDatabase();
    srv = await tdb.start({ JOBS_ENABLED: "false" });
    op = (await signedIn(srv.url, "operator")) as TestClient;
    ids = await demoIds(srv);
  });
  afterAll(async () => {
    await srv?.close();
    await tdb?.destroy();
  });

  it("keeps the nearest vehicles when the fleet is larger than the list bound (not the first by call sign)", async () => {
    // 1,200 far-away available vehicles whose call signs sort before the demo ones.
    await srv.database.db.execute(sql`insert into vehicles (station_id, call_sign, plate, status, last_lat, last_lng)
      select ${ids.dl}::uuid, 'AA-' || lpad(g::text, 4, '0'), 'X' || g, 'available', 46.5 + g * 0.0001, 127.5
      from generate_series(1, 1200) g`);
    const caseId = await openCase(srv, ids.dl, 45.78, 126.606); // next to DL-02
    const r = await op.call(api.dispatch.recommendations, { params: { id: caseId } });
    expect(r.status).toBe(200);
    const signs = r.body.items.map((i: { callSign: string }) => i.callSign);
    expect(signs.slice(0, 2)).toEqual(["DL-02", "DL-01"]);
    expect(signs).toHaveLength(1000);
    // The farthest kept is nearer than the nearest dropped (AA-0001 is the nearest far one).
    expect(signs).toContain("AA-0001");
    expect(signs).not.toContain("AA-1200");
  });
});
