import { pgTable, uuid, text, boolean, timestamp, index, integer } from "drizzle-orm/pg-core";
import { regions, stations } from "./stations.js";

/** People who sign in. Scope: stationId for station roles, regionId for supervisors, none for admins. */
export const users = pgTable("users", {
  id: uuid("id").primaryKey().defaultRandom(),
  username: text("username").notNull().unique(),
  displayName: text("display_name").notNull(),
  /** scrypt$N$r$p$salt$hash */
  passwordHash: text("password_hash").notNull(),
  role: text("role", { enum: ["operator", "patrol", "head", "supervisor", "admin"] }).notNull(),
  stationId: uuid("station_id").references(() => stations.id),
  regionId: uuid("region_id").references(() => regions.id),
  active: boolean("active").notNull().default(true),
  /** Optimistic-lock version: every change (password resets included) bumps it; a stale edit is a 409. */
  version: integer("version").notNull().default(1),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
});

/** Server-side sessions; the cookie holds a random token, the table only its SHA-256. */
export const sessions = pgTable(
  "sessions",
  {
    tokenHash: text("token_hash").primaryKey(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
  },
  (t) => [index("sessions_user_idx").on(t.userId)],
);

/**
 * Failed sign-ins per key within a fixed window, shared by every node (server/auth/login-throttle).
 * Keys are `u:<lower-case account name>` and `a:<client address>`. A failure after the window has
 * passed starts a new one at count 1; expired rows are pruned now and then.
 */
export const loginFailures = pgTable(
  "login_failures",
  {
    key: text("key").primaryKey(),
    /** Start of the current window (database clock). */
    windowStart: timestamp("window_start", { withTimezone: true }).notNull(),
    /** Failures counted since `window_start`. */
    count: integer("count").notNull(),
  },
  (t) => [index("login_failures_window_idx").on(t.windowStart)],
);
