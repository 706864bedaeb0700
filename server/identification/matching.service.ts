import type { z } from "zod";
import type { identificationApi } from "../../shared/api/identification.js";
import { maskedLabel } from "../../shared/identity.js";
import type { Db } from "../db/client.js";
import type { EventLog } from "../events/event-log.js";
import type { SessionUser } from "../auth/session-user.js";
import { requireRole, requireStation } from "../auth/policy.js";
import { fieldError } from "../http/errors.js";
import * as people from "../people/people.repo.js";
import { auditIdentityReads } from "../people/identity.js";
import * as repo from "./identification.repo.js";
import { readListRows } from "./list-rows.js";
import { RegistryIndex } from "./matcher.js";
import { fileEvent } from "./access.js";

type Api = typeof identificationApi;
type Body<K extends "match" | "decide"> = z.infer<Api[K]["body"]>;

/**
 * Partner-list matching (列表比对): a partner's list (CSV or Excel) against the station's registry,
 * ranked candidates with reasons, and a head's logged decisions that merge nothing.
 */
export class IdentificationMatchService {
  constructor(
    private readonly db: Db,
    private readonly log: EventLog,
  ) {}

  /** Matches a partner's list against the station's registry: candidates with reasons; the identity shown is audited. */
  async match(user: SessionUser, body: Body<"match">) {
    requireRole(user, ["head"]);
    requireStation(user, body.stationId);
    const rows = await readListRows(body);
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
      record(fileEvent(user, body.stationId, body.personId, "match_decision", p.version));
    });
    return { ok: true as const, decision: body.decision };
  }
}
