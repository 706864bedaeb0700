/**
 * English plurals for texts that put a number in a sentence ("1 patrol", "2 patrols"). A text marks
 * the choice as "[[name:one|other]]", picked by the CLDR rule (Intl.PluralRules) for the number in
 * `name`; Chinese texts have no such marks. The same syntax serves the report text (shared with the
 * server, which has no i18next), the desk's typed text objects and i18next (as a post-processor).
 */
const EN_PLURAL = new Intl.PluralRules("en");

const MARK = /\[\[(\w+):([^|\]]*)\|([^\]]*)\]\]/g;

/** Replaces each "[[name:one|other]]" by the form for the number in `vars[name]`. */
export function choosePlurals(text: string, vars: Readonly<Record<string, unknown>>): string {
  return text.replace(MARK, (_, k: string, one: string, other: string) =>
    EN_PLURAL.select(Number(vars[k] ?? 0)) === "one" ? one : other,
  );
}

/** Fills "{{name}}" placeholders and chooses "[[name:one|other]]" forms. */
export function fillTemplate(text: string, vars: Readonly<Record<string, string | number>>): string {
  return choosePlurals(text, vars).replace(/\{\{(\w+)\}\}/g, (_, k: string) => String(vars[k] ?? ""));
}

/**
 * An English unit of the supply catalog for a quantity: "1 piece", "2 pieces", "3 boxes", "2 sets".
 * Units are data (the admin types them), so the regular English rules are applied; a unit already
 * written as a plural or a phrase ("pair of gloves") is left alone for one and pluralised in its head word.
 */
export function englishUnit(unit: string, n: number): string {
  if (EN_PLURAL.select(n) === "one") return unit;
  const space = unit.indexOf(" ");
  return space < 0 ? pluralWord(unit) : pluralWord(unit.slice(0, space)) + unit.slice(space);
}

function pluralWord(w: string): string {
  if (/[^aeiou]y$/i.test(w)) return `${w.slice(0, -1)}ies`;
  if (/(s|x|z|ch|sh)$/i.test(w)) return /ss$|x$|z$|ch$|sh$/i.test(w) ? `${w}es` : w;
  return `${w}s`;
}
