import { describe, expect, it } from "vitest";
import i18next from "i18next";
import { englishUnit, fillTemplate } from "../../shared/plural.js";
import { dutyroom } from "../../web/src/i18n/locales/en/dutyroom.js";
import { station } from "../../web/src/i18n/locales/en/station.js";
import { fleet } from "../../web/src/i18n/locales/en/fleet.js";
import { desk } from "../../web/src/i18n/locales/en/desk.js";
import { stationForms } from "../../web/src/i18n/locales/en/stationForms.js";
import { phone } from "../../web/src/i18n/locales/en/phone.js";
import { common } from "../../web/src/i18n/locales/en/common.js";
import { englishPlurals } from "../../web/src/i18n/index.js";

/** Every string of a nested texts object, with its dotted key. */
function strings(o: unknown, at = ""): [string, string][] {
  if (typeof o === "string") return [[at, o]];
  if (!o || typeof o !== "object") return [];
  return Object.entries(o).flatMap(([k, v]) => strings(v, at ? `${at}.${k}` : k));
}
const EN = { dutyroom, station, fleet, desk, stationForms, phone, common };
const all = Object.entries(EN).flatMap(([ns, o]) => strings(o, ns));

describe("English plurals", () => {
  it("counts read right with 1 and 2 in the duty room, the station page and the admin pages", () => {
    expect(fillTemplate(dutyroom.queue.callers, { count: 1 })).toBe("1 call");
    expect(fillTemplate(dutyroom.queue.callers, { count: 2 })).toBe("2 calls");
    expect(fillTemplate(dutyroom.map.cluster, { count: 1 })).toBe("1 case");
    expect(fillTemplate(dutyroom.map.beds, { n: 2 })).toBe("2 beds");
    expect(fillTemplate(station.shelters.total, { n: 1 })).toBe("1 place");
    expect(fillTemplate(station.export.progress, { done: 1, total: 1 })).toBe("Exporting 1 / 1 row");
  });

  it("i18next texts choose the form through the post-processor", async () => {
    const i18n = i18next.createInstance();
    await i18n.use(englishPlurals).init({
      lng: "en",
      resources: { en: { desk } },
      defaultNS: "desk",
      postProcess: [englishPlurals.name],
      interpolation: { escapeValue: false },
    });
    expect(i18n.t("desk:admin.vehicles.total", { n: 1 })).toBe("1 vehicle");
    expect(i18n.t("desk:admin.vehicles.total", { n: 2 })).toBe("2 vehicles");
    expect(i18n.t("desk:admin.imports.importing", { n: 1 })).toBe("Importing 1 row…");
    expect(i18n.t("desk:admin.keypoints.total", { n: 1 })).toBe("1 key point");
  });

  it("no English text puts a number before a plural noun without choosing the form", () => {
    const bare = all.filter(([, s]) => /\{\{(n|count|total|q)\}\} (?!\[\[)[a-z-]+s\b/.test(s));
    expect(bare.map(([k, s]) => `${k}: ${s}`)).toEqual([]);
    for (const [k, s] of all.filter(([, s]) => s.includes("[["))) {
      const vars = Object.fromEntries([...s.matchAll(/\[\[(\w+):|\{\{(\w+)\}\}/g)].map((m) => [m[1] ?? m[2], 1]));
      expect(fillTemplate(s, vars), k).not.toMatch(/\[\[|\]\]/);
    }
  });

  it("catalog units take the English plural", () => {
    expect(englishUnit("piece", 1)).toBe("piece");
    expect(englishUnit("piece", 2)).toBe("pieces");
    expect(englishUnit("box", 3)).toBe("boxes");
    expect(englishUnit("bottle", 0)).toBe("bottles");
    expect(englishUnit("pair of gloves", 2)).toBe("pairs of gloves");
    expect(englishUnit("pieces", 2)).toBe("pieces");
  });
});
