import { describe, expect, it } from "vitest";
import {
  REPORTER_OUTCOMES,
  isFinalOutcome,
  outcomeMessageBody,
  reportReference,
  reporterOutcome,
  reporterOutcomeNotes,
} from "../../shared/reporter-outcome.js";
import { CASE_STATUSES, type CaseStatus } from "../../shared/machines.js";
import { ENCOUNTER_OUTCOMES } from "../../shared/vocab.js";
import { LoggingSender, maskNumbers, maskPhone } from "../../server/outbound/senders.js";
import type { Logger } from "../../server/logger.js";

const met = (outcome: string) => ({ found: outcome !== "not_found", outcome });

describe("what a reporter is told (shared/reporter-outcome.ts)", () => {
  it("maps the case's state and its encounters to one outcome", () => {
    const table: [CaseStatus, string[], boolean, string][] = [
      ["open", [], false, "received"],
      ["open", [], true, "duplicate"],
      ["merged", [], false, "duplicate"],
      ["dispatched", [], false, "crew_sent"],
      ["dispatched", [], true, "crew_sent"],
      ["on_scene", [], false, "crew_sent"],
      ["on_scene", ["not_found"], false, "crew_sent"],
      ["on_scene", ["street_aid"], false, "helped"],
      ["closed", ["not_found"], false, "not_found"],
      ["closed", ["not_found", "not_found"], true, "not_found"],
      ["closed", ["not_found", "brought_in"], false, "helped"],
      ["closed", [], false, "closed"],
      ["cancelled", [], false, "closed"],
      ["open", ["not_found"], false, "received"],
    ];
    for (const [caseStatus, outcomes, joinedExisting, expected] of table)
      expect(
        reporterOutcome({ caseStatus, encounters: outcomes.map(met), joinedExisting }),
        `${caseStatus} ${outcomes}`,
      ).toBe(expected);
    // Every way of meeting the person is "helped": the reporter is not told which help (hospital,
    // referred to police, refused) — that is about the person.
    for (const o of ENCOUNTER_OUTCOMES.filter((x) => x !== "not_found"))
      for (const s of CASE_STATUSES)
        expect(reporterOutcome({ caseStatus: s, encounters: [met(o)], joinedExisting: false })).toBe("helped");
  });

  it("words every outcome in both languages, with no code of the person's outcome in them", () => {
    for (const o of REPORTER_OUTCOMES) {
      const body = outcomeMessageBody("WL-ABCDEF12", o);
      expect(Object.keys(body).sort()).toEqual(["category", "reference", "text"]);
      expect(body.text["zh-CN"]).toMatch(/[\u4e00-\u9fff]/);
      expect(body.text.en).toMatch(/[a-z]/);
      expect(reporterOutcomeNotes(o)).toBe(`${o}: ${body.text.en} ${body.text["zh-CN"]}`);
      for (const word of ["hospital", "医", "police", "公安", "refused", "拒绝", "station", "站内"])
        expect(JSON.stringify(body.text)).not.toContain(word);
    }
    expect(REPORTER_OUTCOMES.filter(isFinalOutcome)).toEqual(["helped", "not_found", "closed"]);
    expect(reportReference("0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d")).toBe("WL-0A1B2C3D");
  });
});

describe("senders", () => {
  it("masks a number to its first three and last two digits, in logs and echoed errors", () => {
    expect(maskPhone("13812345678")).toBe("138******78");
    expect(maskPhone("+86 138-1234-5678")).toBe("861********78");
    expect(maskPhone("110")).toBe("***");
    expect(maskNumbers("HTTP 400: bad number 13812345678 for job 42")).toBe(
      "HTTP 400: bad number 138******78 for job 42",
    );
  });

  it("the logging sender logs the message with the number masked", async () => {
    const lines: string[] = [];
    const log: Logger = {
      debug: () => {},
      info: (msg, f) => lines.push(JSON.stringify({ msg, ...f })),
      warn: () => {},
      error: () => {},
      child: () => log,
    };
    const r = await new LoggingSender(log).send({
      id: "m1",
      idempotencyKey: "c1:received:caller",
      category: "received",
      to: { channel: "caller", phone: "13812345678" },
      body: outcomeMessageBody("WL-C1", "received"),
    });
    expect(r).toEqual({ ok: true });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain("138******78");
    expect(lines[0]).not.toContain("13812345678");
    expect(lines[0]).toContain("WL-C1");
  });
});
