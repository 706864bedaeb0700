import { useState } from "react";
import type { EncounterCreate } from "../../../shared/api/encounters.js";
import type { VehicleLoad } from "../../../shared/api/vehicles.js";
import type { ConditionFlag, EncounterOutcome } from "../../../shared/vocab.js";
import { useLanguage, useTranslation } from "./i18n.js";

// Copies of the shared lists: shared/vocab.ts builds zod enums at load, which would pull zod
// into the phone bundle. The checks below fail to compile if a value is added there and not here.
const ENCOUNTER_OUTCOMES = [
  "brought_in",
  "street_aid",
  "hospital",
  "escorted_home",
  "family_pickup",
  "referred_police",
  "referred_minors",
  "referred_mental_health",
  "refused",
  "not_found",
] as const satisfies readonly EncounterOutcome[];
const CONDITION_FLAGS = [
  "elderly",
  "minor",
  "injured_or_ill",
  "mental_health_crisis",
  "intoxicated",
  "pregnant",
  "disabled",
  "inadequate_clothing",
  "not_moving",
] as const satisfies readonly ConditionFlag[];
type Missing<All, Listed> = [Exclude<All, Listed>] extends [never] ? true : Exclude<All, Listed>;
const allOutcomes: Missing<EncounterOutcome, (typeof ENCOUNTER_OUTCOMES)[number]> = true;
const allFlags: Missing<ConditionFlag, (typeof CONDITION_FLAGS)[number]> = true;
void allOutcomes;
void allFlags;

/**
 * Recording one person met: big outcome buttons first (aid first, paperwork later), then
 * optional flags, supplies from what is on board, identity and notes. Nothing but the outcome is
 * required, so a crew in the cold can save with two taps.
 */
export function EncounterForm(props: {
  load: VehicleLoad["items"];
  /** Fills the parts the form does not ask: ids, case, sortie, place. */
  onSave: (
    e: Omit<EncounterCreate, "id" | "placeText" | "notes" | "flags" | "supplies"> & Partial<EncounterCreate>,
  ) => void;
  onCancel: () => void;
  title: string;
  askPlace?: boolean;
}) {
  const { t } = useTranslation("fleet");
  const [lang] = useLanguage();
  const [outcome, setOutcome] = useState<EncounterOutcome | null>(null);
  const [flags, setFlags] = useState<ConditionFlag[]>([]);
  const [give, setGive] = useState<Record<string, number>>({});
  const [identity, setIdentity] = useState<{
    name?: string;
    gender?: "male" | "female" | "unknown";
    approxAge?: number;
    idNumber?: string;
    hometown?: string;
  }>({});
  const [notes, setNotes] = useState("");
  const [place, setPlace] = useState("");
  const found = outcome !== "not_found";

  const save = () => {
    if (!outcome) return;
    const id = Object.fromEntries(Object.entries(identity).filter(([, v]) => v !== undefined && v !== ""));
    props.onSave({
      found,
      outcome,
      flags: found ? flags : [],
      notes,
      placeText: place,
      supplies: found
        ? Object.entries(give)
            .filter(([, q]) => q > 0)
            .map(([itemId, quantity]) => ({ itemId, quantity }))
        : [],
      ...(found && Object.keys(id).length ? { identity: id } : {}),
    });
  };

  return (
    <section className="ph-card ph-form" aria-label={props.title}>
      <h2>{props.title}</h2>
      {props.askPlace && (
        <label className="ph-field">
          {t("phone.place")}
          <input value={place} onChange={(e) => setPlace(e.target.value)} />
        </label>
      )}
      <div className="ph-grid2" role="group" aria-label="outcome">
        {ENCOUNTER_OUTCOMES.map((o) => (
          <button
            key={o}
            type="button"
            className="ph-btn ph-btn-toggle"
            aria-pressed={outcome === o}
            onClick={() => setOutcome(o)}
          >
            {t(`outcome.${o}`)}
          </button>
        ))}
      </div>
      {found && outcome && (
        <>
          <div className="ph-grid2" role="group" aria-label="flags">
            {CONDITION_FLAGS.map((f) => (
              <button
                key={f}
                type="button"
                className="ph-btn ph-btn-toggle ph-btn-small"
                aria-pressed={flags.includes(f)}
                onClick={() => setFlags(flags.includes(f) ? flags.filter((x) => x !== f) : [...flags, f])}
              >
                {t(`flag.${f}`)}
              </button>
            ))}
          </div>
          {props.load.length > 0 && <h3>{t("phone.supplies")}</h3>}
          {props.load.map((l) => (
            <div key={l.itemId} className="ph-stepper">
              <span>
                {lang === "en" ? l.nameEn : l.nameZh} <small>({t("phone.onBoard", { n: l.quantity })})</small>
              </span>
              <button
                type="button"
                className="ph-btn ph-btn-secondary"
                aria-label="-"
                onClick={() => setGive({ ...give, [l.itemId]: Math.max(0, (give[l.itemId] ?? 0) - 1) })}
              >
                −
              </button>
              <output>{give[l.itemId] ?? 0}</output>
              <button
                type="button"
                className="ph-btn ph-btn-secondary"
                aria-label="+"
                onClick={() => setGive({ ...give, [l.itemId]: Math.min(l.quantity, (give[l.itemId] ?? 0) + 1) })}
              >
                +
              </button>
            </div>
          ))}
          <details>
            <summary className="ph-btn ph-btn-secondary">{t("phone.identity")}</summary>
            <label className="ph-field">
              {t("phone.name")}
              <input value={identity.name ?? ""} onChange={(e) => setIdentity({ ...identity, name: e.target.value })} />
            </label>
            <div className="ph-grid3" role="group" aria-label={t("phone.gender")}>
              {(["male", "female", "unknown"] as const).map((g) => (
                <button
                  key={g}
                  type="button"
                  className="ph-btn ph-btn-toggle"
                  aria-pressed={identity.gender === g}
                  onClick={() => setIdentity({ ...identity, gender: g })}
                >
                  {t(`phone.${g}`)}
                </button>
              ))}
            </div>
            <label className="ph-field">
              {t("phone.age")}
              <input
                inputMode="numeric"
                value={identity.approxAge ?? ""}
                onChange={(e) =>
                  setIdentity({
                    ...identity,
                    approxAge: e.target.value ? Math.min(120, Number(e.target.value.replace(/\D/g, ""))) : undefined,
                  })
                }
              />
            </label>
            <label className="ph-field">
              {t("phone.idNumber")}
              <input
                value={identity.idNumber ?? ""}
                onChange={(e) => setIdentity({ ...identity, idNumber: e.target.value.trim() })}
              />
            </label>
            <label className="ph-field">
              {t("phone.hometown")}
              <input
                value={identity.hometown ?? ""}
                onChange={(e) => setIdentity({ ...identity, hometown: e.target.value })}
              />
            </label>
          </details>
        </>
      )}
      <label className="ph-field">
        {t("phone.notes")}
        <input value={notes} onChange={(e) => setNotes(e.target.value)} />
      </label>
      <button type="button" className="ph-btn ph-btn-primary" disabled={!outcome} onClick={save}>
        {t("phone.save")}
      </button>
      <button type="button" className="ph-btn ph-btn-secondary" onClick={props.onCancel}>
        {t("phone.back")}
      </button>
    </section>
  );
}
