import { z } from "zod";
import { endpoint } from "./endpoint.js";
import { refuseNullIsland } from "./common.js";

/**
 * Open311 GeoReport v2 (https://wiki.open311.org/GeoReport_v2), JSON format only, for partner
 * systems (e.g. a city hotline's system) to file reports into the same intake queue as the duty
 * room, and for anyone to read them back.
 *
 * - GET  /open311/v2/services.json           the service list (public)
 * - POST /open311/v2/requests.json           file a request; needs a partner `api_key` (403 otherwise);
 *                                            form-encoded (as the spec says) or JSON
 * - GET  /open311/v2/requests.json           requests filed through Open311 (public)
 * - GET  /open311/v2/requests/{id}.json      one request (public)
 *
 * Privacy: the public GETs never reveal a person's exact place (lat/long rounded to 3 decimals,
 * about 100 m; no address) nor any personal detail (no description, names, phone, e-mail).
 * Errors follow the spec's shape: an array `[{ code, description }]` where `code` is the HTTP status.
 * These paths are not under /api (the spec fixes them); they are declared below like every other
 * endpoint, so the OpenAPI document, the role matrix and the hostile-input tests cover them too.
 */

/** The one service partners report: a person sleeping rough or in distress in the cold. */
export const OPEN311_SERVICE_CODE = "rough_sleeper";

/** A service in GET services.json. */
export const Open311ServiceDef = z.object({
  service_code: z.string().describe("Unique service code"),
  service_name: z.string().describe("Human-readable name"),
  description: z.string().describe("What the service is for"),
  metadata: z.boolean().describe("True when the service has extra attributes (none here)"),
  type: z.enum(["realtime", "batch", "blackbox"]).describe("realtime: the request id is returned at once"),
  keywords: z.string().describe("Comma-separated keywords"),
  group: z.string().describe("Group of services"),
});
export type Open311ServiceDef = z.infer<typeof Open311ServiceDef>;

const num = (name: string, min: number, max: number) =>
  z
    .preprocess((v) => (typeof v === "string" && v.trim() !== "" ? Number(v) : v), z.number().min(min).max(max))
    .describe(name);
const text = (max: number) => z.string().trim().max(max).optional();

/**
 * POST requests.json input, after form or JSON decoding. Position is required here (the person must
 * be found); the spec's address-only option is refused with 400 because intake needs coordinates.
 */
export const Open311RequestCreate = z
  .object({
    api_key: z.string().min(1).max(200).describe("Partner api key"),
    jurisdiction_id: text(100).describe("Ignored: one jurisdiction"),
    service_code: z.literal(OPEN311_SERVICE_CODE).describe("Service code from services.json"),
    lat: num("Latitude, WGS-84", -90, 90),
    long: num("Longitude, WGS-84", -180, 180),
    address_string: text(200).describe("Place as described"),
    address_id: text(100).describe("Ignored"),
    email: text(200).describe("Reporter e-mail (stored as caller contact, never published)"),
    device_id: text(100).describe("Ignored"),
    account_id: text(100).describe("Ignored"),
    first_name: text(64).describe("Reporter first name (never published)"),
    last_name: text(64).describe("Reporter last name (never published)"),
    phone: z
      .string()
      .trim()
      .max(32)
      .regex(/^[0-9+\-() ]*$/, "digits, spaces, + - ( ) only")
      .optional()
      .describe("Reporter phone (never published)"),
    description: text(2000).describe("What was seen"),
    media_url: text(500).describe("Ignored"),
  })
  .superRefine(refuseNullIsland("lat", "long"));
export type Open311RequestCreate = z.infer<typeof Open311RequestCreate>;

/** One element of the POST response array. */
export const Open311Created = z.object({
  service_request_id: z.string().describe("Id of the new request"),
  service_notice: z.string().describe("Notice to the reporter"),
  account_id: z.string().nullable().describe("Always null"),
});
export type Open311Created = z.infer<typeof Open311Created>;

/** A request as the public GETs show it: place rounded, nothing personal. */
export const Open311Request = z.object({
  service_request_id: z.string().describe("Request id"),
  status: z.enum(["open", "closed"]).describe("open while the case is active"),
  status_notes: z.string().describe("Short status in words (e.g. dispatched, on scene, merged)"),
  service_name: z.string().describe("Service name"),
  service_code: z.string().describe("Service code"),
  agency_responsible: z.string().describe("Station responsible"),
  service_notice: z.string().describe("Notice"),
  requested_datetime: z.string().describe("When the request was filed (ISO 8601)"),
  updated_datetime: z.string().describe("Last change of its case (ISO 8601)"),
  lat: z.number().describe("Latitude rounded to 3 decimals (~100 m)"),
  long: z.number().describe("Longitude rounded to 3 decimals (~100 m)"),
});
export type Open311Request = z.infer<typeof Open311Request>;

/** GET requests.json query. */
export const Open311RequestQuery = z.object({
  service_request_id: z.string().max(2000).optional().describe("Comma-separated ids"),
  service_code: z.string().max(100).optional(),
  status: z.enum(["open", "closed"]).optional(),
  start_date: z.iso.datetime({ offset: true }).optional(),
  end_date: z.iso.datetime({ offset: true }).optional(),
  jurisdiction_id: z.string().max(100).optional(),
});
export type Open311RequestQuery = z.infer<typeof Open311RequestQuery>;

/** The spec's error shape (one array element per problem). */
export const Open311Error = z.object({
  code: z.number().int().describe("HTTP status"),
  description: z.string().describe("What went wrong; names the field for 400"),
});
export type Open311Error = z.infer<typeof Open311Error>;

/** Rounds a coordinate for publication: 3 decimals is about 100 m. */
export function roundPublic(deg: number): number {
  return Math.round(deg * 1000) / 1000;
}

/** Open311 GeoReport v2 endpoints (public; errors in the spec's array shape). */
export const open311Api = {
  services: endpoint({
    method: "GET",
    path: "/open311/v2/services.json",
    tag: "open311",
    access: "public",
    errors: "open311",
    summary: "Open311: the service list",
    response: z.array(Open311ServiceDef),
  }),
  create: endpoint({
    method: "POST",
    path: "/open311/v2/requests.json",
    tag: "open311",
    access: "public",
    errors: "open311",
    status: 201,
    summary:
      "Open311: file a request (partner api_key required: 403 before any field is checked); form-encoded or JSON",
    body: Open311RequestCreate,
    bodyEncoding: "json-or-form",
    rawBody: true,
    response: z.array(Open311Created),
  }),
  list: endpoint({
    method: "GET",
    path: "/open311/v2/requests.json",
    tag: "open311",
    access: "public",
    errors: "open311",
    summary: "Open311: requests filed through Open311 (place rounded to ~100 m, nothing personal)",
    query: Open311RequestQuery,
    response: z.array(Open311Request),
  }),
  get: endpoint({
    method: "GET",
    path: "/open311/v2/requests/:file",
    tag: "open311",
    access: "public",
    errors: "open311",
    summary: "Open311: one request; {file} is the request id followed by .json (the only format served)",
    params: z.object({ file: z.string().max(200).describe("Request id followed by .json") }),
    response: z.array(Open311Request),
  }),
};
