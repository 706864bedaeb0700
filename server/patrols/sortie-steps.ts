import { randomUUID } from "node:crypto";
import type { SortieStart } from "../../shared/api/patrols.js";
import type { VehicleSupplyLine } from "../../shared/api/vehicles.js";
import type { DbOrTx, Tx } from "../db/client.js";
import type { RecordEvent } from "../events/event-log.js";
import type { SessionUser } from "../auth/session-user.js";
import { canSeeStation } from "../auth/policy.js";
import { AppError, fieldError, forbidden, insufficientStock, notFound } from "../http/errors.js";
import * as vrepo from "../vehicles/vehicles.repo.js";
import * as srepo from "../supplies/supplies.repo.js";
import { followVehicleStatus, applyVehicleStatus } from "../vehicles/vehicle-status.js";
import { vehicleOnSortieEnd, vehicleOnSortieStart, type VehicleStatus } from "../../shared/status.js";
import * as repo from "./patrols.repo.js";
import { presentPatrol, presentSortie, presentVisit } from "./patrols.presenter.js";

/**
 * The steps of a sortie as both live entry (PatrolsService: start, end, visit) and the patrol log
 * (server/patrol-logs: a whole sortie after the fact, in one transaction) run them. Each runs inside
 * the caller's transaction; `path` prefixes field names in errors ("body" live, "body" too for the
 * log's sortie, "body.keyPoints.2" for a nested visit).
 */

/** Thrown when an idempotent insert lost to a twin request: the caller answers with the winner's record. */
export class LostIdempotentRace extends Error {}

/** Refuses a supply list naming an item twice. */
export function noDuplicateItems(lines: VehicleSupplyLine[], path: string): void {
  const seen = new Set<string>();
  lines.forEach((l, i) => {
    if (seen.has(l.itemId)) throw fieldError(`${path}.${i}.itemId`, "listed twice");
    seen.add(l.itemId);
  });
}

/** A vehicle the user may use; `lock` takes its row lock (lock order 2). */
export async function visibleVehicle(
  tx: DbOrTx,
  user: SessionUser,
  id: string,
  lock = false,
  path = "body",
): Promise<vrepo.VehicleRow> {
  const v = await vrepo.findVehicle(tx, id, lock);
  if (!v) throw fieldError(`${path}.vehicleId`, "no such vehicle");
  if (!canSeeStation(user, v.stationId)) throw forbidden("That vehicle belongs to another station");
  return v;
}

/**
 * Starts a sortie: joins an open patrol of the station (joint patrol) or opens a new one, puts an
 * off-duty vehicle on duty, and loads supplies from station stock ("loaded" ledger rows; 409
 * INSUFFICIENT_STOCK when the station has too little). Throws LostIdempotentRace when the sortie id
 * was inserted meanwhile.
 */
export async function startSortieIn(
  tx: Tx,
  record: RecordEvent,
  user: SessionUser,
  input: SortieStart,
  startedAt: Date,
  path = "body",
): Promise<repo.SortieRow> {
  // Locks in the one order of server/supplies/supplies.repo.ts: the station's store, then the
  // vehicle, then the patrol joined, all before any insert. (Formerly the store was
  // locked last, FOR UPDATE, after the patrol and sortie inserts had taken a foreign-key lock
  // on the same station row: two crews starting at once deadlocked.) The vehicle is read
  // once unlocked only to learn which station's store to lock.
  const seen = await visibleVehicle(tx, user, input.vehicleId, false, path);
  if (input.load.length) await srepo.lockStationStock(tx, seen.stationId);
  const v = await visibleVehicle(tx, user, input.vehicleId, true, path);
  if (v.stationId !== seen.stationId)
    throw new AppError(409, "CONFLICT", `Vehicle ${v.callSign} was moved to another station meanwhile; try again`);
  const open = (await vrepo.openSortiesOf(tx, [v.id])).get(v.id);
  if (open)
    throw new AppError(
      409,
      "CONFLICT",
      `${path}.vehicleId: vehicle ${v.callSign} is already out on a sortie; end it first`,
    );
  if (v.status === "out_of_service")
    throw new AppError(409, "INVALID_TRANSITION", `Vehicle ${v.callSign} is out of service`);
  let patrolId = input.patrolId;
  if (patrolId) {
    const p = await repo.findPatrol(tx, patrolId, true);
    if (!p) throw fieldError(`${path}.patrolId`, "no such patrol");
    if (p.stationId !== v.stationId) throw fieldError(`${path}.patrolId`, "patrol belongs to another station");
    if (p.endedAt) throw new AppError(409, "CONFLICT", `${path}.patrolId: that patrol has ended`);
  } else {
    patrolId = randomUUID();
    const p = await repo.insertPatrol(tx, {
      id: patrolId,
      stationId: v.stationId,
      kind: input.kind,
      footStaff: input.footStaff,
      startedAt,
      createdBy: user.id,
    });
    record({
      type: "patrol.started",
      stationId: p.stationId,
      actorId: user.id,
      payload: presentPatrol({ patrol: p, callSigns: [v.callSign] }),
    });
  }
  const s = await repo.insertSortie(tx, {
    id: input.id,
    patrolId,
    vehicleId: v.id,
    stationId: v.stationId,
    crewCount: input.crewCount,
    crewNames: input.crewNames,
    startedAt,
    createdBy: user.id,
  });
  if (!s) throw new LostIdempotentRace();
  const onDuty = vehicleOnSortieStart(v.status as VehicleStatus);
  if (onDuty !== v.status) await applyVehicleStatus(tx, record, user.id, v, onDuty);
  const loaded = await loadFromStore(tx, user, v.stationId, v.id, s.id, input.load, startedAt, `${path}.load`);
  const info = (await repo.patrolInfo(tx, [patrolId])).get(patrolId)!;
  record({
    type: "sortie.started",
    stationId: v.stationId,
    actorId: user.id,
    payload: { ...presentSortie(s, info), load: loaded },
  });
  return s;
}

/**
 * Ends a sortie: returns supplies to station stock ("returned" rows, never more than on board:
 * 409 INSUFFICIENT_STOCK), takes the vehicle off duty, and ends the patrol with its last sortie.
 * `endedAt` is taken as given but never before the start. Returns undefined when it had ended already.
 */
export async function endSortieIn(
  tx: Tx,
  record: RecordEvent,
  user: SessionUser,
  id: string,
  returned: VehicleSupplyLine[],
  endedAtWanted: Date,
  path = "body",
): Promise<repo.SortieRow | undefined> {
  const seen = await repo.findSortie(tx, id);
  if (!seen) throw notFound("Sortie");
  if (!canSeeStation(user, seen.stationId)) throw forbidden("That sortie belongs to another station");
  if (seen.endedAt) return undefined;
  // Lock order (server/supplies/supplies.repo.ts): vehicle, patrol, sortie. The vehicle
  // serialises this return against hand-outs and write-offs from its load; the patrol against
  // a crew joining it while its last sortie ends (else the patrol could end with a sortie open).
  let v = await visibleVehicle(tx, user, seen.vehicleId, true, path);
  await repo.findPatrol(tx, seen.patrolId, true);
  const s = (await repo.findSortie(tx, id, true))!;
  if (s.endedAt) return undefined; // ended by a twin request while this one waited
  const endedAt = endedAtWanted < s.startedAt ? s.startedAt : endedAtWanted;
  const task = (await vrepo.activeTasksOf(tx, [v.id])).get(v.id);
  if (task)
    throw new AppError(
      409,
      "CONFLICT",
      `Vehicle ${v.callSign} still has an active task (${task.status}); clear it before ending the sortie`,
    );
  const onBoard = new Map((await vrepo.vehicleLoad(tx, v.id)).map((l) => [l.itemId, l.quantity]));
  const items = await repo.itemsById(
    tx,
    returned.map((r) => r.itemId),
  );
  returned.forEach((r, i) => {
    if (!items.has(r.itemId)) throw fieldError(`${path}.returned.${i}.itemId`, "no such supply item");
    const have = onBoard.get(r.itemId) ?? 0;
    if (r.quantity > have) {
      throw insufficientStock(
        `${path}.returned.${i}.quantity`,
        `${r.quantity} ${items.get(r.itemId)!.code} returned but only ${have} on board`,
      );
    }
  });
  await repo.insertLedger(
    tx,
    returned.map((r) => ({
      id: randomUUID(),
      stationId: s.stationId,
      vehicleId: v.id,
      sortieId: s.id,
      itemId: r.itemId,
      kind: "returned",
      quantity: r.quantity,
      unitValueFen: items.get(r.itemId)!.unitValueFen,
      at: endedAt,
      recordedBy: user.id,
    })),
  );
  const ended = (await repo.endSortie(tx, s.id, endedAt))!;
  v = await followVehicleStatus(tx, record, user.id, v, vehicleOnSortieEnd(v.status as VehicleStatus));
  if ((await repo.otherOpenSorties(tx, s.patrolId, s.id)) === 0) await repo.endPatrol(tx, s.patrolId, endedAt);
  const info = (await repo.patrolInfo(tx, [s.patrolId])).get(s.patrolId)!;
  record({
    type: "sortie.ended",
    stationId: s.stationId,
    actorId: user.id,
    payload: { ...presentSortie(ended, info), returned },
  });
  return ended;
}

/** Records a key-point check of a key point (already checked visible) and its event; undefined when the id exists. */
export async function recordVisitIn(
  tx: Tx,
  record: RecordEvent,
  user: SessionUser,
  visit: {
    id: string;
    keyPoint: { id: string; stationId: string; name: string };
    sortie?: repo.SortieRow;
    peopleFound: number;
    notes: string;
    visitedAt: Date;
  },
): Promise<repo.VisitRow | undefined> {
  const v = await repo.insertVisit(tx, {
    id: visit.id,
    keyPointId: visit.keyPoint.id,
    stationId: visit.keyPoint.stationId,
    patrolId: visit.sortie?.patrolId ?? null,
    sortieId: visit.sortie?.id ?? null,
    peopleFound: visit.peopleFound,
    notes: visit.notes,
    visitedAt: visit.visitedAt,
    recordedBy: user.id,
  });
  if (v)
    record({
      type: "keypoint.visited",
      stationId: v.stationId,
      actorId: user.id,
      payload: { ...presentVisit(v), keyPointName: visit.keyPoint.name },
    });
  return v;
}

/** Loads supplies from the station's store onto the vehicle; the caller holds the store's lock. */
async function loadFromStore(
  tx: Tx,
  user: SessionUser,
  stationId: string,
  vehicleId: string,
  sortieId: string,
  lines: VehicleSupplyLine[],
  at: Date,
  path: string,
): Promise<VehicleSupplyLine[]> {
  if (!lines.length) return [];
  const items = await repo.itemsById(
    tx,
    lines.map((l) => l.itemId),
  );
  lines.forEach((l, i) => {
    if (!items.get(l.itemId)?.active) throw fieldError(`${path}.${i}.itemId`, "no such active supply item");
  });
  // The caller holds the station's store lock (taken first, see startSortieIn), so this balance
  // stands until commit.
  const stock = await srepo.storeStock(
    tx,
    stationId,
    lines.map((l) => l.itemId),
  );
  lines.forEach((l, i) => {
    const have = stock.get(l.itemId) ?? 0;
    if (l.quantity > have) {
      throw insufficientStock(
        `${path}.${i}.quantity`,
        `${l.quantity} ${items.get(l.itemId)!.code} wanted but the station has ${have}`,
      );
    }
  });
  await repo.insertLedger(
    tx,
    lines.map((l) => ({
      id: randomUUID(),
      stationId,
      vehicleId,
      sortieId,
      itemId: l.itemId,
      kind: "loaded",
      quantity: l.quantity,
      unitValueFen: items.get(l.itemId)!.unitValueFen,
      at,
      recordedBy: user.id,
    })),
  );
  return lines;
}
