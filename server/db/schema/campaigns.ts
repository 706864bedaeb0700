import { pgTable, uuid, text, date, timestamp } from "drizzle-orm/pg-core";
import { regions } from "./stations.js";

/** A relief campaign (e.g. 寒冬送温暖专项救助行动) over a region and a date range. */
export const campaigns = pgTable("campaigns", {
  id: uuid("id").primaryKey().defaultRandom(),
  name: text("name").notNull(),
  regionId: uuid("region_id")
    .notNull()
    .references(() => regions.id),
  startsOn: date("starts_on").notNull(),
  endsOn: date("ends_on").notNull(),
  /** Current cold-alert level: blue < yellow < orange < red. */
  alertLevel: text("alert_level", { enum: ["blue", "yellow", "orange", "red"] })
    .notNull()
    .default("blue"),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
});
