import { and, gte, inArray, lte } from "drizzle-orm";
import type { DbOrTx } from "../db/client.js";
import { campaigns } from "../db/schema/index.js";
import { ALERT_LEVELS, type AlertLevel } from "../../shared/vocab.js";
import { stationRegionChain } from "../stations/stations.repo.js";
import { levelsByStation } from "../campaigns/campaigns.repo.js";

/**
 * Cold-alert level in force at a station: the highest level among campaigns running today over the
 * station's region or any region above it (a city-wide red alert reaches every district), where each
 * campaign's level at the station is the latest change that applies to it — the head's own station
 * level or the campaign-wide one, whichever was set last (the same rule as the due-now cadence).
 * Null when no campaign runs. Dates compare as UTC calendar days; campaigns span months, so the few
 * hours of time-zone difference at the campaign's first and last day do not matter for triage.
 */
export async function currentAlertLevel(
  db: DbOrTx,
  stationId: string,
  now: Date = new Date(),
): Promise<AlertLevel | null> {
  const chain = await stationRegionChain(db, stationId);
  if (!chain.length) return null;
  const today = now.toISOString().slice(0, 10);
  const running = await db
    .select()
    .from(campaigns)
    .where(and(inArray(campaigns.regionId, chain), lte(campaigns.startsOn, today), gte(campaigns.endsOn, today)))
    .limit(50);
  let best: AlertLevel | null = null;
  for (const c of running) {
    const level = (await levelsByStation(db, c, [stationId])).get(stationId) ?? c.alertLevel;
    if (best === null || ALERT_LEVELS.indexOf(level) > ALERT_LEVELS.indexOf(best)) best = level;
  }
  return best;
}
