import type { z } from "zod";
import type { IdentificationFile } from "../../shared/api/identification.js";
import type { identificationPhotoApi } from "../../shared/api/identification-photo.js";
import { PHOTO_MAX_BYTES, detectPhotoType } from "../../shared/identification-photo.js";
import type { Db } from "../db/client.js";
import type { EventLog } from "../events/event-log.js";
import type { SessionUser } from "../auth/session-user.js";
import { AppError, fieldError, notFound, versionConflict } from "../http/errors.js";
import { auditIdentityReads } from "../people/identity.js";
import * as repo from "./identification.repo.js";
import * as photos from "./photo.repo.js";
import { fileEvent, fileInReach, happenedAt } from "./access.js";
import type { IdentificationService } from "./identification.service.js";

type Api = typeof identificationPhotoApi;
type Body<K extends "recordConsent" | "withdrawConsent" | "upload"> = z.infer<Api[K]["body"]>;

/**
 * A person's photo for the family search, only with consent recorded on the file (who gave it,
 * when, who recorded it). The photo is the station's data, kept in its database and never sent
 * anywhere: the station's head and crews see it (each view audited, kind "photo"), exports never
 * carry it, a notice only when the head chooses it for print. Withdrawing consent deletes it in
 * the same transaction.
 */
export class IdentificationPhotoService {
  constructor(
    private readonly db: Db,
    private readonly log: EventLog,
    private readonly files: IdentificationService,
  ) {}

  /** Records consent (after the fact allowed); a newer record replaces it. */
  async recordConsent(user: SessionUser, id: string, body: Body<"recordConsent">): Promise<IdentificationFile> {
    const { f } = await fileInReach(this.db, user, id);
    const givenAt = happenedAt(body.givenAt, "body.givenAt");
    await this.log.transact(async (tx, record) => {
      const row = await repo.updateFile(tx, id, body.version, {
        photoConsentBy: body.givenBy,
        photoConsentAt: givenAt,
        photoConsentRecordedBy: user.id,
        photoConsentRecordedAt: new Date(),
      });
      if (!row) throw versionConflict("Identification file");
      record(fileEvent(user, f.stationId, id, "photo", row.version));
    });
    return this.files.get(user, id);
  }

  /** Withdraws consent and deletes the photo with it. */
  async withdrawConsent(user: SessionUser, id: string, body: Body<"withdrawConsent">): Promise<IdentificationFile> {
    const { f } = await fileInReach(this.db, user, id);
    await this.log.transact(async (tx, record) => {
      const row = await repo.updateFile(tx, id, body.version, {
        photoConsentBy: null,
        photoConsentAt: null,
        photoConsentRecordedBy: null,
        photoConsentRecordedAt: null,
      });
      if (!row) throw versionConflict("Identification file");
      await photos.deletePhoto(tx, id);
      record(fileEvent(user, f.stationId, id, "photo", row.version));
    });
    return this.files.get(user, id);
  }

  /** Keeps a photo: consent first, then JPEG or PNG by its bytes, at most PHOTO_MAX_BYTES. */
  async upload(user: SessionUser, id: string, body: Body<"upload">): Promise<IdentificationFile> {
    const { f } = await fileInReach(this.db, user, id);
    if (!f.photoConsentBy)
      throw new AppError(409, "CONSENT_REQUIRED", "photoConsent: record who consented to a photo, and when, first");
    const bytes = Buffer.from(body.data, "base64");
    if (bytes.length > PHOTO_MAX_BYTES) throw fieldError("body.data", `larger than ${PHOTO_MAX_BYTES} bytes`);
    const type = detectPhotoType(bytes);
    if (!type) throw fieldError("body.data", "not a JPEG or PNG image");
    if (type !== body.contentType) throw fieldError("body.contentType", `the bytes are ${type}`);
    await this.log.transact(async (tx, record) => {
      const row = await repo.updateFile(tx, id, body.version, {});
      if (!row) throw versionConflict("Identification file");
      // Consent may have been withdrawn between the check above and this transaction: read it again here.
      if (!row.photoConsentBy)
        throw new AppError(409, "CONSENT_REQUIRED", "photoConsent: record who consented to a photo, and when, first");
      await photos.putPhoto(tx, {
        personId: id,
        stationId: f.stationId,
        contentType: type,
        data: bytes.toString("base64"),
        bytes: bytes.length,
        uploadedBy: user.id,
      });
      record(fileEvent(user, f.stationId, id, "photo", row.version));
    });
    return this.files.get(user, id);
  }

  /** The photo, for the station's head and crews; the view is audited first. */
  async get(user: SessionUser, id: string) {
    await fileInReach(this.db, user, id);
    const photo = await photos.findPhoto(this.db, id);
    if (!photo) throw notFound("Photo");
    await auditIdentityReads(this.db, user, [id], "photo");
    return { contentType: photo.contentType as "image/jpeg" | "image/png", data: photo.data, bytes: photo.bytes };
  }
}
