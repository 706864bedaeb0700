import type { Outcomes } from "../../shared/api/outcomes.js";
import type { TotalsQuery } from "../../shared/api/totals.js";
import { emptyOutcomes } from "../../shared/outcomes.js";
import type { SessionUser } from "../auth/session-user.js";
import { requireRole } from "../auth/policy.js";
import type { CampaignsService } from "../campaigns/campaigns.service.js";
import type { TotalsService } from "../totals/totals.service.js";
import { computeOutcomeSet } from "./outcomes.repo.js";

/**
 * Outcome measures (shared/outcomes.ts): the same scope, range and roles as the totals (counts only,
 * no person leaves), computed afresh on every read: a window closes with the report day and a return
 * may be seen at a station outside the scope, so the totals cache's freshness rule does not hold here.
 */
export class OutcomesService {
  constructor(
    private readonly campaigns: CampaignsService,
    private readonly totals: TotalsService,
  ) {}

  /** GET /api/campaigns/:id/outcomes */
  async outcomes(user: SessionUser, campaignId: string, q: TotalsQuery): Promise<Outcomes> {
    requireRole(user, ["operator", "head", "supervisor", "admin"]);
    const c = await this.campaigns.require(campaignId);
    const stationIds = await this.totals.scope(user, c, q);
    const { from, to } = this.totals.days(c, q.from, q.to);
    const { timeZone, dayStart } = this.totals;
    const asOf = this.totals.today();
    const db = await this.totals.readDb();
    const set = await computeOutcomeSet(db, { stationIds, from, to, asOf, timeZone, dayStart });
    return {
      campaignId,
      from,
      to,
      asOf,
      timeZone,
      dayStart,
      stationIds,
      measures: set.whole,
      byStation: stationIds.map((stationId) => ({
        stationId,
        measures: set.byStation.get(stationId) ?? emptyOutcomes(),
      })),
    };
  }
}
