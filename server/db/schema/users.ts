import { pgTable, uuid, text, boolean, timestamp, index } from "drizzle-orm/pg-core";
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
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
});

/** Server-side sessions; the cookie holds a random token, the table only its SHA-256. */
export const sessions = pgTable("sessions", {
  tokenHash: text("token_hash").primaryKey(),
  userId: uuid("user_id").notNull().references(() => users.id),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
}, (t) => [index("sessions_user_idx").on(t.userId)]);
