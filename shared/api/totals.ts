import { z } from "zod";
import { endpoint } from "./endpoint.js";
import { Id, IdParams } from "./common.js";

/** A report day, YYYY-MM-DD, in the report time zone (starting at REPORT_DAY_START). */
export const Day = z.iso
  .date({ error: "must be a calendar day YYYY-MM-DD" })
  .describe("Calendar day YYYY-MM-DD (report time zone)");

/** Supplies handed out of one catalog item. */
const SupplyFigure = z.object({
  itemId: Id.describe("Catalog item"),
  code: z.string().describe("Item code"),
  nameZh: z.string().describe("Item name (Chinese)"),
  nameEn: z.string().describe("Item name (English)"),
  unitZh: z.string().describe("Unit (Chinese), e.g. 件"),
  unitEn: z.string().describe("Unit (English)"),
  quantity: z.number().int().describe("Units handed out"),
  valueFen: z.number().int().describe("Value in fen (1/100 yuan) at the unit value of the time"),
});
type SupplyFigure = z.infer<typeof SupplyFigure>;

/** The campaign figures (definitions in shared/counting.ts). */
export const Figures = z.object({
  patrols: z.number().int().describe("Patrol outings (巡查 次)"),
  sorties: z.number().int().describe("Vehicle sorties (出动车辆 台次)"),
  staffPersonTimes: z.number().int().describe("Staff person-times: crews plus partner staff on foot (出动人员 人次)"),
  keyPointVisits: z.number().int().describe("Key-point visits (巡查点位 个次)"),
  keyPointsCovered: z.number().int().describe("Distinct key points covered (巡查重点点位 个)"),
  foundPersonTimes: z.number().int().describe("People found, person-times (人次)"),
  foundPersons: z.number().int().describe("People found, distinct persons (人)"),
  aidedInStation: z.number().int().describe("Aided in the station (站内救助 人次)"),
  aidedOnStreet: z.number().int().describe("Aided on the street (站外救助 人次)"),
  aidedTotal: z.number().int().describe("Aided in and out of the station (站内外救助 人次)"),
  hospital: z.number().int().describe("Taken to hospital (送医 人次)"),
  escortedHome: z.number().int().describe("Escorted home (护送返乡 人次)"),
  familyPickup: z.number().int().describe("Picked up by family (亲属接领 人次)"),
  escorts: z.number().int().describe("Escorted home plus picked up by family (护送/接领 人次)"),
  referred: z
    .number()
    .int()
    .describe("Referred to police, minors, mental-health services or a care institution (转介)"),
  settled: z.number().int().describe("Settled: stays ending in local settlement or placement in care (安置 人)"),
  sheltersInService: z
    .number()
    .int()
    .describe("Warming shelters and outdoor aid points in service during the range (设立临时避寒场所/室外救助点 个)"),
  familiesFound: z.number().int().describe("Families found, on the day they were found (寻亲成功 人)"),
  supplies: z.array(SupplyFigure).describe("Supplies handed out per item"),
  suppliesQuantity: z.number().int().describe("All supplies handed out, units"),
  suppliesValueFen: z.number().int().describe("All supplies handed out, fen"),
  distributionRecipients: z
    .number()
    .int()
    .default(0)
    .describe("Recipients of distributions (发放受助人次), never counted as people found"),
  responseP50Sec: z.number().int().nullable().describe("Response time (call received to on scene), median, seconds"),
  responseP90Sec: z.number().int().nullable().describe("Response time, 90th percentile, seconds"),
  responseCount: z.number().int().describe("Cases the percentiles are taken over"),
  householdSettled: z
    .number()
    .int()
    .default(0)
    .describe("Identification files closed with a local household registration (落户安置 人)"),
  medianDaysToIdentification: z
    .number()
    .nullable()
    .default(null)
    .describe("Median whole days from arrival to a family found, over the files closed so in the range"),
  pastFingerprintCheck: z
    .number()
    .int()
    .default(0)
    .describe("People past the fingerprint-check deadline at the period's end (人)"),
  pastNotice: z
    .number()
    .int()
    .default(0)
    .describe("People past the family-search notice (寻亲公告) deadline at the period's end (人)"),
  pastDnaRequest: z.number().int().default(0).describe("People past the DNA-request deadline at the period's end (人)"),
  pastSettleReview: z
    .number()
    .int()
    .default(0)
    .describe("People past the 3-month settlement review (落户安置) at the period's end, still unidentified (人)"),
});
export type Figures = z.infer<typeof Figures>;

/** Filters of the totals. */
export const TotalsQuery = z
  .object({
    stationId: Id.optional().describe("One station"),
    regionId: Id.optional().describe("A region (city > district > street > community) and everything below it"),
    from: Day.optional().describe("First day (default: campaign start)"),
    to: Day.optional().describe("Last day, inclusive (default: today or campaign end)"),
  })
  .refine((q) => !(q.stationId && q.regionId), {
    message: "stationId and regionId exclude each other",
    path: ["regionId"],
  })
  .refine((q) => !q.from || !q.to || q.from <= q.to, { message: "must not be after to", path: ["from"] });
export type TotalsQuery = z.infer<typeof TotalsQuery>;

/** Totals for a scope and range, with the parts they are made of. */
export const Totals = z.object({
  campaignId: Id.describe("Campaign"),
  from: Day.describe("First day"),
  to: Day.describe("Last day, inclusive"),
  timeZone: z.string().describe("Time zone the days are cut in"),
  dayStart: z
    .string()
    .describe("Local time a report day starts (HH:MM): day D runs from D at that time to D+1 at that time"),
  stationIds: z.array(Id).describe("Stations counted"),
  figures: Figures.describe("Totals over the whole scope and range"),
  byStation: z
    .array(
      z.object({
        stationId: Id.describe("Station"),
        figures: Figures.describe("That station's totals"),
      }),
    )
    .describe("Per station; additive figures sum to the totals"),
  daily: z
    .array(
      z.object({
        day: Day.describe("Day"),
        figures: Figures.describe("That day's totals"),
      }),
    )
    .describe("Daily series for the trend chart; every day of the range, zeros included"),
});
export type Totals = z.infer<typeof Totals>;

/** Totals endpoints. */
export const totalsApi = {
  get: endpoint({
    method: "GET",
    path: "/api/campaigns/:id/totals",
    tag: "totals",
    access: ["head", "supervisor", "admin", "operator"],
    summary: "Campaign totals for a station or region and a date range, with per-station parts and a daily series",
    params: IdParams,
    query: TotalsQuery,
    response: Totals,
  }),
};
