import { describe, expect, it } from "vitest";
import { gcj02ToWgs84, haversineMeters, outOfChina, wgs84ToGcj02 } from "../../shared/geo.js";

/**
 * Published reference pairs: the test vectors shared by the eviltransform ports (Go, PHP, JS...)
 * and the README example of wandergis/coordtransform (WGS-84 116.404, 39.915).
 */
const REFERENCE: { name: string; wgs: { lat: number; lng: number }; gcj: { lat: number; lng: number } }[] = [
  {
    name: "shanghai",
    wgs: { lat: 31.1774276, lng: 121.5272106 },
    gcj: { lat: 31.17530398364597, lng: 121.531541859215 },
  },
  {
    name: "shenzhen",
    wgs: { lat: 22.543847, lng: 113.912316 },
    gcj: { lat: 22.540796131694766, lng: 113.9171764808363 },
  },
  {
    name: "beijing",
    wgs: { lat: 39.911954, lng: 116.377817 },
    gcj: { lat: 39.91334545536069, lng: 116.38404722455657 },
  },
  {
    name: "coordtransform README",
    wgs: { lat: 39.915, lng: 116.404 },
    gcj: { lat: 39.91640428150164, lng: 116.41024449916938 },
  },
];

describe("GCJ-02 conversion against published reference points", () => {
  for (const r of REFERENCE) {
    it(`WGS-84 -> GCJ-02: ${r.name}`, () => {
      const g = wgs84ToGcj02(r.wgs);
      expect(g.lat).toBeCloseTo(r.gcj.lat, 8);
      expect(g.lng).toBeCloseTo(r.gcj.lng, 8);
    });
    it(`GCJ-02 -> WGS-84: ${r.name} (within 1 cm)`, () => {
      const w = gcj02ToWgs84(r.gcj);
      expect(haversineMeters(w, r.wgs)).toBeLessThan(0.01);
    });
  }

  it("offsets mainland positions by hundreds of metres, which is why tiles must be matched", () => {
    const harbin = { lat: 45.7705, lng: 126.6166 };
    const d = haversineMeters(harbin, wgs84ToGcj02(harbin));
    expect(d).toBeGreaterThan(100);
    expect(d).toBeLessThan(1000);
  });

  it("leaves positions outside mainland China unchanged, both ways", () => {
    const tokyo = { lat: 35.6895, lng: 139.6917 };
    const london = { lat: 51.5074, lng: -0.1278 };
    expect(outOfChina(tokyo)).toBe(true);
    expect(wgs84ToGcj02(tokyo)).toEqual(tokyo);
    expect(gcj02ToWgs84(london)).toEqual(london);
  });
});

describe("haversine", () => {
  it("is zero for the same point and symmetric", () => {
    const a = { lat: 45.77, lng: 126.61 };
    const b = { lat: 45.75, lng: 126.66 };
    expect(haversineMeters(a, a)).toBe(0);
    expect(haversineMeters(a, b)).toBeCloseTo(haversineMeters(b, a), 9);
  });

  it("gives one degree of latitude as R·π/180 (mean Earth radius 6371.0088 km)", () => {
    expect(haversineMeters({ lat: 0, lng: 0 }, { lat: 1, lng: 0 })).toBeCloseTo(111_195.08, 1);
    expect(haversineMeters({ lat: 0, lng: 10 }, { lat: 0, lng: 11 })).toBeCloseTo(111_195.08, 1);
  });

  it("measures Beijing to Shanghai at about 1,067 km", () => {
    const d = haversineMeters({ lat: 39.9042, lng: 116.4074 }, { lat: 31.2304, lng: 121.4737 });
    expect(d / 1000).toBeGreaterThan(1060);
    expect(d / 1000).toBeLessThan(1075);
  });

  it("shrinks longitude degrees with latitude (cos φ)", () => {
    const atHarbin = haversineMeters({ lat: 45.77, lng: 126 }, { lat: 45.77, lng: 127 });
    expect(atHarbin / 111_195.08).toBeCloseTo(Math.cos((45.77 * Math.PI) / 180), 3);
  });
});
