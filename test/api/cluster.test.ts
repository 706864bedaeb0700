import { afterAll, beforeAll, describe, expect, it } from "vitest";
import postgres from "postgres";
import { io, type Socket } from "socket.io-client";
import type { ClientToServerEvents, DomainEvent, ServerToClientEvents } from "../../shared/events.js";
import { createTestDatabase, ENGINE, type TestDatabase } from "../helpers/test-server.js";
import { signedIn, type TestClient } from "../helpers/http.js";
import { waitFor } from "../helpers/socket.js";
import { spawnNode, type ClusterNode } from "../../bench/cluster-node.js";
import { api } from "../../shared/api/index.js";

/**
 * A dashboard behind a load balancer: a real Socket.IO client (websocket transport, session cookie)
 * that, when its node goes away, connects to the next node with the last event id it applied,
 * as nginx would route its reconnect to a live upstream. It does not de-duplicate, so a double
 * delivery by the servers would show.
 */
class FailoverClient {
  readonly events: DomainEvent[] = [];
  lastEventId: number | null;
  /** URLs it connected to, in order. */
  readonly connectedTo: string[] = [];
  private socket!: Socket<ServerToClientEvents, ClientToServerEvents>;
  private closed = false;

  constructor(
    private readonly urls: string[],
    private readonly cookie: string,
    lastEventId: number | null,
  ) {
    this.lastEventId = lastEventId;
    this.open(0);
  }

  private open(i: number): void {
    if (this.closed) return;
    const url = this.urls[i % this.urls.length]!;
    const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io(url, {
      transports: ["websocket"],
      extraHeaders: { cookie: this.cookie },
      auth: (cb) => cb({ lastEventId: this.lastEventId }),
      reconnection: false,
      forceNew: true,
      timeout: 3000,
    });
    this.socket = socket;
    let moved = false;
    const next = () => {
      if (moved || this.closed) return;
      moved = true;
      socket.removeAllListeners();
      socket.close();
      setTimeout(() => this.open(i + 1), 50);
    };
    socket.on("event", (e) => {
      this.events.push(e);
      this.lastEventId = Math.max(this.lastEventId ?? 0, e.id);
    });
    socket.on("replay:done", (d) => {
      this.connectedTo.push(url);
      if (this.lastEventId === null || d.lastEventId > this.lastEventId) this.lastEventId = d.lastEventId;
    });
    socket.on("disconnect", next);
    socket.on("connect_error", next);
  }

  /** True once connected and replayed on `n` nodes in turn. */
  ready(n = 1): Promise<void> {
    return waitFor(() => this.connectedTo.length >= n, 15_000);
  }

  close(): void {
    this.closed = true;
    this.socket.removeAllListeners();
    this.socket.close();
  }
}

/** Commits one event through a node: a station created by the admin. */
async function commitEvent(admin: TestClient, regionId: string, code: string): Promise<void> {
  const r = await admin.call(api.stations.create, {
    body: { code, name: `站 ${code}`, regionId, lat: 45.7, lng: 126.6 },
  });
  if (r.status !== 201) throw new Error(`commit ${code} failed: ${r.status} ${JSON.stringify(r.body)}`);
}

/** Writes `count` events through one node from `lanes` concurrent writers; stops a lane at its first error. */
async function writeMany(
  admin: TestClient,
  regionId: string,
  prefix: string,
  count: number,
  lanes = 3,
  onDone?: () => void,
) {
  let next = 0;
  let failed = 0;
  await Promise.all(
    Array.from({ length: lanes }, async () => {
      while (next < count) {
        const i = next++;
        try {
          await commitEvent(admin, regionId, `${prefix}${i}`);
          onDone?.();
        } catch {
          failed++;
          return;
        }
      }
    }),
  );
  return failed;
}

describe.skipIf(ENGINE !== "postgres")(
  "cluster: two server processes on one PostgreSQL [postgres only: PGlite is one process]",
  () => {
    let tdb: TestDatabase;
    let sqlc: postgres.Sql;
    let nodeA: ClusterNode;
    let nodeB: ClusterNode;
    const clients: FailoverClient[] = [];

    beforeAll(async () => {
      tdb = await createTestDatabase({ empty: true });
      sqlc = postgres(tdb.url!, { max: 1, onnotice: () => {} });
      // Both start at once, both asked to seed: migrations and the seed serialise on advisory locks.
      [nodeA, nodeB] = await Promise.all([
        spawnNode("A", { DATABASE_URL: tdb.url!, SEED: "demo", DB_POOL_SIZE: "5" }),
        spawnNode("B", { DATABASE_URL: tdb.url!, SEED: "demo", DB_POOL_SIZE: "5" }),
      ]);
    });

    it("two nodes seeding one empty database at the same moment make one demo city", async () => {
      const [counts] = await sqlc<{ stations: number; users: number; campaigns: number }[]>`select
      (select count(*)::int from stations) as stations, (select count(*)::int from users) as users,
      (select count(*)::int from campaigns) as campaigns`;
      expect(counts).toEqual({ stations: 2, users: 6, campaigns: 1 });
    });

    afterAll(async () => {
      for (const c of clients) c.close();
      await Promise.all([nodeA?.kill(), nodeB?.stop()]);
      await sqlc?.end();
      await tdb?.destroy();
    });

    it("every client gets every event exactly once, in order, when one node is SIGKILLed mid-write", async () => {
      const adminA = await signedIn(nodeA.url, "admin");
      const adminB = await signedIn(nodeB.url, "admin"); // a session made on one node works on all
      const regionId = (await adminB.call(api.stations.regions)).body.items[0]!.id as string;
      const [top] = await sqlc<{ max: number }[]>`select coalesce(max(id), 0)::int as max from events`;
      const baseline = top!.max;

      // Four dashboards on each node, all starting from the same position.
      for (let i = 0; i < 8; i++) {
        clients.push(
          new FailoverClient(
            i < 4 ? [nodeA.url, nodeB.url] : [nodeB.url, nodeA.url],
            i % 2 ? adminA.cookie : adminB.cookie,
            baseline,
          ),
        );
      }
      await Promise.all(clients.map((c) => c.ready()));

      // Phase 1: both nodes write concurrently; each client must see the other node's writes too.
      await Promise.all([writeMany(adminA, regionId, "A", 15), writeMany(adminB, regionId, "B", 15)]);
      await waitFor(() => clients.every((c) => c.events.length === 30), 15_000);

      // Phase 2: writes keep going through both nodes; A is killed while requests are in flight.
      let doneOnA = 0;
      const writesA = writeMany(adminA, regionId, "KA", 200, 3, () => doneOnA++);
      const writesB = writeMany(adminB, regionId, "KB", 20, 2);
      await waitFor(() => doneOnA >= 5, 15_000);
      await nodeA.kill();
      expect(nodeA.child.signalCode).toBe("SIGKILL");
      const failedOnA = await writesA;
      expect(failedOnA).toBeGreaterThan(0); // the kill really cut writes short
      expect(await writesB).toBe(0);

      // A's clients move to B with their last event id.
      await Promise.all(clients.slice(0, 4).map((c) => c.ready(2)));
      // Phase 3: more writes through the survivor.
      await writeMany(adminB, regionId, "C", 10);

      // The truth is what PostgreSQL committed, including writes whose response A never sent.
      const truth = (
        await sqlc<{ id: number }[]>`select id::int as id from events where id > ${baseline} order by id`
      ).map((r) => r.id);
      expect(truth.length).toBeGreaterThanOrEqual(30 + 5 + 20 + 10);
      await waitFor(() => clients.every((c) => c.events.length >= truth.length), 20_000).catch((e) => {
        throw new Error(
          `${e.message}: got ${clients.map((c) => c.events.length).join(",")} of ${truth.length}\n${nodeB.stderr()}`,
        );
      });
      await new Promise((r) => setTimeout(r, 300)); // room for any late duplicate to show up
      for (const c of clients) {
        expect(c.events.map((e) => e.id)).toEqual(truth);
      }
      for (const c of clients.slice(0, 4)) expect(c.connectedTo).toEqual([nodeA.url, nodeB.url]);
      for (const c of clients.slice(4)) expect(c.connectedTo).toEqual([nodeB.url]);
    }, 90_000);
  },
);
