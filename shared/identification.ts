/**
 * Identification and family search (甄别寻亲): the statutory steps, their deadlines from arrival,
 * the figures, and the family-search notice (寻亲公告). Pure: no I/O, runs in Node and the browser.
 *
 * The rules (民发〔2015〕158号, 工作规程 民发〔2014〕132号): fingerprints checked at intake against the
 * national relief system; a notice published within 24 hours; DNA asked of police within a month
 * for everyone unidentified; after 3 months unidentified, a review proposing settlement with a local
 * household registration (落户安置). A province may set other deadlines (`DeadlineRules`).
 */

/** What a conversation or clue was about (69.7 % of families are found by talking). */
export const CLUE_KINDS = ["dialect", "place_name", "relative_name", "school", "feature", "other"] as const;
export type ClueKind = (typeof CLUE_KINDS)[number];

/** The recorded steps. Steps with a deadline are in `DEADLINE_STEPS`. */
export const STEP_KINDS = [
  "fingerprint_check",
  "notice_published",
  "dna_requested",
  "dna_result",
  "police_check",
] as const;
export type StepKind = (typeof STEP_KINDS)[number];

/** Where a notice ran. */
export const NOTICE_CHANNELS = ["national_site", "newspaper", "news_app"] as const;
export type NoticeChannel = (typeof NOTICE_CHANNELS)[number];

/** How a file closes. The first three are a family found (寻亲成功); `settled` is 落户安置. */
export const CLOSINGS = ["family_found", "escorted_home", "picked_up", "settled"] as const;
export type Closing = (typeof CLOSINGS)[number];
export const FAMILY_CLOSINGS: readonly Closing[] = ["family_found", "escorted_home", "picked_up"];

/** Deadlines that run from arrival; `settle_review` is the 3-month review proposing 落户安置. */
export const DEADLINE_KINDS = ["fingerprint_check", "notice_published", "dna_requested", "settle_review"] as const;
export type DeadlineKind = (typeof DEADLINE_KINDS)[number];

/** A province's deadlines. Hours for the intake steps, calendar months (station time) for the others. */
export interface DeadlineRules {
  fingerprintHours: number;
  noticeHours: number;
  dnaRequestMonths: number;
  settleReviewMonths: number;
}

/** The national rules, used where a province has set none. */
export const DEFAULT_DEADLINES: DeadlineRules = {
  fingerprintHours: 24,
  noticeHours: 24,
  dnaRequestMonths: 1,
  settleReviewMonths: 3,
};

/** The station's time zone: Asia/Shanghai, UTC+8 all year (no daylight saving since 1991). */
const STATION_UTC_OFFSET_MIN = 480;

const DAY_MS = 86_400_000;

/**
 * `months` calendar months after `at`, on the station's wall clock: 31 Jan + 1 month is the last day
 * of February at the same local time (clamped), never 3 March.
 */
export function addLocalMonths(at: Date, months: number, offsetMin = STATION_UTC_OFFSET_MIN): Date {
  const local = new Date(at.getTime() + offsetMin * 60_000);
  const y = local.getUTCFullYear();
  const m = local.getUTCMonth() + months;
  const last = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
  const day = Math.min(local.getUTCDate(), last);
  const t = Date.UTC(
    y,
    m,
    day,
    local.getUTCHours(),
    local.getUTCMinutes(),
    local.getUTCSeconds(),
    local.getUTCMilliseconds(),
  );
  return new Date(t - offsetMin * 60_000);
}

/** Every deadline of a file, from arrival. */
export function deadlinesFrom(arrivedAt: Date, rules: DeadlineRules = DEFAULT_DEADLINES): Record<DeadlineKind, Date> {
  const h = (n: number) => new Date(arrivedAt.getTime() + n * 3600_000);
  return {
    fingerprint_check: h(rules.fingerprintHours),
    notice_published: h(rules.noticeHours),
    dna_requested: addLocalMonths(arrivedAt, rules.dnaRequestMonths),
    settle_review: addLocalMonths(arrivedAt, rules.settleReviewMonths),
  };
}

/** done: recorded in time; done_late: recorded after its deadline; open: not yet due; due: within the warning window; overdue: past it; closed: the file closed first. */
export type DeadlineState = "done" | "done_late" | "open" | "due" | "overdue" | "closed";

/** What the deadlines are computed from. */
export interface FileFacts {
  arrivedAt: Date;
  /** Recorded steps with when they happened (not when they were entered). */
  steps: { kind: StepKind; at: Date }[];
  closedAt: Date | null;
}

/** One deadline's state. */
export interface DeadlineStatus {
  kind: DeadlineKind;
  dueAt: Date;
  doneAt: Date | null;
  state: DeadlineState;
}

/** A step is "due" this long before its deadline (the head's due-now list warns ahead). */
const DUE_WARNING_MS = 6 * 3600_000;

/**
 * The state of every deadline of a file at `now`. The settlement review is done by closing the file
 * (family found or settled); the other deadlines by recording their step, at any time (a step dated
 * after its deadline is `done_late`). A closed file owes nothing more.
 */
export function deadlineStates(f: FileFacts, now: Date, rules: DeadlineRules = DEFAULT_DEADLINES): DeadlineStatus[] {
  const due = deadlinesFrom(f.arrivedAt, rules);
  return DEADLINE_KINDS.map((kind) => {
    const dueAt = due[kind];
    // Only what had happened by `now` counts (a report of a past day sees the file as it stood then).
    const closedAt = f.closedAt && f.closedAt <= now ? f.closedAt : null;
    const doneAt =
      kind === "settle_review"
        ? closedAt
        : (f.steps
            .filter((s) => s.kind === kind && s.at <= now)
            .map((s) => s.at)
            .sort((a, b) => a.getTime() - b.getTime())[0] ?? null);
    let state: DeadlineState;
    if (doneAt) state = doneAt.getTime() <= dueAt.getTime() ? "done" : "done_late";
    else if (closedAt) state = "closed";
    else if (now.getTime() > dueAt.getTime()) state = "overdue";
    else if (dueAt.getTime() - now.getTime() <= DUE_WARNING_MS) state = "due";
    else state = "open";
    return { kind, dueAt, doneAt, state };
  });
}

/** Fields of the notice a head may choose. Name and ID number appear only when chosen. */
export const NOTICE_FIELDS = [
  "gender",
  "approxAge",
  "height",
  "features",
  "foundPlace",
  "foundAt",
  "contact",
  "name",
  "idNumber",
  "photo",
] as const;
type NoticeField = (typeof NOTICE_FIELDS)[number];
/** What a notice shows until the head chooses otherwise: nothing that names the person, no photo. */
export const DEFAULT_NOTICE_FIELDS: readonly NoticeField[] = [
  "gender",
  "approxAge",
  "height",
  "features",
  "foundPlace",
  "foundAt",
  "contact",
];

/** What a notice may be built from (the file and the station). */
interface NoticeFacts {
  gender: "male" | "female" | "unknown" | null;
  approxAge: number | null;
  heightCm: number | null;
  features: string;
  foundPlace: string;
  foundAt: Date | null;
  stationName: string;
  stationHotline: string;
  stationAddress: string;
  name: string | null;
  idNumber: string | null;
  /** The photo, only when consent is recorded; it reaches the HTML only when `photo` is chosen. */
  photo?: { contentType: "image/jpeg" | "image/png"; base64: string } | null;
}

const GENDER_WORDS = {
  "zh-CN": { male: "男", female: "女", unknown: "不详" },
  en: { male: "male", female: "female", unknown: "unknown" },
} as const;

const NOTICE_LABELS = {
  "zh-CN": {
    title: "寻亲公告",
    intro: "我站救助了一名身份不明的受助人员，现发布寻亲公告，请知情者与我站联系。",
    gender: "性别",
    approxAge: "年龄",
    ageValue: (n: number) => `约${n}岁`,
    height: "身高",
    heightValue: (n: number) => `约${n}厘米`,
    features: "体貌特征",
    foundPlace: "发现地点",
    foundAt: "发现时间",
    contact: "联系方式",
    name: "自述姓名",
    idNumber: "证件号码",
    photo: "照片",
    sep: "：",
  },
  en: {
    title: "Family-search notice",
    intro: "Our station is caring for a person whose identity is unknown. Anyone who knows them, please contact us.",
    gender: "Gender",
    approxAge: "Age",
    ageValue: (n: number) => `about ${n}`,
    height: "Height",
    heightValue: (n: number) => `about ${n} cm`,
    features: "Features",
    foundPlace: "Found at",
    foundAt: "Found on",
    contact: "Contact",
    name: "Name given",
    idNumber: "ID number",
    photo: "Photo",
    sep: ": ",
  },
} as const;

/** A date on the station's calendar: 2026年11月28日 / 2026-11-28. */
function stationDate(d: Date, lang: "zh-CN" | "en"): string {
  const l = new Date(d.getTime() + STATION_UTC_OFFSET_MIN * 60_000);
  const [y, m, day] = [l.getUTCFullYear(), l.getUTCMonth() + 1, l.getUTCDate()];
  return lang === "en" ? `${y}-${String(m).padStart(2, "0")}-${String(day).padStart(2, "0")}` : `${y}年${m}月${day}日`;
}

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

/**
 * The notice (寻亲公告) with only the chosen fields, as plain text and as HTML (every value escaped:
 * text is never markup), image-free unless the head chose the photo for the printed notice. A chosen
 * field with nothing recorded is left out.
 */
export function buildNotice(
  facts: NoticeFacts,
  chosen: readonly NoticeField[],
  lang: "zh-CN" | "en",
): { lines: [string, string][]; text: string; html: string } {
  const L = NOTICE_LABELS[lang];
  const pick = new Set(chosen);
  const lines: [string, string][] = [];
  const add = (field: Exclude<NoticeField, "photo">, value: string | null | undefined) => {
    if (pick.has(field) && value) lines.push([L[field], value]);
  };
  add("name", facts.name);
  add("gender", facts.gender ? GENDER_WORDS[lang][facts.gender] : null);
  add("approxAge", facts.approxAge === null ? null : L.ageValue(facts.approxAge));
  add("height", facts.heightCm === null ? null : L.heightValue(facts.heightCm));
  add("features", facts.features.trim());
  add("foundPlace", facts.foundPlace.trim());
  add("foundAt", facts.foundAt ? stationDate(facts.foundAt, lang) : null);
  add("idNumber", facts.idNumber);
  add(
    "contact",
    [facts.stationName, facts.stationAddress, facts.stationHotline]
      .filter((s) => s.trim())
      .join(lang === "en" ? ", " : "，"),
  );
  const text = [L.title, L.intro, ...lines.map(([k, v]) => `${k}${L.sep}${v}`)].join("\n");
  // The photo only on the printed notice, when chosen and consented to (the text never carries it);
  // its type is one of two constants and its data base64, so nothing in it is markup.
  const photo =
    pick.has("photo") && facts.photo && /^[A-Za-z0-9+/]*={0,2}$/.test(facts.photo.base64)
      ? `<p class="photo"><img alt="${escapeHtml(L.photo)}" src="data:${facts.photo.contentType === "image/png" ? "image/png" : "image/jpeg"};base64,${facts.photo.base64}"></p>`
      : "";
  const html = [
    `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><title>${escapeHtml(L.title)}</title>`,
    `<style>@page{size:A4;margin:20mm}body{font-family:sans-serif;font-size:14pt;line-height:1.6}h1{text-align:center}.photo{text-align:center}.photo img{max-width:60mm;max-height:80mm}dt{font-weight:bold;float:left;clear:left;width:7em}dd{margin-left:8em}</style>`,
    `</head><body><h1>${escapeHtml(L.title)}</h1><p>${escapeHtml(L.intro)}</p>${photo}<dl>`,
    ...lines.map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${escapeHtml(v)}</dd>`),
    `</dl></body></html>`,
  ].join("");
  return { lines, text, html };
}

/** Why a partner-list row is offered as a person of the registry (server/identification/matcher.ts). */
export const MATCH_REASON_CODES = [
  "same_id_number",
  "partial_id_number",
  "same_name",
  "same_pinyin",
  "similar_name",
  "age_in_range",
  "same_gender",
  "same_hometown",
  "dates_fit",
] as const;
