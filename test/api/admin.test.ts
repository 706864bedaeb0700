import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, ENGINE, type TestDatabase } from "../helpers/test-server.js";
import type { RunningServer } from "../../server/server.js";
import { TestClient, type BodyOf, type Reply } from "../helpers/http.js";
import { EventRecorder, waitFor } from "../helpers/socket.js";
import { Fixtures, signInAll } from "../helpers/fixtures.js";
import { rowCount } from "../helpers/db.js";
import { api } from "../../shared/api/index.js";

/** Every key anywhere in a JSON value (to prove a field never leaves the server). */
function keysOf(v: unknown, out = new Set<string>()): Set<string> {
  if (Array.isArray(v)) for (const x of v) keysOf(x, out);
  else if (v && typeof v === "object")
    for (const [k, x] of Object.entries(v)) {
      out.add(k);
      keysOf(x, out);
    }
  return out;
}

/** A 400 naming the field, with the field path in the issues. */
function expectFieldError(r: Reply<unknown>, path: string) {
  expect(r.status, JSON.stringify(r.body)).toBe(400);
  expect(r.error.code).toBe("VALIDATION_FAILED");
  expect(r.error.message).toMatch(new RegExp(`^${path.replace(/\./g, "\\.")}:`));
  expect(r.error.issues?.map((i) => i.path)).toContain(path);
}

describe(`admin: vehicles, key points and users [${ENGINE}]`, () => {
  let tdb: TestDatabase;
  let srv: RunningServer;
  let admin: TestClient, head: TestClient, operator: TestClient, patrol: TestClient, supervisor: TestClient;
  let demo: Awaited<ReturnType<Fixtures["demo"]>>;

  beforeAll(async () => {
    tdb = await createTestDatabase();
    srv = await tdb.start();
    [admin, head, operator, patrol, supervisor] = await signInAll(srv.url, [
      "admin",
      "head",
      "operator",
      "patrol1",
      "supervisor",
    ] as const);
    demo = await new Fixtures(srv.database.db).demo();
  });
  afterAll(async () => {
    await srv?.close();
    await tdb?.destroy();
  });

  describe("vehicles", () => {
    it("admin creates (idempotently), edits and takes a vehicle out of service and back", async () => {
      const id = randomUUID();
      const body = { id, callSign: "DL-T1", plate: "黑A·T0001", seats: 7, stationId: demo.dl.id };
      const created = await admin.call(api.vehicles.create, { body });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      expect(created.body).toMatchObject({ id, callSign: "DL-T1", seats: 7, status: "off_duty", version: 1 });
      const events = await rowCount(srv, "events");
      const replay = await admin.call(api.vehicles.create, { body });
      expect(replay.status).toBe(201);
      expect(replay.body).toEqual(created.body);
      expect(await rowCount(srv, "events")).toBe(events);

      const edited = await admin.call(api.vehicles.update, {
        params: { id },
        body: { plate: "黑A·T0002", seats: 5, stationId: demo.ng.id, version: 1 },
      });
      expect(edited.status).toBe(200);
      expect(edited.body).toMatchObject({ plate: "黑A·T0002", seats: 5, stationId: demo.ng.id, version: 2 });
      expect(
        (await admin.call(api.vehicles.update, { params: { id }, body: { seats: 6, version: 1 } })).error.code,
      ).toBe("VERSION_CONFLICT");

      const oos = await admin.call(api.vehicles.setStatus, {
        params: { id },
        body: { status: "out_of_service", version: 2 },
      });
      expect(oos.body.status).toBe("out_of_service");
      const back = await admin.call(api.vehicles.setStatus, {
        params: { id },
        body: { status: "off_duty", version: oos.body.version },
      });
      expect(back.body.status).toBe("off_duty");
      // The machine refuses what it does not allow (off duty cannot go straight on scene).
      const bad = await admin.call(api.vehicles.setStatus, {
        params: { id },
        body: { status: "on_scene", version: back.body.version },
      });
      expect(bad.status).toBe(409);
      expect(bad.error.code).toBe("INVALID_TRANSITION");
    });

    it("refuses other roles and names the field of bad input", async () => {
      for (const c of [head, operator, patrol, supervisor]) {
        const r = await c.call(api.vehicles.create, {
          body: { callSign: "X-1", plate: "X", seats: 5, stationId: demo.dl.id },
        });
        expect(r.status).toBe(403);
        expect(r.error.code).toBe("FORBIDDEN");
      }
      expectFieldError(
        await admin.call(api.vehicles.create, { body: { callSign: "", plate: "X", stationId: demo.dl.id } }),
        "body.callSign",
      );
      expectFieldError(
        await admin.call(api.vehicles.create, {
          body: { callSign: "DL-T9", plate: "X", seats: 0, stationId: demo.dl.id },
        }),
        "body.seats",
      );
      expectFieldError(
        await admin.call(api.vehicles.create, { body: { callSign: "DL-T9", plate: "X", stationId: randomUUID() } }),
        "body.stationId",
      );
      const dup = await admin.call(api.vehicles.create, {
        body: { callSign: "DL-T1", plate: "X", stationId: demo.dl.id },
      });
      expect(dup.status).toBe(409);
      expect(dup.error.message).toMatch(/^body\.callSign:/);
    });
  });

  describe("key points", () => {
    const kp = (stationId: string, extra: Partial<BodyOf<typeof api.keypoints.create>> = {}) =>
      ({
        id: randomUUID(),
        stationId,
        name: "新华桥桥洞（测试）",
        kind: "bridge_underpass",
        lat: 45.761,
        lng: 126.622,
        address: "新华桥下",
        ...extra,
      }) satisfies BodyOf<typeof api.keypoints.create>;

    it("admin creates (idempotently, with one event), edits, takes off and puts back a key point; duty rooms hear of it live", async () => {
      const rec = new EventRecorder(srv.url, operator.cookie);
      await rec.ready();
      try {
        const body = kp(demo.ng.id, { notes: "东侧桥墩" });
        const created = await admin.call(api.keypoints.create, { body });
        expect(created.status, JSON.stringify(created.body)).toBe(201);
        expect(created.body).toMatchObject({
          id: body.id,
          stationId: demo.ng.id,
          name: body.name,
          notes: "东侧桥墩",
          active: true,
          lastVisitedAt: null,
          version: 1,
        });
        const events = await rowCount(srv, "events");
        const replay = await admin.call(api.keypoints.create, { body });
        expect(replay.status).toBe(201);
        expect(replay.body).toEqual(created.body);
        expect(await rowCount(srv, "events")).toBe(events);
        // The same id with other content is refused, naming the id (not answered with the first key point).
        expect((await admin.call(api.keypoints.create, { body: { ...body, name: "别处" } })).error.code).toBe(
          "IDEMPOTENCY_MISMATCH",
        );

        const edited = await admin.call(api.keypoints.update, {
          params: { id: body.id },
          body: { name: "新华桥桥洞", kind: "culvert", lat: 45.77, version: 1 },
        });
        expect(edited.status).toBe(200);
        expect(edited.body).toMatchObject({
          name: "新华桥桥洞",
          kind: "culvert",
          lat: 45.77,
          lng: 126.622,
          version: 2,
        });
        const quiet = await rowCount(srv, "events");
        expect(
          (await admin.call(api.keypoints.update, { params: { id: body.id }, body: { version: 2 } })).body,
        ).toEqual(edited.body);
        expect(await rowCount(srv, "events")).toBe(quiet);
        // Without a version the edit is refused, naming the field.
        expectFieldError(
          await admin.raw(api.keypoints.update, { params: { id: body.id }, body: { name: "x" } }),
          "body.version",
        );
        expectFieldError(
          await admin.raw(api.keypoints.setActive, { params: { id: body.id }, body: { active: false } }),
          "body.version",
        );

        const off = await admin.call(api.keypoints.setActive, {
          params: { id: body.id },
          body: { active: false, version: 2 },
        });
        expect(off.body).toMatchObject({ active: false, version: 3 });
        // Asking for what is already set changes nothing (no new version).
        expect(
          (await admin.call(api.keypoints.setActive, { params: { id: body.id }, body: { active: false, version: 3 } }))
            .body.version,
        ).toBe(3);
        expect(
          (await admin.call(api.keypoints.list, { query: { stationId: demo.ng.id } })).body.items.map((k) => k.id),
        ).not.toContain(body.id);
        const all = (
          await admin.call(api.keypoints.list, { query: { stationId: demo.ng.id, includeInactive: "true" } })
        ).body.items;
        expect(all.find((k) => k.id === body.id)).toMatchObject({ active: false });
        const on = await admin.call(api.keypoints.setActive, {
          params: { id: body.id },
          body: { active: true, version: 3 },
        });
        expect(on.body).toMatchObject({ active: true, version: 4 });

        // The operator of the other station does not get NG's key point events; the admin-made DL one reaches them.
        const dl = kp(demo.dl.id, { name: "道里地下通道（测试）", kind: "underpass" });
        expect((await admin.call(api.keypoints.create, { body: dl })).status).toBe(201);
        await waitFor(() => rec.ofType("keypoint.created").some((e) => e.payload.id === dl.id));
        expect(rec.events.some((e) => "id" in e.payload && e.payload.id === body.id)).toBe(false);
        expect((await operator.call(api.keypoints.list)).body.items.map((k) => k.id)).toContain(dl.id);
      } finally {
        rec.close();
      }
    });

    it("a head adds and edits key points of their own station only; operator, patrol and supervisor get 403", async () => {
      const own = kp(demo.dl.id, { name: "车站南广场（测试）", kind: "square" });
      const r = await head.call(api.keypoints.create, { body: own });
      expect(r.status, JSON.stringify(r.body)).toBe(201);
      expect(
        (await head.call(api.keypoints.update, { params: { id: own.id }, body: { address: "南广场东侧", version: 1 } }))
          .body.address,
      ).toBe("南广场东侧");
      expect(
        (await head.call(api.keypoints.setActive, { params: { id: own.id }, body: { active: false, version: 2 } })).body
          .active,
      ).toBe(false);

      const before = await rowCount(srv, "keyPoints");
      const other = await head.call(api.keypoints.create, { body: kp(demo.ng.id) });
      expect(other.status).toBe(403);
      expect(other.error.code).toBe("FORBIDDEN");
      // Nor may a head move their key point away, or touch another station's.
      expect(
        (await head.call(api.keypoints.update, { params: { id: own.id }, body: { stationId: demo.ng.id, version: 3 } }))
          .status,
      ).toBe(403);
      const ngPoint = demo.keyPoints(demo.ng.id)[0]!;
      expect(
        (await head.call(api.keypoints.update, { params: { id: ngPoint.id }, body: { name: "改名", version: 1 } }))
          .status,
      ).toBe(403);
      expect(
        (await head.call(api.keypoints.setActive, { params: { id: ngPoint.id }, body: { active: false, version: 1 } }))
          .status,
      ).toBe(403);
      expect(await rowCount(srv, "keyPoints")).toBe(before);

      for (const c of [operator, patrol, supervisor]) {
        const x = await c.call(api.keypoints.create, { body: kp(demo.dl.id) });
        expect(x.status).toBe(403);
        expect(x.error.code).toBe("FORBIDDEN");
        expect(
          (await c.call(api.keypoints.update, { params: { id: own.id }, body: { name: "x", version: 3 } })).status,
        ).toBe(403);
        expect(
          (await c.call(api.keypoints.setActive, { params: { id: own.id }, body: { active: true, version: 3 } }))
            .status,
        ).toBe(403);
      }
    });

    it("names the field of bad input and 404s an unknown key point", async () => {
      expectFieldError(await admin.call(api.keypoints.create, { body: kp(demo.dl.id, { lat: 123 }) }), "body.lat");
      expectFieldError(await admin.call(api.keypoints.create, { body: kp(demo.dl.id, { name: "  " }) }), "body.name");
      expectFieldError(
        await admin.raw(api.keypoints.create, { body: { ...kp(demo.dl.id), kind: "castle" } }),
        "body.kind",
      );
      expectFieldError(await admin.call(api.keypoints.create, { body: kp(randomUUID()) }), "body.stationId");
      expectFieldError(await head.raw(api.keypoints.create, { body: { ...kp(demo.dl.id), lng: "east" } }), "body.lng");
      expectFieldError(
        await admin.call(api.keypoints.update, {
          params: { id: demo.keyPoints(demo.dl.id)[0]!.id },
          body: { lng: 500, version: 1 },
        }),
        "body.lng",
      );
      expectFieldError(
        await admin.call(api.keypoints.update, {
          params: { id: demo.keyPoints(demo.dl.id)[0]!.id },
          body: { name: "x", version: 0 },
        }),
        "body.version",
      );
      const missing = await admin.call(api.keypoints.update, {
        params: { id: randomUUID() },
        body: { name: "x", version: 1 },
      });
      expect(missing.status).toBe(404);
      expect(missing.error.code).toBe("NOT_FOUND");
    });
  });

  describe("optimistic versions", () => {
    /** Two admin sessions saving at the same moment with the version they both loaded. */
    async function race<B>(send: (c: TestClient, i: number) => Promise<Reply<B>>) {
      const second = await new TestClient(srv.url).login("admin");
      const results = await Promise.all([admin, second].map((c, i) => send(c, i)));
      expect(results.map((r) => r.status).sort(), JSON.stringify(results.map((r) => r.body))).toEqual([200, 409]);
      const won = results.findIndex((r) => r.status === 200);
      expect(results[1 - won]!.error.code).toBe("VERSION_CONFLICT");
      return { won, winner: results[won]!, lost: results[1 - won]! };
    }

    it("of two edits of one key point with the same version exactly one lands; the other is told, and the event carries the new version", async () => {
      const rec = new EventRecorder(srv.url, admin.cookie);
      await rec.ready();
      try {
        const id = randomUUID();
        expect(
          (
            await admin.call(api.keypoints.create, {
              body: { id, stationId: demo.dl.id, name: "抢修点位", kind: "park", lat: 45.75, lng: 126.6 },
            })
          ).status,
        ).toBe(201);
        const names = ["抢修点位 甲", "抢修点位 乙"];
        const { won, winner, lost } = await race((c, i) =>
          c.call(api.keypoints.update, { params: { id }, body: { name: names[i], notes: `by ${i}`, version: 1 } }),
        );
        expect(lost.error.message).toMatch(/^Key point 抢修点位/);
        expect(winner.body).toMatchObject({ name: names[won], notes: `by ${won}`, version: 2 });
        const row = (
          await admin.call(api.keypoints.list, { query: { stationId: demo.dl.id, includeInactive: "true" } })
        ).body.items.find((k) => k.id === id);
        expect(row).toMatchObject({ name: names[won], notes: `by ${won}`, version: 2 });
        await waitFor(() => rec.ofType("keypoint.updated").some((e) => e.payload.id === id));
        const updates = rec.ofType("keypoint.updated").filter((e) => e.payload.id === id);
        expect(updates.map((e) => [e.payload.name, e.payload.version])).toEqual([[names[won], 2]]);

        // Taking it off the rounds with the version from before the edit is refused too, and changes nothing.
        const stale = await admin.call(api.keypoints.setActive, {
          params: { id },
          body: { active: false, version: 1 },
        });
        expect([stale.status, stale.error.code]).toEqual([409, "VERSION_CONFLICT"]);
        const off = await admin.call(api.keypoints.setActive, { params: { id }, body: { active: false, version: 2 } });
        expect(off.body).toMatchObject({ active: false, version: 3 });
        await waitFor(() => rec.ofType("keypoint.deactivated").some((e) => e.payload.id === id));
        expect(rec.ofType("keypoint.deactivated").find((e) => e.payload.id === id)!.payload.version).toBe(3);
      } finally {
        rec.close();
      }
    });

    it("of two edits of one account with the same version exactly one lands; the other is told, and the event carries the new version", async () => {
      const rec = new EventRecorder(srv.url, admin.cookie);
      await rec.ready();
      try {
        const id = randomUUID();
        expect(
          (
            await admin.call(api.users.create, {
              body: {
                id,
                username: "race1",
                displayName: "巡查 赛",
                role: "patrol",
                stationId: demo.dl.id,
                password: "race-pass-1",
              },
            })
          ).status,
        ).toBe(201);
        const names = ["巡查 赛 甲", "巡查 赛 乙"];
        const { won, winner, lost } = await race((c, i) =>
          c.call(api.users.update, { params: { id }, body: { displayName: names[i], version: 1 } }),
        );
        expect(lost.error.message).toMatch(/^User race1/);
        expect(winner.body).toMatchObject({ displayName: names[won], version: 2 });
        expect((await admin.call(api.users.get, { params: { id } })).body).toMatchObject({
          displayName: names[won],
          version: 2,
        });
        await waitFor(() => rec.ofType("user.updated").some((e) => e.payload.id === id));
        const updates = rec.ofType("user.updated").filter((e) => e.payload.id === id);
        expect(updates.map((e) => [e.payload.displayName, e.payload.version])).toEqual([[names[won], 2]]);

        // Switching the account off with the version from before is refused: it may sign in still.
        const stale = await admin.call(api.users.update, { params: { id }, body: { active: false, version: 1 } });
        expect([stale.status, stale.error.code]).toEqual([409, "VERSION_CONFLICT"]);
        await new TestClient(srv.url).login("race1", "race-pass-1");
        // The password reset bumps the version, and its event says to which.
        expect(
          (await admin.call(api.users.resetPassword, { params: { id }, body: { password: "race-pass-2" } })).body
            .version,
        ).toBe(3);
        await waitFor(() => rec.ofType("user.password_reset").some((e) => e.payload.id === id));
        expect(rec.ofType("user.password_reset").find((e) => e.payload.id === id)!.payload.version).toBe(3);
        expect(
          (await admin.call(api.users.update, { params: { id }, body: { active: false, version: 2 } })).error.code,
        ).toBe("VERSION_CONFLICT");
        expect(
          (await admin.call(api.users.update, { params: { id }, body: { active: false, version: 3 } })).body,
        ).toMatchObject({ active: false, version: 4 });
      } finally {
        rec.close();
      }
    });
  });

  describe("users", () => {
    const HASH_KEYS = ["passwordHash", "password_hash", "password"];
    const expectNoSecrets = (body: unknown) => {
      const keys = keysOf(body);
      for (const k of HASH_KEYS) expect(keys.has(k), `${k} in ${JSON.stringify(body).slice(0, 200)}`).toBe(false);
      expect(JSON.stringify(body)).not.toMatch(/scrypt\$/);
    };

    it("admin creates a patrol user (idempotently) who can then sign in; no endpoint shows a password hash", async () => {
      const id = randomUUID();
      const body: BodyOf<typeof api.users.create> = {
        id,
        username: "Patrol9",
        displayName: "巡查九组 孙磊",
        role: "patrol",
        stationId: demo.dl.id,
        password: "winter-2026",
      };
      const created = await admin.call(api.users.create, { body });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      expect(created.body).toMatchObject({
        id,
        username: "patrol9",
        role: "patrol",
        stationId: demo.dl.id,
        regionId: null,
        active: true,
        version: 1,
      });
      expectNoSecrets(created.body);
      const events = await rowCount(srv, "events");
      const replay = await admin.call(api.users.create, { body });
      expect(replay.status).toBe(201);
      expect(replay.body).toEqual(created.body);
      expect(await rowCount(srv, "events")).toBe(events);
      const taken = await admin.call(api.users.create, { body: { ...body, id: randomUUID() } });
      expect(taken.status).toBe(409);
      expect(taken.error.message).toMatch(/^body\.username:/);

      const me = await new TestClient(srv.url).login("patrol9", "winter-2026");
      expect((await me.call(api.auth.me)).body).toMatchObject({
        username: "patrol9",
        role: "patrol",
        stationIds: [demo.dl.id],
      });

      const list = await admin.call(api.users.list, { query: { q: "巡查", limit: "2" } });
      expect(list.status).toBe(200);
      expect(list.body.items).toHaveLength(2);
      expect(list.body.total).toBeGreaterThanOrEqual(3);
      expectNoSecrets(list.body);
      const page2 = await admin.call(api.users.list, { query: { q: "巡查", limit: "2", offset: "2" } });
      expect(page2.body.items.map((u) => u.id)).not.toContain(list.body.items[0]!.id);
      expect(
        (await admin.call(api.users.list, { query: { role: "supervisor" } })).body.items.map((u) => u.username),
      ).toEqual(["supervisor"]);
      expect((await admin.call(api.users.list, { query: { q: "patrol9" } })).body.items.map((u) => u.id)).toEqual([id]);
      // A search is text, not a pattern.
      expect((await admin.call(api.users.list, { query: { q: "%" } })).body.items).toEqual([]);

      const one = await admin.call(api.users.get, { params: { id } });
      expect(one.body.username).toBe("patrol9");
      expectNoSecrets(one.body);
      const upd = await admin.call(api.users.update, {
        params: { id },
        body: { displayName: "巡查九组 孙磊（组长）", version: 1 },
      });
      expect(upd.body).toMatchObject({ displayName: "巡查九组 孙磊（组长）", version: 2 });
      expectNoSecrets(upd.body);
      expectFieldError(
        await admin.raw(api.users.update, { params: { id }, body: { displayName: "x" } }),
        "body.version",
      );
      const reset = await admin.call(api.users.resetPassword, { params: { id }, body: { password: "another-pass" } });
      expect(reset.status).toBe(200);
      // A reset needs no version but is a change: it bumps it.
      expect(reset.body.version).toBe(3);
      expectNoSecrets(reset.body);

      // Nor does the event log the admin's dashboard reads.
      const rec = new EventRecorder(srv.url, admin.cookie, 0);
      await rec.ready();
      const userEvents = rec.events.filter((e) => e.type.startsWith("user."));
      rec.close();
      expect(userEvents.length).toBeGreaterThanOrEqual(3);
      expectNoSecrets(userEvents);
    });

    it("changes role and scope as the role needs, and ends the user's sessions when their rules change", async () => {
      const id = randomUUID();
      expect(
        (
          await admin.call(api.users.create, {
            body: {
              id,
              username: "op7",
              displayName: "接线员 七",
              role: "operator",
              stationId: demo.dl.id,
              password: "operator-77",
            },
          })
        ).status,
      ).toBe(201);
      const op = await new TestClient(srv.url).login("op7", "operator-77");
      expect((await op.call(api.auth.me)).status).toBe(200);
      // Renaming does not change what they may do: the session lives on.
      expect(
        (await admin.call(api.users.update, { params: { id }, body: { displayName: "接线员 小七", version: 1 } }))
          .status,
      ).toBe(200);
      expect((await op.call(api.auth.me)).body.displayName).toBe("接线员 小七");

      expectFieldError(
        await admin.call(api.users.update, { params: { id }, body: { role: "supervisor", version: 2 } }),
        "body.stationId",
      );
      expectFieldError(
        await admin.call(api.users.update, {
          params: { id },
          body: { role: "supervisor", stationId: null, version: 2 },
        }),
        "body.regionId",
      );
      const city = demo.regions.find((r) => r.parentId === null) ?? demo.regions[0]!;
      const sup = await admin.call(api.users.update, {
        params: { id },
        body: { role: "supervisor", stationId: null, regionId: city.id, version: 2 },
      });
      expect(sup.status, JSON.stringify(sup.body)).toBe(200);
      expect(sup.body).toMatchObject({ role: "supervisor", stationId: null, regionId: city.id });
      expect((await op.call(api.auth.me)).status).toBe(401);

      const again = await new TestClient(srv.url).login("op7", "operator-77");
      expect((await again.call(api.auth.me)).body.role).toBe("supervisor");
      const watching = new EventRecorder(srv.url, again.cookie);
      await watching.ready();
      const bystander = new EventRecorder(srv.url, head.cookie);
      await bystander.ready();
      const off = await admin.call(api.users.update, { params: { id }, body: { active: false, version: 3 } });
      expect(off.body.active).toBe(false);
      await waitFor(() => !watching.socket.connected, 5000);
      expect(bystander.socket.connected).toBe(true);
      watching.close();
      bystander.close();
      expect((await again.call(api.auth.me)).status).toBe(401);
      expect(
        (await new TestClient(srv.url).call(api.auth.login, { body: { username: "op7", password: "operator-77" } }))
          .status,
      ).toBe(401);
      expect(
        (await admin.call(api.users.update, { params: { id }, body: { active: true, version: 4 } })).body.active,
      ).toBe(true);
      expect(
        (await new TestClient(srv.url).call(api.auth.login, { body: { username: "op7", password: "operator-77" } }))
          .status,
      ).toBe(200);

      // An admin cannot lock themselves out.
      const me = (await admin.call(api.auth.me)).body;
      const myVersion = (await admin.call(api.users.get, { params: { id: me.id } })).body.version;
      expect(
        (await admin.call(api.users.update, { params: { id: me.id }, body: { active: false, version: myVersion } }))
          .error.message,
      ).toMatch(/^body\.active:/);
      expect(
        (
          await admin.call(api.users.update, {
            params: { id: me.id },
            body: { role: "operator", stationId: demo.dl.id, version: myVersion },
          })
        ).error.message,
      ).toMatch(/^body\.role:/);
    });

    it("a password reset lets the user in with the new password and kills their old session", async () => {
      const id = randomUUID();
      expect(
        (
          await admin.call(api.users.create, {
            body: {
              id,
              username: "head8",
              displayName: "站长 八",
              role: "head",
              stationId: demo.ng.id,
              password: "old-password",
            },
          })
        ).status,
      ).toBe(201);
      const old = await new TestClient(srv.url).login("head8", "old-password");
      expect((await old.call(api.auth.me)).status).toBe(200);
      expectFieldError(
        await admin.call(api.users.resetPassword, { params: { id }, body: { password: "short" } }),
        "body.password",
      );
      expect((await old.call(api.auth.me)).status).toBe(200);

      // A dashboard open in the old session stops receiving events at once, not at its next reconnect.
      const feed = new EventRecorder(srv.url, old.cookie);
      await feed.ready();
      const r = await admin.call(api.users.resetPassword, { params: { id }, body: { password: "new-password-1" } });
      expect(r.status).toBe(200);
      await waitFor(() => !feed.socket.connected, 5000);
      feed.close();
      const stale = await old.call(api.auth.me);
      expect(stale.status).toBe(401);
      expect(stale.error.code).toBe("UNAUTHENTICATED");
      expect(
        (await new TestClient(srv.url).call(api.auth.login, { body: { username: "head8", password: "old-password" } }))
          .status,
      ).toBe(401);
      const fresh = await new TestClient(srv.url).login("head8", "new-password-1");
      expect((await fresh.call(api.auth.me)).body).toMatchObject({
        username: "head8",
        role: "head",
        stationId: demo.ng.id,
      });
      // Other users' sessions are untouched.
      expect((await head.call(api.auth.me)).status).toBe(200);
      expect(
        (await admin.call(api.users.resetPassword, { params: { id: randomUUID() }, body: { password: "whatever-1" } }))
          .status,
      ).toBe(404);
    });

    it("names the field of bad input and refuses every other role", async () => {
      const base: BodyOf<typeof api.users.create> = {
        username: "newbie",
        displayName: "新人",
        role: "patrol",
        stationId: demo.dl.id,
        password: "long-enough",
      };
      expectFieldError(await admin.call(api.users.create, { body: { ...base, username: "a b" } }), "body.username");
      expectFieldError(await admin.call(api.users.create, { body: { ...base, password: "short" } }), "body.password");
      expectFieldError(await admin.raw(api.users.create, { body: { ...base, role: "chief" } }), "body.role");
      expectFieldError(
        await admin.call(api.users.create, { body: { ...base, stationId: undefined } }),
        "body.stationId",
      );
      expectFieldError(
        await admin.call(api.users.create, { body: { ...base, stationId: randomUUID() } }),
        "body.stationId",
      );
      expectFieldError(
        await admin.call(api.users.create, { body: { ...base, role: "supervisor", stationId: null } }),
        "body.regionId",
      );
      expectFieldError(
        await admin.call(api.users.create, {
          body: { ...base, role: "supervisor", stationId: null, regionId: randomUUID() },
        }),
        "body.regionId",
      );
      expectFieldError(await admin.call(api.users.create, { body: { ...base, role: "admin" } }), "body.stationId");
      expectFieldError(await admin.call(api.users.list, { query: { limit: "0" } }), "query.limit");
      expect((await admin.call(api.users.get, { params: { id: randomUUID() } })).status).toBe(404);

      const target = (await admin.call(api.users.list, { query: { q: "patrol1" } })).body.items[0]!.id;
      for (const c of [head, operator, patrol, supervisor]) {
        for (const r of [
          await c.call(api.users.list),
          await c.call(api.users.get, { params: { id: target } }),
          await c.call(api.users.create, { body: base }),
          await c.call(api.users.update, { params: { id: target }, body: { displayName: "x", version: 1 } }),
          await c.call(api.users.resetPassword, { params: { id: target }, body: { password: "hijacked-1" } }),
        ]) {
          expect(r.status).toBe(403);
          expect(r.error.code).toBe("FORBIDDEN");
        }
      }
      expect((await new TestClient(srv.url).call(api.users.list)).status).toBe(401);
      // patrol1's password was not changed by any of that.
      await new TestClient(srv.url).login("patrol1");
    });
  });
});
