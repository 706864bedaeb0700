import { z } from "zod";
import { endpoint } from "./endpoint.js";
import { Id, IdParams } from "./common.js";
import { ConditionFlag, EncounterOutcome } from "../vocab.js";

/**
 * Who sees what of a person (受助人员):
 * - head and patrol of the person's station: full identity (name, ID number, hometown) and notes,
 *   because they identify, escort home and search for family;
 * - operator and admin: no identity; a masked label, gender, age, flags and status only, enough to
 *   recognise a caller's description without holding personal data;
 * - supervisor: nothing per person (403); totals only.
 * Every read of a person's record is audited (person_reads).
 */
const FAMILY_SEARCH_STATUSES = ["none", "notice_published", "family_found"] as const;
export type FamilySearchStatus = (typeof FAMILY_SEARCH_STATUSES)[number];
export const FamilySearchStatus = z.enum(FAMILY_SEARCH_STATUSES).describe("Family-search (寻亲) status");

/** Identity fields: personal data. */
const PersonIdentity = z.object({
  name: z.string().trim().min(1).max(60).nullable().describe("Name as given"),
  idNumber: z
    .string()
    .trim()
    .regex(/^[0-9]{17}[0-9Xx]$|^[A-Za-z0-9-]{4,30}$/, "not an ID number")
    .nullable()
    .describe("ID card number"),
  hometown: z.string().trim().min(1).max(100).nullable().describe("Hometown"),
});
type PersonIdentity = z.infer<typeof PersonIdentity>;

/** A person in a list. `identity` is present only for roles that may see it. */
export const PersonSummary = z.object({
  id: Id.describe("Person id"),
  stationId: Id.describe("Station that registered the person"),
  label: z.string().describe("Name for identity roles; a masked label (e.g. 王* or #1a2b) otherwise"),
  gender: z.enum(["male", "female", "unknown"]).nullable().describe("Gender"),
  approxAge: z.number().int().nullable().describe("Approximate age"),
  flags: z.array(z.string()).describe("Condition flags"),
  familySearch: FamilySearchStatus,
  mergedIntoId: Id.nullable().describe("Set when merged into another record"),
  encounterCount: z.number().int().describe("Encounters (人次) linked, merged records included"),
  lastSeenAt: z.string().nullable().describe("ISO time of the latest encounter"),
  version: z.number().int().describe("Version for optimistic locking"),
  identity: PersonIdentity.optional().describe("Identity (head and patrol of the station only)"),
});
export type PersonSummary = z.infer<typeof PersonSummary>;

/** One encounter in a person's history. */
const PersonEncounter = z.object({
  id: Id.describe("Encounter id"),
  personId: Id.nullable().describe("Record it is linked to (a merged one keeps its own id)"),
  occurredAt: z.string().describe("ISO time"),
  found: z.boolean().describe("Whether found"),
  outcome: EncounterOutcome,
  flags: z.array(z.string()).describe("Condition flags"),
  lat: z.number().nullable().describe("Where, WGS-84"),
  lng: z.number().nullable().describe("Where, WGS-84"),
  place: z.string().describe("Key point name or the case's place description"),
  notes: z.string().optional().describe("Notes (identity roles only)"),
});

/** A stay in a person's history. */
const PersonStay = z.object({
  id: Id.describe("Stay id"),
  arrivedAt: z.string().describe("ISO time"),
  endedAt: z.string().nullable().describe("ISO time, null while staying"),
  endReason: z.string().nullable().describe("How the stay ended"),
});

/** A person's full record. */
export const PersonDetail = PersonSummary.extend({
  encounters: z.array(PersonEncounter).describe("Every encounter, oldest first (merged records included)"),
  stays: z.array(PersonStay).describe("Stays, oldest first"),
  familySearchLog: z
    .array(
      z.object({
        status: FamilySearchStatus,
        note: z.string().describe("Note (identity roles only; empty otherwise)"),
        at: z.string().describe("ISO time"),
      }),
    )
    .describe("Family-search history"),
  mergedFrom: z.array(Id).describe("Records merged into this one"),
});
export type PersonDetail = z.infer<typeof PersonDetail>;

/** Registering a person (e.g. a walk-in). */
export const PersonCreate = z.object({
  id: Id.describe("Client-generated UUID"),
  stationId: Id.describe("Station"),
  name: PersonIdentity.shape.name.optional(),
  idNumber: PersonIdentity.shape.idNumber.optional(),
  hometown: PersonIdentity.shape.hometown.optional(),
  gender: z.enum(["male", "female", "unknown"]).optional().describe("Gender"),
  approxAge: z.number().int().min(0).max(120).optional().describe("Approximate age"),
  flags: z.array(ConditionFlag).max(20).default([]).describe("Condition flags"),
});
export type PersonCreate = z.infer<typeof PersonCreate>;

/**
 * A person met whose identity was not recorded (an encounter with no person): aid came first and
 * the paperwork later ("先行救助, 事后补齐手续"). Listed so the station can identify them.
 */
export const UnidentifiedEncounter = z.object({
  encounterId: Id.describe("Encounter id"),
  stationId: Id.describe("Station"),
  caseId: Id.nullable().describe("Case"),
  occurredAt: z.string().describe("ISO time"),
  outcome: EncounterOutcome,
  flags: z.array(z.string()).describe("Condition flags"),
  lat: z.number().nullable().describe("Where, WGS-84"),
  lng: z.number().nullable().describe("Where, WGS-84"),
  place: z.string().describe("Key point name or the case's place description"),
});
export type UnidentifiedEncounter = z.infer<typeof UnidentifiedEncounter>;

/** Identifying a person met: link an existing record, or register a new one from the encounter. */
export const IdentifyEncounter = z
  .object({
    personId: Id.optional().describe("Existing record of the same station to link"),
    person: PersonCreate.omit({ stationId: true }).optional().describe("New record (its station is the encounter's)"),
  })
  .superRefine((v, ctx) => {
    if (!v.personId === !v.person)
      ctx.addIssue({ code: "custom", path: ["personId"], message: "give exactly one of personId and person" });
  });
export type IdentifyEncounter = z.infer<typeof IdentifyEncounter>;

/** Updating identity or flags ("先行救助, 事后补齐手续": identity often comes later). */
export const PersonUpdate = PersonCreate.omit({ id: true, stationId: true })
  .partial()
  .extend({
    version: z.number().int().positive().describe("Version last seen"),
  });
export type PersonUpdate = z.infer<typeof PersonUpdate>;

/** Person list filters. */
const PeopleQuery = z.object({
  stationId: Id.optional().describe("One station (default: all in scope)"),
  q: z
    .string()
    .trim()
    .max(60)
    .optional()
    .describe("Search: name, ID number or hometown (identity roles); flag otherwise"),
  familySearch: FamilySearchStatus.optional().describe("Only this family-search status"),
  includeMerged: z
    .enum(["true", "false"])
    .default("false")
    .transform((v) => v === "true")
    .describe("Include merged records"),
  limit: z.coerce.number().int().min(1).max(200).default(50).describe("Max rows (1..200)"),
  offset: z.coerce.number().int().min(0).max(100_000).default(0).describe("Rows to skip"),
});

/** A possible duplicate. */
export const DuplicateSuggestion = z.object({
  person: PersonSummary.describe("The other record"),
  score: z.number().describe("0..1, higher is likelier"),
  reasons: z.array(z.enum(["same_id_number", "same_name", "similar_age", "same_gender", "met_nearby"])).describe("Why"),
});

/**
 * Through what a person's identity was read: the people registry (list, detail, which also covers
 * the record a write answers with; duplicates, the candidates offered), an export, the encounters API (list, or the one encounter a create or its retry returns), the identification
 * workbench (a file, or the candidates a list match offers), or a live event
 * delivered to a signed-in crew or head.
 */
export const READ_KINDS = [
  "detail",
  "list",
  "export",
  "duplicates",
  "encounter-list",
  "encounter-detail",
  "event",
  "identification",
  "photo",
] as const;

/** A read of a person's record (audit). */
const PersonRead = z.object({
  userId: Id.describe("Reader"),
  role: z.string().describe("Reader's role"),
  kind: z.enum(READ_KINDS).describe("How it was read"),
  at: z.string().describe("ISO time"),
});

/** A read of one of a station's people (the station's audit list). */
const StationPersonRead = PersonRead.extend({
  personId: Id.describe("Person read"),
  label: z.string().describe("Masked label of the person (the list itself shows no identity)"),
});

/** People endpoints. */
export const peopleApi = {
  list: endpoint({
    method: "GET",
    path: "/api/people",
    tag: "people",
    access: ["operator", "patrol", "head", "admin"],
    summary: "Search the registry of people met (bounded, paged; audited)",
    query: PeopleQuery,
    response: z.object({ items: z.array(PersonSummary), total: z.number().int().describe("Rows matching") }),
  }),
  get: endpoint({
    method: "GET",
    path: "/api/people/:id",
    tag: "people",
    access: ["operator", "patrol", "head", "admin"],
    summary: "A person's record with every encounter in order (audited)",
    params: IdParams,
    response: PersonDetail,
  }),
  create: endpoint({
    method: "POST",
    path: "/api/people",
    tag: "people",
    access: ["patrol", "head"],
    status: 201,
    summary: "Register a person",
    body: PersonCreate,
    response: PersonSummary,
  }),
  update: endpoint({
    method: "PATCH",
    path: "/api/people/:id",
    tag: "people",
    access: ["patrol", "head"],
    summary: "Update identity or flags",
    params: IdParams,
    body: PersonUpdate,
    response: PersonSummary,
  }),
  familySearch: endpoint({
    method: "POST",
    path: "/api/people/:id/family-search",
    tag: "people",
    access: ["patrol", "head"],
    summary: "Set the family-search status (notice published, family found)",
    params: IdParams,
    body: z.object({
      status: FamilySearchStatus,
      note: z.string().trim().max(1000).default("").describe("Note, e.g. where the notice ran"),
      occurredAt: z.iso
        .datetime({ offset: true })
        .optional()
        .describe(
          "ISO time the change happened, e.g. when the family was found (often entered days later; counted on that day); not in the future; defaults to now",
        ),
      version: z.number().int().positive().describe("Version last seen"),
    }),
    response: PersonSummary,
  }),
  duplicates: endpoint({
    method: "GET",
    path: "/api/people/:id/duplicates",
    tag: "people",
    access: ["patrol", "head"],
    summary: "Possible duplicates of a person",
    params: IdParams,
    response: z.object({ items: z.array(DuplicateSuggestion) }),
  }),
  merge: endpoint({
    method: "POST",
    path: "/api/people/:id/merge",
    tag: "people",
    access: ["head"],
    summary: "Merge this record into another; history is kept (merged_into_id)",
    params: IdParams,
    body: z.object({
      intoId: Id.describe("Record to keep"),
      version: z.number().int().positive().describe("Version of this record last seen"),
    }),
    response: PersonSummary,
  }),
  stationReads: endpoint({
    method: "GET",
    path: "/api/person-reads",
    tag: "people",
    access: ["head"],
    summary: "Who read identity of this station's people, through what and when (audit), newest first",
    query: z.object({
      stationId: Id.optional().describe("Station; defaults to the head's own"),
      limit: z.coerce.number().int().min(1).max(500).default(100).describe("Max rows (1..500)"),
      beforeId: z.coerce.number().int().positive().optional().describe("Rows older than this audit id (paging)"),
    }),
    response: z.object({ items: z.array(StationPersonRead.extend({ id: z.number().int().describe("Audit row id") })) }),
  }),
  reads: endpoint({
    method: "GET",
    path: "/api/people/:id/reads",
    tag: "people",
    access: ["head"],
    summary: "Who read this record and when (audit)",
    params: IdParams,
    response: z.object({ items: z.array(PersonRead) }),
  }),
  unidentified: endpoint({
    method: "GET",
    path: "/api/unidentified-encounters",
    tag: "people",
    access: ["patrol", "head", "admin"],
    summary: "People met without identity (encounters found, no person), newest first, paged",
    query: z.object({
      stationId: Id.optional().describe("One station (default: all in scope)"),
      limit: z.coerce.number().int().min(1).max(200).default(50).describe("Max rows (1..200)"),
      offset: z.coerce.number().int().min(0).max(100_000).default(0).describe("Rows to skip"),
    }),
    response: z.object({ items: z.array(UnidentifiedEncounter), total: z.number().int().describe("Rows matching") }),
  }),
  identify: endpoint({
    method: "POST",
    path: "/api/unidentified-encounters/:id/identify",
    tag: "people",
    access: ["patrol", "head"],
    summary: "Identify a person met: register a record from the encounter or link an existing one",
    params: IdParams,
    body: IdentifyEncounter,
    response: PersonSummary,
  }),
};
