import { and, asc, eq, gt, inArray, isNull, lte, or, sql } from "drizzle-orm";
import { rawRows, type DbOrTx } from "../db/client.js";
import { positions, sorties, vehicles } from "../db/schema/index.js";

/** A sortie's time span, for placing a fix in the sortie it was recorded on. */
export interface SortieSpan {
  id: string;
  startedAt: Date;
  endedAt: Date | null;
}

/**
 * What storing a track needs to know about a vehicle: its station (scope), call sign, open sortie,
 * and the sorties whose span may hold the batch's fixes.
 */
export interface TrackVehicle {
  id: string;
  stationId: string;
  callSign: string;
  sortieId: string | null;
  /** Newest first. */
  spans: SortieSpan[];
}

/**
 * The given vehicles with their open sortie and every sortie overlapping [from, to], in one query
 * (run inside the writing transaction: one round trip instead of two before BEGIN). Unknown ids are
 * simply absent. A phone that was offline sends its track after reconnecting, possibly after the
 * sortie's end was already sent, so fixes are placed by their own time, not by which sortie is
 * open when they arrive.
 */
export async function trackVehicles(
  db: DbOrTx,
  ids: string[],
  from: Date,
  to: Date,
): Promise<Map<string, TrackVehicle>> {
  const out = new Map<string, TrackVehicle>();
  if (!ids.length) return out;
  const rows = await db
    .select({
      id: vehicles.id,
      stationId: vehicles.stationId,
      callSign: vehicles.callSign,
      sortieId: sorties.id,
      startedAt: sorties.startedAt,
      endedAt: sorties.endedAt,
    })
    .from(vehicles)
    .leftJoin(
      sorties,
      and(
        eq(sorties.vehicleId, vehicles.id),
        or(isNull(sorties.endedAt), and(lte(sorties.startedAt, to), gt(sorties.endedAt, from))),
      ),
    )
    .where(inArray(vehicles.id, ids))
    // No limit: one flush holds at most a few thousand vehicles, each with the few sorties of the
    // batch's time span; a cut-off would silently leave fixes without their sortie.
    .orderBy(asc(vehicles.id), sql`${sorties.startedAt} desc nulls last`);
  for (const r of rows) {
    let v = out.get(r.id);
    if (!v) out.set(r.id, (v = { id: r.id, stationId: r.stationId, callSign: r.callSign, sortieId: null, spans: [] }));
    if (!r.sortieId || !r.startedAt) continue;
    // A vehicle has at most one open sortie; should two ever be open, the newest wins.
    if (!r.endedAt && !v.sortieId) v.sortieId = r.sortieId;
    v.spans.push({ id: r.sortieId, startedAt: r.startedAt, endedAt: r.endedAt });
  }
  return out;
}

/**
 * Stores track points with one multi-row INSERT; a point already stored (same vehicle and time,
 * resent by a phone whose response was lost) is skipped. Returns the keys of the rows that were
 * new, as `${vehicleId}|${epoch ms}`. Callers dedupe within a batch first.
 */
export async function insertPositions(db: DbOrTx, rows: (typeof positions.$inferInsert)[]): Promise<Set<string>> {
  if (!rows.length) return new Set();
  const inserted = await db
    .insert(positions)
    .values(rows)
    .onConflictDoNothing()
    .returning({ vehicleId: positions.vehicleId, recordedAt: positions.recordedAt });
  return new Set(inserted.map((r) => positionKey(r.vehicleId, r.recordedAt)));
}

/** Key of a track point for matching INSERT results to requests: vehicle and time to the millisecond. */
export const positionKey = (vehicleId: string, at: Date): string => `${vehicleId}|${at.getTime()}`;

/** The newest fix of one vehicle in a batch. */
interface NewestFix {
  vehicleId: string;
  lat: number;
  lng: number;
  at: Date;
}

/**
 * For every vehicle in one UPDATE: moves its last position forward (never back: late replays of
 * old fixes do not move the marker) and, in the same statement, claims the right to broadcast it
 * (at most once per `intervalS` per vehicle across every server process, because the claim is a
 * conditional column update under the row lock). Does not touch `version`, so position reports
 * never make a dispatcher's assign stale. Returns the vehicles that moved, with whether this call
 * claimed the broadcast.
 *
 * Rows are locked in the order PostgreSQL joins them; two processes updating the same vehicles in
 * different orders could deadlock, which PostgreSQL breaks by failing one: EventLog.transact runs
 * that one again (and the phone would resend anyway).
 */
export async function advanceAndClaim(
  db: DbOrTx,
  fixes: NewestFix[],
  now: Date,
  intervalS: number,
): Promise<{ vehicleId: string; claimed: boolean }[]> {
  if (!fixes.length) return [];
  const cutoff = new Date(now.getTime() - intervalS * 1000);
  const sorted = [...fixes].sort((a, b) => a.vehicleId.localeCompare(b.vehicleId));
  const values = sql.join(
    sorted.map(
      (f) => sql`(${f.vehicleId}::uuid, ${f.lat}::float8, ${f.lng}::float8, ${f.at.toISOString()}::timestamptz)`,
    ),
    sql`, `,
  );
  const rows = await rawRows<{ id: string; claimed: boolean }>(
    db,
    sql`
    update ${vehicles} v set
      last_lat = n.lat, last_lng = n.lng, last_position_at = n.at,
      position_broadcast_at = case
        when v.position_broadcast_at is null or v.position_broadcast_at < ${cutoff.toISOString()}::timestamptz
        then ${now.toISOString()}::timestamptz else v.position_broadcast_at end
    from (values ${values}) as n(id, lat, lng, at)
    where v.id = n.id and (v.last_position_at is null or v.last_position_at < n.at)
    returning v.id, (v.position_broadcast_at = ${now.toISOString()}::timestamptz) as claimed`,
  );
  return rows.map((r) => ({ vehicleId: r.id, claimed: r.claimed === true }));
}

/** Track points of a vehicle between two times, oldest first, bounded. */
async function track(db: DbOrTx, vehicleId: string, from: Date, to: Date, limit: number) {
  return db
    .select()
    .from(positions)
    .where(and(eq(positions.vehicleId, vehicleId), sql`${positions.recordedAt} between ${from} and ${to}`))
    .orderBy(positions.recordedAt)
    .limit(limit);
}
