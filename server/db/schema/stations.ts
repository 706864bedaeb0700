import { pgTable, uuid, text, doublePrecision, integer, timestamp, index, type AnyPgColumn } from "drizzle-orm/pg-core";

/**
 * Administrative hierarchy: province > city > district > street > community. `path` makes subtree
 * queries one LIKE; a move rewrites the moved subtree's paths in the same transaction.
 */
export const regions = pgTable(
  "regions",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    name: text("name").notNull(),
    level: text("level", { enum: ["province", "city", "district", "street", "community"] }).notNull(),
    parentId: uuid("parent_id").references((): AnyPgColumn => regions.id),
    /** "/<root id>/<child id>/.../<own id>/" */
    path: text("path").notNull(),
    version: integer("version").notNull().default(1),
  },
  (t) => [index("regions_path_idx").on(t.path)],
);

/** Relief stations (救助管理站). */
export const stations = pgTable("stations", {
  id: uuid("id").primaryKey().defaultRandom(),
  code: text("code").notNull().unique(),
  name: text("name").notNull(),
  regionId: uuid("region_id")
    .notNull()
    .references(() => regions.id),
  lat: doublePrecision("lat").notNull(),
  lng: doublePrecision("lng").notNull(),
  address: text("address").notNull().default(""),
  hotline: text("hotline").notNull().default(""),
  beds: integer("beds").notNull().default(0),
  version: integer("version").notNull().default(1),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
});
