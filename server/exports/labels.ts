import { station as stationZh } from "../../web/src/i18n/locales/zh-CN/station.js";
import { station as stationEn } from "../../web/src/i18n/locales/en/station.js";
import { desk as deskZh } from "../../web/src/i18n/locales/zh-CN/desk.js";
import { desk as deskEn } from "../../web/src/i18n/locales/en/desk.js";
import { fleet as fleetZh } from "../../web/src/i18n/locales/zh-CN/fleet.js";
import { fleet as fleetEn } from "../../web/src/i18n/locales/en/fleet.js";

/**
 * Words for the codes an export shows (outcome, movement, kinds, reasons), taken from the UI's own
 * label files so a file says what the screen says; a code without a label stays the code.
 */
function vocab(zh: boolean) {
  const s = zh ? stationZh : stationEn;
  const d = zh ? deskZh : deskEn;
  const f = zh ? fleetZh : fleetEn;
  return {
    outcome: s.outcomes as Record<string, string>,
    movement: s.export.movements as Record<string, string>,
    agency: s.export.agencies as Record<string, string>,
    stayEnd: s.stays.reasons as Record<string, string>,
    gender: s.people.genders as Record<string, string>,
    keyPointKind: d.admin.keypoints.kinds as Record<string, string>,
    patrolKind: f.phone.kind as Record<string, string>,
    yes: s.export.yes,
    no: s.export.no,
  };
}
const ZH = vocab(true);
const EN = vocab(false);

type Vocab = ReturnType<typeof vocab>;
type CodeList = Exclude<keyof Vocab, "yes" | "no">;

/** The label of `code` in `list`, in the export's language. */
export function label(zh: boolean, list: CodeList, code: string | null | undefined): string {
  if (code === null || code === undefined || code === "") return "";
  return (zh ? ZH : EN)[list][code] ?? code;
}

/** Yes or no in the export's language. */
export const yesNo = (zh: boolean, v: boolean): string => (zh ? ZH : EN)[v ? "yes" : "no"];
