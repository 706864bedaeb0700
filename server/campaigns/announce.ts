import type { Db } from "../db/client.js";
import type { DomainEventInput, EventLog } from "../events/event-log.js";
import { readAnnouncements, writeAnnouncement } from "./campaigns.repo.js";

/** One thing a scheduled job may announce: its state under a key, and the event saying it. */
export interface Announcement {
  key: string;
  state: Record<string, unknown>;
  event: DomainEventInput | null;
}

/**
 * Records announcements and their events. With `onlyChanges` (the scheduled jobs) an event goes
 * out only when a key's state differs from what was last said; a key never seen before is recorded
 * silently, so a fresh start or another node taking the job over does not flood dashboards.
 * Without it (an explicit call) every announcement with an event is sent.
 */
/** JSON with sorted keys: jsonb does not keep key order, so states are compared in this form. */
const canonical = (v: unknown) =>
  JSON.stringify(v, (_k, x) =>
    x && typeof x === "object" && !Array.isArray(x)
      ? Object.fromEntries(Object.entries(x).sort(([a], [b]) => a.localeCompare(b)))
      : x,
  );

export async function announce(
  db: Db,
  log: EventLog,
  prefix: string,
  items: Announcement[],
  onlyChanges: boolean,
): Promise<number> {
  const last = await readAnnouncements(db, prefix);
  // Counted inside the work and returned: a transaction re-run after a deadlock starts again from 0.
  return log.transact(async (tx, record) => {
    let sent = 0;
    for (const a of items) {
      const seen = last.get(a.key);
      const prev = seen === undefined ? undefined : canonical(seen);
      const now = canonical(a.state);
      if (prev === now) {
        if (!onlyChanges && a.event) {
          record(a.event);
          sent++;
        }
        continue;
      }
      await writeAnnouncement(tx, a.key, a.state);
      if (a.event && (!onlyChanges || prev !== undefined)) {
        record(a.event);
        sent++;
      }
    }
    return sent;
  });
}
