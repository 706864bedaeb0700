import { createHash } from "node:crypto";
import {
  IMPORT_COLUMNS,
  type ImportCommit,
  type ImportFile,
  type ImportKind,
  type ImportOutcome,
  type ImportProblem,
} from "../../shared/api/imports.js";
import type { FileBody } from "../../shared/api/endpoint.js";
import type { Db, DbOrTx } from "../db/client.js";
import type { EventLog } from "../events/event-log.js";
import type { SessionUser } from "../auth/session-user.js";
import { requireRole } from "../auth/policy.js";
import { AppError } from "../http/errors.js";
import { IMPORT_SPECS } from "./import-kinds.js";
import { readSheet, templateHeader } from "./sheet.js";
import * as repo from "./imports.repo.js";
import { dayStart } from "../../shared/counting.js";

/** A CSV cell, quoted when it must be. */
const csvCell = (s: string) => (/[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

/** What checking a file found: its rows' create inputs and what each would do. */
interface Plan {
  outcome: ImportOutcome;
  toCreate: unknown[];
}

/**
 * Spreadsheet imports (admin). A file is checked as a whole against the database: every bad row is
 * reported; an import writes every new row in one transaction, with an event each, or nothing.
 */
export class ImportsService {
  constructor(
    private readonly db: Db,
    private readonly log: EventLog,
    private readonly timeZone = "Asia/Shanghai",
    private readonly reportDayStart = "00:00",
  ) {}

  /** The CSV template of a kind: bilingual header row and one example row, UTF-8 with BOM for Excel. */
  template(user: SessionUser, kind: ImportKind): FileBody {
    requireRole(user, ["admin"]);
    const cols = IMPORT_COLUMNS[kind];
    const lines = [
      cols.map((c) => csvCell(templateHeader(c))).join(","),
      cols.map((c) => csvCell(c.example)).join(","),
    ];
    return { filename: `${kind}-template.csv`, body: `\uFEFF${lines.join("\r\n")}\r\n` };
  }

  /** Checks a file and reports what importing it would do; writes nothing. */
  async preview(user: SessionUser, kind: ImportKind, file: ImportFile): Promise<ImportOutcome> {
    requireRole(user, ["admin"]);
    return (await this.plan(this.db, kind, file)).outcome;
  }

  /**
   * Imports a previewed file: checked again inside the transaction (under the table's lock), then
   * every new row written with its event. Any problem refuses the whole file (400 IMPORT_INVALID,
   * the problems as issues `rows.<row>.<column>`).
   */
  async commit(user: SessionUser, kind: ImportKind, input: ImportCommit): Promise<ImportOutcome> {
    requireRole(user, ["admin"]);
    const { checksum, ...file } = input;
    if (sha256(file.content) !== checksum) {
      throw new AppError(409, "CONFLICT", "body.checksum: the file is not the one previewed; preview it again", [
        { path: "body.checksum", message: "does not match the file" },
      ]);
    }
    const spec = IMPORT_SPECS[kind];
    return this.log.transact(async (tx, record) => {
      await repo.lockForImport(tx, spec.table);
      const { outcome, toCreate } = await this.plan(tx, kind, file);
      if (outcome.problems.length) throw invalid(outcome.problems);
      for (const value of toCreate) {
        if (!(await spec.insert(tx, value, record, user.id))) {
          throw new AppError(
            409,
            "CONFLICT",
            `${spec.identityField}: a record was added meanwhile; preview the file again`,
          );
        }
      }
      return outcome;
    });
  }

  private async plan(db: DbOrTx, kind: ImportKind, file: ImportFile): Promise<Plan> {
    const bytes = Buffer.from(file.content, "base64");
    const checksum = sha256(file.content);
    const sheet = await readSheet(kind, file.format, bytes);
    const outcome: ImportOutcome = {
      kind,
      checksum,
      rows: sheet.rows.length,
      created: 0,
      unchanged: 0,
      problems: [...sheet.problems],
    };
    if (sheet.problems.length) return { outcome, toCreate: [] };
    const spec = IMPORT_SPECS[kind];
    const ctx = {
      stationIdByCode: await repo.stationIdsByCode(db),
      regionIdByName: await repo.regionIdsByName(db),
      dayStart: (day: string) => dayStart(day, this.timeZone, this.reportDayStart),
    };
    const read: { row: number; value: unknown }[] = [];
    for (const row of sheet.rows) {
      const r = spec.read(row, ctx);
      if (r.value !== undefined && !r.problems.length) read.push({ row: row.row, value: r.value });
      outcome.problems.push(...r.problems);
    }
    const stored = await spec.stored(
      db,
      read.map((r) => r.value),
    );
    const firstRow = new Map<string, number>();
    const toCreate: unknown[] = [];
    for (const { row, value } of read) {
      const id = spec.identity(value);
      const earlier = firstRow.get(id);
      if (earlier !== undefined) {
        outcome.problems.push({ row, field: spec.identityField, message: `same record as row ${earlier}` });
        continue;
      }
      firstRow.set(id, row);
      const same = stored.get(id);
      if (!same) {
        toCreate.push(value);
        outcome.created++;
      } else if (same(value)) outcome.unchanged++;
      else
        outcome.problems.push({
          row,
          field: spec.identityField,
          message: "exists already with other values; change it on its tab",
        });
    }
    outcome.problems.sort((a, b) => a.row - b.row);
    return { outcome, toCreate };
  }
}

/** SHA-256 of the file, from its base64 text (the bytes decoded once by whoever compares). */
function sha256(base64: string): string {
  return createHash("sha256").update(Buffer.from(base64, "base64")).digest("hex");
}

function invalid(problems: ImportProblem[]): AppError {
  const first = problems[0]!;
  const more = problems.length > 1 ? ` (and ${problems.length - 1} more)` : "";
  return new AppError(
    400,
    "IMPORT_INVALID",
    `row ${first.row}, ${first.field}: ${first.message}${more}`,
    problems.map((p) => ({ path: `rows.${p.row}.${p.field}`, message: p.message })),
  );
}
