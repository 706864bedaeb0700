import { api } from "../../shared/api/index.js";
import type { KeyPointStatus } from "../../shared/api/keypoints.js";
import type { Station } from "../../shared/api/stations.js";
import type { Vehicle } from "../../shared/api/vehicles.js";
import { addDays, dayStart } from "../../shared/report-day.js";
import type { EncounterOutcome } from "../../shared/vocab.js";
import type { SessionUser } from "../auth/session-user.js";
import type { Services } from "../services.js";
import { HISTORY_HEAD } from "./seed.js";
import {
  CALL_FLAGS,
  CALL_LOAD,
  CALL_OUTCOMES,
  CALL_SOURCES,
  DISTRIBUTION_DAY_BACK,
  Dice,
  HISTORY_DAYS,
  MISSING_DAY_BACK,
  ROUND_LOAD,
  ROUND_OUTCOMES,
  STAY_ENDS,
  STREETS,
  ZERO_DAY_BACK,
  handOut,
  regularsOf,
  type Regular,
} from "./demo-history-plan.js";

const MIN = 60_000;
const HOUR = 60 * MIN;

/** Who does what at one station. */
interface Desk {
  station: Station;
  intake: SessionUser;
  crew: SessionUser;
  head: SessionUser;
  vehicles: Vehicle[];
  keyPoints: KeyPointStatus[];
  regulars: Regular[];
}

/** A brought-in person waiting for their stay to be registered. */
interface Arrival {
  desk: Desk;
  encounterId: string;
  at: number;
}

/** What the history wrote, for the start log and the tests. */
interface HistorySummary {
  days: string[];
  zeroDay: { stationId: string; day: string };
  missingDay: { stationId: string; day: string };
  calls: number;
  sorties: number;
  encounters: number;
  stays: number;
  reports: number;
}

/**
 * Two weeks of a running campaign in the fresh demo city (SEED=demo-history), written through the
 * services as the duty room, the phones and the station heads would have: calls taken and
 * dispatched with their CAD steps, planned rounds logged after the fact (补录) with key-point checks,
 * people met (regulars known by a document number, others unidentified) and supplies handed out
 * from the load, stays that began with a brought-in encounter and ended days later, a warming
 * shelter, a bulk distribution, and every day's report: the second station has one zero report
 * (a quiet day) and one missing day. Tonight both stations have their vehicles out with crews.
 * Everything is counted by the same rules as live data because it is live data, only dated back.
 * Deterministic (seeded dice); run once, right after the demo seed filled an empty database.
 */
export async function seedDemoHistory(s: Services, openingStock: number, now = new Date()): Promise<HistorySummary> {
  const dice = new Dice(20261128);
  const admin = (await s.auth.actingAs("admin"))!;
  const items = new Map((await s.supplies.items()).map((i) => [i.code, i.id]));
  const line = (code: string, quantity: number) => ({ itemId: items.get(code)!, quantity });
  const stations = (await s.stations.list(admin)).sort((a, b) => a.code.localeCompare(b.code));
  const [daoli, nangang] = stations as [Station, Station];
  const desks: Desk[] = [];
  for (const [st, intake, crew, head, offset] of [
    [daoli, "operator", "patrol1", "head", 0],
    [nangang, HISTORY_HEAD, "patrol2", HISTORY_HEAD, 5],
  ] as const) {
    desks.push({
      station: st,
      intake: (await s.auth.actingAs(intake))!,
      crew: (await s.auth.actingAs(crew))!,
      head: (await s.auth.actingAs(head))!,
      vehicles: (await s.vehicles.list(admin, { stationId: st.id }))
        .filter((v) => v.lastLat !== null)
        .sort((a, b) => a.callSign.localeCompare(b.callSign)),
      keyPoints: await s.keypoints.list(admin, { stationId: st.id }),
      regulars: regularsOf(st.code, offset),
    });
  }
  const today = s.totals.today();
  const days = Array.from({ length: HISTORY_DAYS }, (_, i) => addDays(today, i - HISTORY_DAYS));
  const zeroDay = addDays(today, -ZERO_DAY_BACK);
  const missingDay = addDays(today, -MISSING_DAY_BACK);
  const quiet = (d: Desk, day: string) => d.station.id === nangang.id && day === zeroDay;
  const startOf = (day: string) => dayStart(day, s.totals.timeZone, s.totals.dayStart).getTime();
  const iso = (t: number) => new Date(t).toISOString();
  const sum: HistorySummary = {
    days,
    zeroDay: { stationId: nangang.id, day: zeroDay },
    missingDay: { stationId: nangang.id, day: missingDay },
    calls: 0,
    sorties: 0,
    encounters: 0,
    stays: 0,
    reports: 0,
  };
  const arrivals: Arrival[] = [];

  // Enough stock for two weeks even when SEED_STOCK is small: a delivery before the first night.
  for (const d of desks)
    for (const [code] of ROUND_LOAD)
      if (openingStock < 150)
        await s.supplies.receive(
          d.head,
          api.supplies.receive.body.parse({
            id: dice.uuid(),
            stationId: d.station.id,
            itemId: items.get(code)!,
            quantity: 150 - openingStock,
            notes: "爱心企业捐赠 donation",
          }),
        );
  // A warming shelter at each station, open since the campaign began.
  const shelters = new Map<string, string>();
  for (const d of desks) {
    const sh = await s.shelters.create(
      d.head,
      api.shelters.create.body.parse({
        stationId: d.station.id,
        name: `${d.station.name.replace("救助管理站", "")}临时避寒点`,
        kind: "warming_shelter",
        lat: d.station.lat + 0.004,
        lng: d.station.lng - 0.003,
        address: d.station.address,
        capacity: 30,
        openedAt: iso(startOf(days[0]!) + HOUR),
      }),
    );
    shelters.set(d.station.id, sh.id);
  }

  /** A person met: a regular (by document number, so 人 < 人次) or someone unidentified. */
  const identityOf = (d: Desk) =>
    dice.chance(0.6)
      ? (({ name, gender, approxAge, idNumber, hometown }) => ({ name, gender, approxAge, idNumber, hometown }))(
          dice.pick(d.regulars),
        )
      : undefined;

  /** Hand-outs from what is left on board; `left` is updated. */
  const give = (left: Map<string, number>) =>
    handOut(dice).flatMap(([code, q]) => {
      const have = left.get(code) ?? 0;
      if (have < q) return [];
      left.set(code, have - q);
      return [line(code, q)];
    });

  const call = async (d: Desk, vehicle: Vehicle, t0: number) => {
    const kp = dice.chance(0.6) ? dice.pick(d.keyPoints) : undefined;
    const flags = dice.pick(CALL_FLAGS);
    const sighting = await s.cases.createSighting(
      d.intake,
      api.cases.createSighting.body.parse({
        id: dice.uuid(),
        stationId: d.station.id,
        source: dice.weighted(CALL_SOURCES),
        lat: kp ? kp.lat : d.station.lat + (dice.next() - 0.5) * 0.02,
        lng: kp ? kp.lng : d.station.lng + (dice.next() - 0.5) * 0.03,
        keyPointId: kp?.id,
        placeText: kp ? kp.name : dice.pick(STREETS[d.station.code] ?? ["街边"]),
        peopleCount: 1,
        description: flags.includes("injured_or_ill") ? "有人躺在路边，腿上有伤" : "有人在路边过夜，衣着单薄",
        flags,
        temperatureC: -14 - dice.int(0, 14),
        receivedAt: iso(t0),
        newCase: true,
      }),
    );
    sum.calls++;
    const caseId = sighting.case.id;
    if (dice.chance(0.3)) {
      // A second caller about the same person: the operator adds the call to the case.
      await s.cases.createSighting(
        d.intake,
        api.cases.createSighting.body.parse({
          id: dice.uuid(),
          stationId: d.station.id,
          source: "public_hotline",
          lat: sighting.case.lat + 0.0004,
          lng: sighting.case.lng - 0.0003,
          placeText: sighting.case.placeText,
          peopleCount: 1,
          description: "路人又打来电话，说那人还在",
          receivedAt: iso(t0 + 6 * MIN),
          mergeInto: caseId,
        }),
      );
      sum.calls++;
    }
    const left = new Map(CALL_LOAD);
    const sortie = await s.patrols.start(
      d.crew,
      api.patrols.startSortie.body.parse({
        id: dice.uuid(),
        vehicleId: vehicle.id,
        kind: "dispatched",
        crewCount: 2,
        crewNames: ["司机 老周", "救助员 小何"],
        load: CALL_LOAD.map(([c, q]) => line(c, q)),
        startedAt: iso(t0 + 3 * MIN),
      }),
    );
    sum.sorties++;
    const v = await s.vehicles.get(admin, vehicle.id);
    const task = await s.dispatch.assign(
      d.intake,
      api.dispatch.assign.body.parse({ id: dice.uuid(), caseId, vehicleId: v.id, vehicleVersion: v.version }),
      new Date(t0 + 4 * MIN),
    );
    const onScene = t0 + (12 + dice.int(0, 18)) * MIN;
    let version = task.version;
    for (const [status, at] of [
      ["acknowledged", t0 + 5 * MIN],
      ["en_route", t0 + 6 * MIN],
      ["on_scene", onScene],
    ] as const)
      version = (await s.dispatch.setStatus(d.crew, task.id, { status, version, at: iso(at) })).version;
    const found = dice.chance(0.9);
    const outcome: EncounterOutcome = found
      ? flags.includes("injured_or_ill")
        ? "hospital"
        : dice.weighted(CALL_OUTCOMES)
      : "not_found";
    const e = await s.encounters.create(
      d.crew,
      api.encounters.create.body.parse({
        id: dice.uuid(),
        caseId,
        assignmentId: task.id,
        sortieId: sortie.id,
        found,
        outcome,
        identity: found ? identityOf(d) : undefined,
        flags: found ? flags : [],
        supplies: found && outcome !== "refused" ? give(left) : [],
        occurredAt: iso(onScene + 4 * MIN),
      }),
    );
    sum.encounters++;
    if (outcome === "brought_in") arrivals.push({ desk: d, encounterId: e.id, at: onScene + 45 * MIN });
    await s.dispatch.setStatus(d.crew, task.id, { status: "cleared", version, at: iso(onScene + 12 * MIN) });
    await s.patrols.end(
      d.crew,
      sortie.id,
      api.patrols.endSortie.body.parse({
        returned: [...left].filter(([, q]) => q > 0).map(([c, q]) => line(c, q)),
        endedAt: iso(onScene + 25 * MIN),
      }),
    );
  };

  const round = async (d: Desk, vehicle: Vehicle, t0: number, joint: boolean) => {
    const t1 = t0 + 3.5 * HOUR;
    const checked = [...d.keyPoints].sort(() => dice.next() - 0.5).slice(0, dice.int(3, 5));
    const left = new Map(ROUND_LOAD);
    const visits = checked.map((kp, i) => ({ kp, id: dice.uuid(), at: t0 + (20 + i * 35) * MIN }));
    const encounters = visits.flatMap((v) =>
      Array.from({ length: dice.chance(0.55) ? dice.int(1, 2) : 0 }, (_, j) => {
        const outcome = dice.weighted(ROUND_OUTCOMES);
        return {
          id: dice.uuid(),
          keyPointVisitId: v.id,
          found: true,
          outcome,
          identity: identityOf(d),
          flags: dice.chance(0.3) ? (["elderly"] as const) : [],
          supplies: outcome === "refused" ? [] : give(left),
          lat: v.kp.lat,
          lng: v.kp.lng,
          placeText: v.kp.name,
          occurredAt: iso(v.at + (5 + j * 5) * MIN),
        };
      }),
    );
    await s.patrolLogs.record(
      d.crew,
      api.patrolLogs.create.body.parse({
        id: dice.uuid(),
        vehicleId: vehicle.id,
        kind: "planned",
        footStaff: joint ? [{ agency: "police", count: 2 }] : [],
        crewCount: 3,
        crewNames: ["组长 李强", "司机 老王", "救助员 小张"],
        startedAt: iso(t0),
        endedAt: iso(t1),
        load: ROUND_LOAD.map(([c, q]) => line(c, q)),
        returned: [...left].filter(([, q]) => q > 0).map(([c, q]) => line(c, q)),
        keyPoints: visits.map((v) => ({
          id: v.id,
          keyPointId: v.kp.id,
          peopleFound: encounters.filter((e) => e.keyPointVisitId === v.id).length,
          visitedAt: iso(v.at),
        })),
        encounters,
      }),
    );
    sum.sorties++;
    sum.encounters += encounters.length;
    for (const e of encounters)
      if (e.outcome === "brought_in")
        arrivals.push({ desk: d, encounterId: e.id, at: Date.parse(e.occurredAt) + 40 * MIN });
  };

  for (const [i, day] of days.entries()) {
    const base = startOf(day); // the report day's start (08:00 local by default)
    for (const d of desks) {
      if (quiet(d, day)) continue;
      const [roundCar, callCar] = i % 2 ? [d.vehicles[1]!, d.vehicles[0]!] : [d.vehicles[0]!, d.vehicles[1]!];
      const calls = dice.chance(0.3) ? 0 : dice.chance(0.65) ? 1 : 2;
      for (let c = 0; c < calls; c++) await call(d, callCar, base + 10 * HOUR + c * 95 * MIN + dice.int(0, 20) * MIN);
      await round(d, roundCar, base + 12 * HOUR + dice.int(0, 3) * 10 * MIN, i % 3 === 0);
      if (day === addDays(today, -DISTRIBUTION_DAY_BACK))
        await s.distributions.create(
          d.head,
          api.distributions.create.body.parse({
            id: dice.uuid(),
            stationId: d.station.id,
            placeKind: "shelter",
            shelterId: shelters.get(d.station.id),
            recipients: 12,
            supplies: [line("food", 12), line("water", 12)],
            notes: "避寒点集中发放",
            occurredAt: iso(base + 7 * HOUR),
          }),
        );
    }
  }

  // Stays: registered on arrival; most end a few days later, the last ones are still in the station.
  for (const a of arrivals) {
    const stay = await s.stays.start(
      a.desk.head,
      api.shelters.startStay.body.parse({
        id: dice.uuid(),
        stationId: a.desk.station.id,
        encounterId: a.encounterId,
        bed: `${dice.int(1, 3)}0${dice.int(1, 9)}`,
        arrivedAt: iso(a.at),
      }),
    );
    sum.stays++;
    let end = a.at + dice.int(1, 4) * 24 * HOUR + 2 * HOUR;
    if (a.desk.station.id === nangang.id && end >= startOf(zeroDay) && end < startOf(addDays(zeroDay, 1)))
      end += 24 * HOUR; // the quiet day stays quiet
    if (end >= startOf(today)) continue;
    const reason = dice.weighted(STAY_ENDS);
    await s.stays.end(
      a.desk.head,
      stay.id,
      api.shelters.endStay.body.parse({
        reason,
        at: iso(end),
        travelVoucher: reason === "escorted_home",
        destination: reason === "escorted_home" ? dice.pick(["绥化", "榆树", "菏泽"]) : "",
        version: stay.version,
      }),
    );
  }

  // Every past day reported (frozen now, with everything above in it), but for the missing one.
  const campaignId = (await s.campaigns.list(admin))[0]!.id;
  for (const d of desks)
    for (const day of days) {
      if (d.station.id === nangang.id && day === missingDay) continue;
      await s.reports.submit(
        d.head,
        campaignId,
        api.reports.submit.body.parse({ id: dice.uuid(), stationId: d.station.id, day, zero: quiet(d, day) }),
      );
      sum.reports++;
    }

  // Tonight: every vehicle with a position is out with its crew, available for the duty room.
  for (const d of desks)
    for (const v of d.vehicles)
      await s.patrols.start(
        d.crew,
        api.patrols.startSortie.body.parse({
          id: dice.uuid(),
          vehicleId: v.id,
          crewCount: 3,
          crewNames: ["组长 李强", "司机 老王", "救助员 小张"],
          load: ROUND_LOAD.map(([c, q]) => line(c, q)),
          startedAt: iso(now.getTime() - 25 * MIN),
        }),
      );
  return sum;
}
