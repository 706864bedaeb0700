import { z } from "zod";
import { endpoint } from "./endpoint.js";
import { Id, IdParams } from "./common.js";
import {
  CLOSINGS,
  CLUE_KINDS,
  DEADLINE_KINDS,
  NOTICE_CHANNELS,
  NOTICE_FIELDS,
  MATCH_REASON_CODES,
  STEP_KINDS,
} from "../identification.js";
import { PHOTO_TYPES } from "../identification-photo.js";

/**
 * The identification workbench (甄别寻亲) of a station's head and crews: a file per person with the
 * clues from conversations, the statutory steps and their deadlines from arrival, the closing, the
 * notice (寻亲公告), and partner-list matching. A file holds identity (names of relatives, places,
 * features), so only the station's crews and head reach it, and every answer showing it is audited
 * (person_reads, kind "identification").
 */

export const When = z.iso
  .datetime({ offset: true })
  .describe("ISO time it happened (entered after the fact: counted then); not in the future; defaults to now");

const DeadlineStatus = z.object({
  kind: z.enum(DEADLINE_KINDS).describe("Deadline"),
  dueAt: z.string().describe("ISO deadline, from arrival in the station's time zone"),
  doneAt: z.string().nullable().describe("ISO time the step was done (the settlement review: the file closed)"),
  state: z.enum(["done", "done_late", "open", "due", "overdue", "closed"]).describe("State now"),
});

const Clue = z.object({
  id: Id.describe("Clue id"),
  kind: z.enum(CLUE_KINDS).describe("What it is about"),
  text: z.string().describe("What was said or noticed"),
  who: z.string().describe("Who talked with the person"),
  at: z.string().describe("ISO time of the conversation"),
  recordedAt: z.string().describe("ISO time it was entered"),
});

const Step = z.object({
  id: Id.describe("Step id"),
  kind: z.enum(STEP_KINDS).describe("Step"),
  channel: z.enum(NOTICE_CHANNELS).nullable().describe("Where a notice ran"),
  outcome: z.string().describe("Outcome"),
  who: z.string().describe("Who did it"),
  at: z.string().describe("ISO time it was done"),
  recordedAt: z.string().describe("ISO time it was entered"),
});

/** A person's identification file. */
export const IdentificationFile = z.object({
  personId: Id.describe("Person"),
  stationId: Id.describe("Station"),
  label: z.string().describe("The person's name, or a masked label when unnamed"),
  identity: z
    .object({ name: z.string().nullable(), idNumber: z.string().nullable(), hometown: z.string().nullable() })
    .describe("Identity as recorded"),
  gender: z.enum(["male", "female", "unknown"]).nullable().describe("Gender"),
  approxAge: z.number().int().nullable().describe("Approximate age"),
  arrivedAt: z.string().describe("ISO arrival: the deadlines run from it"),
  heightCm: z.number().int().nullable().describe("Height, cm"),
  features: z.string().describe("Features (体貌特征)"),
  foundPlace: z.string().describe("Where found"),
  foundAt: z.string().nullable().describe("ISO time found"),
  noticeFields: z.array(z.enum(NOTICE_FIELDS)).describe("The notice's fields the head chose (empty: not chosen yet)"),
  closing: z.enum(CLOSINGS).nullable().describe("How the file closed; null while open"),
  closedAt: z.string().nullable().describe("ISO time it closed"),
  closingNote: z.string().describe("Note on the closing"),
  deadlines: z.array(DeadlineStatus).describe("Statutory deadlines and their state now"),
  clues: z.array(Clue).describe("Conversations and clues, oldest first"),
  steps: z.array(Step).describe("Steps, oldest first"),
  photo: z
    .object({
      consent: z
        .object({
          givenBy: z.string().describe("Who gave consent (the person, or their guardian)"),
          givenAt: z.string().describe("ISO time consent was given"),
          recordedBy: z.string().nullable().describe("User who recorded it"),
          recordedAt: z.string().describe("ISO time it was recorded"),
        })
        .nullable()
        .describe("Consent to a photo; null: none recorded (no photo may be kept)"),
      contentType: z.enum(PHOTO_TYPES).nullable().describe("The photo's type; null: no photo"),
      bytes: z.number().int().describe("The photo's size (0: none)"),
    })
    .describe("Photo and its consent (the image itself: GET …/photo, audited)"),
  version: z.number().int().describe("Version for optimistic locking"),
});
export type IdentificationFile = z.infer<typeof IdentificationFile>;

const FileFacts = z.object({
  heightCm: z.number().int().min(50).max(250).nullable().optional().describe("Height, cm"),
  features: z.string().trim().max(2000).optional().describe("Features (体貌特征)"),
  foundPlace: z.string().trim().max(200).optional().describe("Where found"),
  foundAt: When.nullable().optional(),
  noticeFields: z
    .array(z.enum(NOTICE_FIELDS))
    .max(NOTICE_FIELDS.length)
    .optional()
    .describe("The notice's fields the head chose, kept with the file"),
});

/** An open file in the station's list: no identity (a masked label), the deadlines only. */
const OpenFile = z.object({
  personId: Id.describe("Person"),
  stationId: Id.describe("Station"),
  label: z.string().describe("Masked label"),
  arrivedAt: z.string().describe("ISO arrival"),
  deadlines: z.array(DeadlineStatus).describe("Deadlines and their state now"),
});

/** The figures of the stations over report days. */
const IdentificationFiguresOut = z.object({
  familiesFound: z.number().int().describe("寻亲成功 (人), on the day it happened"),
  settled: z.number().int().describe("落户安置 (人)"),
  medianDaysToIdentification: z.number().nullable().describe("Median days arrival → family found"),
  pastDeadline: z.record(z.enum(DEADLINE_KINDS), z.number().int()).describe("People past each deadline now"),
  open: z.number().int().describe("Open files"),
});

const MatchCandidate = z.object({
  personId: Id.describe("Person of the registry"),
  label: z.string().describe("Their name or masked label"),
  identity: z
    .object({ name: z.string().nullable(), idNumber: z.string().nullable(), hometown: z.string().nullable() })
    .describe("Identity as recorded"),
  gender: z.string().nullable().describe("Gender"),
  approxAge: z.number().int().nullable().describe("Approximate age"),
  score: z.number().describe("0..1"),
  reasons: z.array(z.enum(MATCH_REASON_CODES)).describe("Why it is offered"),
  decision: z.enum(["confirmed", "rejected"]).nullable().describe("A head's decision already recorded"),
});

const MatchRowOut = z.object({
  row: z.number().int().describe("Row number in the file (header = 1)"),
  listed: z.record(z.string(), z.string()).describe("The row as listed"),
  candidates: z.array(MatchCandidate).describe("Best first"),
});

const ListRowIn = z.record(z.string(), z.string().max(200));

/** A province's deadlines (shared/identification.ts DeadlineRules). */
const DeadlineRulesIn = z.object({
  fingerprintHours: z.number().int().min(1).max(720).describe("Fingerprint check within, hours"),
  noticeHours: z.number().int().min(1).max(720).describe("Notice (寻亲公告) within, hours"),
  dnaRequestMonths: z.number().int().min(1).max(24).describe("DNA requested within, months"),
  settleReviewMonths: z.number().int().min(1).max(60).describe("Settlement (落户安置) review after, months"),
});

export const identificationApi = {
  setDeadlines: endpoint({
    method: "PUT",
    path: "/api/identification-deadlines/:id",
    tag: "identification",
    access: ["admin"],
    summary: "Set a province's identification deadlines (stations below it follow them; national rules elsewhere)",
    params: IdParams,
    body: DeadlineRulesIn,
    response: DeadlineRulesIn.extend({ regionId: Id.describe("Province") }),
  }),
  open: endpoint({
    method: "POST",
    path: "/api/identification/:id",
    tag: "identification",
    access: ["patrol", "head"],
    summary: "Open a person's identification file (a repeat returns it); deadlines run from arrival",
    params: IdParams,
    body: FileFacts.extend({
      arrivedAt: When.optional().describe(
        "ISO arrival; defaults to the person's first stay, else first encounter, else registration",
      ),
    }),
    response: IdentificationFile,
  }),
  get: endpoint({
    method: "GET",
    path: "/api/identification/:id",
    tag: "identification",
    access: ["patrol", "head"],
    summary: "A person's identification file (audited)",
    params: IdParams,
    response: IdentificationFile,
  }),
  update: endpoint({
    method: "PATCH",
    path: "/api/identification/:id",
    tag: "identification",
    access: ["patrol", "head"],
    summary:
      "Update the file's facts (height, features, where and when found, arrival) and the notice's chosen fields (head); dates after the fact",
    params: IdParams,
    body: FileFacts.extend({
      arrivedAt: When.optional().describe("ISO arrival, corrected after the fact (the deadlines follow it)"),
      version: z.number().int().positive().describe("Version last seen"),
    }),
    response: IdentificationFile,
  }),
  addClue: endpoint({
    method: "POST",
    path: "/api/identification/:id/clues",
    tag: "identification",
    access: ["patrol", "head"],
    summary: "Record a conversation or clue (idempotent by id)",
    params: IdParams,
    body: z.object({
      id: Id.describe("Client-generated UUID"),
      kind: z.enum(CLUE_KINDS).describe("What it is about"),
      text: z.string().trim().min(1).max(2000).describe("What was said or noticed"),
      who: z.string().trim().max(60).default("").describe("Who talked with the person"),
      at: When.optional(),
    }),
    response: IdentificationFile,
  }),
  addStep: endpoint({
    method: "POST",
    path: "/api/identification/:id/steps",
    tag: "identification",
    access: ["patrol", "head"],
    summary: "Record a statutory step with its date, who and outcome (idempotent by id)",
    params: IdParams,
    body: z
      .object({
        id: Id.describe("Client-generated UUID"),
        kind: z.enum(STEP_KINDS).describe("Step"),
        channel: z.enum(NOTICE_CHANNELS).optional().describe("Where a notice ran (required for notice_published)"),
        outcome: z.string().trim().max(1000).default("").describe("Outcome"),
        who: z.string().trim().max(60).default("").describe("Who did it"),
        at: When.optional(),
      })
      .superRefine((v, ctx) => {
        if (v.kind === "notice_published" && !v.channel)
          ctx.addIssue({ code: "custom", path: ["channel"], message: "where the notice ran is required" });
      }),
    response: IdentificationFile,
  }),
  close: endpoint({
    method: "POST",
    path: "/api/identification/:id/close",
    tag: "identification",
    access: ["head"],
    summary: "Close the file: family found, escorted home, picked up (寻亲成功, counted that day) or 落户安置",
    params: IdParams,
    body: z.object({
      closing: z.enum(CLOSINGS).describe("How it closed"),
      at: When.optional(),
      note: z.string().trim().max(1000).default("").describe("Note"),
      version: z.number().int().positive().describe("Version last seen"),
    }),
    response: IdentificationFile,
  }),
  notice: endpoint({
    method: "POST",
    path: "/api/identification/:id/notice",
    tag: "identification",
    access: ["head"],
    summary: "The family-search notice (寻亲公告) with only the chosen fields, as text and image-free HTML",
    params: IdParams,
    body: z.object({
      fields: z.array(z.enum(NOTICE_FIELDS)).min(1).max(NOTICE_FIELDS.length).describe("Fields to include"),
      lang: z.enum(["zh-CN", "en"]).default("zh-CN").describe("Language"),
    }),
    response: z.object({
      text: z.string().describe("Plain text"),
      html: z.string().describe("Image-free HTML for publication, A4 print styles"),
    }),
  }),
  list: endpoint({
    method: "GET",
    path: "/api/identification",
    tag: "identification",
    access: ["patrol", "head"],
    summary: "Open files of the stations with their deadlines (no identity), most overdue first",
    query: z.object({ stationId: Id.optional().describe("One station (default: all in scope)") }),
    response: z.object({ items: z.array(OpenFile) }),
  }),
  figures: endpoint({
    method: "GET",
    path: "/api/identification-figures",
    tag: "identification",
    access: ["head", "supervisor"],
    summary: "Families found (人), settled, median days to identification, people past each deadline",
    query: z.object({
      stationId: Id.optional().describe("One station (default: all in scope)"),
      from: z.iso.date().describe("First report day"),
      to: z.iso.date().optional().describe("Last report day (default: from)"),
    }),
    response: IdentificationFiguresOut,
  }),
  match: endpoint({
    method: "POST",
    path: "/api/identification-match",
    tag: "identification",
    access: ["head"],
    summary:
      "Match a partner's list (CSV text or an Excel .xlsx file) against the station's registry: ranked candidates with reasons (audited)",
    body: z
      .object({
        stationId: Id.describe("Station whose registry is searched"),
        listName: z.string().trim().min(1).max(100).describe("Name of the list, e.g. 市公安局走失人员 2026-11"),
        csv: z
          .string()
          .min(1)
          .max(2_000_000)
          .optional()
          .describe(
            "CSV with a header: name/姓名, idNumber/身份证号, gender/性别, age/年龄, hometown/籍贯, date/日期 (any subset); or xlsx",
          ),
        xlsx: z
          .string()
          .min(1)
          .max(1_000_000)
          .regex(/^[A-Za-z0-9+/]*={0,2}$/, "base64")
          .optional()
          .describe("An Excel .xlsx file, base64: its first sheet with the same header as the CSV; or csv"),
      })
      .superRefine((v, ctx) => {
        if (!v.csv === !v.xlsx)
          ctx.addIssue({ code: "custom", path: ["csv"], message: "give the list as csv or as xlsx, one of the two" });
      }),
    response: z.object({ rows: z.number().int().describe("Rows read"), items: z.array(MatchRowOut) }),
  }),
  decide: endpoint({
    method: "POST",
    path: "/api/identification-match/decisions",
    tag: "identification",
    access: ["head"],
    summary: "Confirm or reject a candidate (logged; nothing is merged)",
    body: z.object({
      id: Id.describe("Client-generated UUID"),
      stationId: Id.describe("Station"),
      listName: z.string().trim().min(1).max(100).describe("List"),
      row: z.number().int().min(2).describe("Row number"),
      personId: Id.describe("Candidate"),
      listed: ListRowIn.describe("The row as listed"),
      score: z.number().min(0).max(1).describe("Score offered"),
      reasons: z.array(z.enum(MATCH_REASON_CODES)).max(20).describe("Reasons offered"),
      decision: z.enum(["confirmed", "rejected"]).describe("Decision"),
      note: z.string().trim().max(1000).default("").describe("Note"),
    }),
    response: z.object({ ok: z.literal(true), decision: z.enum(["confirmed", "rejected"]) }),
  }),
};
