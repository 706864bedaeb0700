import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, ENGINE, type TestDatabase } from "../helpers/test-server.js";
import type { RunningServer } from "../../server/server.js";
import { TestClient, type BodyOf } from "../helpers/http.js";
import { EventRecorder, waitFor } from "../helpers/socket.js";
import { Fixtures, signInAll } from "../helpers/fixtures.js";
import { rowCount } from "../helpers/db.js";
import * as schema from "../../server/db/schema/index.js";
import { api } from "../../shared/api/index.js";

describe(`regions: create, rename, move; supervisor scope follows [${ENGINE}]`, () => {
  let tdb: TestDatabase;
  let srv: RunningServer;
  let admin: TestClient, head: TestClient, supervisor: TestClient;
  let demo: Awaited<ReturnType<Fixtures["demo"]>>;
  const region = (name: string) => demo.regions.find((r) => r.name === name)!;

  beforeAll(async () => {
    tdb = await createTestDatabase();
    srv = await tdb.start();
    [admin, head, supervisor] = await signInAll(srv.url, ["admin", "head", "supervisor"] as const);
    demo = await new Fixtures(srv.database.db).demo();
  });
  afterAll(async () => {
    await srv?.close();
    await tdb?.destroy();
  });

  const stationCodes = async (c: TestClient) => (await c.call(api.stations.list)).body.items.map((s) => s.code).sort();

  it("admin builds a province above the city; a supervisor scoped to it sees a station opened in a new district, over HTTP and live", async () => {
    const provinceId = randomUUID();
    const body: BodyOf<typeof api.regions.create> = { id: provinceId, name: "黑龙江省", level: "province" };
    const created = await admin.call(api.regions.create, { body });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body).toEqual({ id: provinceId, name: "黑龙江省", level: "province", parentId: null, version: 1 });
    // The same create again: the first result, no second event.
    const events = await rowCount(srv, "events");
    expect((await admin.call(api.regions.create, { body })).body).toEqual(created.body);
    expect(await rowCount(srv, "events")).toBe(events);
    const mismatch = await admin.call(api.regions.create, { body: { ...body, name: "吉林省" } });
    expect(mismatch.status).toBe(409);
    expect(mismatch.error.code).toBe("IDEMPOTENCY_MISMATCH");

    // Move the city under the province.
    const city = region("哈尔滨市");
    const moved = await admin.call(api.regions.update, {
      params: { id: city.id },
      body: { parentId: provinceId, version: 1 },
    });
    expect(moved.status, JSON.stringify(moved.body)).toBe(200);
    expect(moved.body).toMatchObject({ id: city.id, parentId: provinceId, version: 2 });

    const password = "province-watch-2026";
    const sup = await admin.call(api.users.create, {
      body: { username: "province", displayName: "省民政厅", role: "supervisor", regionId: provinceId, password },
    });
    expect(sup.status, JSON.stringify(sup.body)).toBe(201);
    const provincial = await new TestClient(srv.url).login("province", password);
    expect(await stationCodes(provincial)).toEqual(["DL", "NG"]);

    const live = new EventRecorder(srv.url, provincial.cookie);
    const cityLive = new EventRecorder(srv.url, supervisor.cookie);
    try {
      await Promise.all([live.ready(), cityLive.ready()]);
      const district = await admin.call(api.regions.create, {
        body: { name: "松北区", level: "district", parentId: city.id },
      });
      expect(district.status).toBe(201);
      await waitFor(() => live.ofType("region.created").some((e) => e.payload.id === district.body.id));
      const station = await admin.call(api.stations.create, {
        body: {
          code: "SB",
          name: "松北区救助管理站",
          regionId: district.body.id,
          lat: 45.81,
          lng: 126.56,
        },
      });
      expect(station.status, JSON.stringify(station.body)).toBe(201);
      await waitFor(() => live.ofType("station.created").some((e) => e.payload.code === "SB"));
      await waitFor(() => cityLive.ofType("station.created").some((e) => e.payload.code === "SB"));
      expect(await stationCodes(provincial)).toEqual(["DL", "NG", "SB"]);
      expect(await stationCodes(supervisor)).toEqual(["DL", "NG", "SB"]);

      // Move the new district out to a second city under the province: the city supervisor loses
      // SB at once, the provincial one keeps it, and the live feed follows the new chain.
      const other = await admin.call(api.regions.create, {
        body: { name: "大庆市", level: "city", parentId: provinceId },
      });
      const away = await admin.call(api.regions.update, {
        params: { id: district.body.id },
        body: { parentId: other.body.id, name: "松北新区", version: 1 },
      });
      expect(away.status, JSON.stringify(away.body)).toBe(200);
      expect(away.body).toMatchObject({ name: "松北新区", parentId: other.body.id, version: 2 });
      await waitFor(() => live.ofType("region.updated").some((e) => e.payload.id === district.body.id));
      expect(await stationCodes(supervisor)).toEqual(["DL", "NG"]);
      expect(await stationCodes(provincial)).toEqual(["DL", "NG", "SB"]);
      // The city supervisor's feed no longer carries SB (its cached region chain was dropped): an
      // event of NG sent after SB's arrives, SB's did not.
      const point = (stationId: string, name: string) =>
        admin.call(api.keypoints.create, {
          body: { stationId, name, kind: "bridge_underpass", lat: 45.8, lng: 126.6 },
        });
      expect((await point(station.body.id, "松北桥洞")).status).toBe(201);
      await waitFor(() => live.ofType("keypoint.created").some((e) => e.payload.name === "松北桥洞"));
      expect((await point(demo.ng.id, "南岗桥洞")).status).toBe(201);
      await waitFor(() => cityLive.ofType("keypoint.created").some((e) => e.payload.name === "南岗桥洞"));
      expect(cityLive.ofType("keypoint.created").map((e) => e.payload.name)).toEqual(["南岗桥洞"]);

      // Paths moved with the subtree: the street and community under 道里区 moved along with the city.
      const regions = (await admin.call(api.stations.regions)).body.items;
      expect(regions.find((r) => r.id === city.id)?.parentId).toBe(provinceId);
      const paths = new Map((await srv.database.db.select().from(schema.regions)).map((r) => [r.id, r.path]));
      const daoli = region("道里区"),
        street = region("新阳路街道"),
        community = region("共乐社区");
      expect(paths.get(community.id)).toBe(`/${provinceId}/${city.id}/${daoli.id}/${street.id}/${community.id}/`);
      expect(paths.get(district.body.id)).toBe(`/${provinceId}/${other.body.id}/${district.body.id}/`);
    } finally {
      live.close();
      cityLive.close();
    }
  });

  it("refuses a cycle, a level not below its parent's, a stale version, a missing parent and other roles", async () => {
    const city = (await admin.call(api.stations.regions)).body.items.find((r) => r.name === "哈尔滨市")!;
    const street = region("新阳路街道");
    const community = region("共乐社区");
    const before = await rowCount(srv, "events");

    const underItself = await admin.call(api.regions.update, {
      params: { id: city.id },
      body: { parentId: city.id, version: city.version },
    });
    expect(underItself.status).toBe(400);
    expect(underItself.error.message).toMatch(/^body\.parentId:/);
    const underChild = await admin.call(api.regions.update, {
      params: { id: region("道里区").id },
      body: { parentId: street.id, version: 1 },
    });
    expect(underChild.status).toBe(400);
    expect(underChild.error.message).toMatch(/^body\.parentId:/);

    const cityUnderStreet = await admin.call(api.regions.create, {
      body: { name: "X市", level: "city", parentId: street.id },
    });
    expect(cityUnderStreet.status).toBe(400);
    expect(cityUnderStreet.error.message).toMatch(/^body\.parentId:.*level/);
    const sameLevel = await admin.call(api.regions.create, {
      body: { name: "X街道", level: "street", parentId: street.id },
    });
    expect(sameLevel.status).toBe(400);
    const communityUpThere = await admin.call(api.regions.update, {
      params: { id: community.id },
      body: { parentId: community.id, version: 1 },
    });
    expect(communityUpThere.status).toBe(400);
    const streetUnderCommunity = await admin.call(api.regions.update, {
      params: { id: street.id },
      body: { parentId: community.id, version: 1 },
    });
    expect(streetUnderCommunity.status).toBe(400);

    const stale = await admin.call(api.regions.update, {
      params: { id: city.id },
      body: { name: "旧名", version: city.version - 1 },
    });
    expect(stale.status).toBe(409);
    expect(stale.error.code).toBe("VERSION_CONFLICT");
    const missing = await admin.call(api.regions.create, {
      body: { name: "Y区", level: "district", parentId: randomUUID() },
    });
    expect(missing.status).toBe(400);
    expect(missing.error.message).toMatch(/^body\.parentId:/);
    expect(
      (await admin.call(api.regions.update, { params: { id: randomUUID() }, body: { name: "Z", version: 1 } })).status,
    ).toBe(404);
    expect((await admin.raw(api.regions.create, { body: { name: "Q", level: "moon" } })).error.message).toMatch(
      /^body\.level:/,
    );
    for (const c of [head, supervisor]) {
      expect((await c.call(api.regions.create, { body: { name: "W", level: "province" } })).status).toBe(403);
      expect(
        (await c.call(api.regions.update, { params: { id: city.id }, body: { name: "W", version: city.version } }))
          .status,
      ).toBe(403);
    }
    expect(await rowCount(srv, "events")).toBe(before);

    // A rename with the current version goes through and bumps it.
    const renamed = await admin.call(api.regions.update, {
      params: { id: city.id },
      body: { name: "哈尔滨", version: city.version },
    });
    expect(renamed.body).toMatchObject({ name: "哈尔滨", version: city.version + 1, parentId: city.parentId });
  });
});
