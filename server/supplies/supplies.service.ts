import { randomUUID } from "node:crypto";
import type { z } from "zod";
import type {
  StockLine,
  StockMovement,
  SupplyItem,
  SupplyItemCreate,
  SupplyItemUpdate,
  LedgerEntry,
} from "../../shared/api/supplies.js";
import type { Db } from "../db/client.js";
import type { EventLog } from "../events/event-log.js";
import type { SessionUser } from "../auth/session-user.js";
import { requireRole, requireStation } from "../auth/policy.js";
import { AppError, fieldError, insufficientStock, notFound, versionConflict } from "../http/errors.js";
import * as repo from "./supplies.repo.js";
import { presentItem, presentLedger } from "./supplies.presenter.js";
import * as vrepo from "../vehicles/vehicles.repo.js";
import { assertSameRequest } from "../http/idempotency.js";

/**
 * Supply catalog and station stock. Stock is never stored: it is the sum of the append-only ledger,
 * so a receipt or write-off is one row and an event; loads and hand-outs come from the patrol side.
 */
export class SuppliesService {
  constructor(
    private readonly db: Db,
    private readonly log: EventLog,
  ) {}

  /** The catalog. */
  async items(): Promise<SupplyItem[]> {
    return (await repo.listSupplyItems(this.db)).map(presentItem);
  }

  /** Adds a catalog item (admin). */
  async createItem(user: SessionUser, input: z.infer<typeof SupplyItemCreate>): Promise<SupplyItem> {
    requireRole(user, ["admin"]);
    const id = input.id ?? randomUUID();
    const row = await this.log.transact(async (tx, record) => {
      const created = await repo.insertSupplyItem(tx, { ...input, id });
      if (created)
        record({ type: "supply_item.created", stationId: null, actorId: user.id, payload: presentItem(created) });
      return created;
    });
    if (row) return presentItem(row);
    const existing = await repo.findSupplyItem(this.db, id);
    if (existing) {
      assertSameRequest("supply item", id, existing, input, { fixed: ["code"] });
      return presentItem(existing);
    }
    throw new AppError(409, "CONFLICT", `body.code: an item with code ${input.code} already exists`);
  }

  /** Changes a catalog item (admin); past ledger rows keep their own unit value. */
  async updateItem(user: SessionUser, id: string, input: z.infer<typeof SupplyItemUpdate>): Promise<SupplyItem> {
    requireRole(user, ["admin"]);
    const { version, ...patch } = input;
    const row = await this.log.transact(async (tx, record) => {
      const updated = await repo.updateSupplyItem(tx, id, version, patch);
      if (updated)
        record({ type: "supply_item.updated", stationId: null, actorId: user.id, payload: presentItem(updated) });
      return updated;
    });
    if (row) return presentItem(row);
    if (!(await repo.findSupplyItem(this.db, id))) throw notFound("Supply item");
    throw versionConflict("Supply item");
  }

  /** Stock per item at a station and on its vehicles, with the low-stock flag. */
  async stock(user: SessionUser, stationId: string): Promise<StockLine[]> {
    requireStation(user, stationId);
    const [items, rows, vehicles] = await Promise.all([
      repo.listSupplyItems(this.db),
      repo.stockOf(this.db, stationId),
      repo.vehicleCallSigns(this.db, stationId),
    ]);
    return items
      .filter((i) => i.active || rows.some((r) => r.itemId === i.id))
      .map((i) => {
        const mine = rows.filter((r) => r.itemId === i.id);
        const station = mine.reduce((n, r) => n + r.station, 0);
        return {
          itemId: i.id,
          code: i.code,
          nameZh: i.nameZh,
          nameEn: i.nameEn,
          unitZh: i.unitZh,
          unitEn: i.unitEn,
          station,
          vehicles: mine
            .filter((r) => r.vehicleId && r.vehicle !== 0)
            .map((r) => ({
              vehicleId: r.vehicleId!,
              callSign: vehicles.get(r.vehicleId!)?.callSign ?? "",
              quantity: r.vehicle,
            })),
          low: station <= i.lowStockThreshold,
          threshold: i.lowStockThreshold,
        };
      });
  }

  /** Supplies received into the station's store (head, admin). */
  receive(user: SessionUser, input: StockMovement): Promise<z.infer<typeof LedgerEntry>> {
    if (input.vehicleId) throw fieldError("body.vehicleId", "supplies are received into the station's store");
    return this.move(user, input, "received");
  }

  /** Supplies written off from the store or a vehicle's load; never below zero (409 INSUFFICIENT_STOCK). */
  writeOff(user: SessionUser, input: StockMovement): Promise<z.infer<typeof LedgerEntry>> {
    return this.move(user, input, "written_off");
  }

  private async move(user: SessionUser, input: StockMovement, kind: "received" | "written_off") {
    requireRole(user, ["head", "admin"]);
    requireStation(user, input.stationId);
    const item = await repo.findSupplyItem(this.db, input.itemId);
    if (!item) throw fieldError("body.itemId", "no such item");
    if (input.vehicleId && !(await repo.vehicleCallSigns(this.db, input.stationId)).has(input.vehicleId)) {
      throw fieldError("body.vehicleId", "not a vehicle of this station");
    }
    const row = await this.log.transact(async (tx, record) => {
      // The same locks as the other movements of that stock (lock order in supplies.repo.ts): a
      // write-off from a vehicle's load queues behind hand-outs, returns and loads of that vehicle
      // (its row), one from the store behind sortie loads (the station row). This once
      // was an advisory lock of its own that neither of those took, so a write-off and hand-outs
      // could each pass their check against the same units.
      if (input.vehicleId) await vrepo.findVehicle(tx, input.vehicleId, true);
      else await repo.lockStationStock(tx, input.stationId);
      const rows = await repo.stockOf(tx, input.stationId, input.itemId);
      // A vehicle's load is read as hand-outs and returns read it (vehicleLoad), so all of them check one balance.
      const before = input.vehicleId
        ? ((await vrepo.vehicleLoad(tx, input.vehicleId)).find((l) => l.itemId === input.itemId)?.quantity ?? 0)
        : rows.reduce((n, r) => n + r.station, 0);
      if (kind === "written_off" && input.quantity > before && !(await repo.findLedger(tx, input.id))) {
        throw insufficientStock(
          "body.quantity",
          `${input.quantity} ${item.code} to write off but only ${before} ${input.vehicleId ? "on board" : "in stock"}`,
        );
      }
      const created = await repo.insertLedger(tx, {
        id: input.id,
        stationId: input.stationId,
        vehicleId: input.vehicleId ?? null,
        itemId: input.itemId,
        kind,
        quantity: input.quantity,
        unitValueFen: item.unitValueFen,
        recordedBy: user.id,
        notes: input.notes,
      });
      if (!created) return undefined;
      const after = before + (kind === "received" ? input.quantity : -input.quantity);
      const stationStock = input.vehicleId ? rows.reduce((n, r) => n + r.station, 0) : after;
      record({
        type: kind === "received" ? "supply.received" : "supply.written_off",
        stationId: input.stationId,
        actorId: user.id,
        payload: { ...presentLedger(created), stationStock, low: stationStock <= item.lowStockThreshold },
      });
      return created;
    });
    const out = row ?? (await repo.findLedger(this.db, input.id));
    if (!out || out.kind !== kind || out.stationId !== input.stationId)
      throw new AppError(409, "CONFLICT", "body.id: already used for another movement");
    if (!row) assertSameRequest("stock movement", input.id, out, input);
    return presentLedger(out);
  }
}
