import type { OutboundMessage } from "../../shared/api/outbound.js";
import {
  outcomeMessageBody,
  reportReference,
  reporterOutcome,
  type ReporterOutcome,
} from "../../shared/reporter-outcome.js";
import type { CaseStatus } from "../../shared/status.js";
import type { Db, Tx } from "../db/client.js";
import type { DomainEventInput, EventLog } from "../events/event-log.js";
import type { Logger } from "../logger.js";
import type { SessionUser } from "../auth/session-user.js";
import { canSeeStation, requireRole, requireStation } from "../auth/policy.js";
import { AppError, notFound } from "../http/errors.js";
import * as repo from "./outbound.repo.js";
import { presentOutbound } from "./outbound.presenter.js";
import type { OutgoingMessage, Sender } from "./senders.js";

/** Delivery tuning (server/env.ts). */
interface OutboundOptions {
  sender: Sender;
  /** Attempts before a message that keeps failing is given up (failed); a manual retry grants as many again. */
  maxAttempts: number;
  /** Wait before the second attempt; doubles with each further one, up to MAX_BACKOFF_MS. */
  retryBaseMs: number;
  /** Longest one send may take (the webhook's timeout): a claimed batch must not lapse while it is sent. */
  sendTimeoutMs: number;
}

/** Messages claimed per round, and rounds per run of the delivery job. */
const BATCH = 10;
const MAX_ROUNDS = 20;
/** Added to each send's timeout for the bookkeeping around it when sizing a claim. */
const CLAIM_MARGIN_MS = 5_000;
const MAX_BACKOFF_MS = 3_600_000;

/** Stage of an outcome: a reporter never hears an earlier stage after a later one. */
const stage = (c: string): number => (c === "received" || c === "duplicate" ? 0 : c === "crew_sent" ? 1 : 2);

/** The cases an event may have moved, as far as what reporters are told goes. */
function casesOf(e: DomainEventInput): string[] {
  switch (e.type) {
    case "case.created":
    case "case.updated":
      return [e.payload.case.id];
    case "call.added":
      return [e.payload.caseId];
    case "case.merged":
      return [e.payload.from.id, e.payload.into.id];
    case "case.unmerged":
      return [e.payload.from.id, e.payload.to.id];
    case "encounter.recorded":
      return e.payload.caseId ? [e.payload.caseId] : [];
    default:
      return [];
  }
}

/**
 * Closing the loop (issue 19): queues what each reporter is told about their report, and delivers it.
 *
 * Queueing rides on the event log: every transaction that records a case or encounter event also
 * works out, before it commits, the outcome (shared/reporter-outcome.ts) for each report of the cases
 * it touched whose caller agreed to be told or which a partner filed, and inserts a message under the
 * idempotency key (call, outcome, channel). So the message commits with the change or not at all,
 * and a repeated or replayed step queues nothing new. A reporter never gets an earlier stage after a
 * later one (a task cancelled and the case reopened does not say "received" again).
 *
 * Delivery is the scheduled job `outbound.deliver` (once per slot across the cluster) claiming due
 * messages row by row (SKIP LOCKED) so no two nodes send one message; a claim that lapses (the node
 * died mid-send) is taken again: at least once, with the key for receivers to drop a repeat.
 */
export class OutboundService {
  constructor(
    private readonly db: Db,
    private readonly eventLog: EventLog,
    private readonly opts: OutboundOptions,
    private readonly log: Logger,
  ) {
    eventLog.beforeCommit((tx, events) => this.queueOutcomes(tx, events).then(() => undefined));
  }

  /** Inside a transaction: queues the outcomes its events produced. Returns how many were queued. */
  async queueOutcomes(tx: Tx, events: readonly DomainEventInput[]): Promise<number> {
    const caseIds = [...new Set(events.flatMap(casesOf))];
    if (!caseIds.length) return 0;
    const reporters = await repo.reportersOfCases(tx, caseIds);
    if (!reporters.length) return 0;
    const outcomes = await repo.encounterOutcomes(tx, [...new Set(reporters.map((r) => r.caseId))]);
    const queued = await repo.queuedCategories(
      tx,
      reporters.map((r) => r.callId),
    );
    const rows: repo.NewOutbound[] = [];
    for (const r of reporters) {
      const category = reporterOutcome({
        caseStatus: r.caseStatus as CaseStatus,
        encounters: outcomes.get(r.caseId) ?? [],
        joinedExisting: r.intake !== "created",
      });
      const channels: ("caller" | "partner")[] = [];
      if (r.callerConsents) channels.push("caller");
      if (r.partnerId) channels.push("partner");
      for (const channel of channels) {
        const before = queued.get(`${r.callId}:${channel}`) ?? [];
        const latest = Math.max(-1, ...before.map(stage));
        if (before.includes(category) || stage(category) < latest || (stage(category) === 0 && latest === 0)) continue;
        const reference = channel === "partner" ? r.callId : reportReference(r.callId);
        rows.push({
          idempotencyKey: `${r.callId}:${category}:${channel}`,
          stationId: r.stationId,
          caseId: r.caseId,
          callId: r.callId,
          channel,
          partnerId: channel === "partner" ? r.partnerId : null,
          category,
          body: outcomeMessageBody(reference, category),
        });
      }
    }
    return repo.enqueue(tx, rows);
  }

  /**
   * Sends what is due, as this node (`nodeId`): claims a batch, sends each message, records the
   * result; repeats while there is more, up to a bound per run. Returns the counts of this run.
   */
  async deliverDue(nodeId: string): Promise<{ sent: number; retrying: number; failed: number }> {
    const counts = { sent: 0, retrying: 0, failed: 0 };
    for (let round = 0; round < MAX_ROUNDS; round++) {
      // The claim outlasts the batch sent one by one at the slowest, so only a dead node's lapses.
      const claimMs = BATCH * (this.opts.sendTimeoutMs + CLAIM_MARGIN_MS);
      const claimed = await repo.claimDue(this.db, nodeId, BATCH, claimMs);
      if (!claimed.length) break;
      const to = await repo.recipients(
        this.db,
        claimed.map((m) => m.callId),
      );
      for (const m of claimed) {
        const outcome = await this.attempt(m, to.get(m.callId));
        await repo.finishAttempt(this.db, m.id, nodeId, outcome);
        if (outcome.status === "sent") counts.sent++;
        else if (outcome.status === "failed") counts.failed++;
        else counts.retrying++;
      }
      if (claimed.length < BATCH) break;
    }
    return counts;
  }

  /** Outgoing messages of the user's stations (admins: all), masked. */
  async list(
    user: SessionUser,
    q: { stationId?: string; status?: string; limit: number },
  ): Promise<{ items: OutboundMessage[] }> {
    requireRole(user, ["head", "admin"]);
    if (q.stationId) requireStation(user, q.stationId);
    const stationIds = q.stationId ? [q.stationId] : user.allStations ? undefined : user.stationIds;
    const rows = await repo.listMessages(this.db, { stationIds, status: q.status, limit: q.limit });
    return { items: rows.map(presentOutbound) };
  }

  /** Sends a failed or waiting message again now, with a fresh attempt budget; a sent one is 409. */
  async retry(user: SessionUser, id: string): Promise<OutboundMessage> {
    requireRole(user, ["head", "admin"]);
    await this.eventLog.transact(async (tx, record) => {
      const m = await repo.lockMessage(tx, id);
      if (!m || !canSeeStation(user, m.stationId)) throw notFound("Message");
      if (m.status === "sent" || m.status === "sending")
        throw new AppError(
          409,
          "INVALID_TRANSITION",
          `Message is ${m.status}; only failed or pending ones are retried`,
        );
      await repo.requeue(tx, id);
      const [row] = await repo.listMessages(tx, { id, limit: 1 });
      record({ type: "outbound.retried", stationId: m.stationId, actorId: user.id, payload: presentOutbound(row!) });
    });
    const [row] = await repo.listMessages(this.db, { id, limit: 1 });
    return presentOutbound(row!);
  }

  /** One send attempt and what it leaves the message as. */
  private async attempt(
    m: repo.OutboundRow,
    to: { phone: string | null; partnerName: string | null } | undefined,
  ): Promise<{ status: "sent" | "pending" | "failed"; error: string | null; retryInMs?: number }> {
    const message: OutgoingMessage | undefined =
      m.channel === "partner" && m.partnerId
        ? {
            ...this.common(m),
            to: {
              channel: "partner",
              partnerId: m.partnerId,
              partnerName: to?.partnerName ?? "",
              serviceRequestId: m.callId,
            },
          }
        : to?.phone
          ? { ...this.common(m), to: { channel: "caller", phone: to.phone } }
          : undefined;
    // The number was removed from the call since: nobody to tell.
    if (!message) return { status: "failed", error: "no recipient: the call has no phone number" };
    let result;
    try {
      result = await this.opts.sender.send(message);
    } catch (err) {
      result = { ok: false as const, permanent: false, error: err instanceof Error ? err.message : String(err) };
    }
    if (result.ok) return { status: "sent", error: null };
    const attempts = m.attempts + 1 - m.retryFrom;
    if (result.permanent || attempts >= this.opts.maxAttempts) {
      this.log.warn("outgoing message failed", { id: m.id, attempts: m.attempts + 1, error: result.error });
      return { status: "failed", error: result.error };
    }
    const backoff = Math.min(MAX_BACKOFF_MS, this.opts.retryBaseMs * 2 ** (attempts - 1));
    return {
      status: "pending",
      error: result.error,
      retryInMs: Math.min(MAX_BACKOFF_MS, Math.max(backoff, result.retryAfterMs ?? 0)),
    };
  }

  private common(m: repo.OutboundRow): Omit<OutgoingMessage, "to"> {
    return {
      id: m.id,
      idempotencyKey: m.idempotencyKey,
      category: m.category as ReporterOutcome,
      body: m.body,
    };
  }
}
