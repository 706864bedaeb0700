import type { OutcomeMeasures, Outcomes } from "../../shared/api/outcomes.js";
import { ratio } from "../../shared/outcomes.js";

/** Export language: headers. */
type Lang = "zh-CN" | "en";

/** A share as a percentage with one decimal, or empty when there is no denominator. */
const percent = (num: number, den: number) => {
  const r = ratio(num, den);
  return r === null ? "" : (Math.round(r * 1000) / 10).toFixed(1);
};

/**
 * The outcome measures as a table: a header, one row per station and the whole scope. Counts and
 * rates only (no person, no identity), the same for every role that may read the totals; each rate
 * sits next to its numerator and denominator.
 */
export function outcomesTable(o: Outcomes, stationName: (id: string) => string, lang: Lang): (string | number)[][] {
  const zh = lang === "zh-CN";
  const head = [
    zh ? "范围" : "Scope",
    zh ? "接触人次" : "Contacts (person-times)",
    zh ? "接触人数" : "Contacts (persons)",
    zh ? "接受帮助人次" : "Accepted help (person-times)",
    zh ? "接受帮助人数" : "Accepted help (persons)",
    zh ? "接受帮助比例（%，人数/接触人数）" : "Engagement rate (%, persons / persons contacted)",
    zh ? "未登记人员接触人次（无法追踪）" : "Contacts with no person record (not followed)",
    zh ? "首次在街面发现人数" : "New persons (first night seen)",
    ...o.measures.windows.flatMap((w) =>
      zh
        ? [
            `${w.nights}晚内再次发现人数`,
            `${w.nights}晚内未再发现人数`,
            `${w.nights}晚观察期未满人数`,
            `${w.nights}晚再次发现比例（%，观察期已满者）`,
          ]
        : [
            `Seen again within ${w.nights} night(s)`,
            `Not seen again within ${w.nights} night(s)`,
            `${w.nights}-night window still open`,
            `Seen again within ${w.nights} (%, of closed windows)`,
          ],
    ),
    zh ? "间隔30晚以上重返街面人数" : "Returners (back after 30+ nights unseen)",
  ];
  const row = (label: string, m: OutcomeMeasures) => [
    label,
    m.contacts,
    m.contactPersons,
    m.engagedContacts,
    m.engagedPersons,
    percent(m.engagedPersons, m.contactPersons),
    m.untrackedContacts,
    m.newPersons,
    ...m.windows.flatMap((w) => [w.returned, w.notReturned, w.pending, percent(w.returnedOfClosed, w.closed)]),
    m.returners,
  ];
  return [
    head,
    ...o.byStation.map((s) => row(stationName(s.stationId), s.measures)),
    row(`${zh ? "合计" : "Total"} ${o.from}..${o.to}`, o.measures),
  ];
}
