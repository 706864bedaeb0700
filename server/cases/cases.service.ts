import type { Case, CaseDetail, DuplicateCandidate, SightingCreate, SightingResult } from "../../shared/api/cases.js";
import { ACTIVE_CASE_STATUSES, CASE_MACHINE, canTransition, type CaseStatus } from "../../shared/status.js";
import { boundingBox, decideIntake, findDuplicates } from "../../shared/duplicates.js";
import { computeUrgency } from "../../shared/urgency.js";
import type { Urgency } from "../../shared/vocab.js";
import type { Db } from "../db/client.js";
import { insertReporterConsent } from "../outbound/outbound.repo.js";
import type { EventLog } from "../events/event-log.js";
import type { SessionUser } from "../auth/session-user.js";
import { canSeeStation, requireRole, requireStation } from "../auth/policy.js";
import { AppError, fieldError, notFound, versionConflict } from "../http/errors.js";
import { findKeyPoint } from "../keypoints/keypoints.repo.js";
import { currentAlertLevel } from "./alert-level.repo.js";
import * as repo from "./cases.repo.js";
import { presentCall, presentCase, presentCaseDetail } from "./cases.presenter.js";
import { aggregateCalls, urgencyFields } from "./case-rules.js";
import { assertSameRequest } from "../http/idempotency.js";
import { queuePage, type QueuePage, type QueuePageQuery } from "./queue-page.js";

const INTAKE_ROLES = ["operator", "head"] as const;
/** Reports dated this far ahead of the server clock are refused (clock skew allowance). */
const FUTURE_SKEW_MS = 5 * 60_000;

/** A report on its way into the queue, from the duty room or a partner system. */
interface IntakeReport {
  id: string;
  stationId: string;
  source: string;
  callerName: string | null;
  callerPhone: string | null;
  lat: number;
  lng: number;
  placeText: string;
  keyPointId: string | null;
  peopleCount: number;
  description: string;
  flags: string[];
  temperatureC: number | null;
  notes: string;
  receivedAt: Date;
  actorId: string | null;
  partnerId: string | null;
  /** The caller agreed to be told the outcome at callerPhone (server/outbound). */
  callerWantsOutcome?: boolean;
  mergeInto?: string | null;
  newCase?: boolean;
  /** A partner's report: the earlier call it repeats, if any, is answered instead (server/open311/resubmission.ts). */
  resubmission?: Resubmission;
}

/** How intake recognises a partner resending a report it already filed. */
export interface Resubmission {
  since: Date;
  box: ReturnType<typeof boundingBox>;
  same: (earlier: repo.CallRow) => boolean;
}

/** Intake, triage, the queue, duplicates, merge and un-merge. */
export class CasesService {
  constructor(
    private readonly db: Db,
    private readonly log: EventLog,
  ) {}

  /** POST /api/sightings: checks role, station and key point, then runs intake. */
  async createSighting(user: SessionUser, input: SightingCreate): Promise<SightingResult> {
    requireRole(user, INTAKE_ROLES);
    const stationId = input.stationId ?? user.stationId;
    if (!stationId) throw fieldError("body.stationId", "required for users without a home station");
    requireStation(user, stationId);
    let { lat, lng, placeText } = input;
    if (input.keyPointId) {
      const kp = await findKeyPoint(this.db, input.keyPointId);
      if (!kp || !kp.active || !canSeeStation(user, kp.stationId))
        throw fieldError("body.keyPointId", "no such key point in your scope");
      if (lat === undefined || lng === undefined) ({ lat, lng } = kp);
      if (!placeText) placeText = kp.name;
    }
    const receivedAt = input.receivedAt ? new Date(input.receivedAt) : new Date();
    if (receivedAt.getTime() > Date.now() + FUTURE_SKEW_MS) throw fieldError("body.receivedAt", "is in the future");
    const { call, created } = await this.intake(
      {
        id: input.id,
        stationId,
        source: input.source,
        callerName: input.callerName || null,
        callerPhone: input.callerPhone || null,
        lat: lat!,
        lng: lng!,
        placeText,
        keyPointId: input.keyPointId ?? null,
        peopleCount: input.peopleCount,
        description: input.description,
        flags: [...new Set(input.flags)],
        temperatureC: input.temperatureC ?? null,
        notes: input.notes,
        receivedAt,
        actorId: user.id,
        partnerId: null,
        callerWantsOutcome: input.callerWantsOutcome,
        mergeInto: input.mergeInto,
        newCase: input.newCase,
      },
      (existing) => canSeeStation(user, existing.stationId),
    );
    // A place left empty was filled from the key point: an empty one sent again is the same report.
    if (!created) assertSameRequest("sighting", input.id, call, input, { skip: input.placeText ? [] : ["placeText"] });
    return this.sightingResult(call, user);
  }

  /**
   * The one intake path (duty room and Open311). Under the station's intake lock: a known call id
   * returns the first result (no event); otherwise the duplicate rule decides between a new case and
   * adding the call to an existing one. `mayReuse` says whether the caller may see an existing call
   * with the same id (ids are client UUIDs; a clash across stations is refused, not revealed).
   */
  async intake(
    r: IntakeReport,
    mayReuse: (existing: repo.CallRow) => boolean,
  ): Promise<{ call: repo.CallRow; created: boolean }> {
    const done = await this.log.transact(async (tx, record) => {
      // A partner's reports are serialised per partner (then per station, the one lock order), so two
      // copies of one report sent at once find each other: one case.
      if (r.partnerId && r.resubmission) await repo.lockPartnerIntake(tx, r.partnerId);
      await repo.lockStationIntake(tx, r.stationId);
      const existing = await repo.findCall(tx, r.id);
      if (existing) return { call: existing, created: false };
      if (r.partnerId && r.resubmission) {
        const earlier = await repo.partnerCallsNear(tx, r.partnerId, r.resubmission.since, r.resubmission.box);
        const first = earlier.find(r.resubmission.same);
        if (first) return { call: first, created: false };
      }
      const alert = await currentAlertLevel(tx, r.stationId, r.receivedAt);
      const nearby = await repo.duplicatePrefilter(tx, {
        stationIds: [r.stationId],
        box: boundingBox(r.lat, r.lng),
        at: r.receivedAt,
        limit: 50,
      });
      const decision = decideIntake(findDuplicates(nearby, { lat: r.lat, lng: r.lng, at: r.receivedAt }), {
        mergeInto: r.mergeInto,
        forceNew: r.newCase,
      });
      if (decision.kind === "invalid_merge_target") {
        throw fieldError("body.mergeInto", "is not an active case of this station within 300 m and 3 h of this call");
      }
      const callValues = {
        id: r.id,
        stationId: r.stationId,
        source: r.source,
        callerName: r.callerName,
        callerPhone: r.callerPhone,
        lat: r.lat,
        lng: r.lng,
        placeText: r.placeText,
        keyPointId: r.keyPointId,
        peopleCount: r.peopleCount,
        description: r.description,
        flags: r.flags,
        temperatureC: r.temperatureC,
        notes: r.notes,
        partnerId: r.partnerId,
        createdBy: r.actorId,
        receivedAt: r.receivedAt,
      };
      if (decision.kind === "new") {
        const assessment = computeUrgency({ flags: r.flags as never, temperatureC: r.temperatureC, alertLevel: alert });
        const kase = await repo.insertCase(tx, {
          id: r.id,
          stationId: r.stationId,
          status: "open",
          ...urgencyFields(null, assessment),
          lat: r.lat,
          lng: r.lng,
          placeText: r.placeText,
          keyPointId: r.keyPointId,
          peopleCount: r.peopleCount,
          description: r.description,
          flags: r.flags,
          temperatureC: r.temperatureC,
          notes: r.notes,
          source: r.source,
          callerCount: 1,
          createdBy: r.actorId,
          receivedAt: r.receivedAt,
          lastCallAt: r.receivedAt,
        });
        if (!kase) throw new AppError(409, "CONFLICT", "body.id: already used");
        const call = (await repo.insertCall(tx, {
          ...callValues,
          caseId: kase.id,
          originalCaseId: kase.id,
          intake: "created",
        }))!;
        // Before the event: the outgoing queue (server/outbound) reads the consent in this transaction.
        if (r.callerWantsOutcome && r.callerPhone) await insertReporterConsent(tx, call.id, r.actorId);
        record({
          type: "case.created",
          stationId: r.stationId,
          actorId: r.actorId,
          payload: { case: presentCase(kase), call: presentCall(call, true) },
        });
        return { call, created: true };
      }
      // Added to an existing case: it keeps every call; originalCaseId names the case the call would
      // have had on its own (its own id), which un-merge creates on demand.
      const call = (await repo.insertCall(tx, {
        ...callValues,
        caseId: decision.caseId,
        originalCaseId: r.id,
        intake: decision.by === "operator" ? "merged_by_operator" : "merged_by_rule",
      }))!;
      if (r.callerWantsOutcome && r.callerPhone) await insertReporterConsent(tx, call.id, r.actorId);
      const target = (await repo.findCase(tx, decision.caseId))!;
      const updated = await this.refreshFromCalls(tx, target, alert);
      record({
        type: "call.added",
        stationId: r.stationId,
        actorId: r.actorId,
        payload: { caseId: updated.id, call: presentCall(call, true), case: presentCase(updated) },
      });
      return { call, created: true };
    });
    // A resubmission answers an earlier call under its own id; only a reused id is checked here.
    if (!done.created && done.call.id === r.id && (done.call.stationId !== r.stationId || !mayReuse(done.call))) {
      throw new AppError(409, "CONFLICT", "body.id: already used for another report");
    }
    return done;
  }

  /** Active cases that may be the same person as a report being typed. */
  async duplicates(
    user: SessionUser,
    q: { lat: number; lng: number; at?: string; stationId?: string },
  ): Promise<DuplicateCandidate[]> {
    requireRole(user, [...INTAKE_ROLES, "admin"]);
    if (q.stationId) requireStation(user, q.stationId);
    const stationIds = q.stationId ? [q.stationId] : user.allStations ? undefined : user.stationIds;
    const at = q.at ? new Date(q.at) : new Date();
    const rows = await repo.duplicatePrefilter(this.db, { stationIds, box: boundingBox(q.lat, q.lng), at, limit: 50 });
    return findDuplicates(rows, { lat: q.lat, lng: q.lng, at })
      .slice(0, 20)
      .map((m) => ({
        case: presentCase(m.case),
        distanceM: Math.round(m.distanceM),
        minutesApart: Math.round(m.minutesApart),
      }));
  }

  /** The queue in the user's scope: most urgent first, then longest waiting. */
  async list(user: SessionUser, q: QueuePageQuery): Promise<QueuePage> {
    return queuePage(this.db, user, q);
  }

  /** One case with its calls; caller details only for roles that may see them. */
  async get(user: SessionUser, id: string): Promise<CaseDetail> {
    const row = await repo.findCase(this.db, id);
    if (!row) throw notFound("Case");
    requireStation(user, row.stationId);
    return presentCaseDetail(row, await repo.listCalls(this.db, id), user.role);
  }

  /** Merges case `id` into `intoId` ("same person"): its calls move over, it becomes `merged`. */
  async merge(
    user: SessionUser,
    id: string,
    body: { intoId: string; version: number },
  ): Promise<{ from: Case; into: CaseDetail }> {
    requireRole(user, INTAKE_ROLES);
    if (body.intoId === id) throw fieldError("body.intoId", "cannot merge a case into itself");
    const pre = await repo.findCase(this.db, id);
    if (!pre) throw notFound("Case");
    requireStation(user, pre.stationId);
    const { from, into } = await this.log.transact(async (tx, record) => {
      await repo.lockStationIntake(tx, pre.stationId);
      const src = (await repo.findCase(tx, id))!;
      const dst = await repo.findCase(tx, body.intoId);
      if (!dst || !canSeeStation(user, dst.stationId)) throw fieldError("body.intoId", "no such case");
      if (dst.stationId !== src.stationId) throw fieldError("body.intoId", "belongs to another station");
      if (src.version !== body.version) throw versionConflict("Case");
      if (!canTransition(CASE_MACHINE, src.status as CaseStatus, "merged")) {
        throw new AppError(409, "INVALID_TRANSITION", `Case is ${src.status} and cannot be merged`);
      }
      if (!ACTIVE_CASE_STATUSES.includes(dst.status as CaseStatus)) {
        throw new AppError(409, "INVALID_TRANSITION", `body.intoId: case is ${dst.status}, not active`);
      }
      const movedCallIds = await repo.moveAllCalls(tx, src.id, dst.id);
      const from = await repo.updateCase(tx, src.id, { status: "merged", mergedIntoId: dst.id }, body.version);
      if (!from) throw versionConflict("Case");
      const into = await this.refreshFromCalls(tx, dst, await currentAlertLevel(tx, dst.stationId));
      record({
        type: "case.merged",
        stationId: dst.stationId,
        actorId: user.id,
        payload: { from: presentCase(from), into: presentCase(into), movedCallIds },
      });
      return { from, into };
    });
    return {
      from: presentCase(from),
      into: presentCaseDetail(into, await repo.listCalls(this.db, into.id), user.role),
    };
  }

  /**
   * Moves a call back out to its own case: the case it was first filed under (reopened if it had
   * been merged), or a new case built from the call when intake had filed it straight into another
   * case. A call already in its original case is left alone (so a retried un-merge is a no-op).
   */
  async unmerge(user: SessionUser, callId: string): Promise<{ from: CaseDetail; to: CaseDetail }> {
    requireRole(user, INTAKE_ROLES);
    const pre = await repo.findCall(this.db, callId);
    if (!pre) throw notFound("Call");
    requireStation(user, pre.stationId);
    const { fromId, toId } = await this.log.transact(async (tx, record) => {
      await repo.lockStationIntake(tx, pre.stationId);
      const call = (await repo.findCall(tx, callId))!;
      if (call.caseId === call.originalCaseId) return { fromId: call.caseId, toId: call.caseId };
      const current = (await repo.findCase(tx, call.caseId))!;
      const alert = await currentAlertLevel(tx, call.stationId);
      let origin = await repo.findCase(tx, call.originalCaseId);
      if (!origin) {
        const assessment = computeUrgency({
          flags: call.flags as never,
          temperatureC: call.temperatureC,
          alertLevel: alert,
        });
        origin = (await repo.insertCase(tx, {
          id: call.originalCaseId,
          stationId: call.stationId,
          status: "open",
          ...urgencyFields(null, assessment),
          lat: call.lat,
          lng: call.lng,
          placeText: call.placeText,
          keyPointId: call.keyPointId,
          peopleCount: call.peopleCount,
          description: call.description,
          flags: call.flags,
          temperatureC: call.temperatureC,
          notes: call.notes,
          source: call.source,
          callerCount: 1,
          createdBy: user.id,
          receivedAt: call.receivedAt,
          lastCallAt: call.receivedAt,
        }))!;
      }
      await repo.moveCall(tx, call.id, origin.id);
      const reopen = origin.status === "merged" ? { status: "open", mergedIntoId: null } : {};
      const to = await this.refreshFromCalls(tx, origin, alert, reopen);
      const from = await this.refreshFromCalls(tx, current, alert);
      const moved = { ...call, caseId: to.id };
      record({
        type: "case.unmerged",
        stationId: call.stationId,
        actorId: user.id,
        payload: { callId, call: presentCall(moved, true), from: presentCase(from), to: presentCase(to) },
      });
      return { fromId: from.id, toId: to.id };
    });
    const [from, to] = await Promise.all([this.get(user, fromId), this.get(user, toId)]);
    return { from, to };
  }

  /** The operator overrides the rule's urgency, with a reason (version-checked). */
  async overrideUrgency(
    user: SessionUser,
    id: string,
    body: { urgency: Urgency; reason: string; version: number },
  ): Promise<Case> {
    requireRole(user, INTAKE_ROLES);
    const pre = await repo.findCase(this.db, id);
    if (!pre) throw notFound("Case");
    requireStation(user, pre.stationId);
    if (!ACTIVE_CASE_STATUSES.includes(pre.status as CaseStatus)) {
      throw new AppError(409, "INVALID_TRANSITION", `Case is ${pre.status}; only active cases can be re-triaged`);
    }
    const row = await this.log.transact(async (tx, record) => {
      const updated = await repo.updateCase(
        tx,
        id,
        { urgency: body.urgency, urgencyOverridden: true, urgencyOverrideReason: body.reason },
        body.version,
      );
      if (updated)
        record({
          type: "case.updated",
          stationId: updated.stationId,
          actorId: user.id,
          payload: { case: presentCase(updated) },
        });
      return updated;
    });
    if (!row) throw versionConflict("Case");
    return presentCase(row);
  }

  /** The intake result for a call, as `user` may see it. */
  private async sightingResult(call: repo.CallRow, user: SessionUser): Promise<SightingResult> {
    const kase = (await repo.findCase(this.db, call.caseId))!;
    const merged = call.intake !== "created";
    return {
      outcome: merged ? "merged" : "created",
      mergedBy: call.intake === "merged_by_operator" ? "operator" : call.intake === "merged_by_rule" ? "rule" : null,
      callId: call.id,
      case: presentCaseDetail(kase, await repo.listCalls(this.db, kase.id), user.role),
    };
  }

  /** Recomputes a case's caller count, flags, people, times and urgency from its calls. */
  private async refreshFromCalls(
    tx: Parameters<Parameters<EventLog["transact"]>[0]>[0],
    row: repo.CaseRow,
    alert: Parameters<typeof computeUrgency>[0]["alertLevel"],
    extra: Partial<repo.NewCase> = {},
  ): Promise<repo.CaseRow> {
    const calls = await repo.listCalls(tx, row.id);
    const agg = aggregateCalls(calls);
    if (!agg) return (await repo.updateCase(tx, row.id, { callerCount: 0, ...extra }))!;
    const assessment = computeUrgency({ flags: agg.flags, temperatureC: agg.temperatureC, alertLevel: alert });
    return (await repo.updateCase(tx, row.id, { ...agg, ...urgencyFields(row, assessment), ...extra }))!;
  }
}
