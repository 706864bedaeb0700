import { describe, expect, it } from "vitest";
import { impliedVehicleStatus } from "../../web/src/phone/pending.js";
import type { OutboxEntry } from "../../web/src/phone/outbox.js";

const q = (path: string, body: unknown): OutboxEntry => ({
  label: path,
  method: "POST",
  path,
  body,
  queuedAt: "2026-11-23T20:00:00.000Z",
});
const V = "veh-1";

describe("phone: vehicle status implied by the queued actions (shared/machines.ts rules)", () => {
  it("nothing queued, or nothing that moves the vehicle: null (show the server's status)", () => {
    expect(impliedVehicleStatus("available", V, [])).toBeNull();
    expect(impliedVehicleStatus("available", V, [q("/api/encounters", { id: "e" })])).toBeNull();
    expect(
      impliedVehicleStatus("dispatched", V, [q("/api/assignments/a/status", { status: "acknowledged" })]),
    ).toBeNull();
  });

  it("a sortie start brings an off-duty vehicle on duty; another vehicle's start does not", () => {
    expect(impliedVehicleStatus("off_duty", V, [q("/api/sorties/start", { vehicleId: V })])).toBe("available");
    expect(impliedVehicleStatus("off_duty", V, [q("/api/sorties/start", { vehicleId: "other" })])).toBeNull();
  });

  it("task steps move the vehicle as the server does, skipped steps included; clearing frees it", () => {
    expect(impliedVehicleStatus("dispatched", V, [q("/api/assignments/a/status", { status: "en_route" })])).toBe(
      "en_route",
    );
    expect(impliedVehicleStatus("dispatched", V, [q("/api/assignments/a/status", { status: "on_scene" })])).toBe(
      "on_scene",
    );
    const night = [
      q("/api/assignments/a/status", { status: "acknowledged" }),
      q("/api/assignments/a/status", { status: "en_route" }),
      q("/api/assignments/a/status", { status: "on_scene" }),
      q("/api/assignments/a/status", { status: "cleared" }),
    ];
    expect(impliedVehicleStatus("dispatched", V, night.slice(0, 3))).toBe("on_scene");
    expect(impliedVehicleStatus("dispatched", V, night)).toBe("available");
  });

  it("a sortie end takes the vehicle off duty only where the machine allows it", () => {
    expect(impliedVehicleStatus("available", V, [q("/api/sorties/s1/end", {})])).toBe("off_duty");
    expect(impliedVehicleStatus("en_route", V, [q("/api/sorties/s1/end", {})])).toBeNull();
  });
});
