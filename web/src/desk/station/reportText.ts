import type { Figures } from "../../../../shared/api/totals.js";
import type { StationTexts } from "../../i18n/locales/zh-CN/station.js";
import { fmt, yuan } from "./texts.js";

/**
 * The report's sentences in the official phrasing (e.g. "开展街面巡查搜救N人次，出动车辆N台次，
 * 站内外救助N人次，护送（接领）N人次，发放价值N元的棉衣、棉被…"), from the same figures the
 * totals show, so print and screen can never disagree.
 */
export function reportSentences(f: Figures, t: StationTexts, lang: "zh-CN" | "en", from: string, to: string): string[] {
  const main = fmt(t.print.sentence, {
    from, to, staff: f.staffPersonTimes, patrols: f.patrols, sorties: f.sorties, kp: f.keyPointVisits,
    foundPt: f.foundPersonTimes, foundP: f.foundPersons, aided: f.aidedTotal, inStation: f.aidedInStation,
    onStreet: f.aidedOnStreet, escorts: f.escorts, hospital: f.hospital, referred: f.referred, families: f.familiesFound,
  });
  const items = [...f.supplies].sort((a, b) => b.valueFen - a.valueFen).map((s) => fmt(t.print.item, {
    name: lang === "en" ? s.nameEn.toLowerCase() : s.nameZh, q: s.quantity, unit: lang === "en" ? (s.quantity === 1 ? s.unitEn : `${s.unitEn}s`) : s.unitZh,
  }));
  const supplies = items.length ? fmt(t.print.supplies, { yuan: yuan(f.suppliesValueFen), items: items.join(t.print.itemSep) }) : t.print.noSupplies;
  return [main, supplies];
}
