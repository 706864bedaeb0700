import { pgTable, uuid, text, integer, jsonb, timestamp, index, uniqueIndex } from "drizzle-orm/pg-core";
import { sql } from "drizzle-orm";
import { stations } from "./stations.js";
import { calls, cases } from "./cases.js";
import { partners } from "./partners.js";
import { users } from "./users.js";
import type { OutcomeMessageBody } from "../../../shared/reporter-outcome.js";

/**
 * A caller who left a phone number and agreed to be told what came of their report (issue 19,
 * "closing the loop"). One row per call; the number itself stays on the call (personal data, read
 * through presenters), so withdrawing consent is deleting this row.
 */
export const reporterConsents = pgTable("reporter_consents", {
  callId: uuid("call_id")
    .primaryKey()
    .references(() => calls.id),
  givenAt: timestamp("given_at", { withTimezone: true }).notNull().defaultNow(),
  recordedBy: uuid("recorded_by").references(() => users.id),
});

/**
 * The outgoing message queue: what a reporter is told about their report, written in the same
 * transaction as the change that produced the outcome (server/outbound). Durable and delivered at
 * least once; `(call_id, category, channel)` is the idempotency key, so an outcome is queued once
 * per reporter however often the step that produced it is repeated, and the key goes out with the
 * message so a receiver can drop a redelivery.
 *
 * The body holds only the report's reference and the outcome's words (shared/reporter-outcome.ts);
 * the caller's number is read from the call when sending, never copied here.
 */
export const outboundMessages = pgTable(
  "outbound_messages",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    idempotencyKey: text("idempotency_key").notNull(),
    stationId: uuid("station_id")
      .notNull()
      .references(() => stations.id),
    /** The case whose change produced the outcome (the call's case at that moment). */
    caseId: uuid("case_id")
      .notNull()
      .references(() => cases.id),
    /** The report (call) the message answers. */
    callId: uuid("call_id")
      .notNull()
      .references(() => calls.id),
    /** caller (the caller's own phone) | partner (the partner system that filed it through Open311). */
    channel: text("channel").notNull(),
    partnerId: uuid("partner_id").references(() => partners.id),
    /** received | duplicate | crew_sent | helped | not_found | closed */
    category: text("category").notNull(),
    body: jsonb("body").$type<OutcomeMessageBody>().notNull(),
    /** pending | sending | sent | failed */
    status: text("status").notNull().default("pending"),
    /** Delivery attempts so far. */
    attempts: integer("attempts").notNull().default(0),
    /** Attempts at the last manual retry: the retry budget counts from here. */
    retryFrom: integer("retry_from").notNull().default(0),
    lastError: text("last_error"),
    nextAttemptAt: timestamp("next_attempt_at", { withTimezone: true }).notNull().defaultNow(),
    /** While `sending`: the node's claim lapses at this time (a node that died mid-send). */
    lockedUntil: timestamp("locked_until", { withTimezone: true }),
    lockedBy: text("locked_by"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    sentAt: timestamp("sent_at", { withTimezone: true }),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("outbound_messages_key_idx").on(t.idempotencyKey),
    // The delivery job's scan: due messages in order.
    index("outbound_messages_due_idx")
      .on(t.nextAttemptAt)
      .where(sql`${t.status} in ('pending', 'sending')`),
    index("outbound_messages_station_idx").on(t.stationId, t.createdAt),
    index("outbound_messages_call_idx").on(t.callId),
  ],
);
