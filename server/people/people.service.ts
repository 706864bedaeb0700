import { randomUUID } from "node:crypto";
import type { z } from "zod";
import type {
  PersonCreate,
  PersonDetail,
  PersonSummary,
  PersonUpdate,
  peopleApi,
  DuplicateSuggestion,
  IdentifyEncounter,
  UnidentifiedEncounter,
} from "../../shared/api/people.js";
import type { Db } from "../db/client.js";
import type { EventLog } from "../events/event-log.js";
import type { SessionUser } from "../auth/session-user.js";
import { requireRole, requireStation } from "../auth/policy.js";
import { AppError, fieldError, forbidden, notFound, versionConflict } from "../http/errors.js";
import { allStationIds } from "../stations/stations.repo.js";
import * as repo from "./people.repo.js";
import { recordFamilySearchChange } from "./family-search.js";
import { auditIdentityReads } from "./identity.js";
import type { EventPayloads } from "../../shared/events/contract.js";
import { maskedLabel, presentPerson, redactDetail, seesIdentity } from "./people.presenter.js";
import { assertSameRequest } from "../http/idempotency.js";
import { findEncounter } from "../encounters/encounters.repo.js";
import { linkEncounter, listUnidentified } from "./unidentified.repo.js";

type ListQuery = z.infer<(typeof peopleApi.list)["query"]>;
type UnidentifiedQuery = z.infer<(typeof peopleApi.unidentified)["query"]>;
type FamilyBody = z.infer<NonNullable<(typeof peopleApi.familySearch)["body"]>>;

/** A phone's clock may run a little ahead: times up to this far in the future are taken as now. */
const FAMILY_FUTURE_SKEW_MS = 2 * 60_000;

/** When a family-search change happened (a family found last week counts last week): given, not in the future, or now. */
function familyChangeTime(occurredAt: string | undefined, now = Date.now()): Date {
  if (!occurredAt) return new Date(now);
  const t = new Date(occurredAt).getTime();
  if (t > now + FAMILY_FUTURE_SKEW_MS) throw fieldError("body.occurredAt", "is in the future");
  return new Date(Math.min(t, now));
}
const iso = (d: Date | string | null) => (d === null ? null : (d instanceof Date ? d : new Date(d)).toISOString());

/**
 * The registry of people met (受助人员). Supervisors see totals only; operators and admins see no
 * identity; heads and crews of the station see it all. Every read of a record is written to
 * person_reads before the answer leaves.
 */
export class PeopleService {
  constructor(
    private readonly db: Db,
    private readonly log: EventLog,
  ) {}

  private async load(user: SessionUser, id: string): Promise<repo.PersonRow> {
    requireRole(user, ["operator", "patrol", "head", "admin"]);
    const p = await repo.findPerson(this.db, id);
    if (!p) throw notFound("Person");
    requireStation(user, p.stationId);
    return p;
  }

  /** The record as `user` may see it; shown identity is audited as a detail read unless the caller audits. */
  private async summary(user: SessionUser, p: repo.PersonRow, audit = true): Promise<PersonSummary> {
    if (audit && seesIdentity(user, p.stationId)) await auditIdentityReads(this.db, user, [p.id], "detail");
    return presentPerson((await repo.withStats(this.db, [p]))[0]!, user);
  }

  /** A bounded, paged search; each record returned is audited as read. */
  async list(user: SessionUser, q: ListQuery): Promise<{ items: PersonSummary[]; total: number }> {
    requireRole(user, ["operator", "patrol", "head", "admin"]);
    if (q.stationId) requireStation(user, q.stationId);
    const stationIds = q.stationId ? [q.stationId] : user.allStations ? await allStationIds(this.db) : user.stationIds;
    const identitySearch = stationIds.every((s) => seesIdentity(user, s));
    const { rows, total } = await repo.listPeople(this.db, { ...q, stationIds, identitySearch });
    const items = (await repo.withStats(this.db, rows)).map((p) => presentPerson(p, user));
    await repo.auditReads(
      this.db,
      rows.map((r) => r.id),
      user,
      "list",
    );
    return { items, total };
  }

  /** People met without identity (found, no record): where, when, outcome; no personal data in them. */
  async unidentified(
    user: SessionUser,
    q: UnidentifiedQuery,
  ): Promise<{ items: UnidentifiedEncounter[]; total: number }> {
    requireRole(user, ["patrol", "head", "admin"]);
    if (q.stationId) requireStation(user, q.stationId);
    const stationIds = q.stationId ? [q.stationId] : user.allStations ? await allStationIds(this.db) : user.stationIds;
    const { rows, total } = await listUnidentified(this.db, stationIds, q.limit, q.offset);
    const items = rows.map((r) => ({
      encounterId: r.id,
      stationId: r.stationId,
      caseId: r.caseId,
      occurredAt: r.occurredAt.toISOString(),
      outcome: r.outcome as UnidentifiedEncounter["outcome"],
      flags: r.flags,
      lat: r.lat,
      lng: r.lng,
      place: r.keyPoint ?? r.placeText ?? "",
    }));
    return { items, total };
  }

  /**
   * Identifies a person met without identity: registers a record of the encounter's station (or
   * takes an existing one of it) and links the encounter, in one transaction. A retry that asks for
   * the link already made returns the record; any other link already made is a 409.
   */
  async identify(user: SessionUser, encounterId: string, input: IdentifyEncounter): Promise<PersonSummary> {
    requireRole(user, ["patrol", "head"]);
    const e = await findEncounter(this.db, encounterId);
    if (!e) throw notFound("Encounter");
    requireStation(user, e.stationId);
    if (!e.found) throw new AppError(409, "CONFLICT", "Nobody was found at this encounter");
    const targetId = input.personId ?? input.person!.id;
    if (e.personId && e.personId !== targetId)
      throw new AppError(409, "CONFLICT", "This encounter is already linked to a record");
    if (input.personId) {
      const p = await repo.findPerson(this.db, input.personId);
      if (!p) throw fieldError("body.personId", "no such person");
      if (p.stationId !== e.stationId) throw forbidden("That person is registered at another station");
      if (p.mergedIntoId) throw fieldError("body.personId", "that record is merged; link the record it points to");
    }
    if (e.personId) return this.summary(user, (await repo.findPerson(this.db, e.personId))!);
    const person = input.person;
    await this.log.transact(async (tx, record) => {
      if (person) {
        const created = await repo.insertPerson(tx, {
          id: person.id,
          stationId: e.stationId,
          name: person.name ?? null,
          idNumber: person.idNumber ?? null,
          hometown: person.hometown ?? null,
          gender: person.gender ?? null,
          approxAge: person.approxAge ?? null,
          flags: person.flags.length ? person.flags : e.flags,
        });
        if (!created) throw new AppError(409, "CONFLICT", "body.person.id: already used");
        record({
          type: "person.created",
          stationId: e.stationId,
          actorId: user.id,
          payload: this.eventPayload(created),
        });
      }
      if (!(await linkEncounter(tx, e.id, targetId)))
        throw new AppError(409, "CONFLICT", "This encounter was linked to a record meanwhile");
      record({
        type: "person.identified",
        stationId: e.stationId,
        actorId: user.id,
        payload: { encounterId: e.id, personId: targetId, stationId: e.stationId },
      });
    });
    return this.summary(user, (await repo.findPerson(this.db, targetId))!);
  }

  /** A record with every encounter (its own and merged ones'), stays and family-search history; audited. */
  async get(user: SessionUser, id: string): Promise<PersonDetail> {
    const p = await this.load(user, id);
    const merged = await repo.mergedFrom(this.db, id);
    const ids = [id, ...merged];
    const [summary, encounters, stays, family] = await Promise.all([
      this.summary(user, p, false),
      repo.encountersOf(this.db, ids),
      repo.staysOf(this.db, ids),
      repo.familyLogOf(this.db, ids),
    ]);
    await repo.auditReads(this.db, [id], user, "detail");
    const detail: PersonDetail = {
      ...summary,
      encounters: encounters.map((e) => ({
        id: e.id,
        personId: e.person_id,
        occurredAt: iso(e.occurred_at)!,
        found: e.found,
        outcome: e.outcome as PersonDetail["encounters"][number]["outcome"],
        flags: e.flags ?? [],
        lat: e.lat === null ? null : Number(e.lat),
        lng: e.lng === null ? null : Number(e.lng),
        place: e.place ?? "",
        notes: e.notes,
      })),
      stays: stays.map((s) => ({
        id: s.id,
        arrivedAt: s.arrivedAt.toISOString(),
        endedAt: iso(s.endedAt),
        endReason: s.endReason,
      })),
      familySearchLog: family.map((f) => ({
        status: f.status as PersonDetail["familySearch"],
        note: f.note,
        at: f.at.toISOString(),
      })),
      mergedFrom: merged,
    };
    return redactDetail(detail, seesIdentity(user, p.stationId));
  }

  /** Registers a person (walk-in, or identity found later); a retry returns the first result. */
  async create(user: SessionUser, input: PersonCreate): Promise<PersonSummary> {
    requireRole(user, ["patrol", "head"]);
    requireStation(user, input.stationId);
    const row = await this.log.transact(async (tx, record) => {
      const created = await repo.insertPerson(tx, {
        id: input.id,
        stationId: input.stationId,
        name: input.name ?? null,
        idNumber: input.idNumber ?? null,
        hometown: input.hometown ?? null,
        gender: input.gender ?? null,
        approxAge: input.approxAge ?? null,
        flags: input.flags,
      });
      if (created)
        record({
          type: "person.created",
          stationId: created.stationId,
          actorId: user.id,
          payload: this.eventPayload(created),
        });
      return created;
    });
    const p = row ?? (await repo.findPerson(this.db, input.id));
    if (!p || p.stationId !== input.stationId) throw new AppError(409, "CONFLICT", "body.id: already used");
    if (!row) assertSameRequest("person", input.id, p, input, { fixed: ["stationId"] });
    return this.summary(user, p);
  }

  private eventPayload(p: repo.PersonRow): EventPayloads["person.updated"] {
    return {
      id: p.id,
      stationId: p.stationId,
      gender: p.gender,
      approxAge: p.approxAge,
      flags: p.flags,
      familySearch: p.familySearch,
      mergedIntoId: p.mergedIntoId,
      version: p.version,
      label: p.name ?? "",
      identity: { name: p.name, idNumber: p.idNumber, hometown: p.hometown },
    };
  }

  /** Updates identity or flags. */
  async update(user: SessionUser, id: string, input: PersonUpdate): Promise<PersonSummary> {
    requireRole(user, ["patrol", "head"]);
    const p = await this.load(user, id);
    if (p.mergedIntoId)
      throw new AppError(409, "CONFLICT", "This record was merged; edit the record it was merged into");
    const { version, ...patch } = input;
    const row = await this.log.transact(async (tx, record) => {
      const updated = await repo.updatePerson(tx, id, version, patch);
      if (updated)
        record({
          type: "person.updated",
          stationId: updated.stationId,
          actorId: user.id,
          payload: this.eventPayload(updated),
        });
      return updated;
    });
    if (!row) throw versionConflict("Person");
    return this.summary(user, row);
  }

  /** Sets the family-search status; "family_found" counts as 寻亲成功 on the day it is set. */
  async familySearch(user: SessionUser, id: string, input: FamilyBody): Promise<PersonSummary> {
    requireRole(user, ["patrol", "head"]);
    const p = await this.load(user, id);
    if (p.mergedIntoId)
      throw new AppError(409, "CONFLICT", "This record was merged; update the record it was merged into");
    const at = familyChangeTime(input.occurredAt);
    const row = await this.log.transact(async (tx, record) => {
      const updated = await repo.updatePerson(tx, id, input.version, {
        familySearch: input.status,
        familySearchNote: input.note || null,
      });
      if (!updated) return undefined;
      await recordFamilySearchChange(tx, record, {
        personId: id,
        stationId: p.stationId,
        status: input.status,
        note: input.note,
        by: user.id,
        at,
        version: updated.version,
        changed: input.status !== p.familySearch,
      });
      return updated;
    });
    if (!row) throw versionConflict("Person");
    return this.summary(user, row);
  }

  /** Possible duplicates, likeliest first (identity roles only: the reasons reveal identity). */
  async duplicates(user: SessionUser, id: string): Promise<z.infer<typeof DuplicateSuggestion>[]> {
    requireRole(user, ["patrol", "head"]);
    const p = await this.load(user, id);
    const cands = await repo.duplicateCandidates(this.db, p);
    const stats = await repo.withStats(this.db, cands);
    const shown = stats
      .map((o, i) => {
        const reasons: z.infer<typeof DuplicateSuggestion>["reasons"] = [];
        let score = 0;
        if (p.idNumber && o.idNumber === p.idNumber) {
          reasons.push("same_id_number");
          score += 0.7;
        }
        if (p.name && o.name === p.name) {
          reasons.push("same_name");
          score += 0.3;
        }
        if (p.gender && o.gender === p.gender) {
          reasons.push("same_gender");
          score += 0.05;
        }
        if (p.approxAge !== null && o.approxAge !== null && Math.abs(p.approxAge - o.approxAge) <= 5) {
          reasons.push("similar_age");
          score += 0.1;
        }
        if (cands[i]!.near) {
          reasons.push("met_nearby");
          score += 0.2;
        }
        return { person: presentPerson(o, user), score: Math.min(1, Math.round(score * 100) / 100), reasons };
      })
      .filter((d) => d.score >= 0.15)
      .sort((a, b) => b.score - a.score)
      .slice(0, 20);
    await auditIdentityReads(
      this.db,
      user,
      shown.filter((d) => d.person.identity).map((d) => d.person.id),
      "duplicates",
    );
    return shown;
  }

  /**
   * Merges this record into another of the same station. Nothing is deleted: encounters keep their
   * link, the record points at the one kept, and records merged into it follow (one hop for counting).
   */
  async merge(user: SessionUser, id: string, intoId: string, version: number): Promise<PersonSummary> {
    requireRole(user, ["head"]);
    if (id === intoId) throw fieldError("body.intoId", "cannot merge a record into itself");
    const p = await this.load(user, id);
    const into = await repo.findPerson(this.db, intoId);
    if (!into) throw fieldError("body.intoId", "no such person");
    if (into.stationId !== p.stationId) throw forbidden("Records of different stations cannot be merged");
    if (into.mergedIntoId)
      throw fieldError("body.intoId", "that record is itself merged; merge into the record it points to");
    if (p.mergedIntoId === intoId) return this.summary(user, into);
    if (p.mergedIntoId) throw new AppError(409, "CONFLICT", "This record is already merged into another");
    await this.log.transact(async (tx, record) => {
      // Checked again under row locks: merging A into B while B is being merged into C must not
      // leave a chain A -> B -> C (the figures follow one hop to count a person once).
      const locked = await repo.lockPair(tx, id, intoId);
      if (locked.get(intoId)?.mergedIntoId)
        throw fieldError("body.intoId", "that record is itself merged; merge into the record it points to");
      if (locked.get(id)?.mergedIntoId)
        throw new AppError(409, "CONFLICT", "This record is already merged into another");
      const updated = await repo.updatePerson(tx, id, version, { mergedIntoId: intoId });
      if (!updated) throw versionConflict("Person");
      const moved = await repo.repointMerged(tx, id, intoId);
      record({
        type: "person.merged",
        stationId: p.stationId,
        actorId: user.id,
        payload: { id, intoId, stationId: p.stationId, alsoMoved: moved },
      });
    });
    return this.summary(user, (await repo.findPerson(this.db, intoId))!);
  }

  /** The read audit of every person of a station (its head): who read identity, how, when. */
  async stationReads(user: SessionUser, q: { stationId?: string; limit: number; beforeId?: number }) {
    requireRole(user, ["head"]);
    const stationId = q.stationId ?? user.stationId;
    if (!stationId) throw fieldError("query.stationId", "required");
    requireStation(user, stationId);
    return (await repo.readsOfStation(this.db, stationId, q.limit, q.beforeId)).map((r) => ({
      id: r.id,
      personId: r.personId,
      label: maskedLabel(r.personId),
      userId: r.userId,
      role: r.role,
      kind: r.kind as repo.ReadKind,
      at: r.at.toISOString(),
    }));
  }

  /** The read audit of a record (head of the station). */
  async reads(user: SessionUser, id: string) {
    requireRole(user, ["head"]);
    await this.load(user, id);
    return (await repo.readsOf(this.db, id)).map((r) => ({
      userId: r.userId,
      role: r.role,
      kind: r.kind as repo.ReadKind,
      at: r.at.toISOString(),
    }));
  }
}
