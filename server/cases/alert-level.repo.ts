import { and, gte, inArray, lte } from "drizzle-orm";
import type { DbOrTx } from "../db/client.js";
import { campaigns } from "../db/schema/index.js";
import { ALERT_LEVELS, type AlertLevel } from "../../shared/vocab.js";
import { stationRegionChain } from "../stations/stations.repo.js";

/**
 * Cold-alert level in force at a station: the highest level among campaigns running today over the
 * station's region or any region above it (a city-wide red alert reaches every district). Null when
 * no campaign runs. Dates compare as UTC calendar days; campaigns span months, so the few hours of
 * time-zone difference at the campaign's first and last day do not matter for triage.
 */
export async function currentAlertLevel(db: DbOrTx, stationId: string, now: Date = new Date()): Promise<AlertLevel | null> {
  const chain = await stationRegionChain(db, stationId);
  if (!chain.length) return null;
  const today = now.toISOString().slice(0, 10);
  const rows = await db.select({ level: campaigns.alertLevel }).from(campaigns)
    .where(and(inArray(campaigns.regionId, chain), lte(campaigns.startsOn, today), gte(campaigns.endsOn, today)))
    .limit(50);
  let best: AlertLevel | null = null;
  for (const r of rows) if (best === null || ALERT_LEVELS.indexOf(r.level) > ALERT_LEVELS.indexOf(best)) best = r.level;
  return best;
}
