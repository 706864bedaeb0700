import type { MapLayer } from "../../map/WarmMap.js";

/**
 * The vehicles recommended for the open case, marked out on the map: each chip gets the marked
 * style (outline and halo, see map.css) and its rank in the label and tooltip, so the operator
 * sees which vehicles the drawer offers without matching colours. Other layers are passed through.
 */
export function markRecommended(
  layers: readonly MapLayer[],
  vehicleIds: readonly string[],
  rankText: (n: number) => string,
): MapLayer[] {
  if (!vehicleIds.length) return [...layers];
  const rank = new Map(vehicleIds.map((id, i) => [id, i + 1]));
  return layers.map((layer) =>
    layer.key !== "vehicles"
      ? layer
      : {
          ...layer,
          points: layer.points.map((p) => {
            const n = rank.get(p.id);
            return n === undefined
              ? p
              : { ...p, marked: true, label: `${n}·${p.label ?? ""}`, title: `${p.title} · ${rankText(n)}` };
          }),
        },
  );
}
