import { randomUUID } from "node:crypto";
import type { VehicleSupplyLine } from "../../shared/api/vehicles.js";
import type { Tx } from "../db/client.js";
import { fieldError, insufficientStock } from "../http/errors.js";
import * as prepo from "../patrols/patrols.repo.js";
import * as vrepo from "../vehicles/vehicles.repo.js";
import { storeStock } from "./supplies.repo.js";

/**
 * The one step that hands supplies out of a stock: checks the catalog, checks the balance of the
 * vehicle's load (vehicleId) or of the station's store (vehicleId null), and appends handed_out
 * ledger lines naming what they were handed out in (an encounter or a distribution). The caller
 * holds that stock's lock (vehicle row or station row, lock order in supplies.repo.ts), taken
 * before this reads the balance, so the check stands until commit: 409 INSUFFICIENT_STOCK, nothing
 * written. `path` names the lines in errors (body.supplies, body.encounters.3.supplies).
 */
export async function handOutFromStock(
  tx: Tx,
  out: {
    stationId: string;
    vehicleId: string | null;
    callSign?: string;
    lines: VehicleSupplyLine[];
    path: string;
    at: Date;
    recordedBy: string;
    sortieId?: string | null;
    encounterId?: string | null;
    distributionId?: string | null;
  },
): Promise<(VehicleSupplyLine & { unitValueFen: number })[]> {
  if (!out.lines.length) return [];
  const items = await prepo.itemsById(
    tx,
    out.lines.map((l) => l.itemId),
  );
  out.lines.forEach((l, i) => {
    if (!items.has(l.itemId)) throw fieldError(`${out.path}.${i}.itemId`, "no such supply item");
  });
  const have = out.vehicleId
    ? new Map((await vrepo.vehicleLoad(tx, out.vehicleId)).map((l) => [l.itemId, l.quantity]))
    : await storeStock(
        tx,
        out.stationId,
        out.lines.map((l) => l.itemId),
      );
  const where = out.vehicleId ? `vehicle ${out.callSign ?? ""} has`.replace("  ", " ") : "the station's store has";
  out.lines.forEach((l, i) => {
    const n = have.get(l.itemId) ?? 0;
    if (l.quantity > n)
      throw insufficientStock(
        `${out.path}.${i}.quantity`,
        `${l.quantity} ${items.get(l.itemId)!.code} wanted but ${where} ${n}${out.vehicleId ? " on board" : ""}`,
      );
  });
  const lines = out.lines.map((l) => ({ ...l, unitValueFen: items.get(l.itemId)!.unitValueFen }));
  await prepo.insertLedger(
    tx,
    lines.map((l) => ({
      id: randomUUID(),
      stationId: out.stationId,
      vehicleId: out.vehicleId,
      sortieId: out.sortieId ?? null,
      encounterId: out.encounterId ?? null,
      distributionId: out.distributionId ?? null,
      itemId: l.itemId,
      kind: "handed_out",
      quantity: l.quantity,
      unitValueFen: l.unitValueFen,
      at: out.at,
      recordedBy: out.recordedBy,
    })),
  );
  return lines;
}
