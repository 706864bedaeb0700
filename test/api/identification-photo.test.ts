import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { createTestDatabase, ENGINE, type TestDatabase } from "../helpers/test-server.js";
import type { RunningServer } from "../../server/server.js";
import { TestClient } from "../helpers/http.js";
import { Fixtures, signInAll } from "../helpers/fixtures.js";
import { api } from "../../shared/api/index.js";
import * as t from "../../server/db/schema/index.js";
import { detectPhotoType } from "../../shared/identification-photo.js";

/** A minimal JPEG: start-of-image, an APP0 marker, some bytes, end-of-image. */
const JPEG = Buffer.from([
  0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x02, 0x03, 0xff, 0xd9,
]);
/** A 1x1 PNG. */
const PNG = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==",
  "base64",
);

describe(`identification photo with recorded consent [${ENGINE}]`, () => {
  let tdb: TestDatabase;
  let srv: RunningServer;
  let head: TestClient, patrol1: TestClient, supervisor: TestClient, admin: TestClient, ngHead: TestClient;
  let fx: Fixtures;
  let demo: Awaited<ReturnType<Fixtures["demo"]>>;

  beforeAll(async () => {
    tdb = await createTestDatabase();
    srv = await tdb.start();
    [head, patrol1, supervisor, admin] = await signInAll(srv.url, ["head", "patrol1", "supervisor", "admin"] as const);
    fx = new Fixtures(srv.database.db);
    demo = await fx.demo();
    const made = await admin.call(api.users.create, {
      body: {
        id: randomUUID(),
        username: "ngheadphoto",
        displayName: "站长 南岗",
        role: "head",
        stationId: demo.ng.id,
        password: "ng-head-password",
      },
    });
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    ngHead = await new TestClient(srv.url).login("ngheadphoto", "ng-head-password");
  });
  afterAll(async () => {
    await srv?.close();
    await tdb?.destroy();
  });

  it("edits the file's facts with versions: a stale edit is a 409 VERSION_CONFLICT, arrival corrected after the fact moves the deadlines, the notice's fields are the head's", async () => {
    const personId = await fx.person(demo.dl.id, { gender: "female", approxAge: 66 });
    const now = Date.now();
    const opened = await head.call(api.identification.open, {
      params: { id: personId },
      body: { arrivedAt: new Date(now - 3600_000).toISOString() },
    });
    expect(opened.status).toBe(200);
    expect(opened.body.noticeFields).toEqual([]);
    const notice = () => opened.body.deadlines.find((d) => d.kind === "notice_published")!;
    expect(notice().state).toBe("open");
    // Arrival corrected to two days ago: the notice is now overdue.
    const moved = await patrol1.call(api.identification.update, {
      params: { id: personId },
      body: { version: opened.body.version, arrivedAt: new Date(now - 2 * 86_400_000).toISOString(), heightCm: 150 },
    });
    expect(moved.status, JSON.stringify(moved.body)).toBe(200);
    expect(moved.body.deadlines.find((d) => d.kind === "notice_published")!.state).toBe("overdue");
    // The same version again is stale: refused, nothing overwritten.
    const stale = await head.call(api.identification.update, {
      params: { id: personId },
      body: { version: opened.body.version, heightCm: 160 },
    });
    expect(stale.status).toBe(409);
    expect(stale.error.code).toBe("VERSION_CONFLICT");
    expect((await head.call(api.identification.get, { params: { id: personId } })).body.heightCm).toBe(150);
    // Only the head chooses the notice's fields; a crew is refused.
    const crew = await patrol1.call(api.identification.update, {
      params: { id: personId },
      body: { version: moved.body.version, noticeFields: ["gender", "name"] },
    });
    expect(crew.status).toBe(403);
    const chosen = await head.call(api.identification.update, {
      params: { id: personId },
      body: { version: moved.body.version, noticeFields: ["gender", "foundAt", "gender"] },
    });
    expect(chosen.status, JSON.stringify(chosen.body)).toBe(200);
    expect(chosen.body.noticeFields).toEqual(["gender", "foundAt"]);
    // A date in the future is refused, naming the field.
    const future = await head.call(api.identification.update, {
      params: { id: personId },
      body: { version: chosen.body.version, foundAt: new Date(now + 86_400_000).toISOString() },
    });
    expect(future.status).toBe(400);
    expect(future.error.issues?.map((i) => i.path) ?? [future.error.message]).toEqual(
      expect.arrayContaining([expect.stringContaining("body.foundAt")]),
    );
  });

  it("tells JPEG and PNG by their bytes at both ends", () => {
    expect(detectPhotoType(JPEG)).toBe("image/jpeg");
    expect(detectPhotoType(PNG)).toBe("image/png");
    expect(detectPhotoType(JPEG.subarray(0, JPEG.length - 2))).toBeNull(); // a JPEG header on a truncated body
    expect(detectPhotoType(PNG.subarray(0, 40))).toBeNull(); // a PNG header with no IEND
    expect(detectPhotoType(Buffer.from("GIF89a...."))).toBeNull();
    expect(detectPhotoType(Buffer.from("<svg xmlns='http://www.w3.org/2000/svg'/>"))).toBeNull();
  });

  it("keeps a photo only with consent, checks its bytes, shows it to the station only (audited), never exports it, and deletes it on withdrawal", async () => {
    const personId = await fx.person(demo.dl.id, { name: "照片测试", gender: "male", approxAge: 40 });
    const opened = await head.call(api.identification.open, {
      params: { id: personId },
      body: { features: "右手缺一指" },
    });
    expect(opened.status, JSON.stringify(opened.body)).toBe(200);
    expect(opened.body.photo).toEqual({ consent: null, contentType: null, bytes: 0 });

    // No consent: refused with a stable code naming the field.
    const refused = await patrol1.call(api.identificationPhoto.upload, {
      params: { id: personId },
      body: { contentType: "image/jpeg", data: JPEG.toString("base64"), version: opened.body.version },
    });
    expect(refused.status).toBe(409);
    expect(refused.error.code).toBe("CONSENT_REQUIRED");
    expect(refused.error.message).toContain("photoConsent");

    // Consent recorded after the fact: who gave it, when, and who recorded it.
    const givenAt = new Date(Date.now() - 3 * 3600_000).toISOString();
    const consent = await patrol1.call(api.identificationPhoto.recordConsent, {
      params: { id: personId },
      body: { givenBy: "本人（口头同意，王芳在场）", givenAt, version: opened.body.version },
    });
    expect(consent.status, JSON.stringify(consent.body)).toBe(200);
    expect(consent.body.photo.consent).toMatchObject({ givenBy: "本人（口头同意，王芳在场）", givenAt });
    expect(consent.body.photo.consent!.recordedBy).toBeTruthy();
    // A stale version is a conflict.
    const stale = await head.call(api.identificationPhoto.recordConsent, {
      params: { id: personId },
      body: { givenBy: "x", version: opened.body.version },
    });
    expect(stale.status).toBe(409);
    expect(stale.error.code).toBe("VERSION_CONFLICT");

    // Wrong type: a GIF, a JPEG header over other bytes, a PNG declared as JPEG.
    const v = consent.body.version;
    const bad = async (contentType: "image/jpeg" | "image/png", bytes: Buffer) =>
      patrol1.call(api.identificationPhoto.upload, {
        params: { id: personId },
        body: { contentType, data: bytes.toString("base64"), version: v },
      });
    for (const [type, bytes, field] of [
      ["image/jpeg", Buffer.from("GIF89a\x01\x00\x01\x00"), "body.data"],
      ["image/jpeg", Buffer.concat([JPEG.subarray(0, 4), Buffer.from("<script>alert(1)</script>")]), "body.data"],
      ["image/jpeg", PNG, "body.contentType"],
    ] as const) {
      const r = await bad(type, bytes);
      expect(r.status, JSON.stringify(r.body)).toBe(400);
      expect(r.error.issues?.map((i) => i.path)).toContain(field);
    }
    const tooBig = await patrol1.call(api.identificationPhoto.upload, {
      params: { id: personId },
      body: { contentType: "image/jpeg", data: "A".repeat(900_000), version: v },
    });
    expect([400, 413]).toContain(tooBig.status);

    const up = await patrol1.call(api.identificationPhoto.upload, {
      params: { id: personId },
      body: { contentType: "image/png", data: PNG.toString("base64"), version: v },
    });
    expect(up.status, JSON.stringify(up.body)).toBe(200);
    expect(up.body.photo).toMatchObject({ contentType: "image/png", bytes: PNG.length });
    // The file never carries the bytes.
    expect(JSON.stringify(up.body)).not.toContain(PNG.toString("base64").slice(0, 40));

    // Another station's head, a supervisor: refused; the station's head sees it, and the view is audited.
    const other = await ngHead.call(api.identificationPhoto.get, { params: { id: personId } });
    expect([403, 404]).toContain(other.status);
    expect((await supervisor.call(api.identificationPhoto.get, { params: { id: personId } })).status).toBe(403);
    const seen = await head.call(api.identificationPhoto.get, { params: { id: personId } });
    expect(seen.status).toBe(200);
    expect(Buffer.from(seen.body.data, "base64").equals(PNG)).toBe(true);
    const reads = (await head.call(api.people.reads, { params: { id: personId } })).body.items;
    expect(reads.filter((r) => r.kind === "photo").length).toBeGreaterThanOrEqual(1);

    // The notice: no image unless the head chose it for print.
    const plain = await head.call(api.identification.notice, {
      params: { id: personId },
      body: { fields: ["gender", "features"], lang: "zh-CN" },
    });
    expect(plain.body.html).not.toContain("<img");
    expect(plain.body.text).not.toContain(PNG.toString("base64").slice(0, 20));
    const printed = await head.call(api.identification.notice, {
      params: { id: personId },
      body: { fields: ["gender", "photo"], lang: "zh-CN" },
    });
    expect(printed.body.html).toContain(`src="data:image/png;base64,${PNG.toString("base64")}"`);
    expect(printed.body.text).not.toContain("base64");

    // Exports never carry it: the records exports with identity (stays, encounters) have no photo data.
    for (const ep of [api.exports.staysCsv, api.exports.encountersCsv]) {
      const exported = await head.call(ep, { query: { campaignId: demo.campaign.id, stationId: demo.dl.id } });
      expect(exported.status).toBe(200);
      expect(String(exported.body)).not.toContain(PNG.toString("base64").slice(0, 20));
    }

    // Withdrawal deletes the photo in the same step.
    const w = await head.call(api.identificationPhoto.withdrawConsent, {
      params: { id: personId },
      body: { version: up.body.version },
    });
    expect(w.status, JSON.stringify(w.body)).toBe(200);
    expect(w.body.photo).toEqual({ consent: null, contentType: null, bytes: 0 });
    expect(
      await srv.database.db.select().from(t.identificationPhotos).where(eq(t.identificationPhotos.personId, personId)),
    ).toEqual([]);
    expect((await head.call(api.identificationPhoto.get, { params: { id: personId } })).status).toBe(404);
    const afterNotice = await head.call(api.identification.notice, {
      params: { id: personId },
      body: { fields: ["gender", "photo"], lang: "zh-CN" },
    });
    expect(afterNotice.body.html).not.toContain("<img");
    // And a new upload is refused again until consent is recorded anew.
    const again = await patrol1.call(api.identificationPhoto.upload, {
      params: { id: personId },
      body: { contentType: "image/jpeg", data: JPEG.toString("base64"), version: w.body.version },
    });
    expect(again.error.code).toBe("CONSENT_REQUIRED");
  });
});
