import type { Case } from "../../shared/api/cases.js";
import { ACTIVE_CASE_STATUSES } from "../../shared/status.js";
import { decodeQueueCursor, encodeQueueCursor, type QueueFilter } from "../../shared/queue.js";
import type { Db } from "../db/client.js";
import type { SessionUser } from "../auth/session-user.js";
import { requireStation } from "../auth/policy.js";
import * as repo from "./cases.repo.js";
import { presentCase } from "./cases.presenter.js";

export type QueuePageQuery = QueueFilter & { after?: string | undefined; limit: number };
export interface QueuePage {
  items: Case[];
  total: number;
  nextCursor: string | null;
}

/**
 * One page of the duty-room queue in the user's scope, with the number of cases matching the
 * filters in all pages (the queue says "200 of 3,412", never a silent cap).
 */
export async function queuePage(db: Db, user: SessionUser, q: QueuePageQuery): Promise<QueuePage> {
  if (q.stationId) requireStation(user, q.stationId);
  const stationIds = q.stationId ? [q.stationId] : user.allStations ? undefined : user.stationIds;
  const statuses = q.status === "active" ? ACTIVE_CASE_STATUSES : [q.status];
  const filter = {
    stationIds,
    statuses,
    urgency: q.urgency,
    receivedBefore: q.minWaitMin ? new Date(Date.now() - q.minWaitMin * 60_000) : undefined,
  };
  const [rows, total] = await Promise.all([
    repo.listQueue(db, { ...filter, after: q.after ? decodeQueueCursor(q.after) : undefined, limit: q.limit }),
    repo.countQueue(db, filter),
  ]);
  const items = rows.map(presentCase);
  const last = items.at(-1);
  return { items, total, nextCursor: last && items.length === q.limit ? encodeQueueCursor(last) : null };
}
