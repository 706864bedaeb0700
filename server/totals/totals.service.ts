import type { Figures as ApiFigures, Totals, TotalsQuery } from "../../shared/api/totals.js";
import { daysBetween, reportDayOf, type Figures } from "../../shared/counting.js";
import type { Db } from "../db/client.js";
import type { SessionUser } from "../auth/session-user.js";
import { requireRole, requireStation } from "../auth/policy.js";
import { fieldError, forbidden } from "../http/errors.js";
import { findRegion, stationIdsInRegion } from "../stations/stations.repo.js";
import type { CampaignsService } from "../campaigns/campaigns.service.js";
import type { CampaignRow } from "../campaigns/campaigns.repo.js";
import { listSupplyItems } from "../supplies/supplies.repo.js";
import { computeFigureSet, eventsCommittedAfter } from "./totals.repo.js";
import { emptyFigures, type FigureSet } from "./figure-scope.js";
import { FreshCache } from "./totals.cache.js";
import type { ReplicaReads } from "../db/read-replica.js";

/**
 * Dashboards re-read the totals after every relevant event, so many heads ask at once: reuse an
 * answer for a few seconds while no relevant event has committed since it was computed.
 */
const CACHE_TTL_MS = 5_000;
const CACHE_MAX_ENTRIES = 200;

/**
 * Campaign totals: scope (station, region subtree or the whole campaign within the caller's reach),
 * a day range clamped to the campaign, figures computed in SQL (server/totals/totals.repo.ts) with
 * the definitions of shared/counting.ts. Totals are not personal: every role with a desk sees them.
 */
export class TotalsService {
  private watermark: (() => number) | undefined;
  /**
   * Answers by (stations, days), each ended only by events that can touch its stations; see
   * totals.cache.ts for why a reused answer is never stale.
   */
  readonly cache = new FreshCache<FigureSet, string[]>({
    ttlMs: CACHE_TTL_MS,
    maxEntries: CACHE_MAX_ENTRIES,
    mark: () => this.watermark?.(),
    changedSince: (mark, stationIds) => eventsCommittedAfter(this.db, mark, stationIds ?? []),
  });

  /** `dayStart`: local time a report day starts (REPORT_DAY_START), so one night is one report day. */
  constructor(
    private readonly db: Db,
    private readonly campaigns: CampaignsService,
    readonly timeZone: string,
    readonly dayStart = "00:00",
    /** Reads that may lag go to the replica when it is current (server/db/read-replica.ts). */
    readonly reads?: ReplicaReads,
  ) {}

  /**
   * Lets answers be reused: `watermark` is the realtime pump's highest final event id (every id at or
   * below it committed or rolled back for good). Until it is set, every read computes afresh.
   */
  followCommittedEvents(watermark: () => number): void {
    this.watermark = watermark;
  }

  /** The figures of stations over local days from..to (whole, per station, per day), shared by concurrent readers. */
  private async figureSet(stationIds: string[], from: string, to: string): Promise<FigureSet> {
    const days = daysBetween(from, to);
    const readDb = this.reads ? await this.reads.forRead() : this.db;
    // A replica's answer is not cached: the cache's freshness rule is stated against the primary's log.
    if (readDb !== this.db)
      return computeFigureSet(readDb, { stationIds, days, timeZone: this.timeZone, dayStart: this.dayStart });
    const key = JSON.stringify([[...stationIds].sort(), from, to]);
    return this.cache.get(
      key,
      () => computeFigureSet(this.db, { stationIds, days, timeZone: this.timeZone, dayStart: this.dayStart }),
      stationIds,
    );
  }

  /** The database for reads that may lag: the replica when it is current, else the primary. */
  async readDb(): Promise<Db> {
    return this.reads ? this.reads.forRead() : this.db;
  }

  /** Today's report day (before the day start, it is still yesterday's). */
  today(now = new Date()): string {
    return reportDayOf(now, this.timeZone, this.dayStart);
  }

  /** Stations counted for a query: one station, a region subtree, or all the caller may see. */
  async scope(user: SessionUser, c: CampaignRow, q: { stationId?: string; regionId?: string }): Promise<string[]> {
    const inCampaign = await this.campaigns.visibleStations(user, c);
    if (q.stationId) {
      requireStation(user, q.stationId);
      if (!inCampaign.includes(q.stationId)) throw fieldError("query.stationId", "station is not in this campaign");
      return [q.stationId];
    }
    if (q.regionId) {
      if (!(await findRegion(this.db, q.regionId))) throw fieldError("query.regionId", "no such region");
      const inRegion = new Set(await stationIdsInRegion(this.db, q.regionId));
      const ids = inCampaign.filter((s) => inRegion.has(s));
      if (!ids.length && inRegion.size) throw forbidden("That region is outside your scope or this campaign");
      return ids;
    }
    return inCampaign;
  }

  /** The day range of a query, clamped to the campaign (and to today). */
  days(c: CampaignRow, from?: string, to?: string): { from: string; to: string } {
    const today = this.today();
    const lo = from && from > c.startsOn ? from : c.startsOn;
    const defaultTo = today < c.endsOn ? today : c.endsOn;
    let hi = to ? (to < c.endsOn ? to : c.endsOn) : defaultTo;
    if (hi < lo) hi = lo;
    return { from: lo, to: hi };
  }

  /** Adds catalog names to supply lines. */
  private async named(figs: Figures[]): Promise<ApiFigures[]> {
    const items = new Map((await listSupplyItems(this.db)).map((i) => [i.id, i]));
    return figs.map((f) => ({
      ...f,
      supplies: f.supplies.map((s) => {
        const i = items.get(s.itemId);
        return {
          ...s,
          code: i?.code ?? "",
          nameZh: i?.nameZh ?? "",
          nameEn: i?.nameEn ?? "",
          unitZh: i?.unitZh ?? "",
          unitEn: i?.unitEn ?? "",
        };
      }),
    }));
  }

  /**
   * Figures of stations over local days `from`..`to` (reports use it). Always computed afresh: a
   * report freezes what it submits, it is one station and one day (a cheap range scan), and it must
   * not depend on every writer having recorded an event.
   */
  async figures(stationIds: string[], from: string, to: string): Promise<ApiFigures> {
    const set = await computeFigureSet(this.db, {
      stationIds,
      days: daysBetween(from, to),
      timeZone: this.timeZone,
      dayStart: this.dayStart,
    });
    return (await this.named([set.whole]))[0]!;
  }

  /** GET /api/campaigns/:id/totals */
  async totals(user: SessionUser, campaignId: string, q: TotalsQuery): Promise<Totals> {
    requireRole(user, ["operator", "head", "supervisor", "admin"]);
    const c = await this.campaigns.require(campaignId);
    const stationIds = await this.scope(user, c, q);
    const { from, to } = this.days(c, q.from, q.to);
    const set = await this.figureSet(stationIds, from, to);
    const days = daysBetween(from, to);
    const named = await this.named([
      set.whole,
      ...stationIds.map((s) => set.byStation.get(s) ?? emptyFigures()),
      ...days.map((d) => set.byDay.get(d) ?? emptyFigures()),
    ]);
    return {
      campaignId,
      from,
      to,
      timeZone: this.timeZone,
      dayStart: this.dayStart,
      stationIds,
      figures: named[0]!,
      byStation: stationIds.map((stationId, i) => ({ stationId, figures: named[1 + i]! })),
      daily: days.map((day, i) => ({ day, figures: named[1 + stationIds.length + i]! })),
    };
  }
}
