import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { createTestDatabase, ENGINE, type TestDatabase } from "../helpers/test-server.js";
import { migrateDatabase, openDatabase, sqlState, type Database } from "../../server/db/client.js";
import { EventLog } from "../../server/events/event-log.js";
import type { EventRow } from "../../server/events/events.repo.js";
import { events } from "../../server/db/schema/index.js";
import { AppError } from "../../server/http/errors.js";

/**
 * EventLog.transact re-runs a transaction that the database rolled back to break a deadlock
 * (40P01) or because it could not serialise it (40001); anything else goes to the caller at once.
 * Run against the real engines (no server), so the SQLSTATE arrives wrapped exactly as drizzle
 * and the driver wrap it.
 */
describe(`transaction retry on deadlock and serialisation failure [${ENGINE}]`, () => {
  let tdb: TestDatabase;
  let database: Database;

  beforeAll(async () => {
    tdb = await createTestDatabase();
    database = await openDatabase({ databaseUrl: tdb.url, dataDir: tdb.dir ?? "memory://", poolSize: 4 });
    await migrateDatabase(database);
    // Two rows of a table of the test's own to lock in crossed orders.
    await database.db.execute(sql`create table rt_lock (id int primary key)`);
    await database.db.execute(sql`insert into rt_lock values (1), (2)`);
  });
  afterAll(async () => {
    await database?.close();
    await tdb?.destroy();
  });

  /** Makes the database itself raise an error with this SQLSTATE inside the transaction. */
  const raise = (tx: Parameters<Parameters<EventLog["transact"]>[0]>[0], state: string) =>
    tx.execute(sql.raw(`do $$ begin raise exception 'simulated ${state}' using errcode = '${state}'; end $$`));
  const eventsOfType = async (type: string) => (await database.db.select().from(events)).filter((e) => e.type === type);

  it("re-runs the whole body after a 40P01; only the committed attempt's events reach listeners", async () => {
    const log = new EventLog(database.db, { retry: { baseDelayMs: 1 } });
    const heard: EventRow[][] = [];
    log.onCommit((c) => heard.push(c));
    // A declared type (the contract types record()); the marker station id finds these rows.
    const type = "station.updated";
    const marker = randomUUID();
    const station = (attempt: number) => ({
      id: marker,
      code: "RETRY",
      name: `attempt ${attempt}`,
      regionId: marker,
      lat: 45.7,
      lng: 126.6,
      address: "",
      hotline: "",
      beds: 0,
      version: 1,
    });
    let runs = 0;
    const out = await log.transact(async (tx, record) => {
      runs++;
      record({ type, stationId: null, actorId: null, payload: station(runs) });
      if (runs === 1) await raise(tx, "40P01");
      return `done after ${runs}`;
    });
    expect(out).toBe("done after 2");
    expect(runs).toBe(2);
    expect(heard).toHaveLength(1);
    expect(heard[0]!.map((e) => e.payload)).toEqual([station(2)]);
    expect((await eventsOfType(type)).filter((e) => e.payload.id === marker).map((e) => e.payload)).toEqual([
      station(2),
    ]);
  });

  it("retries a 40001 too, and a fake driver error wrapped in a cause", async () => {
    const log = new EventLog(database.db, { retry: { baseDelayMs: 1 } });
    let runs = 0;
    await log.transact(async (tx) => {
      if (++runs === 1) await raise(tx, "40001");
    });
    expect(runs).toBe(2);
    runs = 0;
    await log.transact(async () => {
      if (++runs === 1)
        throw new Error("Failed query: …", { cause: Object.assign(new Error("deadlock detected"), { code: "40P01" }) });
    });
    expect(runs).toBe(2);
  });

  it("gives up after the bounded number of attempts and throws the database's error", async () => {
    const log = new EventLog(database.db, { retry: { attempts: 3, baseDelayMs: 1 } });
    let runs = 0;
    const err = await log
      .transact(async (tx) => {
        runs++;
        await raise(tx, "40P01");
      })
      .catch((e: unknown) => e);
    expect(runs).toBe(3);
    expect(sqlState(err)).toBe("40P01");
  });

  it("never re-runs other failures (a refusal, a unique violation)", async () => {
    const log = new EventLog(database.db, { retry: { baseDelayMs: 1 } });
    let runs = 0;
    await expect(
      log.transact(async () => {
        runs++;
        throw new AppError(409, "INSUFFICIENT_STOCK", "body.quantity: too many");
      }),
    ).rejects.toBeInstanceOf(AppError);
    expect(runs).toBe(1);
    runs = 0;
    const err = await log
      .transact(async (tx) => {
        runs++;
        await raise(tx, "23505");
      })
      .catch((e: unknown) => e);
    expect(sqlState(err)).toBe("23505");
    expect(runs).toBe(1);
  });

  it.runIf(ENGINE === "postgres")(
    "a real deadlock between two transactions: PostgreSQL aborts one, the retry commits both",
    async () => {
      const log = new EventLog(database.db, { retry: { baseDelayMs: 5 } });
      const [a, b] = [1, 2];
      // Both hold their first lock before either asks for its second: a certain deadlock.
      let arrived = 0;
      let release!: () => void;
      const bothHoldFirst = new Promise<void>((r) => {
        release = r;
      });
      const meet = async () => {
        if (++arrived === 2) release();
        await bothHoldFirst;
      };
      const lock = (tx: Parameters<Parameters<EventLog["transact"]>[0]>[0], id: number) =>
        tx.execute(sql`select id from rt_lock where id = ${id} for update`);
      const runs = [0, 0];
      const crossed = (i: 0 | 1, first: number, second: number) =>
        log.transact(async (tx) => {
          runs[i]!++;
          await lock(tx, first);
          await meet();
          await lock(tx, second);
          return i;
        });
      expect(await Promise.all([crossed(0, a, b), crossed(1, b, a)])).toEqual([0, 1]);
      expect(runs[0]! + runs[1]!).toBe(3);
    },
  );
});
