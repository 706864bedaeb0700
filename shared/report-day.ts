/**
 * Report days and time zones: the one day-cut the pure counting rules, the SQL totals, daily
 * reports and exports all use. A report day starts at local `REPORT_DAY_START` (e.g. 08:00, so one
 * night's patrol is one report day) in an IANA zone, DST included.
 */

/** A half-open time range [from, to). */
export interface Range {
  from: Date;
  to: Date;
}

/** The calendar day (YYYY-MM-DD) of an instant in an IANA time zone. */
export function localDay(at: Date, timeZone: string): string {
  return new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).format(at);
}

/** Minutes after local midnight of a report-day start "HH:MM" (00:00..23:59). */
export function dayStartMinutes(hhmm: string): number {
  const m = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(hhmm);
  if (!m) throw new Error(`report day start must be HH:MM, got "${hhmm}"`);
  return Number(m[1]) * 60 + Number(m[2]);
}

const wallClocks = new Map<string, Intl.DateTimeFormat>();
const quarterOffsets = new Map<string, number>();
const QUARTER_HOUR = 900_000;

/**
 * `timeZone`'s offset from UTC at instant `t`, in ms (local wall time = t + offset). Zones change
 * offset only on quarter hours, so answers are cached per zone and quarter hour: an export of 100k
 * rows asks Intl a few hundred times, not 100k times.
 */
export function zoneOffsetMs(timeZone: string, t: number): number {
  const quarter = Math.floor(t / QUARTER_HOUR);
  const key = `${timeZone} ${quarter}`;
  const known = quarterOffsets.get(key);
  if (known !== undefined) return known;
  let f = wallClocks.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    });
    wallClocks.set(timeZone, f);
  }
  const start = quarter * QUARTER_HOUR;
  const v: Record<string, number> = {};
  for (const p of f.formatToParts(start)) v[p.type] = Number(p.value);
  const offset = Date.UTC(v.year!, v.month! - 1, v.day!, v.hour!, v.minute!, v.second!) - start;
  if (quarterOffsets.size > 50_000) quarterOffsets.clear();
  quarterOffsets.set(key, offset);
  return offset;
}

/**
 * The instant a report day starts in an IANA time zone: local `reportDayStart` ("HH:MM", default
 * midnight) on that calendar day. With "08:00", report day 12-29 runs from 12-29 08:00 to 12-30
 * 08:00 (昨日8时至今日8时), so one night's patrol falls in one report day.
 */
export function dayStart(day: string, timeZone: string, reportDayStart = "00:00"): Date {
  const [y, m, d] = day.split("-").map(Number) as [number, number, number];
  const guess = Date.UTC(y, m - 1, d, 0, dayStartMinutes(reportDayStart));
  const offsetAt = (t: number) => zoneOffsetMs(timeZone, t);
  let t = guess - offsetAt(guess);
  t = guess - offsetAt(t); // second pass settles days on which the offset changes
  return new Date(t);
}

/**
 * The report day (YYYY-MM-DD) an instant belongs to: its local calendar day, or the day before when
 * it is earlier than that day's report-day start (a 03:00 check with an 08:00 start is yesterday's).
 * The one day-cut both the pure rules and the SQL use (the SQL by the boundaries of dayStart).
 */
export function reportDayOf(at: Date, timeZone: string, reportDayStart = "00:00"): string {
  const day = localDay(at, timeZone);
  return at.getTime() < dayStart(day, timeZone, reportDayStart).getTime() ? addDays(day, -1) : day;
}

/** Adds `n` days to a YYYY-MM-DD day. */
export function addDays(day: string, n: number): string {
  const [y, m, d] = day.split("-").map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + n)).toISOString().slice(0, 10);
}

/** Every day from `from` to `to` inclusive. */
export function daysBetween(from: string, to: string): string[] {
  const out: string[] = [];
  for (let d = from; d <= to && out.length < 3700; d = addDays(d, 1)) out.push(d);
  return out;
}

/** The half-open instant range covering report days `from`..`to` inclusive. */
export function dayRange(from: string, to: string, timeZone: string, reportDayStart = "00:00"): Range {
  return { from: dayStart(from, timeZone, reportDayStart), to: dayStart(addDays(to, 1), timeZone, reportDayStart) };
}
