import { z } from "zod";
import { endpoint } from "./endpoint.js";
import { Id, IdParams } from "./common.js";

/** A catalog item (棉大衣, 棉被, 方便食品 …) with its unit value in fen. */
export const SupplyItem = z.object({
  id: Id.describe("Item id"),
  code: z.string().describe("Unique code"),
  nameZh: z.string().describe("Name (Chinese)"),
  nameEn: z.string().describe("Name (English)"),
  unitZh: z.string().describe("Unit (Chinese)"),
  unitEn: z.string().describe("Unit (English)"),
  unitValueFen: z.number().int().describe("Current unit value, fen; past movements keep the value of their time"),
  active: z.boolean().describe("Offered for hand-out"),
  lowStockThreshold: z.number().int().describe("Station stock at or below this is low"),
  version: z.number().int().describe("Version for optimistic locking"),
});
export type SupplyItem = z.infer<typeof SupplyItem>;

const ItemFields = z.object({
  code: z
    .string()
    .trim()
    .min(1)
    .max(32)
    .regex(/^[a-z0-9_-]+$/, "lower-case letters, digits, - and _ only")
    .describe("Unique code"),
  nameZh: z.string().trim().min(1).max(60).describe("Name (Chinese)"),
  nameEn: z.string().trim().min(1).max(60).describe("Name (English)"),
  unitZh: z.string().trim().min(1).max(10).describe("Unit (Chinese)"),
  unitEn: z.string().trim().min(1).max(20).describe("Unit (English)"),
  unitValueFen: z.number().int().min(0).max(10_000_000).describe("Unit value, fen"),
  active: z.boolean().describe("Offered for hand-out"),
  lowStockThreshold: z.number().int().min(0).max(1_000_000).describe("Low-stock threshold"),
});

/** Adding a catalog item (admin). */
export const SupplyItemCreate = ItemFields.extend({
  id: Id.optional().describe("Client-generated UUID"),
  active: ItemFields.shape.active.default(true),
  lowStockThreshold: ItemFields.shape.lowStockThreshold.default(10),
});
/** Changing a catalog item (admin); the code is fixed. */
export const SupplyItemUpdate = ItemFields.omit({ code: true })
  .partial()
  .extend({ version: z.number().int().positive().describe("Version last seen") });

/** Stock of one item at a station. */
export const StockLine = z.object({
  itemId: Id.describe("Item"),
  code: z.string().describe("Item code"),
  nameZh: z.string().describe("Name (Chinese)"),
  nameEn: z.string().describe("Name (English)"),
  unitZh: z.string().describe("Unit (Chinese)"),
  unitEn: z.string().describe("Unit (English)"),
  station: z.number().int().describe("In the station's store"),
  vehicles: z
    .array(
      z.object({
        vehicleId: Id.describe("Vehicle"),
        callSign: z.string().describe("Call sign"),
        quantity: z.number().int().describe("On board"),
      }),
    )
    .describe("Loaded on vehicles (non-zero only)"),
  low: z.boolean().describe("Station stock at or below the threshold"),
  threshold: z.number().int().describe("Threshold"),
});
export type StockLine = z.infer<typeof StockLine>;

/** A movement into or out of the station's store. */
export const StockMovement = z.object({
  id: Id.describe("Client-generated UUID; a retry returns the first result"),
  stationId: Id.describe("Station"),
  vehicleId: Id.optional().describe("Vehicle (write-offs from a vehicle's load only)"),
  itemId: Id.describe("Item"),
  quantity: z.number().int().min(1).max(1_000_000).describe("Units, positive"),
  notes: z.string().trim().max(500).default("").describe("Notes, e.g. donor or reason"),
});
export type StockMovement = z.infer<typeof StockMovement>;

/** A ledger row as recorded. */
export const LedgerEntry = z.object({
  id: Id.describe("Entry id"),
  stationId: Id.describe("Station"),
  vehicleId: Id.nullable().describe("Vehicle"),
  itemId: Id.describe("Item"),
  kind: z.string().describe("received | loaded | handed_out | returned | written_off"),
  quantity: z.number().int().describe("Units"),
  unitValueFen: z.number().int().describe("Unit value at the time, fen"),
  at: z.string().describe("ISO time"),
  notes: z.string().describe("Notes"),
});

/** Supplies endpoints. */
export const suppliesApi = {
  items: endpoint({
    method: "GET",
    path: "/api/supply-items",
    tag: "supplies",
    access: "any",
    summary: "The supply catalog",
    response: z.object({ items: z.array(SupplyItem) }),
  }),
  createItem: endpoint({
    method: "POST",
    path: "/api/supply-items",
    tag: "supplies",
    access: ["admin"],
    status: 201,
    summary: "Add a catalog item",
    body: SupplyItemCreate,
    response: SupplyItem,
  }),
  updateItem: endpoint({
    method: "PATCH",
    path: "/api/supply-items/:id",
    tag: "supplies",
    access: ["admin"],
    summary: "Change a catalog item (value changes apply from now on)",
    params: IdParams,
    body: SupplyItemUpdate,
    response: SupplyItem,
  }),
  stock: endpoint({
    method: "GET",
    path: "/api/supplies/stock",
    tag: "supplies",
    access: ["operator", "patrol", "head", "supervisor", "admin"],
    summary: "Stock per item at a station and on its vehicles, summed from the ledger",
    query: z.object({ stationId: Id.describe("Station") }),
    response: z.object({ items: z.array(StockLine) }),
  }),
  receive: endpoint({
    method: "POST",
    path: "/api/supplies/receive",
    tag: "supplies",
    access: ["head", "admin"],
    status: 201,
    summary: "Record supplies received into the station's store",
    body: StockMovement,
    response: LedgerEntry,
  }),
  writeOff: endpoint({
    method: "POST",
    path: "/api/supplies/write-off",
    tag: "supplies",
    access: ["head", "admin"],
    status: 201,
    summary: "Write off damaged or lost supplies (409 INSUFFICIENT_STOCK beyond stock)",
    body: StockMovement,
    response: LedgerEntry,
  }),
};
