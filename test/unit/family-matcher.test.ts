import { describe, expect, it } from "vitest";
import {
  idFit,
  matchList,
  nameSyllables,
  RegistryIndex,
  type ListRow,
  type RegistryPerson,
} from "../../server/identification/matcher.js";

/** A seeded dice, so the generated people are the same every run. */
function dice(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const SURNAMES =
  "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢".split("");
const GIVEN =
  "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建国文辉力鹏飞宇浩然志坤永春海峰宁琳雪梅松柏".split("");
/** Typing slips that keep the sound (the usual way a name is mis-entered from speech). */
const HOMOPHONE: Record<string, string> = {
  伟: "玮",
  芳: "方",
  丽: "莉",
  军: "君",
  明: "鸣",
  平: "萍",
  静: "晶",
  华: "花",
  杰: "洁",
  峰: "锋",
  海: "还",
  红: "宏",
  强: "墙",
  敏: "民",
};
const TOWNS = ["河南周口", "安徽阜阳", "四川南充", "黑龙江绥化", "吉林榆树", "山东菏泽", "湖南邵阳", "甘肃天水"];

function idNumber(r: () => number): string {
  let s = "";
  for (let i = 0; i < 17; i++) s += Math.floor(r() * 10);
  return s + (r() < 0.1 ? "X" : Math.floor(r() * 10));
}

function generate(registrySize: number, listSize: number, seed = 7) {
  const r = dice(seed);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)]!;
  const person = (i: number): RegistryPerson => ({
    id: `p${String(i).padStart(6, "0")}`,
    name: pick(SURNAMES) + pick(GIVEN) + (r() < 0.6 ? pick(GIVEN) : ""),
    idNumber: r() < 0.5 ? idNumber(r) : null,
    gender: r() < 0.7 ? "male" : "female",
    approxAge: 20 + Math.floor(r() * 60),
    hometown: r() < 0.6 ? pick(TOWNS) : null,
    firstSeenAt: new Date(Date.UTC(2026, 9, 1 + Math.floor(r() * 50))),
  });
  const registry = Array.from({ length: registrySize }, (_, i) => person(i));
  const rows: ListRow[] = [];
  const truth = new Map<number, string>();
  for (let i = 0; i < listSize; i++) {
    const row = i + 2;
    if (r() < 0.5) {
      // Someone in the registry, reported by a partner with the usual noise.
      const p = pick(registry);
      truth.set(row, p.id);
      let name = p.name!;
      const noise = r();
      if (noise < 0.3)
        name = name
          .split("")
          .map((c) => HOMOPHONE[c] ?? c)
          .join("");
      else if (noise < 0.5)
        name = nameSyllables(name)
          .map((s, k) => (k === 0 ? s.toUpperCase() : s))
          .join(" ");
      const id =
        p.idNumber && r() < 0.7
          ? r() < 0.5
            ? p.idNumber.slice(0, 6) + "********" + p.idNumber.slice(14)
            : p.idNumber.slice(-4)
          : undefined;
      rows.push({
        row,
        name,
        idNumber: id,
        gender: p.gender === "unknown" || !p.gender ? undefined : p.gender,
        age: p.approxAge! + Math.round((r() - 0.5) * 6),
        hometown: p.hometown && r() < 0.5 ? p.hometown.slice(2) : undefined,
        date: new Date(p.firstSeenAt!.getTime() - 86_400_000 * Math.floor(1 + r() * 30)),
      });
    } else {
      // Someone the station never met.
      const q = person(100_000 + i);
      rows.push({
        row,
        name: q.name!,
        idNumber: q.idNumber ?? undefined,
        gender: q.gender as "male",
        age: q.approxAge!,
        hometown: q.hometown ?? undefined,
      });
    }
  }
  return { registry, rows, truth };
}

describe("partner-list matching", () => {
  it("fits full, masked and partial ID numbers, and reads pinyin both ways", () => {
    const id = "23010219500101123X";
    expect(idFit(id, id)).toBe("same");
    expect(idFit("230102********123X", id)).toBe("partial");
    expect(idFit("230102********1239", id)).toBeNull();
    expect(idFit("123x", id)).toBe("partial");
    expect(idFit("230102", id)).toBe("partial");
    expect(idFit("12", id)).toBeNull();
    expect(nameSyllables("张 伟")).toEqual(["zhang", "wei"]);
    expect(nameSyllables("Zhang Wei")).toEqual(["zhang", "wei"]);
    const ix = new RegistryIndex([
      { id: "a", name: "张伟", idNumber: null, gender: "male", approxAge: 50, hometown: "河南周口", firstSeenAt: null },
      { id: "b", name: "张卫", idNumber: null, gender: "female", approxAge: 50, hometown: null, firstSeenAt: null },
    ]);
    const c = ix.match({ row: 2, name: "Zhang Wei", gender: "male", age: 52, hometown: "周口" });
    expect(c).toEqual([
      { row: 2, personId: "a", score: 0.7, reasons: ["same_pinyin", "same_gender", "age_in_range", "same_hometown"] },
    ]);
  });

  it("finds generated people with typos, pinyin and partial IDs among strangers (precision and recall printed), 1,000 rows in seconds", () => {
    const { registry, rows, truth } = generate(3000, 1000);
    const t0 = performance.now();
    const result = matchList(registry, rows);
    const ms = performance.now() - t0;
    let predicted = 0,
      correct = 0,
      inTop5 = 0;
    for (const cands of result) {
      const top = cands[0]!;
      predicted++;
      if (truth.get(top.row) === top.personId) correct++;
      if (cands.some((c) => truth.get(c.row) === c.personId)) inTop5++;
      for (const c of cands) expect(c.reasons.length).toBeGreaterThan(0);
    }
    const precision = correct / predicted;
    const recall = correct / truth.size;
    const recall5 = inTop5 / truth.size;
    console.log(
      `family matcher: ${rows.length} rows vs ${registry.length} people in ${Math.round(ms)} ms; ` +
        `top-1 precision ${precision.toFixed(3)}, recall ${recall.toFixed(3)}; recall in top 5 ${recall5.toFixed(3)}`,
    );
    expect(precision).toBeGreaterThan(0.85);
    expect(recall5).toBeGreaterThan(0.9);
    expect(recall).toBeGreaterThan(0.8);
  });
});
