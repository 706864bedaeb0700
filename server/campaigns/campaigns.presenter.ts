import type { AlertRecord } from "../../shared/api/campaigns.js";
import type { AlertLevel } from "../../shared/vocab.js";
import type { AlertRow } from "./campaigns.repo.js";

const iso = (d: Date | string) => (d instanceof Date ? d : new Date(d)).toISOString();

/** Presents an alert change. */
export function presentAlert(a: AlertRow): AlertRecord {
  return {
    id: a.id,
    campaignId: a.campaignId,
    stationId: a.stationId,
    level: a.level as AlertLevel,
    previousLevel: a.previousLevel as AlertLevel,
    reason: a.reason,
    setBy: a.setBy,
    setAt: iso(a.setAt),
  };
}
