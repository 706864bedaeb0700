import { z } from "zod";
import { endpoint } from "./endpoint.js";
import { Id, IdParams } from "./common.js";
import { REPORTER_OUTCOMES } from "../reporter-outcome.js";

/** What a reporter is told about their report (shared/reporter-outcome.ts). */
const ReporterOutcomeCode = z
  .enum(REPORTER_OUTCOMES)
  .describe("received | duplicate | crew_sent | helped | not_found | closed");

/** Delivery states of an outgoing message. */
const OUTBOUND_STATUSES = ["pending", "sending", "sent", "failed"] as const;

/**
 * An outgoing message as the admin and station-head list shows it: the recipient masked (a caller's
 * number as 138******78, a partner by name), the outcome and the delivery state. Nothing about the
 * person met is ever in a message.
 */
export const OutboundMessage = z.object({
  id: Id.describe("Message id"),
  stationId: Id.describe("Station of the case"),
  caseId: Id.describe("Case whose change produced the outcome"),
  callId: Id.describe("The report (call) the message answers"),
  reference: z.string().describe("The reference the reporter was given (WL-…, or the Open311 service_request_id)"),
  channel: z.enum(["caller", "partner"]).describe("caller: the caller's own phone; partner: the partner system"),
  recipient: z.string().describe("Masked phone number, or the partner's name"),
  category: ReporterOutcomeCode,
  status: z.enum(OUTBOUND_STATUSES).describe("pending | sending | sent | failed"),
  attempts: z.number().int().describe("Delivery attempts so far"),
  lastError: z.string().nullable().describe("Error of the last failed attempt"),
  nextAttemptAt: z.string().nullable().describe("ISO time of the next attempt while pending"),
  createdAt: z.string().describe("ISO time it was queued"),
  sentAt: z.string().nullable().describe("ISO time it was delivered"),
});
export type OutboundMessage = z.infer<typeof OutboundMessage>;

/** The outgoing message queue (closing the loop with reporters). */
export const outboundApi = {
  list: endpoint({
    method: "GET",
    path: "/api/outbound-messages",
    tag: "outbound",
    access: ["head", "admin"],
    summary: "Outgoing messages to reporters (callers who asked to be told, partner systems), newest first, masked",
    query: z.object({
      stationId: Id.optional().describe("One station"),
      status: z.enum(OUTBOUND_STATUSES).optional().describe("Only this delivery state"),
      limit: z.coerce.number().int().min(1).max(500).default(100).describe("Max rows"),
    }),
    response: z.object({ items: z.array(OutboundMessage) }),
  }),
  retry: endpoint({
    method: "POST",
    path: "/api/outbound-messages/:id/retry",
    tag: "outbound",
    access: ["head", "admin"],
    summary: "Send a failed (or waiting) message again now, with a fresh attempt budget",
    params: IdParams,
    response: OutboundMessage,
    alsoErrors: [409],
  }),
};
