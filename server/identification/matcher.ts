import { pinyin } from "pinyin-pro";
import type { MATCH_REASON_CODES } from "../../shared/identification.js";

/**
 * Matching a partner's list (missing-person reports, hospital admissions, another station's
 * unidentified people) against the station's people registry. Pure: the registry is indexed once
 * (pinyin computed per person once), then each list row is scored against every person with cheap
 * comparisons first, so 1,000 rows against a few thousand people take well under a second.
 * A candidate is a proposal with its reasons; nothing is merged here (a head confirms or rejects).
 */

/** A person of the registry as the matcher needs them (identity: the caller audits the read). */
export interface RegistryPerson {
  id: string;
  name: string | null;
  idNumber: string | null;
  gender: "male" | "female" | "unknown" | null;
  approxAge: number | null;
  hometown: string | null;
  /** When the station first met or took in the person. */
  firstSeenAt: Date | null;
}

/** One row of a partner's list. */
export interface ListRow {
  row: number;
  name?: string;
  /** Full, masked (`*`) or partial (leading 6+ or trailing 4+ characters) ID number. */
  idNumber?: string;
  gender?: "male" | "female";
  age?: number;
  hometown?: string;
  /** When the person went missing or was admitted. */
  date?: Date;
}

type MatchReason = (typeof MATCH_REASON_CODES)[number];

/** A proposed match with why. */
interface MatchCandidate {
  row: number;
  personId: string;
  score: number;
  reasons: MatchReason[];
}

const WEIGHT: Record<MatchReason, number> = {
  same_id_number: 0.9,
  partial_id_number: 0.45,
  same_name: 0.5,
  same_pinyin: 0.4,
  similar_name: 0.25,
  age_in_range: 0.1,
  same_gender: 0.05,
  same_hometown: 0.15,
  dates_fit: 0.05,
};

/** Below this a pairing is not offered. */
const MIN_SCORE = 0.5;
/** Years either side of a recorded approximate age that still fit. */
const AGE_SLACK = 5;

const HAN = /[\u3400-\u9fff]/;

/** A name's pinyin syllables, lower case, tones dropped; a name written in Latin letters is split on spaces. */
export function nameSyllables(name: string): string[] {
  const n = name.trim().toLowerCase();
  if (!n) return [];
  if (HAN.test(n))
    return pinyin(n.replace(/\s+/g, ""), { toneType: "none", type: "array", nonZh: "removed", v: true }).filter(
      Boolean,
    );
  return n
    .replace(/ü/g, "v")
    .split(/[\s·.-]+/)
    .filter(Boolean);
}

/** Levenshtein distance, stopping early above `max`. */
function editDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
      best = Math.min(best, cur[j]!);
    }
    if (best > max) return max + 1;
    prev = cur;
  }
  return prev[b.length]!;
}

/** How a listed ID number fits a recorded one: the same, consistent in every known character, or not. */
export function idFit(listed: string, recorded: string): "same" | "partial" | null {
  const a = listed.trim().toUpperCase().replace(/\s/g, "");
  const b = recorded.trim().toUpperCase();
  if (!a || !b) return null;
  if (a === b) return "same";
  const known = a.replace(/[*?]/g, "").length;
  if (a.length === b.length) {
    if (known < 6) return null;
    for (let i = 0; i < a.length; i++) if (a[i] !== "*" && a[i] !== "?" && a[i] !== b[i]) return null;
    return "partial";
  }
  if (/[*?]/.test(a)) return null;
  if (a.length >= 6 && b.startsWith(a)) return "partial";
  if (a.length >= 4 && b.endsWith(a)) return "partial";
  return null;
}

interface Indexed {
  p: RegistryPerson;
  syl: string[];
  key: string;
}

/** The registry prepared for matching (pinyin once per person). */
export class RegistryIndex {
  private readonly items: Indexed[];
  constructor(people: RegistryPerson[]) {
    this.items = people.map((p) => {
      const syl = p.name ? nameSyllables(p.name) : [];
      return { p, syl, key: syl.join("") };
    });
  }

  /** Candidates of one row, best first, at most `limit`. */
  match(r: ListRow, limit = 5): MatchCandidate[] {
    const syl = r.name ? nameSyllables(r.name) : [];
    const key = syl.join("");
    const name = r.name?.replace(/\s+/g, "");
    const out: MatchCandidate[] = [];
    for (const it of this.items) {
      const reasons: MatchReason[] = [];
      const p = it.p;
      if (r.idNumber && p.idNumber) {
        const fit = idFit(r.idNumber, p.idNumber);
        if (fit) reasons.push(fit === "same" ? "same_id_number" : "partial_id_number");
      }
      if (key && it.key) {
        if (name && p.name && name === p.name) reasons.push("same_name");
        else if (key === it.key) reasons.push("same_pinyin");
        // One typo in the given name's pinyin, surname (first syllable) the same.
        else if (syl[0] === it.syl[0] && editDistance(key, it.key, 1) <= 1) reasons.push("similar_name");
      }
      if (!reasons.length) continue;
      if (r.gender && p.gender && p.gender !== "unknown") {
        if (r.gender !== p.gender) continue;
        reasons.push("same_gender");
      }
      if (r.age !== undefined && p.approxAge !== null) {
        if (Math.abs(r.age - p.approxAge) > AGE_SLACK * 2) continue;
        if (Math.abs(r.age - p.approxAge) <= AGE_SLACK) reasons.push("age_in_range");
      }
      if (r.hometown && p.hometown) {
        const a = r.hometown.trim(),
          b = p.hometown.trim();
        if (a && b && (a.includes(b) || b.includes(a))) reasons.push("same_hometown");
      }
      if (r.date && p.firstSeenAt && r.date.getTime() <= p.firstSeenAt.getTime()) reasons.push("dates_fit");
      const score = Math.min(
        1,
        reasons.reduce((s, x) => s + WEIGHT[x], 0),
      );
      if (score >= MIN_SCORE) out.push({ row: r.row, personId: p.id, score: Math.round(score * 100) / 100, reasons });
    }
    return out.sort((a, b) => b.score - a.score || a.personId.localeCompare(b.personId)).slice(0, limit);
  }
}

/** Every row's candidates (rows without any are left out). */
export function matchList(people: RegistryPerson[], rows: ListRow[], limit = 5): MatchCandidate[][] {
  const index = new RegistryIndex(people);
  return rows.map((r) => index.match(r, limit)).filter((c) => c.length);
}
