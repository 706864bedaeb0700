import type { Figures } from "./api/totals.js";
import { addDays, dayStartMinutes } from "./counting.js";
import { englishUnit, fillTemplate } from "./plural.js";

/**
 * The official sentences of a daily or campaign report (e.g. "开展街面巡查搜救N人次，出动车辆N台次，
 * 巡查重点点位N个（N个次）…护送（接领）N人次（其中护送返乡N人次、亲属接领N人次）…发放价值N元的棉衣、
 * 棉被…，其中集中发放物资受助N人次"), in both languages, built from the totals' figures only. Pure: the server (GET
 * /api/reports/text, a submitted daily report's frozen text) and the print view call this one
 * function, so paper, screen and the official text can never disagree.
 */
export type ReportLang = "zh-CN" | "en";
export const REPORT_LANGS = ["zh-CN", "en"] as const satisfies readonly ReportLang[];

const TEMPLATES = {
  "zh-CN": {
    sentence:
      "{{period}}，开展街面巡查搜救{{staff}}人次，巡查{{patrols}}次，出动车辆{{sorties}}台次，巡查重点点位{{kpc}}个（{{kp}}个次）；发现{{foundPt}}人次（{{foundP}}人），站内外救助{{aided}}人次（其中站内救助{{inStation}}人次、站外救助{{onStreet}}人次），护送（接领）{{escorts}}人次（其中护送返乡{{home}}人次、亲属接领{{pickup}}人次），送医{{hospital}}人次，转介{{referred}}人次，安置{{settled}}人，寻亲成功{{families}}人；设立临时避寒场所和室外救助点{{shelters}}个。",
    supplies: "发放价值{{yuan}}元的{{items}}。",
    recipients: "其中集中发放物资受助{{n}}人次。",
    noSupplies: "本期未发放物资。",
    itemSep: "、",
    item: "{{name}}{{q}}{{unit}}",
    zero: "{{period}}，本站无街面救助情况，特此零报告。",
    idParts: {
      settled: "落户安置{{n}}人",
      median: "寻亲成功者自入站至查明身份中位数{{n}}天",
      pastNotice: "逾期未发布寻亲公告{{n}}人",
      pastFingerprintCheck: "逾期未比对指纹{{n}}人",
      pastDnaRequest: "逾期未申请DNA采样{{n}}人",
      pastSettleReview: "超过落户安置审核期限仍未查明身份{{n}}人",
    },
    idSep: "，",
    idEnd: "。",
  },
  en: {
    sentence:
      "{{period}}, street patrol searches totalled {{staff}} staff [[staff:person-time|person-times]] over {{patrols}} [[patrols:patrol|patrols]] with {{sorties}} vehicle [[sorties:sortie|sorties]], covering {{kpc}} key [[kpc:point|points]] ({{kp}} key-point [[kp:visit|visits]]); {{foundPt}} [[foundPt:person-time|person-times]] ({{foundP}} [[foundP:person|persons]]) [[foundPt:was|were]] found, {{aided}} [[aided:person-time was|person-times were]] aided in and out of the station ({{inStation}} in the station, {{onStreet}} on the street), {{escorts}} [[escorts:person-time was|person-times were]] escorted home or picked up by family ({{home}} escorted home, {{pickup}} picked up by family), {{hospital}} taken to hospital, {{referred}} referred, {{settled}} [[settled:person|persons]] settled, and {{families}} [[families:family was|families were]] found; {{shelters}} [[shelters:warming shelter or outdoor aid point was|warming shelters and outdoor aid points were]] in service.",
    supplies: "Supplies worth {{yuan}} yuan were handed out: {{items}}.",
    recipients: "Of these, {{n}} recipient [[n:person-time|person-times]] at bulk distributions.",
    noSupplies: "No supplies were handed out in this period.",
    itemSep: ", ",
    item: "{{q}} {{unit}} of {{name}}",
    zero: "{{period}}: nothing to report at this station (zero report).",
    idParts: {
      settled: "{{n}} [[n:person|persons]] settled with a local household registration",
      median: "a median of {{n}} [[n:day|days]] from arrival to a family found",
      pastNotice: "family-search notices overdue (not published within the deadline): {{n}} [[n:person|persons]]",
      pastFingerprintCheck: "fingerprint checks overdue: {{n}} [[n:person|persons]]",
      pastDnaRequest: "DNA requests overdue: {{n}} [[n:person|persons]]",
      pastSettleReview: "past the settlement review still unidentified: {{n}} [[n:person|persons]]",
    },
    idSep: "; ",
    idEnd: ".",
  },
} as const;

/** Yuan from fen, two decimals dropped when whole. */
function yuanOf(fen: number): string {
  return fen % 100 === 0 ? String(fen / 100) : (fen / 100).toFixed(2);
}

const parts = (day: string) => day.split("-").map(Number) as [number, number, number];
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** The local time of a report-day start as words: "8时" / "8时30分", "08:00". */
function clock(dayStart: string, lang: ReportLang): string {
  const min = dayStartMinutes(dayStart);
  const h = Math.floor(min / 60),
    m = min % 60;
  return lang === "en" ? dayStart : `${h}时${m ? `${m}分` : ""}`;
}

/** A report day as written: "12月29日" / "29 Dec"; the year only when asked. */
function dayWords(day: string, lang: ReportLang, withYear: boolean): string {
  const [y, m, d] = parts(day);
  return lang === "en" ? `${d} ${MONTHS[m - 1]}${withYear ? ` ${y}` : ""}` : `${withYear ? `${y}年` : ""}${m}月${d}日`;
}

/**
 * The period a report covers, headed by its report days: one day is that day alone, and with a day
 * start other than midnight the hours follow in brackets, e.g. "12月29日（29日8时至30日8时）",
 * "29 Dec 2026 (29 Dec 08:00 to 30 Dec 08:00)"; a range is "12月1日至12月31日（12月1日8时至1月1日8时）".
 */
export function reportPeriod(from: string, to: string, dayStart: string, lang: ReportLang): string {
  const end = addDays(to, 1);
  const sameYear = from.slice(0, 4) === to.slice(0, 4);
  const head =
    from === to
      ? dayWords(from, lang, lang === "en")
      : lang === "en"
        ? `${dayWords(from, lang, !sameYear)} to ${dayWords(to, lang, true)}`
        : `${dayWords(from, lang, !sameYear)}至${dayWords(to, lang, !sameYear)}`;
  if (dayStartMinutes(dayStart) === 0) return head;
  const c = clock(dayStart, lang);
  if (lang === "en") return `${head} (${dayWords(from, lang, false)} ${c} to ${dayWords(end, lang, false)} ${c})`;
  const short = (d: string) => (from.slice(0, 7) === end.slice(0, 7) ? `${parts(d)[2]}日` : dayWords(d, lang, false));
  return `${head}（${short(from)}${c}至${short(end)}${c}）`;
}

/** What a report's text is built from. */
interface ReportTextInput {
  figures: Figures;
  from: string;
  to: string;
  dayStart: string;
  lang: ReportLang;
  /** A zero report (零报告) says so instead of the figures. */
  zero?: boolean;
}

/**
 * The identification sentence (甄别寻亲): 落户安置, the median days to a family found, and the people
 * past each statutory deadline at the end of the period, each only when there is something to say
 * (reports without read as before); empty when nothing.
 */
function identificationSentence(f: Figures, lang: ReportLang): string[] {
  const t = TEMPLATES[lang];
  const parts = [
    f.householdSettled ? fillTemplate(t.idParts.settled, { n: f.householdSettled }) : "",
    f.medianDaysToIdentification !== null && f.medianDaysToIdentification !== undefined
      ? fillTemplate(t.idParts.median, { n: f.medianDaysToIdentification })
      : "",
    ...(["pastNotice", "pastFingerprintCheck", "pastDnaRequest", "pastSettleReview"] as const).map((k) =>
      f[k] ? fillTemplate(t.idParts[k], { n: f[k] }) : "",
    ),
  ].filter(Boolean);
  if (!parts.length) return [];
  const text = parts.join(t.idSep) + t.idEnd;
  return [lang === "en" ? text[0]!.toUpperCase() + text.slice(1) : text];
}

/** The report's sentences: the figures, then the supplies (or the zero-report sentence alone). */
export function reportSentences(i: ReportTextInput): string[] {
  const t = TEMPLATES[i.lang];
  const f = i.figures;
  const period = reportPeriod(i.from, i.to, i.dayStart, i.lang);
  const overdue = identificationSentence(f, i.lang);
  if (i.zero) return [fillTemplate(t.zero, { period }), ...overdue];
  const main = fillTemplate(t.sentence, {
    period,
    staff: f.staffPersonTimes,
    patrols: f.patrols,
    sorties: f.sorties,
    kp: f.keyPointVisits,
    kpc: f.keyPointsCovered,
    foundPt: f.foundPersonTimes,
    foundP: f.foundPersons,
    aided: f.aidedTotal,
    inStation: f.aidedInStation,
    onStreet: f.aidedOnStreet,
    escorts: f.escorts,
    home: f.escortedHome,
    pickup: f.familyPickup,
    hospital: f.hospital,
    referred: f.referred,
    settled: f.settled,
    families: f.familiesFound,
    shelters: f.sheltersInService,
  });
  const items = [...f.supplies]
    .sort((a, b) => b.valueFen - a.valueFen)
    .map((s) =>
      fillTemplate(t.item, {
        name: i.lang === "en" ? s.nameEn.toLowerCase() : s.nameZh,
        q: s.quantity,
        unit: i.lang === "en" ? englishUnit(s.unitEn, s.quantity) : s.unitZh,
      }),
    );
  const supplies = items.length
    ? fillTemplate(t.supplies, { yuan: yuanOf(f.suppliesValueFen), items: items.join(t.itemSep) })
    : t.noSupplies;
  // Recipients of bulk distributions (发放受助人次) follow the supplies, only when there were any, so a
  // period without distributions reads as before.
  const recipients = f.distributionRecipients ? [fillTemplate(t.recipients, { n: f.distributionRecipients })] : [];
  return [main, supplies + (recipients[0] ? (i.lang === "en" ? ` ${recipients[0]}` : recipients[0]) : ""), ...overdue];
}

/** The text of a report in both languages (what a submitted daily report freezes). */
export function reportTextBoth(i: Omit<ReportTextInput, "lang">): Record<ReportLang, string[]> {
  return { "zh-CN": reportSentences({ ...i, lang: "zh-CN" }), en: reportSentences({ ...i, lang: "en" }) };
}
