import { useEffect, useState } from "react";
import type { Vehicle, VehicleLoad } from "../../../shared/api/vehicles.js";
import { call } from "../api/http.js";
import { useLanguage, useTranslation } from "./i18n.js";
import { fleetRoutes, otherRoutes, outboxWrites } from "./fleet-api.js";
import { enqueue } from "./outbox.js";

/** 出车: crew, joint patrol or new, supplies from the station's stock. */
export function StartSortie({
  vehicle,
  stationId,
  onDone,
}: {
  vehicle: Vehicle;
  stationId: string | null;
  onDone: (id: string | null) => void;
}) {
  const { t } = useTranslation("fleet");
  const [lang] = useLanguage();
  const [crew, setCrew] = useState(2);
  const [names, setNames] = useState("");
  const [patrolId, setPatrolId] = useState<string | null>(null);
  const [patrols, setPatrols] = useState<{ id: string; callSigns: string[] }[]>([]);
  const [stock, setStock] = useState<{ itemId: string; name: string; station: number }[]>([]);
  const [qty, setQty] = useState<Record<string, number>>({});
  useEffect(() => {
    call(fleetRoutes.openPatrols)
      .then((r) => setPatrols(r.items))
      .catch(() => {});
    if (stationId)
      call(otherRoutes.stock, { query: { stationId } })
        .then((r) =>
          setStock(
            r.items.map((i) => ({ itemId: i.itemId, name: lang === "en" ? i.nameEn : i.nameZh, station: i.station })),
          ),
        )
        .catch(() => {});
  }, [stationId, lang]);
  const start = () => {
    const id = crypto.randomUUID();
    void enqueue(
      outboxWrites.startSortie,
      {
        body: {
          id,
          vehicleId: vehicle.id,
          crewCount: crew,
          crewNames: names.split(/[,，、\s]+/).filter(Boolean),
          ...(patrolId ? { patrolId } : { kind: "planned" }),
          startedAt: new Date().toISOString(),
          load: Object.entries(qty)
            .filter(([, q]) => q > 0)
            .map(([itemId, quantity]) => ({ itemId, quantity })),
        },
      },
      t("outbox.startSortie"),
    );
    onDone(id);
  };
  return (
    <section className="ph-card ph-form" aria-label={t("phone.startSortie")}>
      <h2>
        {t("phone.startSortie")} · {vehicle.callSign}
      </h2>
      <div className="ph-stepper">
        <span>{t("phone.crewCount")}</span>
        <button type="button" className="ph-btn ph-btn-secondary" onClick={() => setCrew(Math.max(1, crew - 1))}>
          −
        </button>
        <output>{crew}</output>
        <button
          type="button"
          className="ph-btn ph-btn-secondary"
          onClick={() => setCrew(Math.min(vehicle.seats, crew + 1))}
        >
          +
        </button>
      </div>
      <label className="ph-field">
        {t("phone.crewNames")}
        <input value={names} onChange={(e) => setNames(e.target.value)} />
      </label>
      <div className="ph-grid2">
        <button
          type="button"
          className="ph-btn ph-btn-toggle"
          aria-pressed={patrolId === null}
          onClick={() => setPatrolId(null)}
        >
          {t("phone.newPatrol")}
        </button>
        {patrols.map((p) => (
          <button
            key={p.id}
            type="button"
            className="ph-btn ph-btn-toggle"
            aria-pressed={patrolId === p.id}
            onClick={() => setPatrolId(p.id)}
          >
            {t("phone.joinPatrol")}: {p.callSigns.join("+")}
          </button>
        ))}
      </div>
      {stock.length > 0 && <h3>{t("phone.load")}</h3>}
      {stock.map((s) => (
        <div key={s.itemId} className="ph-stepper">
          <span>
            {s.name} <small>({s.station})</small>
          </span>
          <button
            type="button"
            className="ph-btn ph-btn-secondary"
            onClick={() => setQty({ ...qty, [s.itemId]: Math.max(0, (qty[s.itemId] ?? 0) - 5) })}
          >
            −5
          </button>
          <output>{qty[s.itemId] ?? 0}</output>
          <button
            type="button"
            className="ph-btn ph-btn-secondary"
            onClick={() => setQty({ ...qty, [s.itemId]: Math.min(s.station, (qty[s.itemId] ?? 0) + 5) })}
          >
            +5
          </button>
        </div>
      ))}
      <button type="button" className="ph-btn ph-btn-primary" onClick={start}>
        {t("phone.startSortie")}
      </button>
      <button type="button" className="ph-btn ph-btn-secondary" onClick={() => onDone(null)}>
        {t("phone.back")}
      </button>
    </section>
  );
}

/** 收车: what comes back to the station (defaults to everything on board). */
export function EndSortie({
  sortieId,
  load,
  onDone,
}: {
  sortieId: string;
  load: VehicleLoad["items"];
  onDone: (ended: boolean) => void;
}) {
  const { t } = useTranslation("fleet");
  const [lang] = useLanguage();
  const [back, setBack] = useState<Record<string, number>>(Object.fromEntries(load.map((l) => [l.itemId, l.quantity])));
  const end = () => {
    void enqueue(
      outboxWrites.endSortie,
      {
        params: { id: sortieId },
        body: {
          returned: Object.entries(back)
            .filter(([, q]) => q > 0)
            .map(([itemId, quantity]) => ({ itemId, quantity })),
          endedAt: new Date().toISOString(),
        },
      },
      t("outbox.endSortie"),
    );
    onDone(true);
  };
  return (
    <section className="ph-card ph-form" aria-label={t("phone.endSortie")}>
      <h2>{t("phone.endSortie")}</h2>
      {load.length > 0 && <h3>{t("phone.returned")}</h3>}
      {load.map((l) => (
        <div key={l.itemId} className="ph-stepper">
          <span>{lang === "en" ? l.nameEn : l.nameZh}</span>
          <button
            type="button"
            className="ph-btn ph-btn-secondary"
            onClick={() => setBack({ ...back, [l.itemId]: Math.max(0, (back[l.itemId] ?? 0) - 1) })}
          >
            −
          </button>
          <output>{back[l.itemId] ?? 0}</output>
          <button
            type="button"
            className="ph-btn ph-btn-secondary"
            onClick={() => setBack({ ...back, [l.itemId]: Math.min(l.quantity, (back[l.itemId] ?? 0) + 1) })}
          >
            +
          </button>
        </div>
      ))}
      <button type="button" className="ph-btn ph-btn-primary" onClick={end}>
        {t("phone.endSortie")}
      </button>
      <button type="button" className="ph-btn ph-btn-secondary" onClick={() => onDone(false)}>
        {t("phone.back")}
      </button>
    </section>
  );
}
