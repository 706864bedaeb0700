import type { z } from "zod";
import type { LedgerEntry, SupplyItem } from "../../shared/api/supplies.js";
import type { LedgerRow, SupplyItemRow } from "./supplies.repo.js";

/** Catalog item as the API shows it. */
export function presentItem(i: SupplyItemRow): SupplyItem {
  return {
    id: i.id,
    code: i.code,
    nameZh: i.nameZh,
    nameEn: i.nameEn,
    unitZh: i.unitZh,
    unitEn: i.unitEn,
    unitValueFen: i.unitValueFen,
    active: i.active,
    lowStockThreshold: i.lowStockThreshold,
    version: i.version,
  };
}

/** Ledger row as the API shows it. */
export function presentLedger(l: LedgerRow): z.infer<typeof LedgerEntry> {
  return {
    id: l.id,
    stationId: l.stationId,
    vehicleId: l.vehicleId,
    itemId: l.itemId,
    kind: l.kind,
    quantity: l.quantity,
    unitValueFen: l.unitValueFen,
    at: l.at.toISOString(),
    notes: l.notes,
  };
}
