import { useEffect, useState } from "react";
import { call } from "../api/http.js";
import { useTranslation } from "./i18n.js";
import { otherRoutes, outboxWrites } from "./fleet-api.js";
import { enqueue } from "./outbox.js";

/** A key-point check: nobody, or how many people. */
export function KeyPointVisit({
  sortieId,
  stationId,
  onDone,
}: {
  sortieId: string | null;
  stationId: string | null;
  onDone: () => void;
}) {
  const { t } = useTranslation("fleet");
  const [points, setPoints] = useState<{ id: string; name: string }[]>([]);
  const [kp, setKp] = useState<string | null>(null);
  const [n, setN] = useState(0);
  useEffect(() => {
    call(otherRoutes.keyPoints, { query: stationId ? { stationId } : {} })
      .then((r) => setPoints(r.items))
      .catch(() => {});
  }, [stationId]);
  const save = () => {
    if (!kp) return;
    void enqueue(
      outboxWrites.visit,
      {
        body: {
          id: crypto.randomUUID(),
          keyPointId: kp,
          sortieId: sortieId ?? undefined,
          peopleFound: n,
          visitedAt: new Date().toISOString(),
        },
      },
      `${t("outbox.visit")}: ${points.find((p) => p.id === kp)?.name ?? ""} (${n})`,
    );
    onDone();
  };
  return (
    <section className="ph-card ph-form" aria-label={t("phone.keyPoint")}>
      <h2>{t("phone.keyPoint")}</h2>
      {points.map((p) => (
        <button
          key={p.id}
          type="button"
          className="ph-btn ph-btn-toggle"
          aria-pressed={kp === p.id}
          onClick={() => setKp(p.id)}
        >
          {p.name}
        </button>
      ))}
      <div className="ph-stepper">
        <span>{t("phone.peopleFound")}</span>
        <button type="button" className="ph-btn ph-btn-secondary" onClick={() => setN(Math.max(0, n - 1))}>
          −
        </button>
        <output>{n === 0 ? t("phone.nobody") : n}</output>
        <button type="button" className="ph-btn ph-btn-secondary" onClick={() => setN(n + 1)}>
          +
        </button>
      </div>
      <button type="button" className="ph-btn ph-btn-primary" disabled={!kp} onClick={save}>
        {t("phone.save")}
      </button>
      <button type="button" className="ph-btn ph-btn-secondary" onClick={onDone}>
        {t("phone.back")}
      </button>
    </section>
  );
}
