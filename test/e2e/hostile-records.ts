import { randomUUID } from "node:crypto";
import { expect } from "vitest";
import { api } from "../../shared/api/index.js";
import type { Endpoint } from "../../shared/api/endpoint.js";
import type { TestClient } from "../helpers/http.js";
import { localDay } from "../../shared/counting.js";
import { DEMO_PARTNER_KEY } from "../../server/partners/partners.service.js";
import { HostileText, KINDS } from "./hostile-payloads.js";
import { dispatchTo, ok, stationOf, TZ } from "./steps.js";

/** The signed-in API clients that plant the records, one per role that may create them. */
interface Planters {
  admin: TestClient;
  head: TestClient;
  operator: TestClient;
  patrol: TestClient;
  anon: TestClient;
}

/** Ids of what was planted, for the screens that open them. */
export interface Planted {
  hostile: HostileText;
  stationId: string;
  campaignId: string;
  caseIds: string[];
  /** The demo vehicle the patrol phone is on, holding the task of the first hostile case. */
  dl01: string;
  /** People with a hostile identification file still open (the first one of all is closed). */
  openFileIds: string[];
}

/** Every create endpoint that takes free text, with a valid body apart from the text. */
const N = KINDS.length;

/**
 * Places on a grid around the duty room's centre (station DL), rows ~90 px and columns ~95 px
 * apart at the map's zoom 13, so the 56 px clustering grid never puts two in one bubble.
 */
const spot = (row: number, col: number) => ({ lat: 45.7705 + (row - 2) * 0.012, lng: 126.6166 + (col - 3) * 0.016 });

/**
 * Creates, through the API as each role would, records whose every free-text field holds hostile
 * payloads: six records per create endpoint (so each field gets each payload kind) where the domain
 * allows it, one where it does not (a daily report per day, the phone's sortie).
 */
export async function plantHostileRecords(p: Planters): Promise<Planted> {
  const hostile = new HostileText();
  /** POSTs a hostile body for endpoint `name`, expecting success; returns the JSON answer. */
  const create = async (
    who: TestClient,
    name: string,
    ep: Endpoint,
    base: Record<string, unknown>,
    variant: number,
    params?: Record<string, unknown>,
  ) => {
    const data = hostile.body(name, ep, base, variant);
    // The escape hatch on purpose: the body is built field by field from the endpoint's schema.
    const r = await who.raw(ep, { params, body: data });
    expect(r.status, `${name} #${variant}: ${JSON.stringify(r.body).slice(0, 400)}`).toBeLessThan(300);
    return r.body as Record<string, unknown>;
  };

  const stationId = await stationOf(p.head);
  const stations = ok(await p.admin.call(api.stations.list));
  const regionId = stations.items.find((s) => s.id === stationId)!.regionId;
  const today = localDay(new Date(), TZ);
  const campaigns = ok(await p.head.call(api.campaigns.list));
  const campaign = campaigns.items.find((c) => c.startsOn <= today && today <= c.endsOn) ?? campaigns.items[0]!;
  const vehicles = ok(await p.admin.call(api.vehicles.list));
  const dl01 = vehicles.items.find((v) => v.callSign === "DL-01")!.id;
  const items = ok(await p.admin.call(api.supplies.items));
  const quilt = items.items.find((i) => i.code === "quilt")!.id;

  // Admin: stations (far north, so DL stays the station nearest the Open311 reports), vehicles (with a position, so they are on the map), users, supply items, campaigns.
  for (let i = 0; i < N; i++) {
    await create(
      p.admin,
      "stations.create",
      api.stations.create,
      { code: `XS${i}`, regionId, ...spot(9, i), beds: 5 },
      i,
    );
    const v = await create(
      p.admin,
      "vehicles.create",
      api.vehicles.create,
      { stationId, seats: 5, id: randomUUID() },
      i,
    );
    const fix = { vehicleId: String(v.id), ...spot(3, i), accuracy: 10, recordedAt: new Date().toISOString() };
    ok(await p.admin.call(api.patrols.positions, { body: { points: [fix] } }), "position");
    await create(
      p.admin,
      "users.create",
      api.users.create,
      { username: `xss${i}`, role: "patrol", stationId, password: "hostile-text-1" },
      i,
    );
    await create(p.admin, "supplies.createItem", api.supplies.createItem, { code: `xss${i}`, unitValueFen: 100 }, i);
    // In the past, so the station pages keep today's campaign as their default.
    await create(
      p.admin,
      "campaigns.create",
      api.campaigns.create,
      { regionId, startsOn: `2020-01-0${i + 1}`, endsOn: `2020-01-2${i}` },
      i,
    );
  }

  // Station head: key points, shelters (with stays), people (with a family search), stock received, the day's report.
  const shelterIds: string[] = [];
  for (let i = 0; i < N; i++) {
    await create(p.head, "keypoints.create", api.keypoints.create, { stationId, kind: "other", ...spot(1, i) }, i);
    const sh = await create(
      p.head,
      "shelters.create",
      api.shelters.create,
      { stationId, kind: "warming_shelter", ...spot(0, i), capacity: 10 },
      i,
    );
    shelterIds.push(String(sh.id));
    const person = await create(p.head, "people.create", api.people.create, { id: randomUUID(), stationId }, i);
    await create(
      p.head,
      "people.familySearch",
      api.people.familySearch,
      { status: "notice_published", version: person.version },
      i,
      { id: person.id },
    );
    await create(
      p.head,
      "supplies.receive",
      api.supplies.receive,
      { id: randomUUID(), stationId, itemId: quilt, quantity: 1 },
      i,
    );
    await create(
      p.head,
      "supplies.writeOff",
      api.supplies.writeOff,
      { id: randomUUID(), stationId, itemId: quilt, quantity: 1 },
      i,
    );
    // Levels in turn, so each is a change the history keeps.
    const level = ["yellow", "orange", "red", "blue"][i % 4];
    await create(p.head, "campaigns.setAlert", api.campaigns.setAlert, { id: randomUUID(), stationId, level }, i, {
      id: campaign.id,
    });
  }
  const stays: Record<string, unknown>[] = [];
  for (let i = 0; i < N; i++) {
    stays.push(
      await create(
        p.head,
        "shelters.startStay",
        api.shelters.startStay,
        { id: randomUUID(), stationId, shelterId: shelterIds[i] },
        i,
      ),
    );
  }
  // One stay ends (its destination is text too); the others stay open for the stays table.
  await create(p.head, "shelters.endStay", api.shelters.endStay, { reason: "left", version: stays[0]!.version }, 0, {
    id: stays[0]!.id,
  });
  const reportId = randomUUID();
  await create(p.head, "reports.submit", api.reports.submit, { id: reportId, stationId, day: today }, 1, {
    id: campaign.id,
  });
  for (let i = 0; i < N; i++)
    await create(p.head, "reports.amend", api.reports.amend, { id: randomUUID() }, i, { id: reportId });

  // The duty room: calls from the hotline and from the partner system (Open311).
  const caseIds: string[] = [];
  for (let i = 0; i < N; i++) {
    const id = randomUUID();
    await create(
      p.operator,
      "cases.createSighting",
      api.cases.createSighting,
      { id, source: "public_hotline", ...spot(2, i), peopleCount: 1, newCase: true },
      i,
    );
    caseIds.push(id);
    // Half a row off the calls, still nearer DL than any other station, so DL's duty room gets them.
    const { lat, lng } = spot(2.6, i + 0.5);
    await create(
      p.anon,
      "open311.create",
      api.open311.create,
      { api_key: DEMO_PARTNER_KEY, service_code: "rough_sleeper", lat, long: lng },
      i,
      { format: "json" },
    );
  }

  // The patrol: a sortie on DL-01 with hostile crew names, key-point visits and people met; then the
  // duty room gives DL-01 the first hostile case, so it is the phone's task card. The people met
  // with no identity get identification files with hostile clues, steps and a closing note.
  const sortieId = randomUUID();
  await create(
    p.patrol,
    "patrols.startSortie",
    api.patrols.startSortie,
    { id: sortieId, vehicleId: dl01, crewCount: 2 },
    0,
  );
  const kps = ok(await p.head.call(api.keypoints.list));
  const identifiedIds: string[] = [];
  for (let i = 0; i < N; i++) {
    const kp = kps.items.find((k) => hostile.planted("keypoints.create.name").includes(k.name)) ?? kps.items[0]!;
    await create(
      p.patrol,
      "patrols.visitKeyPoint",
      api.patrols.visitKeyPoint,
      { id: randomUUID(), keyPointId: kp.id, sortieId, peopleFound: 1 },
      i,
    );
    const enc = await create(
      p.patrol,
      "encounters.create",
      api.encounters.create,
      { id: randomUUID(), sortieId, found: true, outcome: "street_aid", ...spot(2, i) },
      i,
    );
    // Someone else met at that patrol-found case with no identity, identified later from the people
    // page (the duty room's hostile cases are left as they are).
    const unknown = randomUUID();
    const met = await p.patrol.call(api.encounters.create, {
      body: { id: unknown, caseId: String(enc.caseId), sortieId, found: true, outcome: "street_aid" },
    });
    ok(met, "encounter");
    const identified = await create(
      p.head,
      "people.identify",
      api.people.identify,
      { person: { id: randomUUID(), flags: [] } },
      i,
      { id: unknown },
    );
    identifiedIds.push(String(identified.id));
    await plantIdentificationFile(identifiedIds.at(-1)!, i);
  }
  // A partner's list matched against the registry, and a head's decision on a person of it.
  for (let i = 0; i < N; i++) {
    await create(
      p.head,
      "identification.match",
      api.identification.match,
      { stationId, csv: "姓名,年龄\n张三,50\n" },
      i,
    );
    await create(
      p.head,
      "identification.decide",
      api.identification.decide,
      {
        id: randomUUID(),
        stationId,
        row: 2,
        personId: identifiedIds[i]!,
        listed: { 姓名: "张三" },
        score: 0.5,
        reasons: [],
        decision: "rejected",
      },
      i,
    );
  }

  const assignTo = async (caseId: string, vehicleId: string) => {
    const v = ok(await p.operator.call(api.vehicles.get, { params: { id: vehicleId } }));
    return dispatchTo(p.operator, caseId, v);
  };
  await assignTo(caseIds[0]!, dl01);
  // A task given to DL-02 and cancelled, with a hostile reason.
  const dl02 = vehicles.items.find((x) => x.callSign === "DL-02")!.id;
  const task = await assignTo(caseIds[1]!, dl02);
  await create(p.operator, "dispatch.cancel", api.dispatch.cancel, { version: task.version }, 0, { id: task.id });

  // Regions (admin), distributions from the store (head), and a sortie entered after the fact (head).
  for (let i = 0; i < N; i++) {
    await create(
      p.admin,
      "regions.create",
      api.regions.create,
      { id: randomUUID(), level: "community", parentId: regionId },
      i,
    );
    await create(
      p.head,
      "distributions.create",
      api.distributions.create,
      {
        id: randomUUID(),
        stationId,
        placeKind: "distribution_point",
        recipients: 2,
        supplies: [{ itemId: quilt, quantity: 1 }],
      },
      i,
    );
  }
  const dl03 = vehicles.items.find((x) => x.callSign === "DL-03")!.id;
  const back = Date.now() - 3_600_000;
  await create(
    p.head,
    "patrolLogs.create",
    api.patrolLogs.create,
    {
      id: randomUUID(),
      vehicleId: dl03,
      crewCount: 2,
      startedAt: new Date(back - 3_600_000).toISOString(),
      endedAt: new Date(back).toISOString(),
    },
    0,
  );

  return { hostile, stationId, campaignId: campaign.id, caseIds, dl01, openFileIds: identifiedIds.slice(1) };

  /** Person `personId`'s identification file with hostile facts, a clue, a step; the first one closed. */
  async function plantIdentificationFile(personId: string, i: number) {
    const params = { id: personId };
    await create(p.head, "identification.open", api.identification.open, {}, i, params);
    await create(
      p.patrol,
      "identification.addClue",
      api.identification.addClue,
      { id: randomUUID(), kind: "dialect" },
      i,
      params,
    );
    const file = await create(
      p.head,
      "identification.addStep",
      api.identification.addStep,
      { id: randomUUID(), kind: "notice_published", channel: "national_site" },
      i,
      params,
    );
    // Consent to a photo, with hostile words for who gave it (shown on the file's photo card).
    const consented = await create(
      p.patrol,
      "identificationPhoto.recordConsent",
      api.identificationPhoto.recordConsent,
      { version: file.version },
      i,
      params,
    );
    if (i === 0)
      await create(
        p.head,
        "identification.close",
        api.identification.close,
        { closing: "settled", version: consented.version },
        i,
        params,
      );
  }
}
