import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, ENGINE, type TestDatabase } from "../helpers/test-server.js";
import type { RunningServer } from "../../server/server.js";
import { Fixtures } from "../helpers/fixtures.js";
import * as t from "../../server/db/schema/index.js";
import { openRechecks } from "../../server/campaigns/campaigns.repo.js";

/**
 * The due-now re-check query (campaigns.repo openRechecks), rewritten to aggregate the latest
 * encounter per person / case and the latest stay once: which refused or street-aid encounters
 * still wait for a re-check, through merges, stays, cases and ties.
 */
describe(`due-now re-checks over encounters [${ENGINE}]`, () => {
  let tdb: TestDatabase;
  let srv: RunningServer;
  let fx: Fixtures;
  let demo: Awaited<ReturnType<Fixtures["demo"]>>;
  const H = 3600_000;
  const ago = (h: number) => new Date(Date.now() - h * H);

  beforeAll(async () => {
    tdb = await createTestDatabase();
    srv = await tdb.start();
    fx = new Fixtures(srv.database.db);
    demo = await fx.demo();
  });
  afterAll(async () => {
    await srv?.close();
    await tdb?.destroy();
  });

  it("keeps only the latest refused / street-aid encounter of each person, case or unidentified sighting: 4 of 10 open", async () => {
    const { dl, ng } = demo;
    const open: string[] = [];
    // A: refused, met again later as A' (merged into A) at another station: only the later one is open.
    const a = await fx.person(dl.id);
    const aDup = await fx.person(ng.id, { mergedIntoId: a });
    await fx.encounter(dl.id, "refused", ago(10), { personId: a });
    open.push(await fx.encounter(ng.id, "street_aid", ago(2), { personId: aDup }));
    // B: refused, then came into a stay: nothing open.
    const b = await fx.person(dl.id);
    await fx.encounter(dl.id, "refused", ago(9), { personId: b });
    await srv.database.db
      .insert(t.stays)
      .values({ id: randomUUID(), stationId: dl.id, personId: b, arrivedAt: ago(8) });
    // C: a stay before the refusal does not close it.
    const c = await fx.person(dl.id);
    await srv.database.db.insert(t.stays).values({
      id: randomUUID(),
      stationId: dl.id,
      personId: c,
      arrivedAt: ago(30),
      endedAt: ago(20),
      endReason: "left",
    });
    open.push(await fx.encounter(dl.id, "refused", ago(7), { personId: c }));
    // D: street aid, later found brought in (not a re-check outcome): closed.
    const d = await fx.person(dl.id);
    await fx.encounter(dl.id, "street_aid", ago(6), { personId: d });
    await fx.encounter(dl.id, "brought_in", ago(5), { personId: d });
    // Unidentified on a case: the later encounter on the same case closes the earlier one.
    const kase = await fx.case(dl.id, ago(12), 60);
    await fx.encounter(dl.id, "refused", ago(11), { caseId: kase });
    open.push(await fx.encounter(dl.id, "refused", ago(4), { caseId: kase }));
    // Unidentified without a case: cannot be linked, stays open.
    open.push(await fx.encounter(dl.id, "street_aid", ago(3)));
    // Older than the look-back: not listed.
    await fx.encounter(dl.id, "refused", ago(24 * 8), { personId: await fx.person(dl.id) });

    const rows = await openRechecks(srv.database.db, [dl.id, ng.id], ago(24 * 7));
    expect(rows.map((r) => r.id).sort()).toEqual([...open].sort());
    expect(rows.map((r) => new Date(r.occurred_at).getTime())).toEqual(
      [...rows.map((r) => new Date(r.occurred_at).getTime())].sort((x, y) => x - y),
    );
    // Scope: only NG's station asked for, only A' is listed (A's later encounter there).
    expect((await openRechecks(srv.database.db, [ng.id], ago(24 * 7))).map((r) => r.id)).toEqual([open[0]]);
  });

  it("lists both encounters of a person met twice at the same instant (no later one): 2 open", async () => {
    const p = await fx.person(demo.dl.id);
    const when = ago(1);
    const e1 = await fx.encounter(demo.dl.id, "refused", when, { personId: p });
    const e2 = await fx.encounter(demo.dl.id, "street_aid", when, { personId: p });
    const ids = (await openRechecks(srv.database.db, [demo.dl.id], ago(2))).map((r) => r.id);
    expect(ids.filter((id) => id === e1 || id === e2).sort()).toEqual([e1, e2].sort());
  });
});
