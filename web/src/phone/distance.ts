import { haversineMeters, type LatLng } from "../../../shared/geo.js";

/**
 * Straight-line distance for the crew, rounded the way a driver reads it: whole metres below
 * 1 km ("850 m", to 10 m), one decimal in km above ("1.2 km"). Returns the number and the unit so
 * each language puts its own word around it.
 */
export function roundedDistance(a: LatLng, b: LatLng): { value: string; unit: "m" | "km"; meters: number } {
  const meters = haversineMeters(a, b);
  if (meters < 1000) return { value: String(Math.round(meters / 10) * 10), unit: "m", meters };
  return { value: (meters / 1000).toFixed(meters < 100_000 ? 1 : 0), unit: "km", meters };
}
