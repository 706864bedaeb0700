import { pinyin } from "pinyin-pro";

/**
 * How a name is matched as the operator types: its normalized form, its full pinyin and its pinyin
 * initials ("人民广场" → "人民广场", "renminguangchang", "rmgc"). Latin letters and digits in a
 * name are kept as they are in all three, so "3号桥" is found by "3hq" and "3haoqiao".
 */
export interface SearchKey {
  name: string;
  full: string;
  initials: string;
}

/** Lower case, no spaces or middle dots: what callers type is compared with what names contain. */
export function normalize(text: string): string {
  return text.toLowerCase().replace(/[\s·・]+/g, "");
}

/** The search key of a name (pinyin-pro's default readings; non-Chinese characters kept). */
export function searchKey(name: string): SearchKey {
  const n = normalize(name);
  const full = pinyin(n, { toneType: "none", type: "array", nonZh: "consecutive" }).join("");
  const initials = pinyin(n, { pattern: "first", toneType: "none", type: "array", nonZh: "consecutive" }).join("");
  return { name: n, full: normalize(full), initials: normalize(initials) };
}

/** The stored form of a key (places.search): the three parts separated by spaces, none of which holds one. */
export const keyText = (k: SearchKey): string => `${k.name} ${k.full} ${k.initials}`;

/** The key back from its stored form. */
export function parseKeyText(text: string): SearchKey {
  const [name = "", full = "", initials = ""] = text.split(" ");
  return { name, full, initials };
}

/**
 * Rank of a match, lower first: 0 the Chinese name starts with the query (exact included), 1 the
 * pinyin initials do, 2 the full pinyin does, 3 any of them contains it; null when none does.
 */
export function matchRank(q: string, k: SearchKey): number | null {
  if (!q) return null;
  if (k.name.startsWith(q)) return 0;
  if (k.initials.startsWith(q)) return 1;
  if (k.full.startsWith(q)) return 2;
  if (k.name.includes(q) || k.initials.includes(q) || k.full.includes(q)) return 3;
  return null;
}

/**
 * Keys of names seen at query time (key points, shelters, case places): the same names come back on
 * every keystroke, so each is worked out once. Bounded so a long-running server does not grow.
 */
export class SearchKeyCache {
  private readonly keys = new Map<string, SearchKey>();
  constructor(private readonly max = 20_000) {}

  get(name: string): SearchKey {
    let k = this.keys.get(name);
    if (!k) {
      if (this.keys.size >= this.max) this.keys.clear();
      k = searchKey(name);
      this.keys.set(name, k);
    }
    return k;
  }
}
