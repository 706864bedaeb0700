import type { ConditionFlag, EncounterOutcome, SourceChannel } from "../../shared/vocab.js";

/** Report days of history before today. */
export const HISTORY_DAYS = 14;
/** Days back (1 = yesterday) on which the second station had nothing to report: its zero report. */
export const ZERO_DAY_BACK = 9;
/** Days back on which the second station did not send its report: the missing day. */
export const MISSING_DAY_BACK = 4;
/** Days back of the bulk distribution at each station's warming shelter. */
export const DISTRIBUTION_DAY_BACK = 6;

/**
 * A small deterministic random source (mulberry32): the same history on every fresh demo, so a
 * screenshot or a bug report of the demo can be repeated.
 */
export class Dice {
  private s: number;
  constructor(seed: number) {
    this.s = seed >>> 0;
  }
  next(): number {
    let t = (this.s = (this.s + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  /** An integer in [lo, hi]. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }
  pick<T>(xs: readonly T[]): T {
    return xs[Math.floor(this.next() * xs.length)]!;
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  /** One of the keys, by weight. */
  weighted<T extends string>(w: Readonly<Partial<Record<T, number>>>): T {
    const entries = Object.entries(w) as [T, number][];
    let r = this.next() * entries.reduce((n, [, x]) => n + x, 0);
    for (const [k, x] of entries) if ((r -= x) < 0) return k;
    return entries[entries.length - 1]![0];
  }
  /** A version-4-shaped UUID from this source (client ids, as a phone would make them). */
  uuid(): string {
    const h = Array.from({ length: 32 }, () => Math.floor(this.next() * 16).toString(16));
    h[12] = "4";
    h[16] = (8 + Math.floor(this.next() * 4)).toString(16);
    const s = h.join("");
    return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
  }
}

/** A regular of the streets: met again and again, known by a (clearly fake) document number. */
export interface Regular {
  name: string;
  gender: "male" | "female";
  approxAge: number;
  idNumber: string;
  hometown: string;
}

const NAMES: [string, "male" | "female"][] = [
  ["张建军", "male"],
  ["李秀英", "female"],
  ["王德福", "male"],
  ["刘桂兰", "female"],
  ["陈国强", "male"],
  ["杨志明", "male"],
  ["赵春生", "male"],
  ["周淑芬", "female"],
  ["吴宝山", "male"],
  ["郑玉兰", "female"],
];
const HOMETOWNS = ["黑龙江绥化", "吉林榆树", "山东菏泽", "河南周口", "黑龙江齐齐哈尔", "辽宁铁岭"];

/** Five regulars per station; their numbers say DEMO so nobody mistakes them for real people. */
export function regularsOf(code: string, offset: number): Regular[] {
  return Array.from({ length: 5 }, (_, i) => {
    const [name, gender] = NAMES[(offset + i) % NAMES.length]!;
    return {
      name,
      gender,
      approxAge: 38 + (((offset + i) * 7) % 35),
      idNumber: `DEMO-${code}-${String(i + 1).padStart(4, "0")}`,
      hometown: HOMETOWNS[(offset + i) % HOMETOWNS.length]!,
    };
  });
}

/** Street corners callers name, per station code. */
export const STREETS: Record<string, string[]> = {
  DL: ["中央大街与西十二道街交口", "经纬街公交站", "友谊路江畔", "尚志大街地铁口", "西十六道街"],
  NG: ["红军街地铁口", "果戈里大街", "西大直街公交站", "宣化街菜市场", "学府路天桥下"],
};

/** Who reports, with how often. */
export const CALL_SOURCES: Readonly<Partial<Record<SourceChannel, number>>> = {
  public_hotline: 5,
  police_110: 2,
  city_hotline_12345: 2,
  sanitation_worker: 1,
  taxi_driver: 1,
  grid_worker: 1,
};

/** What callers say they see. */
export const CALL_FLAGS: readonly ConditionFlag[][] = [
  [],
  [],
  ["elderly"],
  ["inadequate_clothing"],
  ["intoxicated"],
  ["elderly", "inadequate_clothing"],
  ["injured_or_ill"],
];

/** Outcomes of people met on a planned round. */
export const ROUND_OUTCOMES: Readonly<Partial<Record<EncounterOutcome, number>>> = {
  street_aid: 55,
  brought_in: 20,
  refused: 12,
  hospital: 5,
  referred_police: 4,
  escorted_home: 4,
};

/** Outcomes of a person a call sent a crew to (someone was found). */
export const CALL_OUTCOMES: Readonly<Partial<Record<EncounterOutcome, number>>> = {
  brought_in: 35,
  street_aid: 40,
  refused: 10,
  hospital: 8,
  family_pickup: 7,
};

/** Supplies a round takes out (code, units); what is not handed out comes back. */
export const ROUND_LOAD: [string, number][] = [
  ["coat", 3],
  ["quilt", 3],
  ["food", 8],
  ["water", 8],
  ["hot_drink", 6],
  ["gloves_hat", 3],
];
/** Supplies a vehicle sent to a call takes. */
export const CALL_LOAD: [string, number][] = [
  ["coat", 1],
  ["food", 2],
  ["water", 2],
  ["hot_drink", 2],
];

/** What one person is given: each line tried in turn, while the load has it. */
export function handOut(dice: Dice): [string, number][] {
  const out: [string, number][] = [
    ["food", dice.int(1, 2)],
    ["water", 1],
    ["hot_drink", 1],
  ];
  if (dice.chance(0.5)) out.push(["coat", 1]);
  if (dice.chance(0.35)) out.push(["quilt", 1]);
  if (dice.chance(0.4)) out.push(["gloves_hat", 1]);
  return out;
}

/** How a stay ends, by weight; a share are still in the station today. */
export const STAY_ENDS = { escorted_home: 4, family_pickup: 3, left: 2, settled: 1 } as const;
