import { and, asc, desc, eq, gte, inArray, lte } from "drizzle-orm";
import type { DbOrTx } from "../db/client.js";
import { dailyReportAmendments, dailyReports } from "../db/schema/index.js";

export type ReportRow = typeof dailyReports.$inferSelect;
export type AmendmentRow = typeof dailyReportAmendments.$inferSelect;

const NO_ID = "00000000-0000-0000-0000-000000000000";

/** Inserts a report unless its id, or a report of the same campaign, station and day, exists. */
export async function insertReport(db: DbOrTx, v: typeof dailyReports.$inferInsert): Promise<ReportRow | undefined> {
  const [row] = await db.insert(dailyReports).values(v).onConflictDoNothing().returning();
  return row;
}

/** One report. */
export async function findReport(db: DbOrTx, id: string): Promise<ReportRow | undefined> {
  const [row] = await db.select().from(dailyReports).where(eq(dailyReports.id, id)).limit(1);
  return row;
}

/** The report of a station and day. */
export async function findReportByDay(
  db: DbOrTx,
  campaignId: string,
  stationId: string,
  day: string,
): Promise<ReportRow | undefined> {
  const [row] = await db
    .select()
    .from(dailyReports)
    .where(
      and(eq(dailyReports.campaignId, campaignId), eq(dailyReports.stationId, stationId), eq(dailyReports.day, day)),
    )
    .limit(1);
  return row;
}

/** Reports of stations, newest day first. */
export async function listReports(
  db: DbOrTx,
  o: { campaignId: string; stationIds: string[]; from?: string; to?: string; limit: number },
): Promise<ReportRow[]> {
  return db
    .select()
    .from(dailyReports)
    .where(
      and(
        eq(dailyReports.campaignId, o.campaignId),
        inArray(dailyReports.stationId, o.stationIds.length ? o.stationIds : [NO_ID]),
        o.from ? gte(dailyReports.day, o.from) : undefined,
        o.to ? lte(dailyReports.day, o.to) : undefined,
      ),
    )
    .orderBy(desc(dailyReports.day), asc(dailyReports.stationId))
    .limit(o.limit);
}

/** Days reported per station (a campaign has at most a few hundred days). */
export async function reportedDays(
  db: DbOrTx,
  campaignId: string,
  stationIds: string[],
): Promise<{ stationId: string; day: string }[]> {
  return db
    .select({ stationId: dailyReports.stationId, day: dailyReports.day })
    .from(dailyReports)
    .where(
      and(
        eq(dailyReports.campaignId, campaignId),
        inArray(dailyReports.stationId, stationIds.length ? stationIds : [NO_ID]),
      ),
    );
}

/** Inserts an amendment unless its id exists. */
export async function insertAmendment(
  db: DbOrTx,
  v: typeof dailyReportAmendments.$inferInsert,
): Promise<AmendmentRow | undefined> {
  const [row] = await db.insert(dailyReportAmendments).values(v).onConflictDoNothing().returning();
  return row;
}

/** One amendment. */
export async function findAmendment(db: DbOrTx, id: string): Promise<AmendmentRow | undefined> {
  const [row] = await db.select().from(dailyReportAmendments).where(eq(dailyReportAmendments.id, id)).limit(1);
  return row;
}

/** Amendments of reports, oldest first. */
export async function amendmentsOf(db: DbOrTx, reportIds: string[]): Promise<AmendmentRow[]> {
  if (!reportIds.length) return [];
  return db
    .select()
    .from(dailyReportAmendments)
    .where(inArray(dailyReportAmendments.reportId, reportIds))
    .orderBy(asc(dailyReportAmendments.amendedAt), asc(dailyReportAmendments.id));
}

/** The submitted report of a station and day in any campaign (the first submitted, if several campaigns cover it). */
export async function findStationReportOfDay(
  db: DbOrTx,
  stationId: string,
  day: string,
): Promise<ReportRow | undefined> {
  const [row] = await db
    .select()
    .from(dailyReports)
    .where(and(eq(dailyReports.stationId, stationId), eq(dailyReports.day, day)))
    .orderBy(asc(dailyReports.submittedAt))
    .limit(1);
  return row;
}
