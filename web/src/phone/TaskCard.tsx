import type { Task } from "../../../shared/api/dispatch.js";
import type { CrewTaskStatus } from "../../../shared/api/dispatch.js";
import type { Vehicle } from "../../../shared/api/vehicles.js";
import { useTranslation } from "./i18n.js";
import { roundedDistance } from "./distance.js";
import { TaskMapLazy } from "./TaskMapLazy.js";
import { StepButtons, type UndoableStep } from "./StepButtons.js";

/** The live task: where, how far, the map, links into the navigation apps, one tap per status step. */
export function TaskCard({
  task,
  vehicle,
  fix,
  onStep,
  onRecord,
  undo,
  onUndo,
  nobodyRecorded,
}: {
  task: Task | null;
  vehicle: Vehicle;
  fix: { lat: number; lng: number } | null;
  onStep: (status: CrewTaskStatus) => void;
  onRecord: () => void;
  undo: UndoableStep | null;
  onUndo: () => void;
  nobodyRecorded: boolean;
}) {
  const { t } = useTranslation("fleet");
  const c = task?.case;
  const from =
    fix ?? (vehicle.lastLat != null && vehicle.lastLng != null ? { lat: vehicle.lastLat, lng: vehicle.lastLng } : null);
  const dist = c && from ? roundedDistance(from, c) : null;
  const distText = dist ? t(dist.unit === "km" ? "map.km" : "map.m", { n: dist.value }) : null;
  return (
    <section className="ph-card ph-task" aria-live="polite" aria-label={t("phone.task")}>
      <h2>{t("phone.task")}</h2>
      {!task || !c ? (
        <p className="ph-task-none">{t("phone.noTask")}</p>
      ) : (
        <>
          <p className="ph-task-status">
            {t(`taskStatus.${task.status}`)} · {t(`urgency.${c.urgency}`)}
          </p>
          <p>
            <strong>{c.placeText || `${c.lat.toFixed(5)}, ${c.lng.toFixed(5)}`}</strong>
          </p>
          {c.description && <p>{c.description}</p>}
          {distText && (
            <p className="ph-dist" data-testid="task-distance">
              {t("map.distance", { d: distText })}
            </p>
          )}
          <TaskMapLazy
            task={{ lat: c.lat, lng: c.lng, title: c.placeText }}
            me={fix}
            vehicle={
              vehicle.lastLat != null && vehicle.lastLng != null
                ? { lat: vehicle.lastLat, lng: vehicle.lastLng, callSign: vehicle.callSign }
                : null
            }
            distance={distText}
            texts={{
              task: t("map.task"),
              me: t("map.me"),
              noTiles: t("map.noTiles"),
              tilesDown: t("map.tilesDown"),
              fit: t("map.fit"),
            }}
            loading={t("map.loading")}
            unavailable={t("map.unavailable")}
            retry={t("map.retry")}
          />
          <p className="ph-hint">
            {t("phone.people")}: {c.peopleCount} {c.flags.map((f) => t(`flag.${f}`)).join(" · ")}
          </p>
          <div className="ph-grid3">
            <a className="ph-btn ph-btn-secondary" href={`geo:${c.lat},${c.lng}?q=${c.lat},${c.lng}`}>
              {t("phone.navigate")}
            </a>
            <a
              className="ph-btn ph-btn-secondary"
              target="_blank"
              rel="noreferrer"
              href={`https://uri.amap.com/marker?position=${c.lng},${c.lat}&coordinate=wgs84&callnative=1&name=${encodeURIComponent(c.placeText)}`}
            >
              {t("phone.amap")}
            </a>
            <a
              className="ph-btn ph-btn-secondary"
              target="_blank"
              rel="noreferrer"
              href={`https://api.map.baidu.com/marker?location=${c.lat},${c.lng}&coord_type=wgs84&title=${encodeURIComponent(c.placeText || "Warmline")}&content=${encodeURIComponent(c.description)}&output=html&src=warmline`}
            >
              {t("phone.baidu")}
            </a>
          </div>
          <StepButtons
            status={task.status}
            onStep={onStep}
            onRecord={onRecord}
            undo={undo}
            onUndo={onUndo}
            nobodyRecorded={nobodyRecorded}
          />
        </>
      )}
    </section>
  );
}
