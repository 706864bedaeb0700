import { pgTable, text, bigint, timestamp, integer } from "drizzle-orm/pg-core";

/**
 * Bookkeeping of scheduled jobs (server/jobs): one row per job name. A node runs interval slot N
 * of a job only if it moves `last_slot` up to N while no unexpired lease is held, in one atomic
 * statement, so across any number of nodes each slot runs at most once and runs never overlap.
 * The lease is renewed while the job runs and lapses if the node dies.
 */
export const scheduledJobs = pgTable("scheduled_jobs", {
  name: text("name").primaryKey(),
  /** Highest interval slot claimed: floor(epoch ms / interval), computed on the database clock. */
  lastSlot: bigint("last_slot", { mode: "number" }).notNull(),
  /** Node holding the lease of the current run, null when idle. */
  lockedBy: text("locked_by"),
  lockedUntil: timestamp("locked_until", { withTimezone: true }),
  lastStartedAt: timestamp("last_started_at", { withTimezone: true }),
  lastFinishedAt: timestamp("last_finished_at", { withTimezone: true }),
  /** Message of the last failed run; cleared by a successful one. */
  lastError: text("last_error"),
  runs: integer("runs").notNull().default(0),
});
