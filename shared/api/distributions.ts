import { z } from "zod";
import { endpoint } from "./endpoint.js";
import { Id } from "./common.js";
import { VehicleSupplyLine } from "./vehicles.js";

/** Where supplies were handed out in bulk. */
export const DistributionPlace = z
  .enum(["shelter", "distribution_point", "vehicle"])
  .describe("shelter | distribution_point | vehicle");
export type DistributionPlace = z.infer<typeof DistributionPlace>;

/**
 * Supplies handed out to a number of recipients without recording each person (发放). They count in
 * supplies handed out; `recipients`, when given, in its own figure (distribution recipients), never
 * as people found. From a vehicle's load when `vehicleId` is given, else from the station's store.
 */
export const DistributionCreate = z
  .object({
    id: Id.describe("Client-generated id: a retry returns the first result and records nothing twice"),
    stationId: Id.describe("Station whose stock (store or vehicle) the supplies come from"),
    /** Kind of place. */
    placeKind: DistributionPlace,
    shelterId: Id.optional().describe("The shelter, for placeKind shelter"),
    vehicleId: Id.optional().describe(
      "Vehicle whose load the supplies come from (required for placeKind vehicle); omitted: the station's store",
    ),
    placeText: z.string().trim().max(200).default("").describe("Place description"),
    recipients: z
      .number()
      .int()
      .min(1)
      .max(100000)
      .optional()
      .describe("Recipients (受助人次 of distributions), when counted"),
    supplies: z.array(VehicleSupplyLine).min(1).max(30).describe("Supplies handed out"),
    notes: z.string().trim().max(1000).default("").describe("Notes"),
    occurredAt: z.iso.datetime({ offset: true }).optional().describe("ISO time; defaults to now; not in the future"),
  })
  .superRefine((v, ctx) => {
    if (v.placeKind === "shelter" && !v.shelterId)
      ctx.addIssue({ code: "custom", path: ["shelterId"], message: "required for a shelter" });
    if (v.placeKind === "vehicle" && !v.vehicleId)
      ctx.addIssue({ code: "custom", path: ["vehicleId"], message: "required for a hand-out from a vehicle" });
    if (v.placeKind === "distribution_point" && !v.placeText)
      ctx.addIssue({ code: "custom", path: ["placeText"], message: "name the distribution point" });
    const seen = new Set<string>();
    v.supplies.forEach((s, i) => {
      if (seen.has(s.itemId))
        ctx.addIssue({ code: "custom", path: ["supplies", i, "itemId"], message: "listed twice" });
      seen.add(s.itemId);
    });
  });
export type DistributionCreate = z.infer<typeof DistributionCreate>;

/** A supply line of a distribution, with the unit value at the time (fen). */
const DistributedLine = VehicleSupplyLine.extend({
  unitValueFen: z.number().int().describe("Unit value at the time, fen"),
});

/** A recorded distribution. */
export const Distribution = z.object({
  id: Id.describe("Distribution id"),
  stationId: Id.describe("Station"),
  placeKind: DistributionPlace,
  shelterId: Id.nullable().describe("Shelter"),
  vehicleId: Id.nullable().describe("Vehicle the supplies came from (null: the store)"),
  placeText: z.string().describe("Place description"),
  recipients: z.number().int().nullable().describe("Recipients, when counted"),
  notes: z.string().describe("Notes"),
  occurredAt: z.string().describe("ISO time"),
  recordedBy: Id.nullable().describe("User who recorded it"),
  supplies: z.array(DistributedLine).describe("Supplies handed out"),
});
export type Distribution = z.infer<typeof Distribution>;

/** Filters for distributions. */
const DistributionListQuery = z.object({
  stationId: Id.describe("Station"),
  limit: z.coerce.number().int().min(1).max(200).default(50).describe("Max rows (1..200)"),
});

/** Distribution endpoints. */
export const distributionsApi = {
  create: endpoint({
    method: "POST",
    path: "/api/distributions",
    tag: "supplies",
    access: ["patrol", "head", "admin"],
    status: 201,
    summary:
      "Record supplies handed out to a number of recipients (from a vehicle's load or the store; 409 INSUFFICIENT_STOCK beyond it)",
    body: DistributionCreate,
    response: Distribution,
  }),
  list: endpoint({
    method: "GET",
    path: "/api/distributions",
    tag: "supplies",
    access: ["operator", "patrol", "head", "supervisor", "admin"],
    summary: "Distributions of a station, newest first",
    query: DistributionListQuery,
    response: z.object({ items: z.array(Distribution) }),
  }),
};
