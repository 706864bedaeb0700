import { describe, expect, it } from "vitest";
import {
  ASSIGNMENT_MACHINE,
  ASSIGNMENT_STATUSES,
  CASE_MACHINE,
  CASE_STATUSES,
  VEHICLE_MACHINE,
  VEHICLE_STATUSES,
  canTransition,
  vehiclePathForTask,
  type Machine,
} from "../../shared/status.js";

/**
 * The expected transitions, written out independently of shared/status.ts as "from>to" pairs, so a
 * change to a machine must be made on purpose in both places. Every pair not listed must be refused.
 */
const VEHICLE_ALLOWED = [
  "off_duty>available",
  "off_duty>out_of_service",
  "available>dispatched",
  "available>off_duty",
  "available>out_of_service",
  "dispatched>en_route",
  "dispatched>available",
  "dispatched>out_of_service",
  "en_route>on_scene",
  "en_route>available",
  "en_route>out_of_service",
  "on_scene>transporting",
  "on_scene>available",
  "on_scene>out_of_service",
  "transporting>available",
  "transporting>out_of_service",
  "out_of_service>off_duty",
  "out_of_service>available",
];
const CASE_ALLOWED = [
  "open>dispatched",
  "open>on_scene",
  "open>closed",
  "open>merged",
  "open>cancelled",
  "dispatched>open",
  "dispatched>on_scene",
  "dispatched>closed",
  "dispatched>merged",
  "dispatched>cancelled",
  "on_scene>closed",
  "on_scene>dispatched",
  "on_scene>open",
  "closed>open",
  "merged>open",
  "cancelled>open",
];
const ASSIGNMENT_ALLOWED = [
  "assigned>acknowledged",
  "assigned>en_route",
  "assigned>on_scene",
  "assigned>cancelled",
  "acknowledged>en_route",
  "acknowledged>on_scene",
  "acknowledged>cancelled",
  "en_route>on_scene",
  "en_route>cancelled",
  "on_scene>cleared",
  "on_scene>cancelled",
];

function everyPair<S extends string>(statuses: readonly S[]): [S, S][] {
  return statuses.flatMap((a) => statuses.map((b) => [a, b] as [S, S]));
}

function check<S extends string>(name: string, machine: Machine<S>, statuses: readonly S[], allowed: string[]) {
  describe(name, () => {
    const pairs = everyPair(statuses);
    it.each(pairs.filter(([a, b]) => allowed.includes(`${a}>${b}`)))("allows %s -> %s", (a, b) => {
      expect(canTransition(machine, a, b)).toBe(true);
    });
    it.each(pairs.filter(([a, b]) => !allowed.includes(`${a}>${b}`)))("refuses %s -> %s", (a, b) => {
      expect(canTransition(machine, a, b)).toBe(false);
    });
    it("lists exactly the expected transitions", () => {
      const actual = statuses.flatMap((a) => machine[a].map((b) => `${a}>${b}`)).sort();
      expect(actual).toEqual([...allowed].sort());
    });
  });
}

check("VEHICLE_MACHINE", VEHICLE_MACHINE, VEHICLE_STATUSES, VEHICLE_ALLOWED);
check("CASE_MACHINE", CASE_MACHINE, CASE_STATUSES, CASE_ALLOWED);
check("ASSIGNMENT_MACHINE", ASSIGNMENT_MACHINE, ASSIGNMENT_STATUSES, ASSIGNMENT_ALLOWED);

describe("canTransition", () => {
  it("refuses an unknown status instead of throwing", () => {
    expect(canTransition(VEHICLE_MACHINE, "flying" as never, "available")).toBe(false);
  });
});

describe("vehiclePathForTask", () => {
  it("walks a dispatched vehicle through en route when the crew taps on scene directly", () => {
    expect(vehiclePathForTask("dispatched", "on_scene")).toEqual(["en_route", "on_scene"]);
  });
  it("moves the vehicle one allowed step for each task step", () => {
    expect(vehiclePathForTask("dispatched", "en_route")).toEqual(["en_route"]);
    expect(vehiclePathForTask("en_route", "on_scene")).toEqual(["on_scene"]);
    expect(vehiclePathForTask("on_scene", "cleared")).toEqual(["available"]);
    expect(vehiclePathForTask("transporting", "cleared")).toEqual(["available"]);
    expect(vehiclePathForTask("dispatched", "cancelled")).toEqual(["available"]);
  });
  it("leaves the vehicle alone for acknowledgement, for a status it already has, and when the machine refuses", () => {
    expect(vehiclePathForTask("dispatched", "acknowledged")).toEqual([]);
    expect(vehiclePathForTask("on_scene", "on_scene")).toEqual([]);
    expect(vehiclePathForTask("out_of_service", "en_route")).toEqual([]);
    expect(vehiclePathForTask("off_duty", "on_scene")).toEqual([]);
  });
  it("every path it returns is allowed step by step by VEHICLE_MACHINE", () => {
    for (const v of VEHICLE_STATUSES)
      for (const t of ASSIGNMENT_STATUSES) {
        let cur = v;
        for (const next of vehiclePathForTask(v, t)) {
          expect(canTransition(VEHICLE_MACHINE, cur, next), `${v} ${t}: ${cur}->${next}`).toBe(true);
          cur = next;
        }
      }
  });
});
