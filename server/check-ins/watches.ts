import type { DbOrTx } from "../db/client.js";
import type { RecordEvent } from "../events/event-log.js";
import type { EventLog } from "../events/event-log.js";
import {
  checkInRequirement,
  DEFAULT_CHECK_IN_RULE,
  nextCheckInDue,
  type CheckInRequirement,
} from "../../shared/check-ins.js";
import type { AlertLevel } from "../../shared/vocab.js";
import { stationRegionChain } from "../stations/stations.repo.js";
import { levelsByStation } from "../campaigns/campaigns.repo.js";
import * as repo from "./check-ins.repo.js";
import { presentStatus } from "./check-ins.presenter.js";

/**
 * The check-in watch of each open sortie: whether it must check in now and its stored deadline.
 * A watch opens with a live sortie start (PatrolsService.start, deadline from the start time), and
 * the job's sync (`syncWatches`) follows changes of level and policy while sorties are out: a level
 * raised mid-sortie starts the clock from when the server saw it, a lowered one stops it, a
 * tightened interval brings the deadline forward (a loosened one takes effect at the next check-in).
 */

/**
 * The check-in requirement at a station on `now`: over the campaigns running over the station's
 * region chain (UTC calendar day, as the triage's level rule), each at its level in force there
 * with its policy; null when none requires check-ins.
 */
async function requirementAt(db: DbOrTx, stationId: string, now: Date): Promise<CheckInRequirement | null> {
  const chain = await stationRegionChain(db, stationId);
  const running = await repo.runningCampaigns(db, chain, now.toISOString().slice(0, 10));
  if (!running.length) return null;
  const policies = await repo.policiesOf(
    db,
    running.map((c) => c.id),
  );
  const inputs = [];
  for (const c of running) {
    const level = (await levelsByStation(db, c, [stationId])).get(stationId) ?? c.alertLevel;
    const p = policies.get(c.id);
    const rule = p ? { levels: p.levels as AlertLevel[], intervalMinutes: p.intervalMinutes } : DEFAULT_CHECK_IN_RULE;
    inputs.push({ campaignId: c.id, level, rule });
  }
  return checkInRequirement(inputs);
}

/** Announces a watch's state to the station (the crew's phone and the duty room). */
async function announce(db: DbOrTx, record: RecordEvent, sortie: repo.SortieRow, watch: repo.WatchRow, now: Date) {
  const vehicle = (await repo.findVehicle(db, sortie.vehicleId))!;
  record({
    type: "check_in.schedule_changed",
    stationId: sortie.stationId,
    actorId: null,
    payload: presentStatus(sortie, vehicle, watch, now),
  });
}

/** Longer than any sortie's night: older starts open no watch. */
const NIGHT_MS = 16 * 3600_000;

/**
 * Opens the watch of a sortie just started, inside its transaction: when the level in force
 * requires check-ins, the first deadline is the start time plus the interval.
 */
export async function openWatchIn(tx: DbOrTx, record: RecordEvent, sortie: repo.SortieRow, now: Date): Promise<void> {
  // A start dated further back than a night is history being entered (the demo's past nights), not a crew out now.
  if (now.getTime() - sortie.startedAt.getTime() > NIGHT_MS) return;
  const req = await requirementAt(tx, sortie.stationId, now);
  if (!req) return;
  const watch = await repo.insertWatch(tx, {
    sortieId: sortie.id,
    stationId: sortie.stationId,
    vehicleId: sortie.vehicleId,
    required: true,
    level: req.level,
    intervalMinutes: req.intervalMinutes,
    nextDueAt: nextCheckInDue(sortie.startedAt, req.intervalMinutes),
  });
  if (watch) await announce(tx, record, sortie, watch, now);
}

/**
 * Brings every open sortie's watch in line with the level and policy in force, and stops the
 * watches of ended sorties. Each change is its own small transaction under the watch's row lock.
 * Returns how many watches changed.
 */
export async function syncWatches(db: DbOrTx, log: EventLog, now: Date): Promise<number> {
  const requirements = new Map<string, CheckInRequirement | null>();
  const reqOf = async (stationId: string) => {
    if (!requirements.has(stationId)) requirements.set(stationId, await requirementAt(db, stationId, now));
    return requirements.get(stationId)!;
  };
  let changed = 0;
  for (const { sortie, watch } of await repo.openSortiesWithWatch(db)) {
    const req = await reqOf(sortie.stationId);
    if (!needsChange(watch, req)) continue;
    const did = await log.transact(async (tx, record) => {
      const w = await repo.findWatch(tx, sortie.id, true);
      if (!needsChange(w ?? null, req)) return false;
      let next: repo.WatchRow | undefined;
      if (!req) next = await repo.updateWatch(tx, sortie.id, { required: false, nextDueAt: null });
      else if (!w)
        next = await repo.insertWatch(tx, {
          sortieId: sortie.id,
          stationId: sortie.stationId,
          vehicleId: sortie.vehicleId,
          required: true,
          level: req.level,
          intervalMinutes: req.intervalMinutes,
          nextDueAt: nextCheckInDue(now, req.intervalMinutes),
        });
      else {
        const fresh = nextCheckInDue(now, req.intervalMinutes);
        const due = w.required && w.nextDueAt && w.nextDueAt < fresh ? w.nextDueAt : fresh;
        next = await repo.updateWatch(tx, sortie.id, {
          required: true,
          level: req.level,
          intervalMinutes: req.intervalMinutes,
          nextDueAt: due,
        });
      }
      if (!next) return false;
      await announce(tx, record, sortie, next, now);
      return true;
    });
    if (did) changed++;
  }
  for (const w of await repo.requiredWatchesOfEndedSorties(db)) {
    await log.transact(async (tx) => repo.updateWatch(tx, w.sortieId, { required: false, nextDueAt: null }));
    changed++;
  }
  return changed;
}

/** Whether a watch differs from the requirement in force. */
function needsChange(w: repo.WatchRow | null, req: CheckInRequirement | null): boolean {
  if (!req) return !!w?.required;
  return !w || !w.required || w.level !== req.level || w.intervalMinutes !== req.intervalMinutes;
}
