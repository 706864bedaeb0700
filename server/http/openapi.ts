import { z } from "zod";
import type { Endpoint } from "../../shared/api/endpoint.js";
import { ErrorBody } from "../../shared/errors.js";
import { Open311Error } from "../../shared/api/open311.js";
import { ERROR_DESCRIPTIONS, errorStatuses } from "./error-statuses.js";

type JsonSchema = Record<string, unknown> & { properties?: Record<string, unknown>; required?: string[] };

function toSchema(schema: z.ZodType, io: "input" | "output"): JsonSchema {
  const s = z.toJSONSchema(schema, { io, unrepresentable: "any", target: "draft-2020-12" }) as JsonSchema;
  delete s.$schema;
  return s;
}

function parameters(schema: z.ZodType | undefined, where: "path" | "query") {
  if (!schema) return [];
  const s = toSchema(schema, "input");
  return Object.entries(s.properties ?? {}).map(([name, prop]) => ({
    name,
    in: where,
    required: where === "path" || (s.required ?? []).includes(name),
    schema: prop,
    description: (prop as { description?: string }).description,
  }));
}

/** Builds the OpenAPI 3.1 document from the declared endpoints: the zod schemas are the source. */
export function buildOpenApi(groups: Record<string, Record<string, Endpoint>>, version: string) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const [group, eps] of Object.entries(groups)) {
    for (const [name, ep] of Object.entries(eps)) {
      const path = ep.path.replace(/:([A-Za-z_]+)/g, "{$1}");
      const errors = {
        content: {
          "application/json": {
            schema: { $ref: `#/components/schemas/${ep.errors === "open311" ? "Open311Error" : "Error"}` },
          },
        },
      };
      // A file endpoint documents its media type and the progress header instead of a JSON body.
      const success = ep.produces
        ? {
            description: "The file (sent as it is produced)",
            headers: {
              "X-Total-Rows": {
                description: "Data rows in the file, sent before the body",
                schema: { type: "integer" },
              },
            },
            content: { [ep.produces]: { schema: { type: "string", format: "binary" } } },
          }
        : { description: "Success", content: { "application/json": { schema: toSchema(ep.response, "output") } } };
      const op: Record<string, unknown> = {
        operationId: `${group}.${name}`,
        summary: ep.summary,
        tags: [ep.tag],
        description:
          ep.access === "public"
            ? "No session needed."
            : ep.access === "any"
              ? "Any signed-in user."
              : `Roles: ${ep.access.join(", ")}.`,
        parameters: [...parameters(ep.params, "path"), ...parameters(ep.query, "query")],
        responses: {
          [String(ep.status ?? 200)]: success,
          ...Object.fromEntries(
            errorStatuses(ep).map((st) => [String(st), { description: ERROR_DESCRIPTIONS[st], ...errors }]),
          ),
        },
      };
      if (ep.body) {
        const schema = toSchema(ep.body, "input");
        op.requestBody = {
          required: true,
          content:
            ep.bodyEncoding === "json-or-form"
              ? { "application/x-www-form-urlencoded": { schema }, "application/json": { schema } }
              : { "application/json": { schema } },
        };
      }
      if (ep.partnerKey) op.security = [{ open311_api_key: [] }];
      else if (ep.access === "public") op.security = [];
      (paths[path] ??= {})[ep.method.toLowerCase()] = op;
    }
  }
  return {
    openapi: "3.1.0",
    info: { title: "Warmline street-outreach and relief dispatch API", version },
    // Relative: the document is served by the server it describes, whatever address it is reached at.
    servers: [{ url: "/", description: "This server" }],
    paths,
    components: {
      schemas: { Error: toSchema(ErrorBody, "output"), Open311Error: toSchema(z.array(Open311Error), "output") },
      securitySchemes: {
        session: { type: "apiKey", in: "cookie", name: "wl_session" },
        open311_api_key: {
          type: "apiKey",
          in: "query",
          name: "api_key",
          description:
            "Open311 partner key; sent as the api_key form field (as GeoReport v2 clients do) or in the query",
        },
      },
    },
    security: [{ session: [] }],
  };
}
