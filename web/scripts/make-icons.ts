import { writeFileSync } from "node:fs";
import { deflateSync } from "node:zlib";

/**
 * Writes the phone page's app icons (web/public/icons/*.png): a warm orange square with a white
 * heart-ish flame drawn from two circles and a triangle. Plain PNG encoding with node:zlib, so no
 * image library is needed for three small files; run `npx tsx web/scripts/make-icons.ts` to redo them.
 */
const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
const crc32 = (b: Buffer) => {
  let c = 0xffffffff;
  for (const x of b) c = crcTable[(c ^ x) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
};
const chunk = (type: string, data: Buffer) => {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, "ascii"), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
};

function icon(size: number, safe: number): Buffer {
  const raw = Buffer.alloc((size * 4 + 1) * size);
  const r = (size * safe) / 2; // drawing radius inside the safe zone
  const cx = size / 2;
  const cy = size / 2;
  for (let y = 0; y < size; y++) {
    raw[y * (size * 4 + 1)] = 0;
    for (let x = 0; x < size; x++) {
      // Heart: two circles on top, a triangle below, scaled to r.
      const u = (x - cx) / r;
      const v = (y - cy) / r;
      const inCircle = (ox: number) => (u - ox) ** 2 + (v + 0.25) ** 2 < 0.3 ** 2;
      const inTri = v >= -0.25 && v < 0.75 && Math.abs(u) < 0.55 * (1 - (v + 0.25));
      const heart = inCircle(-0.27) || inCircle(0.27) || inTri;
      const o = y * (size * 4 + 1) + 1 + x * 4;
      const [R, G, B] = heart ? [255, 255, 255] : [232, 93, 4];
      raw[o] = R;
      raw[o + 1] = G;
      raw[o + 2] = B;
      raw[o + 3] = 255;
    }
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8;
  ihdr[9] = 6;
  return Buffer.concat([
    Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]),
    chunk("IHDR", ihdr),
    chunk("IDAT", deflateSync(raw, { level: 9 })),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

const dir = new URL("../public/icons/", import.meta.url);
writeFileSync(new URL("icon-192.png", dir), icon(192, 0.9));
writeFileSync(new URL("icon-512.png", dir), icon(512, 0.9));
// Maskable: the launcher may crop to a circle of 80 %; keep the drawing inside it.
writeFileSync(new URL("icon-maskable-512.png", dir), icon(512, 0.6));
writeFileSync(new URL("apple-touch-icon.png", dir), icon(180, 0.8));
