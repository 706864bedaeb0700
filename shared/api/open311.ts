import { z } from "zod";
import { endpoint, type XmlShape } from "./endpoint.js";
import { refuseNullIsland } from "./common.js";

/**
 * Open311 GeoReport v2 (https://wiki.open311.org/GeoReport_v2) for partner systems (e.g. a city
 * hotline's system) to file reports into the same intake queue as the duty room, and for anyone to
 * read them back. Every endpoint answers XML (the format the spec requires) and JSON, chosen by the
 * path's extension (`services.xml`, `requests/{id}.json`); errors come in the same format.
 *
 * - GET  /open311/discovery.{format}                   where the endpoints are, which formats
 * - GET  /open311/v2/services.{format}                 the service list
 * - GET  /open311/v2/services/{service_code}.{format}  a service definition (404 for unknown codes)
 * - POST /open311/v2/requests.{format}                 file a request; needs a partner `api_key` (403
 *                                                      otherwise); form-encoded (as the spec says) or JSON
 * - GET  /open311/v2/requests.{format}                 requests filed through Open311
 * - GET  /open311/v2/requests/{id}.{format}            one request
 * - GET  /open311/v2/tokens/{token}.{format}           the request id behind a token
 *
 * Privacy: the public GETs never reveal a person's exact place (lat/long rounded to 3 decimals,
 * about 100 m; no address) nor any personal detail (description, names, phone, e-mail are null).
 * An empty parameter counts as absent, as clients send every form field they have.
 */

/** The one service partners report: a person sleeping rough or in distress in the cold. */
export const OPEN311_SERVICE_CODE = "rough_sleeper";

/** Formats served; the path's extension chooses. */
const OPEN311_FORMATS = ["json", "xml"] as const;
type Open311Format = (typeof OPEN311_FORMATS)[number];
const format = z.enum(OPEN311_FORMATS).describe("Response format: xml (the spec's required format) or json");

/** "" → absent: GeoReport clients send every field of their form, empty or not. */
export const blankToAbsent = (v: unknown) => (v === "" ? undefined : v);
const optional = <T extends z.ZodType>(s: T) => z.preprocess(blankToAbsent, s.optional());
/** A comma-separated list ("open,closed"), trimmed, empty items dropped. */
const commaList = <T extends z.ZodType>(item: T, what: string) =>
  z
    .preprocess(
      (v) =>
        typeof v === "string" && v.trim() !== ""
          ? v
              .split(",")
              .map((s) => s.trim())
              .filter(Boolean)
          : undefined,
      z.array(item).max(200).optional(),
    )
    .describe(`${what} (comma-separated list)`);

/** A service in services.{format}: root `services`, each `service`. */
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

/** A service definition: root `service_definition`; this service has no extra attributes. */
export const Open311ServiceDefinition = z.object({
  service_code: z.string(),
  attributes: z.array(
    z.object({
      variable: z.boolean(),
      code: z.string(),
      datatype: z.string(),
      required: z.boolean(),
      datatype_description: z.string(),
      order: z.number().int(),
      description: z.string(),
      values: z.array(z.object({ key: z.string(), name: z.string() })),
    }),
  ),
});
export type Open311ServiceDefinition = z.infer<typeof Open311ServiceDefinition>;

/** Discovery: root `discovery`, endpoints > endpoint, formats > format. */
export const Open311Discovery = z.object({
  changeset: z.string().describe("When the endpoints last changed (ISO 8601)"),
  contact: z.string(),
  key_service: z.string().describe("How partners get an api_key"),
  endpoints: z.array(
    z.object({
      specification: z.string(),
      url: z.string(),
      changeset: z.string(),
      type: z.enum(["production", "test"]),
      formats: z.array(z.string()).describe("Media types served"),
    }),
  ),
});
export type Open311Discovery = z.infer<typeof Open311Discovery>;

const num = (name: string, min: number, max: number) =>
  z
    .preprocess((v) => (typeof v === "string" && v.trim() !== "" ? Number(v) : v), z.number().min(min).max(max))
    .describe(name);
const text = (max: number) => z.string().trim().max(max).optional();

/** Longest description accepted (the spec's 4,000 characters). */
const OPEN311_DESCRIPTION_MAX = 4000;

/**
 * POST requests.{format} input, after form or JSON decoding and dropping empty fields. Position is
 * required here (the person must be found); the spec's address-only option is refused with 400
 * because intake needs coordinates. An unknown service_code is 404, as the spec says.
 */
export const Open311RequestCreate = z
  .object({
    api_key: z.string().min(1).max(200).describe("Partner api key"),
    jurisdiction_id: text(100).describe("Ignored: one jurisdiction"),
    service_code: z.string().trim().min(1).max(100).describe("Service code from services.{format}"),
    lat: num("Latitude, WGS-84", -90, 90),
    long: num("Longitude, WGS-84", -180, 180),
    address_string: text(200).describe("Place as described"),
    address_id: text(100).describe("Ignored"),
    email: text(200).describe("Reporter e-mail (stored as caller contact, never published)"),
    device_id: text(100).describe("Ignored"),
    account_id: text(100).describe("Ignored"),
    first_name: text(64).describe("Reporter first name (never published)"),
    last_name: text(64).describe("Reporter last name (never published)"),
    phone: text(64).describe("Reporter phone, free text such as '0451 8888 1234 ext. 12' (never published)"),
    description: text(OPEN311_DESCRIPTION_MAX).describe("What was seen"),
    media_url: text(500).describe("Ignored"),
  })
  .superRefine(refuseNullIsland("lat", "long"));
export type Open311RequestCreate = z.infer<typeof Open311RequestCreate>;

/** One element of the POST response: root `service_requests`, each `request`. */
export const Open311Created = z.object({
  service_request_id: z.string().describe("Id of the request (the first one when the same report is resent)"),
  token: z.string().describe("Token for tokens/{token}; the same as the id (requests are realtime)"),
  service_notice: z.string().describe("Notice to the reporter"),
  account_id: z.string().nullable().describe("Always null"),
});
export type Open311Created = z.infer<typeof Open311Created>;

/** A token lookup answer: root `service_requests`, each `request`. */
const Open311TokenAnswer = z.object({ service_request_id: z.string(), token: z.string() });

/** A request as the public GETs show it: place rounded, nothing personal (those elements are null). */
export const Open311Request = z.object({
  service_request_id: z.string().describe("Request id"),
  status: z.enum(["open", "closed"]).describe("open while the case is active"),
  status_notes: z.string().describe("The case's latest step in words (dispatched, on scene, merged, closed)"),
  service_name: z.string().describe("Service name"),
  service_code: z.string().describe("Service code"),
  description: z.null().describe("Never published (personal detail)"),
  agency_responsible: z.string().describe("Station responsible"),
  service_notice: z.string().describe("Notice"),
  requested_datetime: z.string().describe("When the request was filed (ISO 8601)"),
  updated_datetime: z.string().describe("Last change of its case (ISO 8601)"),
  expected_datetime: z.null().describe("Not estimated"),
  address: z.null().describe("Never published (the place is rounded instead)"),
  address_id: z.null(),
  zipcode: z.null(),
  lat: z.number().describe("Latitude rounded to 3 decimals (~100 m)"),
  long: z.number().describe("Longitude rounded to 3 decimals (~100 m)"),
  media_url: z.null(),
});
export type Open311Request = z.infer<typeof Open311Request>;

/** GET requests.{format} query; service_request_id, when given, overrides every other filter. */
export const Open311RequestQuery = z.object({
  service_request_id: commaList(z.string().max(100), "Request ids; overrides the other filters"),
  service_code: commaList(z.string().max(100), "Service codes"),
  status: commaList(z.enum(["open", "closed"]), "Statuses: open, closed"),
  start_date: optional(z.iso.datetime({ offset: true })),
  end_date: optional(z.iso.datetime({ offset: true })),
  jurisdiction_id: optional(z.string().max(100)),
});
export type Open311RequestQuery = z.infer<typeof Open311RequestQuery>;

/** The spec's error shape (root `errors`, each `error`). */
export const Open311Error = z.object({
  code: z.number().int().describe("HTTP status"),
  description: z.string().describe("What went wrong; names the field for 400"),
});
export type Open311Error = z.infer<typeof Open311Error>;
/** XML element names of an error answer. */
export const OPEN311_ERROR_XML: XmlShape = { root: "errors", item: "error" };

/** Rounds a coordinate for publication: 3 decimals is about 100 m. */
export function roundPublic(deg: number): number {
  return Math.round(deg * 1000) / 1000;
}

const REQUESTS_XML: XmlShape = { root: "service_requests", item: "request" };
const common = { tag: "open311", access: "public", errors: "open311" } as const;

/** Open311 GeoReport v2 endpoints (public; the partner key is checked by the service on POST). */
export const open311Api = {
  discovery: endpoint({
    ...common,
    method: "GET",
    path: "/open311/discovery.:format",
    summary: "Open311: discovery (endpoints, formats, where to get a key)",
    params: z.object({ format }),
    response: Open311Discovery,
    xml: { root: "discovery", lists: { endpoints: "endpoint", formats: "format" } },
  }),
  services: endpoint({
    ...common,
    method: "GET",
    path: "/open311/v2/services.:format",
    summary: "Open311: the service list",
    params: z.object({ format }),
    response: z.array(Open311ServiceDef),
    xml: { root: "services", item: "service" },
  }),
  definition: endpoint({
    ...common,
    method: "GET",
    path: "/open311/v2/services/:service_code.:format",
    summary: "Open311: a service definition (404 for an unknown service_code)",
    params: z.object({ service_code: z.string().max(100), format }),
    response: Open311ServiceDefinition,
    xml: { root: "service_definition", lists: { attributes: "attribute", values: "value" } },
  }),
  create: endpoint({
    ...common,
    method: "POST",
    path: "/open311/v2/requests.:format",
    status: 201,
    summary:
      "Open311: file a request (partner api_key: 403 before any field is checked; unknown service_code: 404); " +
      "the same report resent by the same partner answers the first request's id",
    params: z.object({ format }),
    body: Open311RequestCreate,
    bodyEncoding: "json-or-form",
    rawBody: true,
    partnerKey: true,
    response: z.array(Open311Created),
    xml: REQUESTS_XML,
  }),
  list: endpoint({
    ...common,
    method: "GET",
    path: "/open311/v2/requests.:format",
    summary: "Open311: requests filed through Open311 (place rounded to ~100 m, nothing personal)",
    params: z.object({ format }),
    query: Open311RequestQuery,
    response: z.array(Open311Request),
    xml: REQUESTS_XML,
  }),
  get: endpoint({
    ...common,
    method: "GET",
    path: "/open311/v2/requests/:id.:format",
    summary: "Open311: one request",
    params: z.object({ id: z.string().max(200).describe("Request id"), format }),
    response: z.array(Open311Request),
    xml: REQUESTS_XML,
  }),
  token: endpoint({
    ...common,
    method: "GET",
    path: "/open311/v2/tokens/:token.:format",
    summary: "Open311: the request id behind a token",
    params: z.object({ token: z.string().max(200), format }),
    response: z.array(Open311TokenAnswer),
    xml: REQUESTS_XML,
  }),
};
