import { ALERT_LEVELS, type AlertLevel } from "../../shared/vocab.js";
import { addDays, dayStart } from "../../shared/report-day.js";
import type { WeatherNight } from "../../shared/cold-level.js";
import type { DbOrTx } from "../db/client.js";
import * as campaigns from "../campaigns/campaigns.repo.js";
import { nightOf } from "./weather.presenter.js";
import * as repo from "./weather.repo.js";

const rank = (l: AlertLevel | null) => (l ? ALERT_LEVELS.indexOf(l) : -1);

/** The campaign a station's backtest compares with: the one running today, else the latest covering it. */
export async function campaignOfStation(
  db: DbOrTx,
  stationId: string,
  today: string,
): Promise<campaigns.CampaignRow | undefined> {
  const covering: campaigns.CampaignRow[] = [];
  for (const c of await campaigns.listCampaigns(db))
    if ((await campaigns.campaignStationIds(db, c.regionId)).includes(stationId)) covering.push(c);
  return covering.find((c) => c.startsOn <= today && today <= c.endsOn) ?? covering.find((c) => c.startsOn <= today);
}

/**
 * The level set at a station for each night of the campaign, from its level history
 * (campaign_alerts: the station's own changes and the campaign-wide ones, each with the level
 * before it): the highest level in force at any moment of the night's report day, so a level
 * raised late in the evening counts for that night. Nights outside the campaign had none.
 */
export async function levelsSet(
  db: DbOrTx,
  c: campaigns.CampaignRow,
  stationId: string,
  nights: string[],
  timeZone: string,
  reportDayStart: string,
): Promise<Record<string, AlertLevel | null>> {
  const history = (await campaigns.listAlerts(db, c.id, stationId))
    .map((a) => ({
      at: new Date(a.setAt).getTime(),
      level: a.level as AlertLevel,
      before: a.previousLevel as AlertLevel,
    }))
    .sort((a, b) => a.at - b.at);
  const initial = history[0]?.before ?? c.alertLevel;
  const out: Record<string, AlertLevel | null> = {};
  for (const night of nights) {
    if (night < c.startsOn || night > c.endsOn) {
      out[night] = null;
      continue;
    }
    const from = dayStart(night, timeZone, reportDayStart).getTime();
    const to = dayStart(addDays(night, 1), timeZone, reportDayStart).getTime();
    let level = initial;
    for (const h of history) if (h.at <= from) level = h.level;
    let best = level;
    for (const h of history) if (h.at > from && h.at < to && rank(h.level) > rank(best)) best = h.level;
    out[night] = best;
  }
  return out;
}

/** The stored nights of a station: per night, the reading of the deepest region above it that has one. */
export async function storedNights(db: DbOrTx, chain: string[], from: string, to: string): Promise<WeatherNight[]> {
  const readings = await repo.latestReadings(db, chain, from, to);
  const depth = new Map(chain.map((id, i) => [id, i]));
  const best = new Map<string, repo.ReadingRow>();
  for (const r of readings) {
    const cur = best.get(r.night);
    if (!cur || depth.get(r.regionId)! > depth.get(cur.regionId)!) best.set(r.night, r);
  }
  return [...best.values()].map(nightOf).sort((a, b) => a.date.localeCompare(b.date));
}
