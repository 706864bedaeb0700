import { z } from "zod";
import { endpoint } from "./endpoint.js";
import { Id, IdParams, Lat, Lng } from "./common.js";
import { AssignmentStatus, VehicleStatus } from "../status.js";

/** The open sortie (出车) a vehicle is on, if any. */
const VehicleSortieRef = z.object({
  id: Id.describe("Sortie id"),
  patrolId: Id.describe("Patrol the sortie belongs to"),
  startedAt: z.string().describe("ISO time the sortie started"),
  crewCount: z.number().int().describe("Crew on board"),
});

/** The task a vehicle is working on, if any. */
const VehicleTaskRef = z.object({
  assignmentId: Id.describe("Assignment (task) id"),
  caseId: Id.describe("Case the vehicle was sent to"),
  /** Task status. */
  status: AssignmentStatus,
});

/** A patrol vehicle as dispatchers and crews see it. */
export const Vehicle = z.object({
  id: Id.describe("Vehicle id"),
  stationId: Id.describe("Station the vehicle belongs to"),
  callSign: z.string().describe('Radio call sign, unique, e.g. "DL-01".'),
  plate: z.string().describe("Number plate"),
  seats: z.number().int().describe("Seats, driver included"),
  /** Current status (machine in shared/status.ts). */
  status: VehicleStatus,
  version: z
    .number()
    .int()
    .positive()
    .describe("Optimistic-lock version: status changes and dispatch must send it. Position reports do not change it."),
  lastLat: Lat.nullable().describe("Last reported latitude, WGS-84"),
  lastLng: Lng.nullable().describe("Last reported longitude, WGS-84"),
  lastPositionAt: z.string().nullable().describe("When the last position was recorded by the phone"),
  currentSortie: VehicleSortieRef.nullable().describe("Open sortie, if the vehicle is out"),
  currentTask: VehicleTaskRef.nullable().describe("Active task, if dispatched"),
});
export type Vehicle = z.infer<typeof Vehicle>;

/** Editable fields of a vehicle. */
const VehicleFields = z.object({
  callSign: z.string().trim().min(1).max(32).describe("Radio call sign (unique)"),
  plate: z.string().trim().min(1).max(32).describe("Number plate"),
  seats: z.number().int().min(1).max(60).describe("Seats, driver included"),
  stationId: Id.describe("Station of the vehicle"),
});

/** Creating a vehicle (admin). */
export const VehicleCreate = VehicleFields.extend({
  id: Id.optional().describe("Client-generated id; a retry with the same id is a no-op"),
  seats: VehicleFields.shape.seats.default(5),
});
export type VehicleCreate = z.infer<typeof VehicleCreate>;

/** Updating a vehicle (admin); only the fields sent change. */
export const VehicleUpdate = VehicleFields.partial().extend({
  version: z.number().int().positive().describe("Version the client last saw"),
});
export type VehicleUpdate = z.infer<typeof VehicleUpdate>;

/** A status change requested by a crew or a dispatcher. */
export const VehicleStatusChange = z.object({
  status: VehicleStatus.describe("Wanted status; must be allowed by VEHICLE_MACHINE from the current one"),
  version: z.number().int().positive().describe("Version the client last saw"),
});
export type VehicleStatusChange = z.infer<typeof VehicleStatusChange>;

/** One line of supplies: a catalog item and a count. */
export const VehicleSupplyLine = z.object({
  itemId: Id.describe("Supply catalog item"),
  quantity: z.number().int().min(1).max(10000).describe("Count, in the item's unit (件/份)"),
});
export type VehicleSupplyLine = z.infer<typeof VehicleSupplyLine>;

/** What is on board a vehicle: loaded − handed out − returned, per item. */
export const VehicleLoad = z.object({
  vehicleId: Id.describe("Vehicle id"),
  /** Items with a positive balance on board. */
  items: z
    .array(
      z.object({
        itemId: Id.describe("Supply catalog item"),
        code: z.string().describe('Item code, e.g. "coat".'),
        nameZh: z.string().describe("Chinese name"),
        nameEn: z.string().describe("English name"),
        quantity: z.number().int().describe("Count on board"),
      }),
    )
    .describe("Items on board"),
});
export type VehicleLoad = z.infer<typeof VehicleLoad>;

/** Filters for the vehicle list. */
const VehicleListQuery = z.object({
  stationId: Id.optional().describe("Only this station's vehicles"),
  status: VehicleStatus.optional().describe("Only vehicles in this status"),
});

/** Vehicle endpoints. */
export const vehiclesApi = {
  list: endpoint({
    method: "GET",
    path: "/api/vehicles",
    tag: "vehicles",
    access: "any",
    query: VehicleListQuery,
    summary: "Vehicles in scope with status, last position, open sortie and active task",
    response: z.object({ items: z.array(Vehicle) }),
  }),
  get: endpoint({
    method: "GET",
    path: "/api/vehicles/:id",
    tag: "vehicles",
    access: "any",
    params: IdParams,
    summary: "One vehicle",
    response: Vehicle,
  }),
  create: endpoint({
    method: "POST",
    path: "/api/vehicles",
    tag: "vehicles",
    access: ["admin"],
    status: 201,
    summary: "Create a vehicle",
    body: VehicleCreate,
    response: Vehicle,
  }),
  update: endpoint({
    method: "PATCH",
    path: "/api/vehicles/:id",
    tag: "vehicles",
    access: ["admin"],
    params: IdParams,
    summary: "Update a vehicle (optimistic version check)",
    body: VehicleUpdate,
    response: Vehicle,
  }),
  setStatus: endpoint({
    method: "PATCH",
    path: "/api/vehicles/:id/status",
    tag: "vehicles",
    access: ["operator", "patrol", "head", "admin"],
    params: IdParams,
    body: VehicleStatusChange,
    response: Vehicle,
    summary: "Change a vehicle's status (409 INVALID_TRANSITION when the machine refuses)",
  }),
  load: endpoint({
    method: "GET",
    path: "/api/vehicles/:id/load",
    tag: "vehicles",
    access: "any",
    params: IdParams,
    summary: "Supplies on board (loaded − handed out − returned)",
    response: VehicleLoad,
  }),
};
