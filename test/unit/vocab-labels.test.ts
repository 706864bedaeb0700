import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { VOCAB_LABELS, vocabLabel, type VocabLang, type VocabName } from "../../shared/vocab-labels.js";
import { ALERT_LEVELS, CONDITION_FLAGS, ENCOUNTER_OUTCOMES, URGENCIES } from "../../shared/vocab.js";
import { ASSIGNMENT_STATUSES, CASE_STATUSES, VEHICLE_STATUSES } from "../../shared/machines.js";
import { REPORTER_OUTCOMES } from "../../shared/reporter-outcome.js";

/**
 * One vocabulary: every code (urgency, condition, outcome, task / vehicle / case status) has one
 * label per language, in shared/vocab-labels.ts. This fails when a locale table or a literal map
 * anywhere in the code labels a code differently, so the phone, the duty room, the station page,
 * print and exports can never drift apart again (一般 meant "medium" on the phone and "low" in the
 * duty room before).
 */
const root = new URL("../../", import.meta.url).pathname;
const names = Object.keys(VOCAB_LABELS) as VocabName[];
const codesOf = (n: VocabName) => Object.keys(VOCAB_LABELS[n]);

function files(dir: string, out: string[] = []): string[] {
  for (const f of readdirSync(dir)) {
    const p = join(dir, f);
    if (statSync(p).isDirectory()) files(p, out);
    else if (/\.tsx?$/.test(f)) out.push(p);
  }
  return out;
}

/** Every object nested in `v` whose keys look like one vocabulary's codes (three or more of them). */
function labelTables(v: unknown, path: string, out: { path: string; table: Record<string, unknown> }[] = []) {
  if (!v || typeof v !== "object") return out;
  const keys = Object.keys(v);
  if (keys.length >= 3 && names.some((n) => keys.every((k) => codesOf(n).includes(k))))
    out.push({ path, table: v as Record<string, unknown> });
  for (const [k, x] of Object.entries(v)) labelTables(x, `${path}.${k}`, out);
  return out;
}

describe("one vocabulary", () => {
  it("covers every code of every vocabulary in both languages", () => {
    const expected: Record<VocabName, readonly string[]> = {
      urgency: URGENCIES,
      condition: CONDITION_FLAGS,
      alertLevel: ALERT_LEVELS,
      outcome: ENCOUNTER_OUTCOMES,
      taskStatus: ASSIGNMENT_STATUSES,
      vehicleStatus: VEHICLE_STATUSES,
      caseStatus: CASE_STATUSES,
      reporterOutcome: REPORTER_OUTCOMES,
    };
    for (const n of names) {
      expect(codesOf(n).sort(), n).toEqual([...expected[n]].sort());
      for (const c of codesOf(n))
        for (const l of ["zh-CN", "en"] as const) expect(vocabLabel(n, c, l), `${n}.${c}`).toBeTruthy();
    }
    // Within a vocabulary, two codes never share a label (一般 is one urgency only).
    for (const n of names)
      for (const l of ["zh-CN", "en"] as const) {
        const labels = codesOf(n).map((c) => vocabLabel(n, c, l));
        expect(new Set(labels).size, `${n} ${l}`).toBe(labels.length);
      }
    expect(vocabLabel("urgency", "low", "zh-CN")).toBe("一般");
    expect(vocabLabel("outcome", "street_aid", "zh-CN")).toBe("站外救助");
  });

  it("every label table in the locale files agrees with shared/vocab-labels.ts", async () => {
    let seen = 0;
    for (const lang of ["zh-CN", "en"] as VocabLang[]) {
      const dir = join(root, "web/src/i18n/locales", lang);
      for (const f of readdirSync(dir)) {
        const mod = (await import(join(dir, f))) as Record<string, unknown>;
        for (const { path, table } of labelTables(mod, `${lang}/${f}`)) {
          seen++;
          const agrees = names.some(
            (n) =>
              Object.keys(table).every((k) => codesOf(n).includes(k)) &&
              Object.entries(table).every(([c, label]) => label === vocabLabel(n, c, lang)),
          );
          expect(agrees, `${path} = ${JSON.stringify(table)}`).toBe(true);
        }
      }
    }
    expect(seen, "the locale files have urgency, condition, outcome and status tables").toBeGreaterThanOrEqual(10);
  });

  it("no source file writes a Chinese label for a code by hand", () => {
    // `code: "中文"` anywhere but the one table: a second label table in the making.
    // Codes that are also ordinary words of other tables (stock "low", shelter "open", report
    // column "hospital", patrol kind "dispatched", ...) are left to the locale-table check above.
    const generic = new Set([
      "open",
      "closed",
      "merged",
      "low",
      "medium",
      "high",
      "dispatched",
      "hospital",
      "cancelled",
      "received", // a reporter's outcome, and also stock received (入库) and a call received (接报)
    ]);
    // Not labels: a sentence explaining an urgency reason.
    const allowed = new Set(['shared/urgency.ts: not_moving: "人员无法移动或无反应"']);
    const codes = new Set(names.flatMap(codesOf).filter((c) => !generic.has(c)));
    const bad: string[] = [];
    for (const file of [
      ...files(join(root, "web/src")),
      ...files(join(root, "shared")),
      ...files(join(root, "server")),
    ]) {
      if (file.endsWith("shared/vocab-labels.ts")) continue;
      const text = readFileSync(file, "utf8");
      for (const m of text.matchAll(
        /\b([a-z_0-9]+)\s*:\s*(?:\{\s*(?:zh|"zh-CN")\s*:\s*)?"([^"]*[\u4e00-\u9fff][^"]*)"/g,
      )) {
        const [, code, label] = m;
        if (!codes.has(code!)) continue;
        const ok = names.some((n) => codesOf(n).includes(code!) && vocabLabel(n, code!, "zh-CN") === label);
        const where = `${file.slice(root.length)}: ${code}: "${label}"`;
        if (!ok && !allowed.has(where)) bad.push(where);
      }
    }
    expect(bad).toEqual([]);
  });
});
