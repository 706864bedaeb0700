import { z } from "zod";
import { endpoint } from "./endpoint.js";
import { Id, IdParams, Lat, Lng, refuseNullIsland } from "./common.js";
import { STAY_END_REASONS } from "../counting.js";

/** A place with beds: a station, a warming shelter (临时避寒场所) or an outdoor service point (站外救助服务点). */
export const Shelter = z.object({
  id: Id.describe("Shelter id (the station id for a station)"),
  stationId: Id.describe("Station running it"),
  name: z.string().describe("Name"),
  kind: z.enum(["station", "warming_shelter", "service_point"]).describe("Kind of place"),
  lat: Lat,
  lng: Lng,
  address: z.string().describe("Address"),
  capacity: z.number().int().describe("Places (beds)"),
  occupied: z.number().int().describe("Open stays"),
  free: z.number().int().describe("capacity - occupied, never below 0"),
  active: z.boolean().describe("Open this season"),
  openedAt: z.string().nullable().describe("ISO time it opened (设立); null for a station"),
  closedAt: z.string().nullable().describe("ISO time it closed; null while in service"),
  version: z.number().int().describe("Version (stations: the station's version)"),
});
export type Shelter = z.infer<typeof Shelter>;

/** Fields of a new shelter, unrefined so the update can be derived from them. */
const ShelterFields = z.object({
  id: Id.optional().describe("Client-generated UUID"),
  stationId: Id.describe("Station running it"),
  name: z.string().trim().min(1).max(100).describe("Name"),
  kind: z.enum(["warming_shelter", "service_point"]).describe("Kind"),
  lat: Lat,
  lng: Lng,
  address: z.string().trim().max(200).default("").describe("Address"),
  capacity: z.number().int().min(0).max(10_000).describe("Places"),
  openedAt: z.iso
    .datetime({ offset: true })
    .optional()
    .describe("ISO time it opened (设立), default now; counts in shelters in service from then"),
  closedAt: z.iso.datetime({ offset: true }).optional().describe("ISO time it closed (default: still open)"),
});
/** A closing time before the opening is refused on closedAt. */
const periodInOrder = (v: { openedAt?: string; closedAt?: string }, ctx: z.RefinementCtx) => {
  if (v.openedAt && v.closedAt && Date.parse(v.closedAt) <= Date.parse(v.openedAt))
    ctx.addIssue({ code: "custom", path: ["closedAt"], message: "must be after openedAt" });
};
/** Adding a shelter or service point. */
export const ShelterCreate = ShelterFields.superRefine(refuseNullIsland()).superRefine(periodInOrder);
/** Changing one. */
export const ShelterUpdate = ShelterFields.omit({ id: true, stationId: true, kind: true })
  .partial()
  .extend({
    active: z.boolean().optional().describe("Open this season"),
    version: z.number().int().positive().describe("Version last seen"),
  })
  .superRefine(refuseNullIsland())
  .superRefine(periodInOrder);

/** How a stay ended. */
const StayEndReason = z
  .enum(STAY_END_REASONS)
  .describe("left | escorted_home | family_pickup | hospital | care_institution | settled");

/** A stay (站内救助). */
export const Stay = z.object({
  id: Id.describe("Stay id"),
  stationId: Id.describe("Station"),
  shelterId: Id.nullable().describe("Shelter; null for the station's own beds"),
  personId: Id.nullable().describe("Person"),
  encounterId: Id.nullable().describe("Encounter that brought them in; null for walk-ins"),
  bed: z.string().describe("Bed"),
  needs: z.array(z.string()).describe("Needs, e.g. medical, food, clothing"),
  arrivedAt: z.string().describe("ISO time"),
  endedAt: z.string().nullable().describe("ISO time; null while staying"),
  endReason: StayEndReason.nullable(),
  travelVoucher: z.boolean().describe("Travel voucher given (escorted home)"),
  destination: z.string().describe("Where they went"),
  version: z.number().int().describe("Version"),
});
export type Stay = z.infer<typeof Stay>;

/** Starting a stay. */
export const StayCreate = z.object({
  id: Id.describe("Client-generated UUID"),
  stationId: Id.describe("Station"),
  shelterId: Id.optional().describe("Shelter; omit for the station's beds"),
  personId: Id.optional().describe("Person"),
  encounterId: Id.optional().describe("Encounter that brought them in"),
  bed: z.string().trim().max(40).default("").describe("Bed"),
  needs: z.array(z.string().trim().min(1).max(40)).max(20).default([]).describe("Needs"),
  notes: z.string().trim().max(2000).default("").describe("Notes"),
  arrivedAt: z.iso.datetime({ offset: true }).optional().describe("ISO time; default now"),
});
/** Ending a stay. */
export const StayEnd = z
  .object({
    reason: StayEndReason,
    at: z.iso.datetime({ offset: true }).optional().describe("ISO time; default now"),
    travelVoucher: z.boolean().default(false).describe("Travel voucher given"),
    destination: z.string().trim().max(200).default("").describe("Where to"),
    version: z.number().int().positive().describe("Version last seen"),
  })
  .refine((v) => !v.travelVoucher || v.reason === "escorted_home", {
    message: "only for escorted_home",
    path: ["travelVoucher"],
  });

/** Someone brought in by a patrol whose stay has not been registered yet. */
const PendingArrival = z.object({
  encounterId: Id.describe("The brought_in encounter"),
  personId: Id.nullable().describe("Person, if identified"),
  occurredAt: z.string().describe("ISO time they were picked up"),
  place: z.string().describe("Where they were met"),
});

/** Shelter and stay endpoints. */
export const sheltersApi = {
  list: endpoint({
    method: "GET",
    path: "/api/shelters",
    tag: "shelters",
    access: "any",
    summary: "Stations, warming shelters and service points with capacity and free places",
    query: z.object({ stationId: Id.optional().describe("One station") }),
    response: z.object({ items: z.array(Shelter) }),
  }),
  create: endpoint({
    method: "POST",
    path: "/api/shelters",
    tag: "shelters",
    access: ["head", "admin"],
    status: 201,
    summary: "Add a warming shelter or service point",
    body: ShelterCreate,
    response: Shelter,
  }),
  update: endpoint({
    method: "PATCH",
    path: "/api/shelters/:id",
    tag: "shelters",
    access: ["head", "admin"],
    summary: "Change a shelter",
    params: IdParams,
    body: ShelterUpdate,
    response: Shelter,
  }),
  stays: endpoint({
    method: "GET",
    path: "/api/stays",
    tag: "shelters",
    access: ["operator", "patrol", "head", "admin"],
    summary: "Stays of a station (open ones by default)",
    query: z.object({
      stationId: Id.describe("Station"),
      open: z
        .enum(["true", "false"])
        .default("true")
        .transform((v) => v === "true")
        .describe("Only open stays"),
      limit: z.coerce.number().int().min(1).max(500).default(100).describe("Max rows"),
    }),
    response: z.object({ items: z.array(Stay) }),
  }),
  pending: endpoint({
    method: "GET",
    path: "/api/stays/pending",
    tag: "shelters",
    access: ["operator", "patrol", "head", "admin"],
    summary:
      "People brought in (last 48 h) whose stay is not registered yet: register them against the encounter so they count once",
    query: z.object({ stationId: Id.describe("Station") }),
    response: z.object({ items: z.array(PendingArrival) }),
  }),
  startStay: endpoint({
    method: "POST",
    path: "/api/stays",
    tag: "shelters",
    access: ["patrol", "head", "operator"],
    status: 201,
    summary: "Someone arrives: start a stay",
    body: StayCreate,
    response: Stay,
  }),
  endStay: endpoint({
    method: "POST",
    path: "/api/stays/:id/end",
    tag: "shelters",
    access: ["patrol", "head", "operator"],
    summary: "End a stay: left, escorted home, family pick-up, hospital, care institution, settled",
    params: IdParams,
    body: StayEnd,
    response: Stay,
  }),
};
