import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inArray } from "drizzle-orm";
import { createTestDatabase, ENGINE, type TestDatabase } from "../helpers/test-server.js";
import type { RunningServer } from "../../server/server.js";
import { signedIn } from "../helpers/http.js";
import { Receiver } from "../helpers/receiver.js";
import { api } from "../../shared/api/index.js";
import { outboundMessages } from "../../server/db/schema/index.js";

/**
 * Closing the loop across a cluster: outgoing messages are delivered by the scheduled job of
 * whichever node claims the slot, row by row under SKIP LOCKED, so two servers on one PostgreSQL
 * database never send one message twice (PGlite is one process: nothing to race).
 */
const PHONE = "13812345678";
let spot = 0;
/** Places over 400 m apart near the DL station, so the duplicate rule never joins two reports. */
const place = () => ({ lat: 45.76 + (spot % 20) * 0.004, lng: 126.56 + Math.floor(spot++ / 20) * 0.006 });

describe.skipIf(ENGINE !== "postgres")("closing the loop on two nodes [postgres]", () => {
  let tdb: TestDatabase;
  const nodes: RunningServer[] = [];
  const hook = new Receiver();

  beforeAll(async () => {
    await hook.start();
    tdb = await createTestDatabase();
    const env = {
      OUTBOUND_SENDER: "webhook",
      OUTBOUND_WEBHOOK_URL: hook.url,
      OUTBOUND_EVERY_MS: "100",
      OUTBOUND_RETRY_BASE_MS: "10",
      JOB_TICK_MS: "20",
    };
    nodes.push(await tdb.start(env), await tdb.start(env));
  });
  afterAll(async () => {
    for (const n of nodes) await n.close();
    await tdb?.destroy();
    await hook.close();
  });

  it("two servers on one database deliver every message exactly once", async () => {
    // Slow answers and one failure make runs long and retried, so the nodes' turns interleave.
    hook.respond = (_k, n) => ({ status: n === 1 && Math.random() < 0.2 ? 503 : 200, delayMs: 40 });
    const ops = await Promise.all(nodes.map((n) => signedIn(n.url, "operator")));
    // A burst of reports through both nodes at once, so a run finds many messages due.
    const ids = Array.from({ length: 40 }, () => randomUUID());
    const filed = await Promise.all(
      ids.map((id, i) =>
        ops[i % 2]!.call(api.cases.createSighting, {
          body: {
            id,
            source: "public_hotline",
            callerPhone: PHONE,
            callerWantsOutcome: true,
            ...place(),
            description: "x",
            newCase: true,
          },
        }),
      ),
    );
    expect(filed.map((r) => r.status)).toEqual(ids.map(() => 201));
    // Besides the nodes' own jobs, four deliveries started at once on both nodes, outside the job
    // runner's slot: only the row claims stand between them and a double send.
    const racers = Promise.all([0, 1, 2, 3].map((i) => nodes[i % 2]!.services.outbound.deliverDue(`racer-${i}`)));
    const db = nodes[0]!.database.db;
    const rowsOf = () => db.select().from(outboundMessages).where(inArray(outboundMessages.callId, ids));
    const until = Date.now() + 20_000;
    let rows = await rowsOf();
    while (!(rows.length === ids.length && rows.every((r) => r.status === "sent"))) {
      if (Date.now() > until) throw new Error(`not all sent: ${JSON.stringify(rows.map((r) => r.status))}`);
      await new Promise((r) => setTimeout(r, 100));
      rows = await rowsOf();
    }
    const raced = await racers;
    for (const r of rows) {
      const hits = hook.hits.filter((h) => h.key === r.idempotencyKey);
      // Every attempt reached the receiver once, and exactly one was accepted.
      expect(hits, r.idempotencyKey).toHaveLength(r.attempts);
      expect(
        hits.filter((h) => h.status === 200),
        r.idempotencyKey,
      ).toHaveLength(1);
    }
    expect(rows.every((r) => r.lockedBy === null)).toBe(true);
    const accepted = hook.hits.filter((h) => h.status === 200 && ids.some((id) => h.key.startsWith(id)));
    expect(accepted).toHaveLength(ids.length);
    // How the work was shared (printed for the report; the racers may find nothing left).
    console.info("outbound cluster:", JSON.stringify({ racers: raced, posts: hook.hits.length }));
  });
});
