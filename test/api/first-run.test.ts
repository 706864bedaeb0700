import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, ENGINE, type TestDatabase } from "../helpers/test-server.js";
import { TestClient } from "../helpers/http.js";
import { loadEnv } from "../../server/env.js";
import { rowCount } from "../helpers/db.js";
import { api } from "../../shared/api/index.js";

describe(`first run on an empty database (SEED=none) [${ENGINE}]`, () => {
  let tdb: TestDatabase;
  beforeAll(async () => {
    tdb = await createTestDatabase({ empty: true });
  });
  afterAll(async () => {
    await tdb?.destroy();
  });

  it("creates the administrator named in ADMIN_USERNAME/ADMIN_PASSWORD once, and nothing else", async () => {
    const srv = await tdb.start({ SEED: "none", ADMIN_USERNAME: "Chief", ADMIN_PASSWORD: "first-night-2026" });
    try {
      expect(srv.seeded).toBe(false);
      const admin = await new TestClient(srv.url).login("chief", "first-night-2026");
      const list = await admin.call(api.users.list);
      expect(list.status).toBe(200);
      expect(list.body.items.map((u: { username: string; role: string }) => [u.username, u.role])).toEqual([
        ["chief", "admin"],
      ]);
      for (const t of ["stations", "vehicles", "keyPoints", "campaigns", "supplyItems"] as const)
        expect(await rowCount(srv, t)).toBe(0);
    } finally {
      await srv.close();
    }
  });

  it("does not make a second administrator, nor reset the first one's password, on a restart with other values", async () => {
    const srv = await tdb.start({ SEED: "none", ADMIN_USERNAME: "other", ADMIN_PASSWORD: "another-password" });
    try {
      expect(await rowCount(srv, "users")).toBe(1);
      const wrong = await new TestClient(srv.url).call(api.auth.login, {
        body: { username: "other", password: "another-password" },
      });
      expect(wrong.status).toBe(401);
      await new TestClient(srv.url).login("chief", "first-night-2026");
    } finally {
      await srv.close();
    }
  });

  it("refuses a first administrator half given or with a short password, naming the variable", () => {
    expect(() => loadEnv({ ADMIN_USERNAME: "chief" })).toThrow(
      /ADMIN_PASSWORD: ADMIN_USERNAME and ADMIN_PASSWORD go together/,
    );
    expect(() => loadEnv({ ADMIN_USERNAME: "chief", ADMIN_PASSWORD: "short" })).toThrow(/ADMIN_PASSWORD/);
  });
});
