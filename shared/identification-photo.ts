/**
 * The one rule for a family-search photo's bytes (pure; server checks, browser pre-checks): JPEG or
 * PNG only, told by the bytes themselves at both ends, never by the declared type alone.
 */
export const PHOTO_TYPES = ["image/jpeg", "image/png"] as const;
type PhotoType = (typeof PHOTO_TYPES)[number];

/** Largest photo kept, in bytes (the JSON body carries it base64, within the 1 MiB body limit). */
export const PHOTO_MAX_BYTES = 600_000;

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
/** The IEND chunk a PNG ends with: length 0, "IEND", its CRC. */
const PNG_END = [0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82];

const startsWith = (b: Uint8Array, sig: number[], at = 0) => sig.every((x, i) => b[at + i] === x);

/**
 * The image type of `bytes`, or null: a JPEG starts with a start-of-image marker followed by another
 * marker (FF D8 FF) and ends with the end-of-image marker (FF D9, trailing padding zeros allowed); a
 * PNG starts with its 8-byte signature and an IHDR chunk and ends with the IEND chunk.
 */
export function detectPhotoType(bytes: Uint8Array): PhotoType | null {
  if (bytes.length >= 4 && startsWith(bytes, [0xff, 0xd8, 0xff])) {
    let end = bytes.length;
    while (end > 2 && bytes[end - 1] === 0) end--;
    if (bytes[end - 2] === 0xff && bytes[end - 1] === 0xd9) return "image/jpeg";
    return null;
  }
  if (
    bytes.length >= PNG_SIGNATURE.length + 8 + PNG_END.length &&
    startsWith(bytes, PNG_SIGNATURE) &&
    startsWith(bytes, [0x49, 0x48, 0x44, 0x52], 12) &&
    startsWith(bytes, PNG_END, bytes.length - PNG_END.length)
  )
    return "image/png";
  return null;
}
