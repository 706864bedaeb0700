import { randomUUID } from "node:crypto";
import type {
  CheckIn,
  CheckInCreate,
  CheckInPolicy,
  CheckInPolicyInput,
  CheckInStatus,
  CrewAlert,
  PanicCreate,
} from "../../shared/api/check-ins.js";
import { nextCheckInDue } from "../../shared/check-ins.js";
import type { Db, DbOrTx } from "../db/client.js";
import type { EventLog } from "../events/event-log.js";
import type { SessionUser } from "../auth/session-user.js";
import { requireRole, requireStation } from "../auth/policy.js";
import { AppError, fieldError, forbidden, notFound, versionConflict } from "../http/errors.js";
import { assertSameRequest } from "../http/idempotency.js";
import { findCampaign } from "../campaigns/campaigns.repo.js";
import { findRegion } from "../stations/stations.repo.js";
import * as repo from "./check-ins.repo.js";
import { presentAlert, presentCheckIn, presentPolicy, presentStatus } from "./check-ins.presenter.js";
import { syncWatches } from "./watches.js";

const CREW = ["patrol", "head", "admin"] as const;
const DUTY_ROOM = ["operator", "head", "admin"] as const;

/** Clamps a client-reported time (offline replay) to "not in the future". */
const clientTime = (at: string | undefined, now: Date) => (at && new Date(at) < now ? new Date(at) : now);

/** Thrown inside a transaction to roll it back when a concurrent request with the same id won. */
class LostIdempotentRace extends Error {}

/** Told of every alert raised (metrics): its kind and, for a missed check-in, how late after the deadline. */
type AlertListener = (kind: CrewAlert["kind"], secondsAfterDeadline: number | null) => void;

/**
 * Crew check-ins and panics (issue 19). On the levels a campaign's policy names, every open sortie
 * checks in every N minutes; the deadline is stored per sortie (watches.ts) and a scheduled job
 * (`raiseMissed`, every few seconds on one node) records one alert per missed deadline, so a silent
 * phone is noticed even while offline and across restarts. A late check-in clears the alert; the
 * duty room acknowledges alerts in one action. A panic is its own alert, raised at once.
 */
export class CheckInsService {
  private readonly listeners: AlertListener[] = [];

  constructor(
    private readonly db: Db,
    private readonly log: EventLog,
  ) {}

  /** Subscribes to alerts raised by this process. */
  onAlert(listener: AlertListener): void {
    this.listeners.push(listener);
  }

  /** A campaign's policy (the default until set). */
  async policy(campaignId: string): Promise<CheckInPolicy> {
    if (!(await findCampaign(this.db, campaignId))) throw notFound("Campaign");
    return presentPolicy(campaignId, await repo.findPolicy(this.db, campaignId));
  }

  /** Sets a campaign's policy (supervisor within their region, admin). */
  async setPolicy(user: SessionUser, campaignId: string, input: CheckInPolicyInput): Promise<CheckInPolicy> {
    requireRole(user, ["supervisor", "admin"]);
    const c = await findCampaign(this.db, campaignId);
    if (!c) throw notFound("Campaign");
    if (user.role === "supervisor" && !(await findRegion(this.db, c.regionId))?.path.includes(`/${user.regionId}/`))
      throw forbidden("That campaign is outside your region");
    const policy = await this.log.transact(async (tx, record) => {
      const row = await repo.writePolicy(tx, { campaignId, ...input, userId: user.id, at: new Date() });
      if (!row) throw versionConflict("Check-in policy");
      const p = presentPolicy(campaignId, row);
      record({ type: "check_in.policy_changed", stationId: null, actorId: user.id, payload: p });
      return p;
    });
    // The job follows within seconds; done here too so the crews see the new deadlines at once.
    await syncWatches(this.db, this.log, new Date());
    return policy;
  }

  /** A sortie's check-in state. */
  async status(user: SessionUser, sortieId: string): Promise<CheckInStatus> {
    const sortie = await repo.findSortie(this.db, sortieId);
    if (!sortie) throw notFound("Sortie");
    requireStation(user, sortie.stationId);
    return this.statusOf(this.db, sortie, new Date());
  }

  /**
   * One check-in: moves the deadline to the tap's time plus the interval (never backwards: a late
   * replay of an older tap changes nothing) and clears the sortie's open missed-check-in alerts.
   * Idempotent by id. Accepted on any night; on a night that requires none it is only recorded.
   */
  async checkIn(user: SessionUser, input: CheckInCreate): Promise<{ checkIn: CheckIn; status: CheckInStatus }> {
    requireRole(user, [...CREW]);
    const sortie = await this.visibleSortie(user, input.sortieId);
    const existing = await repo.findCheckIn(this.db, input.id);
    if (existing) return this.repeatedCheckIn(user, existing, input);
    const now = new Date();
    const at = clientTime(input.at, now);
    try {
      return await this.log.transact(async (tx, record) => {
        const watch = await repo.findWatch(tx, sortie.id, true);
        const late = !!watch?.alertedDueAt && watch.alertedDueAt.getTime() === watch.nextDueAt?.getTime();
        const row = await repo.insertCheckIn(tx, {
          id: input.id,
          sortieId: sortie.id,
          stationId: sortie.stationId,
          at,
          receivedAt: now,
          lat: input.position?.lat ?? null,
          lng: input.position?.lng ?? null,
          late,
          createdBy: user.id,
        });
        if (!row) throw new LostIdempotentRace();
        const newer = !watch?.lastCheckInAt || at > watch.lastCheckInAt;
        if (!watch)
          await repo.insertWatch(tx, {
            sortieId: sortie.id,
            stationId: sortie.stationId,
            vehicleId: sortie.vehicleId,
            required: false,
            lastCheckInAt: at,
          });
        else if (newer)
          await repo.updateWatch(tx, sortie.id, {
            lastCheckInAt: at,
            ...(watch.required && watch.intervalMinutes && !sortie.endedAt
              ? { nextDueAt: nextCheckInDue(at, watch.intervalMinutes) }
              : {}),
          });
        const cleared = await repo.clearMissed(tx, sortie.id, row.id, now);
        if (cleared.length) {
          for (const v of await repo.listAlerts(tx, { ids: cleared.map((c) => c.id), limit: cleared.length }))
            record({
              type: "crew_alert.cleared",
              stationId: sortie.stationId,
              actorId: user.id,
              payload: presentAlert(v, now),
            });
        }
        const result = { checkIn: presentCheckIn(row), status: await this.statusOf(tx, sortie, now) };
        record({ type: "check_in.recorded", stationId: sortie.stationId, actorId: user.id, payload: result });
        return result;
      });
    } catch (err) {
      const won = await repo.findCheckIn(this.db, input.id);
      if (!won || !(err instanceof LostIdempotentRace)) throw err;
      return this.repeatedCheckIn(user, won, input);
    }
  }

  /**
   * The panic action: an alert of its own kind at once, with where the phone was (if it sent a
   * fix) or the vehicle's last known position. Idempotent by id (an outbox replay raises nothing new).
   */
  async panic(user: SessionUser, input: PanicCreate): Promise<CrewAlert> {
    requireRole(user, [...CREW]);
    const sortie = await this.visibleSortie(user, input.sortieId);
    const existing = (await repo.listAlerts(this.db, { ids: [input.id], limit: 1 }))[0];
    if (existing) {
      if (existing.alert.kind !== "panic" || existing.alert.sortieId !== sortie.id)
        throw new AppError(409, "CONFLICT", "body.id: already used for another alert");
      return presentAlert(existing, new Date());
    }
    const now = new Date();
    const at = clientTime(input.at, now);
    const vehicle = (await repo.findVehicle(this.db, sortie.vehicleId))!;
    const pos = input.position
      ? { lat: input.position.lat, lng: input.position.lng, positionAt: at, positionSource: "phone" }
      : lastPosition(vehicle);
    const alert = await this.log.transact(async (tx, record) => {
      const row = await repo.insertAlert(tx, {
        id: input.id,
        kind: "panic",
        sortieId: sortie.id,
        stationId: sortie.stationId,
        vehicleId: sortie.vehicleId,
        raisedAt: at,
        ...pos,
        createdBy: user.id,
      });
      if (!row) return null;
      const p = presentAlert((await repo.listAlerts(tx, { ids: [row.id], limit: 1 }))[0]!, now);
      record({ type: "crew_alert.panic", stationId: sortie.stationId, actorId: user.id, payload: p });
      return p;
    });
    if (alert) for (const l of this.listeners) l("panic", null);
    return alert ?? this.panic(user, input);
  }

  /** Crew alerts in scope: panics first, then oldest first. */
  async alerts(user: SessionUser, q: { open: boolean; limit: number }): Promise<CrewAlert[]> {
    const rows = await repo.listAlerts(this.db, { ...q, stationIds: user.allStations ? undefined : user.stationIds });
    const now = new Date();
    return rows.map((v) => presentAlert(v, now));
  }

  /** The duty room has seen an alert: one action, who and when recorded. Repeating it changes nothing. */
  async acknowledge(user: SessionUser, id: string, version: number): Promise<CrewAlert> {
    requireRole(user, [...DUTY_ROOM]);
    const found = (await repo.listAlerts(this.db, { ids: [id], limit: 1 }))[0];
    if (!found) throw notFound("Crew alert");
    requireStation(user, found.alert.stationId);
    if (found.alert.acknowledgedAt) return presentAlert(found, new Date());
    const now = new Date();
    return this.log.transact(async (tx, record) => {
      const row = await repo.acknowledgeAlert(tx, id, version, user.id, now);
      if (!row) throw versionConflict("Crew alert");
      const p = presentAlert((await repo.listAlerts(tx, { ids: [id], limit: 1 }))[0]!, now);
      record({ type: "crew_alert.acknowledged", stationId: row.stationId, actorId: user.id, payload: p });
      return p;
    });
  }

  /**
   * The job: follows level and policy changes (watches.ts), then records one
   * crew_alert.missed_check_in per deadline passed before `now` and not yet alerted, with the
   * vehicle's last known position. Once per deadline across nodes (markMissed). Returns how many.
   */
  async raiseMissed(now = new Date()): Promise<number> {
    await syncWatches(this.db, this.log, now);
    const raised = await this.log.transact(async (tx, record) => {
      const marked = await repo.markMissed(tx, now);
      const late: number[] = [];
      for (const w of marked) {
        const sortie = (await repo.findSortie(tx, w.sortieId))!;
        const vehicle = (await repo.findVehicle(tx, w.vehicleId))!;
        const row = await repo.insertAlert(tx, {
          id: randomUUID(),
          kind: "missed_check_in",
          sortieId: w.sortieId,
          stationId: w.stationId,
          vehicleId: w.vehicleId,
          dueAt: w.nextDueAt,
          raisedAt: now,
          ...lastPosition(vehicle),
        });
        if (!row) continue;
        const v = { alert: row, sortie, vehicle, acknowledgedByName: null };
        record({
          type: "crew_alert.missed_check_in",
          stationId: w.stationId,
          actorId: null,
          payload: presentAlert(v, now),
        });
        late.push((now.getTime() - w.nextDueAt!.getTime()) / 1000);
      }
      return late;
    });
    for (const s of raised) for (const l of this.listeners) l("missed_check_in", s);
    return raised.length;
  }

  // ---- internals -------------------------------------------------------------------------

  private async visibleSortie(user: SessionUser, id: string): Promise<repo.SortieRow> {
    const sortie = await repo.findSortie(this.db, id);
    if (!sortie) throw fieldError("body.sortieId", "no such sortie");
    requireStation(user, sortie.stationId);
    return sortie;
  }

  private async statusOf(db: DbOrTx, sortie: repo.SortieRow, now: Date): Promise<CheckInStatus> {
    const vehicle = (await repo.findVehicle(db, sortie.vehicleId))!;
    return presentStatus(sortie, vehicle, await repo.findWatch(db, sortie.id), now);
  }

  private async repeatedCheckIn(user: SessionUser, row: repo.CheckInRow, sent: CheckInCreate) {
    requireStation(user, row.stationId);
    assertSameRequest("check-in", sent.id, row, { sortieId: sent.sortieId, at: sent.at }, { clamped: ["at"] });
    const sortie = (await repo.findSortie(this.db, row.sortieId))!;
    return { checkIn: presentCheckIn(row), status: await this.statusOf(this.db, sortie, new Date()) };
  }
}

/** The vehicle's last known position as an alert's columns. */
function lastPosition(v: repo.VehicleRow) {
  return v.lastLat !== null && v.lastLng !== null && v.lastPositionAt
    ? { lat: v.lastLat, lng: v.lastLng, positionAt: v.lastPositionAt, positionSource: "vehicle" }
    : { lat: null, lng: null, positionAt: null, positionSource: null };
}
