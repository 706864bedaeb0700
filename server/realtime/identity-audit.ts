import type { Role } from "../../shared/roles.js";
import type { SessionUser } from "../auth/session-user.js";
import type { Db } from "../db/client.js";
import type { EventRow } from "../events/events.repo.js";
import type { Logger } from "../logger.js";
import { auditReadsBy } from "../people/people.repo.js";
import { deliveryFor } from "./events.presenter.js";

/**
 * Identity delivered over the socket is a read like any other (shared/identity.ts): before a live
 * or replayed event carrying a person's identity goes to a crew's or head's socket, one audit row
 * per receiving user is written (kind "event"). If the audit cannot be written the identity is not
 * sent (fail closed); the dashboard still converges through HTTP, which audits its own reads.
 */
export class EventIdentityAudit {
  constructor(
    private readonly db: Db,
    private readonly log: Pick<Logger, "error">,
  ) {}

  /**
   * Audits `row` as received by `role` on the sockets of `users` (resolved only when the event
   * carries identity for that role). False when the event must not be sent.
   */
  async live(row: EventRow, role: Role, users: () => Promise<SessionUser[]>): Promise<boolean> {
    const personId = deliveryFor(row, role)?.identityOf;
    if (!personId) return true;
    const readers = dedupe(await users());
    return this.write(
      readers.map((u) => ({ personId, userId: u.id, role: u.role, kind: "event" as const })),
      row.id,
    );
  }

  /**
   * Audits a replayed page for one socket, one row per person shown. Returns which rows may be
   * sent: all of them, or, if the audit failed, only those carrying no identity.
   */
  async replayed(rows: EventRow[], user: SessionUser): Promise<(row: EventRow) => boolean> {
    const people = new Map<number, string>();
    for (const r of rows) {
      const personId = deliveryFor(r, user.role)?.identityOf;
      if (personId) people.set(r.id, personId);
    }
    const ok = await this.write(
      [...new Set(people.values())].map((personId) => ({
        personId,
        userId: user.id,
        role: user.role,
        kind: "event" as const,
      })),
      rows[0]?.id ?? 0,
    );
    return ok ? () => true : (r) => !people.has(r.id);
  }

  private async write(rows: Parameters<typeof auditReadsBy>[1], eventId: number): Promise<boolean> {
    try {
      await auditReadsBy(this.db, rows);
      return true;
    } catch (err) {
      this.log.error("identity read audit failed; event withheld", { eventId, err: String(err) });
      return false;
    }
  }
}

/** One row per user, however many of their sockets are in the rooms. */
function dedupe(users: SessionUser[]): SessionUser[] {
  return [...new Map(users.map((u) => [u.id, u])).values()];
}
