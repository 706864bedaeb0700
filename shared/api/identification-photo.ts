import { z } from "zod";
import { endpoint } from "./endpoint.js";
import { IdParams } from "./common.js";
import { IdentificationFile, When } from "./identification.js";
import { PHOTO_MAX_BYTES, PHOTO_TYPES } from "../identification-photo.js";

/**
 * A person's photo for the family search (甄别寻亲): kept only with consent recorded (who gave it,
 * when, who recorded it), as the station's data in its database; shown to the station's head and
 * crews only (each view audited, person_reads kind "photo"), never exported, on a notice only when
 * the head chooses it for the printed one. Withdrawing consent deletes the photo.
 */
const Version = z.number().int().positive().describe("File version last seen");

export const identificationPhotoApi = {
  recordConsent: endpoint({
    method: "PUT",
    path: "/api/identification/:id/photo-consent",
    tag: "identification",
    access: ["patrol", "head"],
    summary: "Record consent to a photo: who gave it and when (recorded by the caller)",
    params: IdParams,
    body: z.object({
      givenBy: z
        .string()
        .trim()
        .min(1)
        .max(60)
        .describe("Who consented: the person, or their guardian (name as written)"),
      givenAt: When.optional().describe("ISO time consent was given (after the fact allowed); defaults to now"),
      version: Version,
    }),
    response: IdentificationFile,
  }),
  withdrawConsent: endpoint({
    method: "POST",
    path: "/api/identification/:id/photo-consent/withdraw",
    tag: "identification",
    access: ["patrol", "head"],
    summary: "Withdraw consent: the photo is deleted with it",
    params: IdParams,
    body: z.object({ version: Version }),
    response: IdentificationFile,
  }),
  upload: endpoint({
    method: "PUT",
    path: "/api/identification/:id/photo",
    tag: "identification",
    access: ["patrol", "head"],
    summary: "Keep a photo (JPEG or PNG, checked by its bytes); only with consent recorded (409 CONSENT_REQUIRED)",
    params: IdParams,
    body: z.object({
      contentType: z.enum(PHOTO_TYPES).describe("image/jpeg or image/png; must match the bytes"),
      data: z
        .string()
        .min(1)
        .max(Math.ceil(PHOTO_MAX_BYTES / 3) * 4)
        .regex(/^[A-Za-z0-9+/]*={0,2}$/, "base64")
        .describe(`The image, base64 (at most ${PHOTO_MAX_BYTES} bytes)`),
      version: Version,
    }),
    response: IdentificationFile,
  }),
  get: endpoint({
    method: "GET",
    path: "/api/identification/:id/photo",
    tag: "identification",
    access: ["patrol", "head"],
    summary: "The photo, for the station's head and crews (audited)",
    params: IdParams,
    response: z.object({
      contentType: z.enum(PHOTO_TYPES).describe("Image type"),
      data: z.string().describe("The image, base64"),
      bytes: z.number().int().describe("Size"),
    }),
  }),
};
