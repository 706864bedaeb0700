import { z } from "zod";
import { endpoint } from "./endpoint.js";
import { Id } from "./common.js";
import { VehicleSupplyLine } from "./vehicles.js";
import { EncounterCreate, EncounterFields } from "./encounters.js";
import { FootStaff, KeyPointVisit, PatrolKind, Sortie, SortieStart } from "./patrols.js";

const Time = z.iso.datetime({ offset: true });

/** A key point checked during the logged sortie. */
const PatrolLogVisit = z.object({
  id: Id.describe("Client-generated UUID of the visit"),
  keyPointId: Id.describe("Key point checked"),
  peopleFound: z.number().int().min(0).max(500).describe("People found (0 = nobody)"),
  notes: z.string().trim().max(1000).default("").describe("Notes"),
  visitedAt: Time.describe("ISO time of the check, within the sortie"),
});

/** A person met during the logged sortie, as POST /api/encounters takes it (the sortie is the log's). */
export const PatrolLogEncounter = EncounterFields.omit({ assignmentId: true, sortieId: true }).extend({
  keyPointVisitId: Id.optional().describe("Id of a visit of this log during which the person was met"),
  occurredAt: Time.describe("ISO time, within the sortie"),
});
export type PatrolLogEncounter = z.infer<typeof PatrolLogEncounter>;

/**
 * A whole sortie recorded after the fact (补录): vehicle, crew, times, supplies loaded and returned,
 * key points checked and people met. It creates the same records as live entry, in one
 * transaction; `id` is the sortie's id, and every nested record carries its own id, so a retry
 * changes nothing. Times lie in the past, the end after the start, every nested time within.
 */
export const PatrolLogCreate = z
  .object({
    id: Id.describe("Client-generated UUID of the sortie (the log's id)"),
    vehicleId: Id.describe("Vehicle that went out"),
    patrolId: Id.optional().describe("Open patrol to join; omit for a new patrol"),
    kind: PatrolKind.default("planned"),
    footStaff: z.array(FootStaff).max(20).default([]).describe("Partner staff on foot (new patrol only)"),
    crewCount: z.number().int().min(1).max(60).describe("Crew on board"),
    crewNames: z.array(z.string().trim().min(1).max(40)).max(60).default([]).describe("Crew names"),
    startedAt: Time.describe("ISO time the vehicle went out"),
    endedAt: Time.describe("ISO time it came back"),
    load: z.array(VehicleSupplyLine).max(50).default([]).describe("Supplies loaded from station stock"),
    returned: z.array(VehicleSupplyLine).max(50).default([]).describe("Supplies returned to station stock"),
    keyPoints: z.array(PatrolLogVisit).max(200).default([]).describe("Key points checked"),
    encounters: z.array(PatrolLogEncounter).max(200).default([]).describe("People met"),
  })
  .superRefine((v, ctx) => {
    const start = Date.parse(v.startedAt),
      end = Date.parse(v.endedAt),
      now = Date.now();
    if (start > now) ctx.addIssue({ code: "custom", path: ["startedAt"], message: "must lie in the past" });
    if (end > now) ctx.addIssue({ code: "custom", path: ["endedAt"], message: "must lie in the past" });
    if (end <= start) ctx.addIssue({ code: "custom", path: ["endedAt"], message: "must be after startedAt" });
    const within = (t: string) => Date.parse(t) >= start && Date.parse(t) <= end;
    const dupItems = (lines: { itemId: string }[], path: (string | number)[]) => {
      const seen = new Set<string>();
      lines.forEach((l, i) => {
        if (seen.has(l.itemId)) ctx.addIssue({ code: "custom", path: [...path, i, "itemId"], message: "listed twice" });
        seen.add(l.itemId);
      });
    };
    dupItems(v.load, ["load"]);
    dupItems(v.returned, ["returned"]);
    const ids = new Set<string>([v.id]);
    const unique = (id: string, path: (string | number)[]) => {
      if (ids.has(id)) ctx.addIssue({ code: "custom", path, message: "the same id is used twice in this log" });
      ids.add(id);
    };
    v.keyPoints.forEach((k, i) => {
      unique(k.id, ["keyPoints", i, "id"]);
      if (!within(k.visitedAt))
        ctx.addIssue({ code: "custom", path: ["keyPoints", i, "visitedAt"], message: "must lie within the sortie" });
    });
    const visits = new Set(v.keyPoints.map((k) => k.id));
    v.encounters.forEach((e, i) => {
      unique(e.id, ["encounters", i, "id"]);
      if (!within(e.occurredAt))
        ctx.addIssue({ code: "custom", path: ["encounters", i, "occurredAt"], message: "must lie within the sortie" });
      if (e.keyPointVisitId && !visits.has(e.keyPointVisitId))
        ctx.addIssue({
          code: "custom",
          path: ["encounters", i, "keyPointVisitId"],
          message: "not a key point of this log",
        });
      // The rules of a live encounter, applied to the nested one (one piece of logic).
      const live = EncounterCreate.safeParse({ ...e, sortieId: v.id });
      if (!live.success)
        for (const issue of live.error.issues)
          ctx.addIssue({
            code: "custom",
            path: ["encounters", i, ...issue.path.map((p) => (typeof p === "symbol" ? String(p) : p))],
            message: issue.message,
          });
    });
  });
export type PatrolLogCreate = z.infer<typeof PatrolLogCreate>;

/** The records a patrol log created (or found, on a retry). */
export const PatrolLog = z.object({
  sortie: Sortie,
  keyPointVisits: z.array(KeyPointVisit).describe("Key-point checks"),
  encounterIds: z.array(Id).describe("Encounters recorded (read them through GET /api/encounters?sortieId=)"),
});
export type PatrolLog = z.infer<typeof PatrolLog>;

/** The sortie part of a log, as a live start takes it. */
export const sortieStartOf = (log: PatrolLogCreate): SortieStart => ({
  id: log.id,
  vehicleId: log.vehicleId,
  patrolId: log.patrolId,
  kind: log.kind,
  footStaff: log.footStaff,
  crewCount: log.crewCount,
  crewNames: log.crewNames,
  load: log.load,
  startedAt: log.startedAt,
});

/** Patrol log endpoints. */
export const patrolLogsApi = {
  create: endpoint({
    method: "POST",
    path: "/api/patrol-logs",
    tag: "patrols",
    access: ["patrol", "head", "admin"],
    status: 201,
    summary:
      "Record a whole sortie after the fact (补录): crew, times, supplies, key points, people met; all or nothing, idempotent",
    body: PatrolLogCreate,
    response: PatrolLog,
  }),
};
