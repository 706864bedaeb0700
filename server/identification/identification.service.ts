import type { z } from "zod";
import type { IdentificationFile, identificationApi } from "../../shared/api/identification.js";
import { FAMILY_CLOSINGS, buildNotice, type Closing, type DeadlineRules } from "../../shared/identification.js";
import type { Db } from "../db/client.js";
import type { EventLog } from "../events/event-log.js";
import type { SessionUser } from "../auth/session-user.js";
import { AppError, fieldError, notFound, versionConflict } from "../http/errors.js";
import { assertSameRequest } from "../http/idempotency.js";
import * as people from "../people/people.repo.js";
import { recordFamilySearchChange } from "../people/family-search.js";
import { auditIdentityReads } from "../people/identity.js";
import * as repo from "./identification.repo.js";
import * as photos from "./photo.repo.js";
import { presentFile } from "./identification.presenter.js";
import { fileEvent, fileInReach, happenedAt, personInReach } from "./access.js";

type Api = typeof identificationApi;
type Body<K extends "open" | "update" | "addClue" | "addStep" | "close" | "notice"> = z.infer<Api[K]["body"]>;

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
  ) {}

  private file(user: SessionUser, id: string, roles?: SessionUser["role"][]) {
    return fileInReach(this.db, user, id, roles);
  }

  private person(user: SessionUser, id: string) {
    return personInReach(this.db, user, id);
  }

  private async rules(stationId: string): Promise<DeadlineRules> {
    return (await repo.rulesOfStations(this.db, [stationId])).get(stationId)!;
  }

  /** The file as it leaves the server, after auditing the identity it shows. */
  private async answer(user: SessionUser, p: people.PersonRow, now = new Date()): Promise<IdentificationFile> {
    const f = (await repo.findFile(this.db, p.id))!;
    const [clues, steps, rules, photo] = await Promise.all([
      repo.cluesOf(this.db, p.id),
      repo.stepsOf(this.db, [p.id]),
      this.rules(p.stationId),
      photos.photoMeta(this.db, p.id),
    ]);
    await auditIdentityReads(this.db, user, [p.id], "identification");
    return presentFile(f, p, clues, steps, rules, now, photo);
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
        if (f) record(fileEvent(user, f.stationId, id, "opened", f.version));
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
    const { p, f: before } = await this.file(user, id);
    const { version, foundAt, arrivedAt, noticeFields, ...rest } = body;
    const patch: Partial<repo.FileRow> = { ...rest };
    if (foundAt !== undefined) patch.foundAt = foundAt === null ? null : happenedAt(foundAt, "body.foundAt");
    if (arrivedAt !== undefined) {
      patch.arrivedAt = happenedAt(arrivedAt, "body.arrivedAt");
      if (before.closedAt && patch.arrivedAt > before.closedAt)
        throw fieldError("body.arrivedAt", "is after the file was closed");
    }
    if (noticeFields !== undefined) {
      // What a published notice shows is the head's choice.
      if (user.role !== "head")
        throw new AppError(403, "FORBIDDEN", "body.noticeFields: only the station's head chooses");
      patch.noticeFields = [...new Set(noticeFields)];
    }
    const row = await this.log.transact(async (tx, record) => {
      const f = await repo.updateFile(tx, id, version, patch);
      if (f) record(fileEvent(user, f.stationId, id, "updated", f.version));
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
      if (added) record(fileEvent(user, f.stationId, id, "clue", await repo.touchFile(tx, id)));
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
      record(fileEvent(user, f.stationId, id, "step", await repo.touchFile(tx, id)));
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
      record(fileEvent(user, f.stationId, id, "closed", row.version));
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
    // The photo only when the head chose it and consent stands (withdrawal deleted it anyway).
    const photo = body.fields.includes("photo") && f.photoConsentBy ? await photos.findPhoto(this.db, id) : undefined;
    if (photo) await auditIdentityReads(this.db, user, [id], "photo");
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
        photo: photo ? { contentType: photo.contentType as "image/jpeg" | "image/png", base64: photo.data } : null,
      },
      body.fields,
      body.lang,
    );
    return { text: n.text, html: n.html };
  }
}
