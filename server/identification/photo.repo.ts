import { eq } from "drizzle-orm";
import type { DbOrTx } from "../db/client.js";
import { identificationPhotos } from "../db/schema/index.js";

/** A photo's type and size (not its bytes): what a file shows. */
export async function photoMeta(db: DbOrTx, personId: string): Promise<{ contentType: string; bytes: number } | null> {
  const [row] = await db
    .select({ contentType: identificationPhotos.contentType, bytes: identificationPhotos.bytes })
    .from(identificationPhotos)
    .where(eq(identificationPhotos.personId, personId))
    .limit(1);
  return row ?? null;
}

/** The photo with its bytes (base64). */
export async function findPhoto(db: DbOrTx, personId: string) {
  const [row] = await db
    .select()
    .from(identificationPhotos)
    .where(eq(identificationPhotos.personId, personId))
    .limit(1);
  return row;
}

/** Keeps a photo (a new one replaces the old). */
export async function putPhoto(db: DbOrTx, v: typeof identificationPhotos.$inferInsert): Promise<void> {
  await db
    .insert(identificationPhotos)
    .values(v)
    .onConflictDoUpdate({
      target: identificationPhotos.personId,
      set: {
        contentType: v.contentType,
        data: v.data,
        bytes: v.bytes,
        uploadedBy: v.uploadedBy,
        uploadedAt: new Date(),
      },
    });
}

/** Deletes a person's photo. */
export async function deletePhoto(db: DbOrTx, personId: string): Promise<void> {
  await db.delete(identificationPhotos).where(eq(identificationPhotos.personId, personId));
}
