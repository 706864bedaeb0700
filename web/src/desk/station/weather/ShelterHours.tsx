import { Alert } from "antd";
import { api, call } from "../../../api/client.js";
import { CADENCE } from "../../../../../shared/cadence.js";
import { fmt, useLive, useStationTexts } from "../texts.js";
import { useWeatherTexts } from "./texts.js";

/**
 * The shelters' hours the level in force at the station asks for (shared/cadence.ts: round the
 * clock at orange and red, at night below), above the station's shelters. Shelters store no
 * opening hours: this is the standing order of the level, shown where the head runs the shelters.
 */
export function ShelterHours({ stationId }: { stationId: string }) {
  const t = useStationTexts();
  const w = useWeatherTexts();
  const campaigns = useLive(() => call(api.campaigns.list), [], ["campaign.alert_changed"]);
  const today = campaigns.data?.today;
  const running = campaigns.data?.items.find((c) => today && c.startsOn <= today && today <= c.endsOn);
  const level = running?.stationLevels.find((l) => l.stationId === stationId)?.level;
  if (!level) return null;
  const allDay = CADENCE[level].shelterHours === "all_day";
  return (
    <Alert
      type={allDay ? "warning" : "info"}
      showIcon
      style={{ marginBottom: 12 }}
      data-testid="shelter-hours"
      title={fmt(w.shelterHoursNote, {
        level: t.alert.levels[level],
        hours: allDay ? w.sheltersAllDay : w.sheltersNight,
      })}
    />
  );
}
