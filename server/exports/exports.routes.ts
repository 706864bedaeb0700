import type { Hono } from "hono";
import { stream } from "hono/streaming";
import { z } from "zod";
import { TotalsQuery } from "../../shared/api/totals.js";
import { Id } from "../../shared/api/common.js";
import type { AppEnv } from "../http/context.js";
import { unauthenticated, validationError } from "../http/errors.js";
import type { Services } from "../services.js";

/** Query of an export: the totals filters plus campaign and language. */
const ExportQuery = z.object({ campaignId: Id, lang: z.enum(["zh-CN", "en"]).default("zh-CN") }).and(TotalsQuery);

/**
 * CSV downloads. They are plain routes, not JSON endpoints: the body is a file. The records export
 * streams page by page and sends X-Total-Rows first, so the page can show progress.
 */
export function exportsRoutes(app: Hono<AppEnv>, s: Services): void {
  const parse = (q: Record<string, string>) => {
    const r = ExportQuery.safeParse(q);
    if (!r.success) throw validationError("query", r.error);
    return r.data;
  };
  app.get("/api/exports/totals.csv", async (c) => {
    const user = c.get("user");
    if (!user) throw unauthenticated();
    const q = parse(c.req.query());
    const csv = await s.exports.totalsCsv(user, q.campaignId, q, q.lang);
    return c.body(csv, 200, {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="totals-${q.from ?? "start"}-${q.to ?? "today"}.csv"`,
    });
  });
  app.get("/api/exports/totals.xlsx", async (c) => {
    const user = c.get("user");
    if (!user) throw unauthenticated();
    const q = parse(c.req.query());
    const file = await s.exports.totalsXlsx(user, q.campaignId, q, q.lang);
    return c.body(new Uint8Array(file), 200, {
      "content-type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
      "content-disposition": `attachment; filename="totals-${q.from ?? "start"}-${q.to ?? "today"}.xlsx"`,
    });
  });
  app.get("/api/exports/encounters.csv", async (c) => {
    const user = c.get("user");
    if (!user) throw unauthenticated();
    const q = parse(c.req.query());
    const { total, chunks } = await s.exports.encountersCsv(user, q.campaignId, q, q.lang);
    c.header("content-type", "text/csv; charset=utf-8");
    c.header("content-disposition", `attachment; filename="encounters-${q.from ?? "start"}-${q.to ?? "today"}.csv"`);
    c.header("x-total-rows", String(total));
    c.header("access-control-expose-headers", "x-total-rows");
    return stream(c, async (out) => {
      for await (const chunk of chunks) await out.write(chunk);
    });
  });
}
