import { and, eq, isNull, lt, or, sql } from "drizzle-orm";
import type { DbOrTx } from "../db/client.js";
import { positions, vehicles } from "../db/schema/index.js";

/** Stores track points; a point resent by an outbox (same vehicle and time) is skipped. Returns how many were new. */
export async function insertPositions(db: DbOrTx, rows: (typeof positions.$inferInsert)[]): Promise<number> {
  if (!rows.length) return 0;
  const inserted = await db.insert(positions).values(rows).onConflictDoNothing().returning({ id: positions.id });
  return inserted.length;
}

/**
 * Moves a vehicle's last position forward (never back: late replays of old fixes do not move the
 * marker). Does not touch `version`, so position reports never make a dispatcher's assign stale.
 */
export async function advanceLastPosition(db: DbOrTx, vehicleId: string, lat: number, lng: number, at: Date): Promise<boolean> {
  const rows = await db.update(vehicles).set({ lastLat: lat, lastLng: lng, lastPositionAt: at })
    .where(and(eq(vehicles.id, vehicleId), or(isNull(vehicles.lastPositionAt), lt(vehicles.lastPositionAt, at))))
    .returning({ id: vehicles.id });
  return rows.length > 0;
}

/**
 * Claims the right to broadcast this vehicle's position now: succeeds at most once per `intervalS`
 * per vehicle across every server process, because the claim is one conditional UPDATE.
 */
export async function claimBroadcast(db: DbOrTx, vehicleId: string, now: Date, intervalS: number): Promise<boolean> {
  const cutoff = new Date(now.getTime() - intervalS * 1000);
  const rows = await db.update(vehicles).set({ positionBroadcastAt: now })
    .where(and(eq(vehicles.id, vehicleId), or(isNull(vehicles.positionBroadcastAt), lt(vehicles.positionBroadcastAt, cutoff))))
    .returning({ id: vehicles.id });
  return rows.length > 0;
}

/** Track points of a vehicle between two times, oldest first, bounded. */
export async function track(db: DbOrTx, vehicleId: string, from: Date, to: Date, limit: number) {
  return db.select().from(positions)
    .where(and(eq(positions.vehicleId, vehicleId), sql`${positions.recordedAt} between ${from} and ${to}`))
    .orderBy(positions.recordedAt).limit(limit);
}
