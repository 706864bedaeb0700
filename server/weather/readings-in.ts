import { randomUUID } from "node:crypto";
import type { ImportProblem } from "../../shared/api/imports.js";
import { WeatherDay, type WeatherWriteOutcome } from "../../shared/api/weather.js";
import { WeatherNight } from "../../shared/cold-level.js";
import type { Tx } from "../db/client.js";
import type { RecordEvent } from "../events/event-log.js";
import { AppError } from "../http/errors.js";
import { assertSameRequest } from "../http/idempotency.js";
import type { SheetRow } from "../imports/sheet.js";
import { affectedNights, refreshProposals } from "./proposals.js";
import { presentReading } from "./weather.presenter.js";
import * as repo from "./weather.repo.js";

/** One reading to write: the region and night, and the client's id if it sent one. */
export interface ReadingIn {
  id?: string;
  regionId: string;
  night: WeatherNight;
}

/** Who sends: the source, the partner (for pushes), the signed-in user (else null). */
interface ReadingSource {
  source: "manual" | "upload" | "partner";
  partnerId: string | null;
  userId: string | null;
}

/** The cold-wave colours as a sheet may write them, in English or Chinese. */
const SIGNAL_WORDS: Record<string, string> = {
  蓝: "blue",
  蓝色: "blue",
  黄: "yellow",
  黄色: "yellow",
  橙: "orange",
  橙色: "orange",
  红: "red",
  红色: "red",
};
const COLUMN_OF: Record<string, string> = {
  date: "date",
  minTempC: "min_temp_c",
  windForce: "wind_force",
  feelsLikeC: "feels_like_c",
  officialSignal: "official_signal",
};
/** A sheet's night: the rule's fields, the day within the range the endpoints take. */
const SheetNight = WeatherNight.extend({ date: WeatherDay });
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A number cell ("" → undefined; "−5" with a typographic minus is −5); NaN when not a number. */
const num = (v: string | undefined) => (v ? Number(v.replace(/[−–]/g, "-")) : undefined);

/**
 * Sheet rows to readings: every problem named by its row and column, so the file is refused whole.
 * `regionIdByName` resolves the region column (a name, a path of names, or an id); without it the
 * region column is ignored (a backtest's winter).
 */
export function readingsFromSheet(
  rows: SheetRow[],
  regionIdByName?: Map<string, string | null>,
): { readings: ReadingIn[]; problems: ImportProblem[] } {
  const readings: ReadingIn[] = [];
  const problems: ImportProblem[] = [];
  const seen = new Map<string, number>();
  for (const row of rows) {
    const c = row.cells;
    const before = problems.length;
    let regionId = "";
    if (regionIdByName) {
      const name = (c.region ?? "").replace(/\s*\/\s*/g, "/");
      const found = UUID.test(name) ? name : regionIdByName.get(name);
      if (!name) problems.push({ row: row.row, field: "region", message: "required" });
      else if (found === null)
        problems.push({ row: row.row, field: "region", message: `${name} names several regions; give the path` });
      else if (found === undefined)
        problems.push({ row: row.row, field: "region", message: `no region named ${name}` });
      else regionId = found;
    }
    const signal = (c.official_signal ?? "").trim();
    const parsed = SheetNight.safeParse({
      date: c.date ?? "",
      minTempC: num(c.min_temp_c),
      windForce: num(c.wind_force),
      feelsLikeC: num(c.feels_like_c) ?? null,
      officialSignal: signal ? (SIGNAL_WORDS[signal] ?? signal.toLowerCase()) : null,
    });
    if (!parsed.success)
      for (const issue of parsed.error.issues) {
        const key = String(issue.path[0] ?? "row");
        problems.push({ row: row.row, field: COLUMN_OF[key] ?? key, message: issue.message });
      }
    if (problems.length !== before || !parsed.success) continue;
    const k = `${regionId}|${parsed.data.date}`;
    if (seen.has(k))
      problems.push({ row: row.row, field: "date", message: `the same region and night as row ${seen.get(k)}` });
    else {
      seen.set(k, row.row);
      readings.push({ regionId, night: parsed.data });
    }
  }
  problems.sort((a, b) => a.row - b.row);
  return { readings, problems };
}

/** The values a reading stores, from a night. */
const valuesOf = (n: WeatherNight) => ({
  minTempC: n.minTempC,
  windForce: n.windForce,
  feelsLikeC: n.feelsLikeC ?? null,
  officialSignal: n.officialSignal ?? null,
});
const sameValues = (r: repo.ReadingRow, n: WeatherNight) => {
  const v = valuesOf(n);
  return (
    r.minTempC === v.minTempC &&
    r.windForce === v.windForce &&
    r.feelsLikeC === v.feelsLikeC &&
    r.officialSignal === v.officialSignal
  );
};

/**
 * Writes readings inside the caller's transaction, keyed by (region, night, source): new ones
 * inserted, a source's changed values revised, the same values left alone; a client id used before
 * must come with the same reading (409 IDEMPOTENCY_MISMATCH otherwise). Then the proposals of the
 * stations below are refreshed, and one weather.recorded event says what changed.
 */
export async function writeReadings(
  tx: Tx,
  record: RecordEvent,
  readings: ReadingIn[],
  src: ReadingSource,
  today: string,
): Promise<WeatherWriteOutcome> {
  await repo.lockWeather(tx);
  const sourceKey = src.source === "partner" ? `partner:${src.partnerId}` : src.source;
  const names = new Map(
    (await repo.regionsByIds(tx, [...new Set(readings.map((r) => r.regionId))])).map((r) => [r.id, r.name]),
  );
  const out: WeatherWriteOutcome = { rows: readings.length, created: 0, updated: 0, unchanged: 0, items: [] };
  const changed: repo.ReadingRow[] = [];
  for (const r of readings) {
    if (r.id) {
      const byId = await repo.findReading(tx, r.id);
      if (byId) {
        assertSameRequest("weather reading", r.id, byId, { regionId: r.regionId, night: r.night.date, sourceKey });
        if (!sameValues(byId, r.night))
          throw new AppError(409, "IDEMPOTENCY_MISMATCH", `id ${r.id}: already used for other values`, [
            { path: "body.id", message: "already used for other values" },
          ]);
        out.unchanged++;
        out.items.push(presentReading(byId, names.get(byId.regionId) ?? ""));
        continue;
      }
    }
    const existing = await repo.findReadingByKey(tx, r.regionId, r.night.date, sourceKey);
    let row: repo.ReadingRow;
    if (!existing) {
      const inserted = await repo.insertReading(tx, {
        id: r.id ?? randomUUID(),
        regionId: r.regionId,
        night: r.night.date,
        source: src.source,
        partnerId: src.partnerId,
        sourceKey,
        recordedBy: src.userId,
        ...valuesOf(r.night),
      });
      if (!inserted) throw new AppError(409, "CONFLICT", "body.id: already used");
      row = inserted;
      out.created++;
      changed.push(row);
    } else if (sameValues(existing, r.night)) {
      row = existing;
      out.unchanged++;
    } else {
      row = await repo.reviseReading(tx, existing.id, { ...valuesOf(r.night), recordedBy: src.userId });
      out.updated++;
      changed.push(row);
    }
    out.items.push(presentReading(row, names.get(row.regionId) ?? ""));
  }
  if (changed.length) {
    const regionIds = [...new Set(changed.map((r) => r.regionId))];
    const dates = [...new Set(changed.map((r) => r.night))].sort();
    record({
      type: "weather.recorded",
      stationId: null,
      actorId: src.userId,
      payload: { regionIds, dates, source: src.source, created: out.created, updated: out.updated },
    });
    await refreshProposals(tx, record, regionIds, affectedNights(dates, today), src.userId);
  }
  return out;
}
