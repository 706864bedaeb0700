import { describe, expect, it } from "vitest";
import {
  DEFAULT_COLD_RULE,
  backtestColdRule,
  proposeColdLevel,
  windChillC,
  type ColdRule,
  type WeatherNight,
} from "../../shared/cold-level.js";
import type { AlertLevel } from "../../shared/vocab.js";

/** The cold-wave table alone (no absolute threshold), to check each colour by itself. */
const WAVES_ONLY: ColdRule = { ...DEFAULT_COLD_RULE, feelsLike: {} };

/** Nights two days ago, yesterday and tonight, as minimum temperatures; tonight's wind. */
function three(minTemps: [number, number, number], windForce: number): [WeatherNight, WeatherNight[]] {
  const [a, b, c] = minTemps;
  return [
    { date: "2026-01-12", minTempC: c, windForce },
    [
      { date: "2026-01-10", minTempC: a, windForce: 2 },
      { date: "2026-01-11", minTempC: b, windForce: 2 },
    ],
  ];
}

describe("the cold rule proposes a level with its reasons", () => {
  const waves: [string, [number, number, number], number, AlertLevel | null][] = [
    ["blue: 48 h fall of 9 °C to −4 °C, force 5", [5, 0, -4], 5, "blue"],
    ["blue needs force 5", [5, 0, -4], 4, null],
    ["blue needs the fall to reach 4 °C or below", [14, 10, 5], 5, null],
    ["yellow: 24 h fall of 11 °C to 3 °C, force 6", [14, 14, 3], 6, "yellow"],
    ["a 13 °C fall to 2 °C is yellow, not orange (orange needs 0 °C)", [15, 15, 2], 6, "yellow"],
    ["orange: 24 h fall of 13 °C to −2 °C, force 6", [11, 11, -2], 6, "orange"],
    ["red: 24 h fall of 17 °C to −5 °C, force 7", [12, 12, -5], 7, "red"],
    ["a 17 °C fall with force 4 raises nothing (too little wind for any colour)", [12, 12, -5], 4, null],
    ["a steady −25 °C night raises no cold wave", [-25, -25, -25], 6, null],
  ];
  it.each(waves)("%s", (_, temps, wind, level) => {
    const [night, earlier] = three(temps, wind);
    const p = proposeColdLevel(night, earlier, WAVES_ONLY);
    expect(p.level).toBe(level);
    if (level) expect(p.reasons[0]).toMatchObject({ rule: "cold_wave", level });
    else expect(p.reasons).toEqual([]);
  });

  it("raises no wave without the earlier nights to compare with", () => {
    const [night] = three([12, 12, -5], 7);
    expect(proposeColdLevel(night, [], WAVES_ONLY).level).toBeNull();
  });

  it("takes a signal the meteorological office issued as given", () => {
    const [night, earlier] = three([-10, -10, -10], 1);
    const p = proposeColdLevel({ ...night, officialSignal: "orange" }, earlier, WAVES_ONLY);
    expect(p).toMatchObject({ level: "orange", reasons: [{ rule: "official_signal", level: "orange" }] });
  });

  it("raises absolute cold by the feels-like temperature, whatever the fall", () => {
    // A steady night: no wave, but the wind chill of −25 °C in a force-5 wind is about −39 °C.
    const [night, earlier] = three([-25, -25, -25], 5);
    const p = proposeColdLevel(night, earlier);
    expect(p.level).toBe("red");
    expect(p.reasons.every((r) => r.rule === "feels_like")).toBe(true);
    expect(p.reasons.map((r) => r.level)).toEqual(["red", "orange", "yellow", "blue"]);
    // A feels-like the source gives wins over the computed one.
    expect(proposeColdLevel({ ...night, feelsLikeC: -8 }, earlier).level).toBe("blue");
    expect(proposeColdLevel({ ...night, feelsLikeC: -6.9 }, earlier).level).toBeNull();
  });

  it("computes wind chill as the North American formula (Environment Canada's table)", () => {
    // Table values: −20 °C at 35 km/h (force 5 ≈ 34 km/h) feels like −33 °C; −10 °C at 15 km/h −17 °C.
    expect(windChillC(-20, 5)).toBeCloseTo(-33, 0);
    expect(windChillC(-10, 3)).toBeCloseTo(-17, 0);
    expect(windChillC(5, 0)).toBe(5); // calm: the air itself
    expect(windChillC(15, 6)).toBe(15); // mild: no wind chill
  });

  it("takes the highest level of all reasons and lists every reason, highest first", () => {
    const [night, earlier] = three([12, 12, -5], 7);
    const p = proposeColdLevel(night, earlier, { ...DEFAULT_COLD_RULE, feelsLike: { blue: -7 } });
    expect(p.level).toBe("red");
    expect(p.reasons.map((r) => `${r.rule}:${r.level}`)).toEqual([
      "cold_wave:red",
      "cold_wave:orange",
      "cold_wave:yellow",
      "cold_wave:blue",
      "feels_like:blue",
    ]);
  });
});

describe("the backtest over a generated winter", () => {
  /** 90 nights from 1 December with small day-to-day changes, a light wind, and three cold waves. */
  function winter(): { nights: WeatherNight[]; waves: Record<string, AlertLevel> } {
    let seed = 7;
    const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const nights: WeatherNight[] = [];
    let t = 2;
    for (let d = 0; d < 90; d++) {
      const date = new Date(Date.UTC(2026, 11, 1) + d * 86_400_000).toISOString().slice(0, 10);
      t = Math.max(-30, Math.min(4, t + (rand() - 0.55) * 3)); // drifts colder, at most 1.65 °C a night
      nights.push({ date, minTempC: Math.round(t * 10) / 10, windForce: 2 });
    }
    const waves: Record<string, AlertLevel> = {};
    // A wave: the night falls from the one before by `fall` with a strong wind (then the cold stays).
    const wave = (i: number, fall: number, level: AlertLevel) => {
      const before = nights[i - 1]!.minTempC;
      nights[i] = { ...nights[i]!, minTempC: Math.min(before - fall, -1), windForce: 7 };
      nights[i + 1] = { ...nights[i + 1]!, minTempC: nights[i]!.minTempC, windForce: 2 };
      waves[nights[i]!.date] = level;
    };
    wave(20, 12.5, "orange");
    wave(45, 17, "red");
    wave(70, 10.5, "yellow");
    return { nights, waves };
  }
  const waveOnly: ColdRule = { ...DEFAULT_COLD_RULE, feelsLike: {} };

  it("lists the wave nights left under-levelled, with the colour they called for", () => {
    const { nights, waves } = winter();
    const under = backtestColdRule(nights, {}, waveOnly);
    const found = Object.fromEntries(under.map((u) => [u.date, u.proposed]));
    for (const [date, level] of Object.entries(waves)) expect(found[date], date).toBe(level);
    // Only nights with a real fall and wind appear: none of the calm drift nights.
    for (const u of under) expect(nights.find((n) => n.date === u.date)!.windForce, u.date).toBeGreaterThanOrEqual(5);
    console.log(`backtest: ${nights.length} nights, ${under.length} under-levelled with nothing set`);
  });

  it("lists nothing where the level set was at least the proposal, and a night set too low", () => {
    const { nights, waves } = winter();
    expect(backtestColdRule(nights, waves, waveOnly)).toEqual([]);
    const [redNight] = Object.entries(waves).find(([, l]) => l === "red")!;
    const under = backtestColdRule(nights, { ...waves, [redNight]: "orange" }, waveOnly);
    expect(under.map((u) => [u.date, u.proposed, u.set])).toEqual([[redNight, "red", "orange"]]);
  });

  it("with the absolute rule too, a steady deep cold is flagged even without a wave", () => {
    const { nights } = winter();
    const under = backtestColdRule(nights, {}, DEFAULT_COLD_RULE);
    const deep = nights.filter((n) => n.windForce === 2 && n.minTempC <= -10);
    expect(deep.length).toBeGreaterThan(0);
    for (const n of deep)
      expect(
        under.some((u) => u.date === n.date),
        n.date,
      ).toBe(true);
  });
});
