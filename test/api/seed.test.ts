import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { createTestDatabase, ENGINE, type TestDatabase } from "../helpers/test-server.js";
import { migrateDatabase, openDatabase, rawRows, type Database } from "../../server/db/client.js";
import { seedDemo } from "../../server/db/seed.js";

describe.skipIf(ENGINE !== "postgres")(
  "demo seed on one empty PostgreSQL from several nodes at once [postgres only]",
  () => {
    let tdb: TestDatabase;
    const handles: Database[] = [];
    beforeAll(async () => {
      tdb = await createTestDatabase({ empty: true });
      for (let i = 0; i < 4; i++) handles.push(await openDatabase({ databaseUrl: tdb.url!, dataDir: "", poolSize: 2 }));
      await migrateDatabase(handles[0]!);
    });
    afterAll(async () => {
      for (const h of handles) await h.close();
      await tdb?.destroy();
    });

    it("seeds exactly one demo city when four nodes try in the same moment", async () => {
      const seeded = await Promise.all(handles.map((h) => seedDemo(h.db, "demo", 5)));
      expect(seeded.filter(Boolean)).toHaveLength(1);
      const [counts] = await rawRows<{ stations: number; users: number; campaigns: number; vehicles: number }>(
        handles[0]!.db,
        sql`select
      (select count(*)::int from stations) as stations, (select count(*)::int from users) as users,
      (select count(*)::int from campaigns) as campaigns, (select count(*)::int from vehicles) as vehicles`,
      );
      expect(counts).toEqual({ stations: 2, users: 6, campaigns: 1, vehicles: 6 });
    });
  },
);
