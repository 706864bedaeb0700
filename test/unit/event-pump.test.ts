import { beforeEach, describe, expect, it, vi } from "vitest";
import type { EventRow } from "../../server/events/events.repo.js";

/** The events table as the pump's queries see it: committed rows and open writers. */
const table = vi.hoisted(() => ({ rows: [] as EventRow[], writers: [] as string[], reads: 0 }));

vi.mock("../../server/events/events.repo.js", () => ({
  listEventsAfter: async (_db: unknown, o: { afterId: number; limit: number }) => {
    table.reads++;
    return table.rows
      .filter((r) => r.id > o.afterId)
      .sort((a, b) => a.id - b.id)
      .slice(0, o.limit);
  },
  latestEventId: async () => table.rows.reduce((m, r) => Math.max(m, r.id), 0),
  eventWriters: async () => [...table.writers],
  writersStillRunning: async (_db: unknown, w: string[]) => w.filter((x) => table.writers.includes(x)),
  eventsExistBetween: async (_db: unknown, from: number, to: number) =>
    table.rows.some((r) => r.id >= from && r.id <= to),
}));

const { EventPump } = await import("../../server/realtime/event-pump.js");
const { SerialQueue } = await import("../../server/realtime/serial-queue.js");

const row = (id: number): EventRow =>
  ({ id, type: "station.updated", stationId: null, actorId: null, payload: {}, at: new Date() }) as EventRow;
const log = { debug() {}, info() {}, warn() {}, error() {}, child: () => log } as never;

describe("event pump hand-over", () => {
  let delivered: number[];
  let queue: InstanceType<typeof SerialQueue>;
  let pump: InstanceType<typeof EventPump>;

  beforeEach(async () => {
    table.rows = [row(1), row(2)];
    table.writers = [];
    delivered = [];
    queue = new SerialQueue((err) => {
      throw err;
    });
    pump = new EventPump({} as never, queue, async (r) => void delivered.push(r.id), log);
    await pump.start();
    table.reads = 0;
  });

  it("delivers committed rows that continue the watermark without reading the table back", async () => {
    table.rows.push(row(3), row(4));
    pump.offer([row(3), row(4)]);
    table.rows.push(row(5));
    pump.offer([row(5)]);
    await queue.drain();
    expect(delivered).toEqual([3, 4, 5]);
    expect(table.reads).toBe(0);
    expect(pump.watermark).toBe(5);
  });

  it("past a gap reads the table, delivers in id order exactly once, and waits for an open writer", async () => {
    // Id 3 belongs to another node's (or transaction's) commit not handed over; 4 is ours.
    table.rows.push(row(3), row(4));
    pump.offer([row(4)]);
    await queue.drain();
    expect(delivered).toEqual([3, 4]);
    expect(table.reads).toBeGreaterThan(0);

    // Id 5 is still held by an open writer: 6 (ours) waits, then both go out in order.
    table.writers = ["w1"];
    table.rows.push(row(6));
    pump.offer([row(6)]);
    await queue.drain();
    expect(delivered).toEqual([3, 4]);
    table.rows.push(row(5));
    table.writers = [];
    await vi.waitFor(() => expect(delivered).toEqual([3, 4, 5, 6]));
    // A late hand-over of rows already delivered from the table changes nothing.
    pump.offer([row(5), row(6)]);
    pump.kick();
    await queue.drain();
    expect(delivered).toEqual([3, 4, 5, 6]);
    pump.stop();
  });

  it("skips an id whose transaction rolled back once no writer is left", async () => {
    table.rows.push(row(4));
    pump.offer([row(4)]);
    await queue.drain();
    expect(delivered).toEqual([4]);
    expect(pump.watermark).toBe(4);
  });
});
