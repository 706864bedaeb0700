import { randomUUID } from "node:crypto";
import type { z } from "zod";
import type { IdentificationFile, identificationApi } from "../../shared/api/identification.js";
import {
  FAMILY_CLOSINGS,
  buildNotice,
  identificationFigures,
  type Closing,
  type DeadlineKind,
  type DeadlineRules,
  type StepKind,
} from "../../shared/identification.js";
import { maskedLabel } from "../../shared/identity.js";
import { dayRange } from "../../shared/report-day.js";
import type { Db } from "../db/client.js";
import type { EventLog } from "../events/event-log.js";
import type { SessionUser } from "../auth/session-user.js";
import { requireRole, requireStation } from "../auth/policy.js";
import { AppError, fieldError, notFound, versionConflict } from "../http/errors.js";
import { assertSameRequest } from "../http/idempotency.js";
import { allStationIds, findRegion } from "../stations/stations.repo.js";
import * as people from "../people/people.repo.js";
import { recordFamilySearchChange } from "../people/family-search.js";
import { auditIdentityReads, seesIdentity } from "../people/identity.js";
import * as repo from "./identification.repo.js";
import { fileDeadlines, presentDeadline, presentFile } from "./identification.presenter.js";
import { readListRows } from "./list-rows.js";
import { dueDeadlines, type DueDeadline } from "./deadlines.js";
import { RegistryIndex } from "./matcher.js";

type Api = typeof identificationApi;
type Body<
  K extends "setDeadlines" | "open" | "update" | "addClue" | "addStep" | "close" | "notice" | "match" | "decide",
> = z.infer<Api[K]["body"]>;
type FiguresQuery = z.infer<(typeof identificationApi)["figures"]["query"]>;

/** A phone's clock may run a little ahead: times up to this far in the future are taken as now. */
const FUTURE_SKEW_MS = 2 * 60_000;

/** When something happened: given (entered after the fact), not in the future, or now. */
function happenedAt(at: string | undefined | null, field: string, now = Date.now()): Date {
  if (!at) return new Date(now);
  const t = new Date(at).getTime();
  if (t > now + FUTURE_SKEW_MS) throw fieldError(field, "is in the future");
  return new Date(Math.min(t, now));
}

/**
 * The identification workbench (甄别寻亲). A file holds identity (relatives' names, places, features),
 * so it is for the station's crews and head only, and every answer that shows it writes a
 * person_reads row first (kind "identification"). Closing with a family found also writes the
 * family-search log, so 寻亲成功 counts on the day it happened, by the same figure as before.
 */
export class IdentificationService {
  constructor(
    private readonly db: Db,
    private readonly log: EventLog,
    private readonly timeZone: string,
    private readonly dayStart: string,
  ) {}

  /** The person, when `user` may see their identity (crews and head of the person's station). */
  private async person(user: SessionUser, id: string, roles: SessionUser["role"][] = ["patrol", "head"]) {
    requireRole(user, roles);
    const p = await people.findPerson(this.db, id);
    if (!p) throw notFound("Person");
    requireStation(user, p.stationId);
    if (!seesIdentity(user, p.stationId)) throw notFound("Person");
    if (p.mergedIntoId)
      throw new AppError(409, "CONFLICT", "This record was merged; use the record it was merged into");
    return p;
  }

  private async file(user: SessionUser, id: string, roles?: SessionUser["role"][]) {
    const p = await this.person(user, id, roles);
    const f = await repo.findFile(this.db, id);
    if (!f) throw notFound("Identification file");
    return { p, f };
  }

  private async rules(stationId: string): Promise<DeadlineRules> {
    return (await repo.rulesOfStations(this.db, [stationId])).get(stationId)!;
  }

  /** The file as it leaves the server, after auditing the identity it shows. */
  private async answer(user: SessionUser, p: people.PersonRow, now = new Date()): Promise<IdentificationFile> {
    const f = (await repo.findFile(this.db, p.id))!;
    const [clues, steps, rules] = await Promise.all([
      repo.cluesOf(this.db, p.id),
      repo.stepsOf(this.db, [p.id]),
      this.rules(p.stationId),
    ]);
    await auditIdentityReads(this.db, user, [p.id], "identification");
    return presentFile(f, p, clues, steps, rules, now);
  }

  /** Opens a file (a repeat returns the open one unchanged). */
  async open(user: SessionUser, id: string, body: Body<"open">): Promise<IdentificationFile> {
    const p = await this.person(user, id);
    if (!(await repo.findFile(this.db, id))) {
      const arrivedAt = body.arrivedAt
        ? happenedAt(body.arrivedAt, "body.arrivedAt")
        : await repo.defaultArrival(this.db, id, p.createdAt);
      await this.log.transact(async (tx, record) => {
        const f = await repo.insertFile(tx, {
          personId: id,
          stationId: p.stationId,
          arrivedAt,
          heightCm: body.heightCm ?? null,
          features: body.features ?? "",
          foundPlace: body.foundPlace ?? "",
          foundAt: body.foundAt ? happenedAt(body.foundAt, "body.foundAt") : null,
          openedBy: user.id,
        });
        if (f) record(this.event(user, f.stationId, id, "opened", f.version));
      });
    }
    return this.answer(user, p);
  }

  /** The file (audited). */
  async get(user: SessionUser, id: string): Promise<IdentificationFile> {
    const { p } = await this.file(user, id);
    return this.answer(user, p);
  }

  /** Height, features, where and when found. */
  async update(user: SessionUser, id: string, body: Body<"update">): Promise<IdentificationFile> {
    const { p } = await this.file(user, id);
    const { version, foundAt, ...rest } = body;
    const patch: Partial<repo.FileRow> = { ...rest };
    if (foundAt !== undefined) patch.foundAt = foundAt === null ? null : happenedAt(foundAt, "body.foundAt");
    const row = await this.log.transact(async (tx, record) => {
      const f = await repo.updateFile(tx, id, version, patch);
      if (f) record(this.event(user, f.stationId, id, "updated", f.version));
      return f;
    });
    if (!row) throw versionConflict("Identification file");
    return this.answer(user, p);
  }

  /** Records a conversation or clue, dated when it happened. */
  async addClue(user: SessionUser, id: string, body: Body<"addClue">): Promise<IdentificationFile> {
    const { p, f } = await this.file(user, id);
    const at = happenedAt(body.at, "body.at");
    await this.log.transact(async (tx, record) => {
      const added = await repo.insertClue(tx, {
        id: body.id,
        personId: id,
        stationId: f.stationId,
        kind: body.kind,
        text: body.text,
        who: body.who,
        at,
        recordedBy: user.id,
      });
      if (added) record(this.event(user, f.stationId, id, "clue", await repo.touchFile(tx, id)));
    });
    const clue = (await repo.findClue(this.db, body.id))!;
    if (clue.personId !== id) throw new AppError(409, "CONFLICT", "body.id: already used");
    assertSameRequest("clue", body.id, clue, body, { fixed: ["kind", "text", "who"], clamped: ["at"] });
    return this.answer(user, p);
  }

  /**
   * Records a step, dated when it was done. A notice published also sets the person's family-search
   * status to notice_published (when still none), so the registry and its filter agree.
   */
  async addStep(user: SessionUser, id: string, body: Body<"addStep">): Promise<IdentificationFile> {
    const { p, f } = await this.file(user, id);
    const at = happenedAt(body.at, "body.at");
    if (at.getTime() < f.arrivedAt.getTime() - 86_400_000 && body.kind !== "police_check")
      throw fieldError("body.at", "is before the person's arrival");
    await this.log.transact(async (tx, record) => {
      const added = await repo.insertStep(tx, {
        id: body.id,
        personId: id,
        stationId: f.stationId,
        kind: body.kind,
        channel: body.channel ?? null,
        outcome: body.outcome,
        who: body.who,
        at,
        recordedBy: user.id,
      });
      if (!added) return;
      record(this.event(user, f.stationId, id, "step", await repo.touchFile(tx, id)));
      if (body.kind === "notice_published" && p.familySearch === "none") {
        const u = await people.updatePerson(tx, id, p.version, { familySearch: "notice_published" });
        if (u) {
          await recordFamilySearchChange(tx, record, {
            personId: id,
            stationId: p.stationId,
            status: "notice_published",
            note: body.channel ?? "",
            by: user.id,
            at,
            version: u.version,
          });
        }
      }
    });
    const step = (await repo.findStep(this.db, body.id))!;
    if (step.personId !== id) throw new AppError(409, "CONFLICT", "body.id: already used");
    assertSameRequest("step", body.id, step, body, { fixed: ["kind", "outcome", "who"], clamped: ["at"] });
    return this.answer(user, (await people.findPerson(this.db, id))!);
  }

  /**
   * Closes the file. A family found, escorted home or picked up is 寻亲成功 on the day it happened
   * (the family-search log row carries that day); 落户安置 counts as settled.
   */
  async close(user: SessionUser, id: string, body: Body<"close">): Promise<IdentificationFile> {
    const { p, f } = await this.file(user, id, ["head"]);
    if (f.closing) throw new AppError(409, "CONFLICT", "This file is already closed");
    const at = happenedAt(body.at, "body.at");
    if (at < f.arrivedAt) throw fieldError("body.at", "is before the person's arrival");
    await this.log.transact(async (tx, record) => {
      const row = await repo.updateFile(tx, id, body.version, {
        closing: body.closing,
        closedAt: at,
        closingNote: body.note,
        closedBy: user.id,
      });
      if (!row) throw versionConflict("Identification file");
      record(this.event(user, f.stationId, id, "closed", row.version));
      if (FAMILY_CLOSINGS.includes(body.closing as Closing) && p.familySearch !== "family_found") {
        const u = await people.updatePerson(tx, id, p.version, { familySearch: "family_found" });
        if (!u) throw versionConflict("Person");
        await recordFamilySearchChange(tx, record, {
          personId: id,
          stationId: p.stationId,
          status: "family_found",
          note: body.note,
          by: user.id,
          at,
          version: u.version,
        });
      }
    });
    return this.answer(user, (await people.findPerson(this.db, id))!);
  }

  /** The notice with only the chosen fields (audited: it may carry identity when chosen). */
  async notice(user: SessionUser, id: string, body: Body<"notice">): Promise<{ text: string; html: string }> {
    const { p, f } = await this.file(user, id, ["head"]);
    const s = await repo.stationContact(this.db, f.stationId);
    if (body.fields.includes("name") || body.fields.includes("idNumber"))
      await auditIdentityReads(this.db, user, [id], "identification");
    const n = buildNotice(
      {
        gender: p.gender as "male" | "female" | "unknown" | null,
        approxAge: p.approxAge,
        heightCm: f.heightCm,
        features: f.features,
        foundPlace: f.foundPlace,
        foundAt: f.foundAt,
        stationName: s.name,
        stationHotline: s.hotline,
        stationAddress: s.address,
        name: p.name,
        idNumber: p.idNumber,
      },
      body.fields,
      body.lang,
    );
    return { text: n.text, html: n.html };
  }

  private async scope(user: SessionUser, stationId?: string): Promise<string[]> {
    if (stationId) requireStation(user, stationId);
    return stationId ? [stationId] : user.allStations ? allStationIds(this.db) : user.stationIds;
  }

  /** Due and overdue deadlines of the open files of the stations (no identity). */
  async dueDeadlines(stationIds: string[], now = new Date()): Promise<DueDeadline[]> {
    return dueDeadlines(this.db, stationIds, now);
  }

  /** Open files with their deadlines, most overdue first (no identity: masked labels). */
  async list(user: SessionUser, stationId?: string, now = new Date()) {
    requireRole(user, ["patrol", "head"]);
    const sids = await this.scope(user, stationId);
    const files = await repo.filesOf(this.db, sids);
    const [steps, rules] = await Promise.all([
      repo.stepsOf(
        this.db,
        files.map((f) => f.personId),
      ),
      repo.rulesOfStations(this.db, sids),
    ]);
    return files.map((f) => ({
      personId: f.personId,
      stationId: f.stationId,
      label: maskedLabel(f.personId),
      arrivedAt: f.arrivedAt.toISOString(),
      deadlines: fileDeadlines(
        f,
        steps.filter((s) => s.personId === f.personId),
        rules.get(f.stationId)!,
        now,
      ).map(presentDeadline),
    }));
  }

  /** The figures over report days (people past a deadline counted now). */
  async figures(user: SessionUser, q: FiguresQuery, now = new Date()) {
    requireRole(user, ["head", "supervisor"]);
    const to = q.to ?? q.from;
    if (to < q.from) throw fieldError("query.to", "is before from");
    const sids = await this.scope(user, q.stationId);
    const range = dayRange(q.from, to, this.timeZone, this.dayStart);
    const [open, closed] = await Promise.all([
      repo.filesOf(this.db, sids),
      repo.filesClosedIn(this.db, sids, range.from, range.to),
    ]);
    const files = [...open, ...closed];
    const stationOf = new Map(files.map((f) => [f.personId, f.stationId]));
    const [steps, rules] = await Promise.all([
      repo.stepsOf(
        this.db,
        open.map((f) => f.personId),
      ),
      repo.rulesOfStations(this.db, sids),
    ]);
    return identificationFigures(
      files.map((f) => ({
        personId: f.personId,
        arrivedAt: f.arrivedAt,
        closedAt: f.closedAt,
        closing: f.closing as Closing | null,
        steps: steps.filter((s) => s.personId === f.personId).map((s) => ({ kind: s.kind as StepKind, at: s.at })),
      })),
      range,
      now,
      (f) => rules.get(stationOf.get(f.personId)!)!,
    );
  }

  /** Sets a province's deadlines (admin); files of its stations follow them from now on. */
  async setDeadlines(user: SessionUser, regionId: string, rules: DeadlineRules) {
    requireRole(user, ["admin"]);
    const region = await findRegion(this.db, regionId);
    if (!region) throw notFound("Region");
    if (region.level !== "province") throw fieldError("params.id", "deadlines are set per province");
    await repo.upsertRules(this.db, regionId, rules);
    return { regionId, ...rules };
  }

  /** Matches a partner's list against the station's registry: candidates with reasons; the identity shown is audited. */
  async match(user: SessionUser, body: Body<"match">) {
    requireRole(user, ["head"]);
    requireStation(user, body.stationId);
    const rows = await readListRows(body.csv);
    const registry = await repo.registryOf(this.db, body.stationId);
    const byId = new Map(registry.map((r) => [r.id, r]));
    const index = new RegistryIndex(
      registry.map((r) => ({
        id: r.id,
        name: r.name,
        idNumber: r.idNumber,
        gender: r.gender as "male" | "female" | "unknown" | null,
        approxAge: r.approxAge,
        hometown: r.hometown,
        firstSeenAt: r.createdAt,
      })),
    );
    const decided = await repo.decisionsOf(this.db, body.stationId, body.listName);
    const items = rows
      .map((r) => ({
        row: r.row.row,
        listed: r.cells,
        candidates: index.match(r.row).map((c) => {
          const p = byId.get(c.personId)!;
          return {
            personId: p.id,
            label: p.name ?? maskedLabel(p.id),
            identity: { name: p.name, idNumber: p.idNumber, hometown: p.hometown },
            gender: p.gender,
            approxAge: p.approxAge,
            score: c.score,
            reasons: c.reasons,
            decision: (decided.get(`${c.row}:${p.id}`) ?? null) as "confirmed" | "rejected" | null,
          };
        }),
      }))
      .filter((r) => r.candidates.length);
    await auditIdentityReads(
      this.db,
      user,
      items.flatMap((i) => i.candidates.map((c) => c.personId)),
      "identification",
    );
    return { rows: rows.length, items };
  }

  /** Records a head's decision on a candidate; nothing is merged (the decision and its event are the record). */
  async decide(user: SessionUser, body: Body<"decide">) {
    requireRole(user, ["head"]);
    requireStation(user, body.stationId);
    const p = await people.findPerson(this.db, body.personId);
    if (!p || p.stationId !== body.stationId) throw fieldError("body.personId", "no such person at this station");
    await this.log.transact(async (tx, record) => {
      await repo.upsertDecision(tx, {
        id: body.id,
        stationId: body.stationId,
        personId: body.personId,
        listName: body.listName,
        row: body.row,
        listed: body.listed,
        decision: body.decision,
        score: body.score,
        reasons: body.reasons,
        note: body.note,
        decidedBy: user.id,
      });
      record(this.event(user, body.stationId, body.personId, "match_decision", p.version));
    });
    return { ok: true as const, decision: body.decision };
  }

  private event(
    user: SessionUser,
    stationId: string,
    personId: string,
    what: "opened" | "updated" | "clue" | "step" | "closed" | "match_decision",
    version: number,
  ) {
    return {
      type: "identification.changed" as const,
      stationId,
      actorId: user.id,
      payload: { personId, stationId, what, version },
    };
  }
}
