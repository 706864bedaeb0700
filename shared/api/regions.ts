import { z } from "zod";
import { endpoint } from "./endpoint.js";
import { Id, IdParams } from "./common.js";
import { Region, RegionLevel } from "./stations.js";

const RegionName = z.string().trim().min(1).max(100).describe("Region name");

/** Creating a region (admin): at the top, or under a parent of a higher level. */
export const RegionCreate = z.object({
  id: Id.optional().describe("Client-generated id; a retry with the same id is a no-op"),
  name: RegionName,
  level: RegionLevel,
  parentId: Id.nullable().default(null).describe("Parent region; null or absent for a top region"),
});
export type RegionCreate = z.infer<typeof RegionCreate>;

/**
 * Renaming and/or moving a region (admin). Moving takes the whole subtree along (its stations, the
 * supervisors scoped to it); the level stays, so the new parent must be of a higher level.
 */
export const RegionUpdate = z.object({
  name: RegionName.optional(),
  parentId: Id.nullable().optional().describe("New parent; null moves the region to the top. Absent: not moved."),
  version: z.number().int().positive().describe("Version the client last saw; a stale one gets 409 VERSION_CONFLICT"),
});
export type RegionUpdate = z.infer<typeof RegionUpdate>;

/** Region endpoints that change the hierarchy (the list is GET /api/regions in stations). */
export const regionsApi = {
  create: endpoint({
    method: "POST",
    path: "/api/regions",
    tag: "regions",
    access: ["admin"],
    status: 201,
    summary: "Create a region (idempotent by client id)",
    body: RegionCreate,
    response: Region,
  }),
  update: endpoint({
    method: "PATCH",
    path: "/api/regions/:id",
    tag: "regions",
    access: ["admin"],
    summary: "Rename or move a region with its subtree (optimistic version check)",
    params: IdParams,
    body: RegionUpdate,
    response: Region,
  }),
};
