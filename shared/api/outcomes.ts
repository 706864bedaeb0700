import { z } from "zod";
import { endpoint } from "./endpoint.js";
import { Id, IdParams } from "./common.js";
import { Day, TotalsQuery } from "./totals.js";

/** One return window over the new persons (definitions in shared/outcomes.ts). */
const ReturnWindow = z.object({
  nights: z.number().int().describe("Window length in nights after the first night (1, 7, 30)"),
  returned: z.number().int().describe("Seen on the street again on a later night within the window (人)"),
  notReturned: z.number().int().describe("Window closed and not seen again (人)"),
  pending: z.number().int().describe("Window still open and not seen again yet (人)"),
  closed: z.number().int().describe("Windows closed: the denominator of the return rate (人)"),
  returnedOfClosed: z.number().int().describe("Returned among the closed windows: the numerator of the return rate"),
});

/** Outcome measures of one scope: counts only, never a person (definitions in shared/outcomes.ts). */
export const OutcomeMeasures = z.object({
  contacts: z.number().int().describe("Contacts: encounters where someone was found (人次)"),
  contactPersons: z.number().int().describe("Distinct persons contacted (人); an unlinked encounter is its own person"),
  engagedContacts: z.number().int().describe("Contacts where the person accepted help (人次)"),
  engagedPersons: z.number().int().describe("Distinct persons who accepted help at least once (人)"),
  untrackedContacts: z
    .number()
    .int()
    .describe("Contacts with no person record: counted as contacts, cannot be followed over nights"),
  newPersons: z.number().int().describe("Persons whose first night ever seen on the street is in the range (人)"),
  windows: z.array(ReturnWindow).describe("Seen again within 1, 7 and 30 nights of the first night"),
  returners: z
    .number()
    .int()
    .describe("Persons seen on a night in the range after 30 or more nights in a row not seen (人)"),
});
export type OutcomeMeasures = z.infer<typeof OutcomeMeasures>;

/** Outcome measures for a scope and range, with the parts per station. */
export const Outcomes = z.object({
  campaignId: Id.describe("Campaign"),
  from: Day.describe("First report day"),
  to: Day.describe("Last report day, inclusive"),
  asOf: Day.describe("Today's report day: a window is closed once its last night is before it"),
  timeZone: z.string().describe("Time zone the nights are cut in"),
  dayStart: z.string().describe("Local time a report day (night) starts, HH:MM"),
  stationIds: z.array(Id).describe("Stations counted"),
  measures: OutcomeMeasures.describe("Over the whole scope (a person seen at two stations counts once)"),
  byStation: z
    .array(z.object({ stationId: Id.describe("Station"), measures: OutcomeMeasures.describe("That station's") }))
    .describe("Per station: contacts by the encounter's station, new persons by the station of their first night"),
});
export type Outcomes = z.infer<typeof Outcomes>;

/** Outcome endpoints. */
export const outcomesApi = {
  get: endpoint({
    method: "GET",
    path: "/api/campaigns/:id/outcomes",
    tag: "totals",
    access: ["head", "supervisor", "admin", "operator"],
    summary:
      "Outcome measures for a station or region and a date range: contacts vs engagement, new persons seen again within 1/7/30 nights, returners",
    params: IdParams,
    query: TotalsQuery,
    response: Outcomes,
  }),
};
