import { randomUUID } from "node:crypto";
import { dueDeadlines } from "../identification/deadlines.js";
import type { AlertChange, AlertRecord, Campaign, CampaignCreate, DueNow } from "../../shared/api/campaigns.js";
import type { AlertLevel } from "../../shared/vocab.js";
import { CADENCE, keyPointDueState } from "../../shared/cadence.js";
import { reportDayOf } from "../../shared/counting.js";
import type { Db } from "../db/client.js";
import type { EventLog, RecordEvent } from "../events/event-log.js";
import type { Tx } from "../db/client.js";
import type { SessionUser } from "../auth/session-user.js";
import { canSeeStation, requireRole, requireStation } from "../auth/policy.js";
import { AppError, fieldError, forbidden, notFound } from "../http/errors.js";
import { allStationIds, findRegion } from "../stations/stations.repo.js";
import * as repo from "./campaigns.repo.js";
import { presentAlert } from "./campaigns.presenter.js";
import { announce } from "./announce.js";
import { retriageActiveCases } from "../cases/retriage.js";
import { assertSameRequest } from "../http/idempotency.js";

const iso = (d: Date | string) => (d instanceof Date ? d : new Date(d)).toISOString();
const RECHECK_LOOKBACK_MS = 7 * 24 * 3600_000;

/**
 * Campaigns, cold-alert levels and the due-now list. Heads set their station's level; supervisors
 * and admins the campaign-wide one. Every change is kept (campaign_alerts) and announced.
 */
export class CampaignsService {
  constructor(
    private readonly db: Db,
    private readonly log: EventLog,
    private readonly timeZone: string,
    private readonly reportDayStart = "00:00",
  ) {}

  /**
   * The current report day (REPORT_DAY_START): a campaign "running today" and the day the desk opens
   * on follow it, so at 02:00 with an 08:00 start the night still belongs to yesterday's campaign day.
   */
  today(now = new Date()): string {
    return reportDayOf(now, this.timeZone, this.reportDayStart);
  }

  /** Stations of a campaign the user may see. */
  async visibleStations(user: SessionUser, c: repo.CampaignRow): Promise<string[]> {
    const ids = await repo.campaignStationIds(this.db, c.regionId);
    return ids.filter((id) => canSeeStation(user, id));
  }

  /** The campaign or 404. */
  async require(id: string): Promise<repo.CampaignRow> {
    const c = await repo.findCampaign(this.db, id);
    if (!c) throw notFound("Campaign");
    return c;
  }

  private async present(user: SessionUser, c: repo.CampaignRow): Promise<Campaign> {
    const sids = await this.visibleStations(user, c);
    const levels = await repo.levelsByStation(this.db, c, sids);
    return {
      id: c.id,
      name: c.name,
      regionId: c.regionId,
      startsOn: c.startsOn,
      endsOn: c.endsOn,
      alertLevel: c.alertLevel,
      stationLevels: sids.map((stationId) => ({ stationId, level: levels.get(stationId)! })),
    };
  }

  /** Campaigns covering at least one station in the user's scope. */
  async list(user: SessionUser): Promise<Campaign[]> {
    const out: Campaign[] = [];
    for (const c of await repo.listCampaigns(this.db)) {
      const p = await this.present(user, c);
      if (p.stationLevels.length || user.allStations) out.push(p);
    }
    return out;
  }

  /** Creates a campaign (supervisor within their region, admin anywhere). */
  async create(user: SessionUser, input: CampaignCreate): Promise<Campaign> {
    requireRole(user, ["supervisor", "admin"]);
    const region = await findRegion(this.db, input.regionId);
    if (!region) throw fieldError("body.regionId", "no such region");
    if (user.role === "supervisor" && !region.path.includes(`/${user.regionId}/`))
      throw forbidden("That region is outside your scope");
    const id = input.id ?? randomUUID();
    const row = await this.log.transact(async (tx, record) => {
      const created = await repo.insertCampaign(tx, { ...input, id });
      if (created)
        record({
          type: "campaign.created",
          stationId: null,
          actorId: user.id,
          payload: { id, name: created.name, startsOn: created.startsOn, endsOn: created.endsOn },
        });
      return created;
    });
    const c = row ?? (await this.require(id));
    // The level moves after creation (setAlert): only what the creation fixed is compared.
    if (!row) assertSameRequest("campaign", id, c, input, { skip: ["alertLevel"] });
    return this.present(user, c);
  }

  /**
   * Raises or lowers the level of one station (head) or the whole campaign (supervisor, admin).
   * `also` runs inside the same transaction after a new change is written (not on a repeat), for a
   * caller whose own record belongs with the change (a confirmed weather proposal).
   */
  async setAlert(
    user: SessionUser,
    campaignId: string,
    input: AlertChange,
    also?: (tx: Tx, record: RecordEvent, change: AlertRecord) => Promise<void>,
  ): Promise<AlertRecord> {
    requireRole(user, ["head", "supervisor", "admin"]);
    const c = await this.require(campaignId);
    if (input.stationId === null) {
      if (user.role === "head") throw forbidden("A station head sets the level of their own station: send stationId");
      if (user.role === "supervisor" && !(await findRegion(this.db, c.regionId))?.path.includes(`/${user.regionId}/`)) {
        throw forbidden("That campaign is outside your region");
      }
    } else {
      requireStation(user, input.stationId);
      if (!(await repo.campaignStationIds(this.db, c.regionId)).includes(input.stationId))
        throw fieldError("body.stationId", "station is not in this campaign");
    }
    const id = input.id ?? randomUUID();
    const row = await this.log.transact(async (tx, record) => {
      const previous =
        input.stationId === null
          ? c.alertLevel
          : (await repo.levelsByStation(tx, c, [input.stationId])).get(input.stationId)!;
      const created = await repo.insertAlert(tx, {
        id,
        campaignId,
        stationId: input.stationId,
        level: input.level,
        previousLevel: previous,
        reason: input.reason,
        setBy: user.id,
      });
      if (!created) return undefined;
      if (input.stationId === null) await repo.setCampaignLevel(tx, campaignId, input.level);
      record({
        type: "campaign.alert_changed",
        stationId: input.stationId,
        actorId: user.id,
        payload: { ...presentAlert(created), cadence: CADENCE[input.level] },
      });
      const affected = input.stationId === null ? await repo.campaignStationIds(tx, c.regionId) : [input.stationId];
      await retriageActiveCases(tx, record, affected, user.id);
      if (also) await also(tx, record, presentAlert(created));
      return created;
    });
    const out = row ?? (await repo.findAlert(this.db, id));
    if (!out || out.campaignId !== campaignId)
      throw new AppError(409, "CONFLICT", "body.id: already used for another change");
    if (!row) assertSameRequest("alert change", id, out, input);
    return presentAlert(out);
  }

  /** Alert history. */
  async alerts(user: SessionUser, campaignId: string, stationId?: string): Promise<AlertRecord[]> {
    await this.require(campaignId);
    if (stationId) requireStation(user, stationId);
    const rows = await repo.listAlerts(this.db, campaignId, stationId);
    return rows.filter((r) => r.stationId === null || canSeeStation(user, r.stationId)).map(presentAlert);
  }

  /** The running campaign covering a station today, if any. */
  async runningFor(stationId: string, now = new Date()): Promise<repo.CampaignRow | undefined> {
    const today = this.today(now);
    for (const c of await repo.listCampaigns(this.db)) {
      if (
        c.startsOn <= today &&
        today <= c.endsOn &&
        (await repo.campaignStationIds(this.db, c.regionId)).includes(stationId)
      )
        return c;
    }
    return undefined;
  }

  /** Level in force at each station today (blue when no campaign is running). */
  async levelsToday(stationIds: string[], now = new Date()): Promise<Map<string, AlertLevel>> {
    const out = new Map<string, AlertLevel>();
    for (const sid of stationIds) {
      const c = await this.runningFor(sid, now);
      out.set(sid, c ? (await repo.levelsByStation(this.db, c, [sid])).get(sid)! : "blue");
    }
    return out;
  }

  /** Key points due or overdue and welfare re-checks due, for the stations in scope. */
  async dueNow(user: SessionUser, stationId?: string, now = new Date()): Promise<DueNow> {
    if (stationId) requireStation(user, stationId);
    const sids = stationId ? [stationId] : user.allStations ? await allStationIds(this.db) : user.stationIds;
    const levels = await this.levelsToday(sids, now);
    const keyPoints = (await repo.keyPointsWithLastVisit(this.db, sids))
      .flatMap((k) => {
        const last = k.last ? new Date(k.last) : null;
        const state = keyPointDueState(last, levels.get(k.station_id) ?? "blue", now);
        return state === "ok"
          ? []
          : [
              {
                keyPointId: k.id,
                stationId: k.station_id,
                name: k.name,
                kind: k.kind,
                lat: Number(k.lat),
                lng: Number(k.lng),
                lastVisitedAt: last ? last.toISOString() : null,
                state,
              },
            ];
      })
      .sort((a, b) => (a.lastVisitedAt ?? "").localeCompare(b.lastVisitedAt ?? ""));
    const rechecks = (await repo.openRechecks(this.db, sids, new Date(now.getTime() - RECHECK_LOOKBACK_MS))).flatMap(
      (e) => {
        const dueAt = new Date(
          new Date(e.occurred_at).getTime() + CADENCE[levels.get(e.station_id) ?? "blue"].recheckHours * 3600_000,
        );
        return dueAt > now
          ? []
          : [
              {
                encounterId: e.id,
                personId: e.person_id,
                stationId: e.station_id,
                outcome: e.outcome as DueNow["rechecks"][number]["outcome"],
                occurredAt: iso(e.occurred_at),
                lat: e.lat === null ? null : Number(e.lat),
                lng: e.lng === null ? null : Number(e.lng),
                dueSince: dueAt.toISOString(),
              },
            ];
      },
    );
    return {
      generatedAt: now.toISOString(),
      stations: sids.map((s) => ({ stationId: s, level: levels.get(s)! })),
      keyPoints,
      rechecks,
      // The statutory deadlines of people not yet identified: for those who work the files (the
      // station's crews and head); the duty room's list stays about key points and re-checks.
      identification: user.role === "head" || user.role === "patrol" ? await dueDeadlines(this.db, sids, now) : [],
    };
  }

  /**
   * Job body: announces per station how much is due now (counts only, no personal data), so the
   * duty room's list refreshes when a key point turns overdue with nobody looking. The job sends
   * changes only (see announce.ts); an explicit call sends every station with something due.
   */
  async announceDueNow(opts: { onlyChanges?: boolean } = {}, now = new Date()): Promise<number> {
    const system: SessionUser = {
      id: "00000000-0000-0000-0000-000000000000",
      username: "system",
      displayName: "system",
      role: "admin",
      stationId: null,
      regionId: null,
      stationIds: [],
      allStations: true,
    };
    const due = await this.dueNow(system, undefined, now);
    const byStation = new Map<string, { keyPoints: number; overdue: number; rechecks: number }>();
    for (const s of due.stations) byStation.set(s.stationId, { keyPoints: 0, overdue: 0, rechecks: 0 });
    for (const k of due.keyPoints) {
      const b = byStation.get(k.stationId)!;
      b.keyPoints++;
      if (k.state === "overdue") b.overdue++;
    }
    for (const r of due.rechecks) byStation.get(r.stationId)!.rechecks++;
    return announce(
      this.db,
      this.log,
      "due_now:",
      [...byStation].map(([stationId, b]) => ({
        key: `due_now:${stationId}`,
        state: b,
        event:
          b.keyPoints || b.rechecks || opts.onlyChanges
            ? {
                type: "campaign.due_now",
                stationId,
                actorId: null,
                payload: { stationId, ...b, at: now.toISOString() },
              }
            : null,
      })),
      opts.onlyChanges ?? false,
    );
  }
}
