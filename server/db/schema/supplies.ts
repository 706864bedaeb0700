import { pgTable, uuid, text, integer, boolean } from "drizzle-orm/pg-core";

/** Supply catalog: what can be handed out, and its unit value (in fen, 1/100 yuan, to stay exact). */
export const supplyItems = pgTable("supply_items", {
  id: uuid("id").primaryKey().defaultRandom(),
  code: text("code").notNull().unique(),
  nameZh: text("name_zh").notNull(),
  nameEn: text("name_en").notNull(),
  unitZh: text("unit_zh").notNull(),
  unitEn: text("unit_en").notNull(),
  unitValueFen: integer("unit_value_fen").notNull(),
  active: boolean("active").notNull().default(true),
  /** Station stock at or below this shows a low-stock warning. */
  lowStockThreshold: integer("low_stock_threshold").notNull().default(10),
  version: integer("version").notNull().default(1),
});
