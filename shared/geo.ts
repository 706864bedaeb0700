/**
 * Geo helpers used on both ends. Positions are stored in WGS-84 (what phone GPS gives); Chinese
 * tile providers (AMap/Gaode, Tencent) draw in GCJ-02, so markers are converted for display only.
 */

/** A position in degrees. */
export interface LatLng {
  lat: number;
  lng: number;
}

/**
 * (0, 0), "null island": what a device without a location fix reports, never a real place here.
 * The API refuses it (shared/api/common.ts refuseNullIsland); the phone does not even queue it.
 */
export function isNullIsland(lat: unknown, lng: unknown): boolean {
  return lat === 0 && lng === 0;
}

const EARTH_RADIUS_M = 6_371_008.8;
const rad = (d: number) => (d * Math.PI) / 180;

/** Great-circle distance in metres (haversine). */
export function haversineMeters(a: LatLng, b: LatLng): number {
  const dLat = rad(b.lat - a.lat);
  const dLng = rad(b.lng - a.lng);
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(rad(a.lat)) * Math.cos(rad(b.lat)) * Math.sin(dLng / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)));
}

// Krasovsky 1940 ellipsoid parameters used by the GCJ-02 obfuscation.
const A = 6378245.0;
const EE = 0.00669342162296594323;

/** GCJ-02 only applies inside mainland China; outside it equals WGS-84. */
export function outOfChina(p: LatLng): boolean {
  return p.lng < 72.004 || p.lng > 137.8347 || p.lat < 0.8293 || p.lat > 55.8271;
}

function transformLat(x: number, y: number): number {
  let r = -100 + 2 * x + 3 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * Math.sqrt(Math.abs(x));
  r += ((20 * Math.sin(6 * x * Math.PI) + 20 * Math.sin(2 * x * Math.PI)) * 2) / 3;
  r += ((20 * Math.sin(y * Math.PI) + 40 * Math.sin((y / 3) * Math.PI)) * 2) / 3;
  r += ((160 * Math.sin((y / 12) * Math.PI) + 320 * Math.sin((y * Math.PI) / 30)) * 2) / 3;
  return r;
}

function transformLng(x: number, y: number): number {
  let r = 300 + x + 2 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * Math.sqrt(Math.abs(x));
  r += ((20 * Math.sin(6 * x * Math.PI) + 20 * Math.sin(2 * x * Math.PI)) * 2) / 3;
  r += ((20 * Math.sin(x * Math.PI) + 40 * Math.sin((x / 3) * Math.PI)) * 2) / 3;
  r += ((150 * Math.sin((x / 12) * Math.PI) + 300 * Math.sin((x / 30) * Math.PI)) * 2) / 3;
  return r;
}

function offset(p: LatLng): LatLng {
  let dLat = transformLat(p.lng - 105, p.lat - 35);
  let dLng = transformLng(p.lng - 105, p.lat - 35);
  const radLat = rad(p.lat);
  let magic = Math.sin(radLat);
  magic = 1 - EE * magic * magic;
  const sqrtMagic = Math.sqrt(magic);
  dLat = (dLat * 180) / (((A * (1 - EE)) / (magic * sqrtMagic)) * Math.PI);
  dLng = (dLng * 180) / ((A / sqrtMagic) * Math.cos(radLat) * Math.PI);
  return { lat: dLat, lng: dLng };
}

/** WGS-84 -> GCJ-02 (for drawing on AMap/Tencent tiles). */
export function wgs84ToGcj02(p: LatLng): LatLng {
  if (outOfChina(p)) return { ...p };
  const d = offset(p);
  return { lat: p.lat + d.lat, lng: p.lng + d.lng };
}

/** GCJ-02 -> WGS-84 (a click on AMap/Tencent tiles back to storage), iterated to < 1 cm. */
export function gcj02ToWgs84(p: LatLng): LatLng {
  if (outOfChina(p)) return { ...p };
  let guess = { lat: p.lat, lng: p.lng };
  for (let i = 0; i < 10; i++) {
    const g = wgs84ToGcj02(guess);
    const dLat = g.lat - p.lat;
    const dLng = g.lng - p.lng;
    guess = { lat: guess.lat - dLat, lng: guess.lng - dLng };
    if (Math.abs(dLat) < 1e-9 && Math.abs(dLng) < 1e-9) break;
  }
  return guess;
}
