import type { OutboundMessage } from "../../shared/api/outbound.js";
import type { ReporterOutcome } from "../../shared/reporter-outcome.js";
import type { OutboundListRow } from "./outbound.repo.js";
import { maskPhone } from "./senders.js";

/**
 * An outgoing message for the head's and admin's list: the recipient masked (never a whole number,
 * though both roles may see callers' numbers on cases: the list is about delivery, not calling back).
 */
export function presentOutbound(r: OutboundListRow): OutboundMessage {
  const m = r.message;
  return {
    id: m.id,
    stationId: m.stationId,
    caseId: m.caseId,
    callId: m.callId,
    reference: m.body.reference,
    channel: m.channel === "partner" ? "partner" : "caller",
    recipient: m.channel === "partner" ? (r.partnerName ?? "") : r.phone ? maskPhone(r.phone) : "",
    category: m.category as ReporterOutcome,
    status: m.status as OutboundMessage["status"],
    attempts: m.attempts,
    lastError: m.lastError,
    nextAttemptAt: m.status === "pending" ? m.nextAttemptAt.toISOString() : null,
    createdAt: m.createdAt.toISOString(),
    sentAt: m.sentAt?.toISOString() ?? null,
  };
}
