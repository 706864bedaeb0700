import type { WeatherReading } from "../../shared/api/weather.js";
import type { WeatherNight } from "../../shared/cold-level.js";
import type { AlertLevel } from "../../shared/vocab.js";
import type { ReadingRow } from "./weather.repo.js";

/** Presents a reading (no personal data; the recording user is not shown). */
export function presentReading(r: ReadingRow, regionName: string): WeatherReading {
  return {
    id: r.id,
    regionId: r.regionId,
    regionName,
    date: r.night,
    source: r.source as WeatherReading["source"],
    minTempC: r.minTempC,
    windForce: r.windForce,
    feelsLikeC: r.feelsLikeC,
    officialSignal: r.officialSignal as AlertLevel | null,
    recordedAt: new Date(r.recordedAt).toISOString(),
    version: r.version,
  };
}

/** A stored reading as the cold rule reads it. */
export function nightOf(r: ReadingRow): WeatherNight {
  return {
    date: r.night,
    minTempC: r.minTempC,
    windForce: r.windForce,
    feelsLikeC: r.feelsLikeC,
    officialSignal: r.officialSignal as AlertLevel | null,
  };
}
