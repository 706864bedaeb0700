import { randomUUID } from "node:crypto";
import type { z } from "zod";
import { PlaceCreate } from "../../shared/api/places.js";
import { insertPlace, placesOf } from "../places/places.repo.js";
import { keyText, searchKey } from "../places/place-search.js";
import { num, withStation, type ImportKindSpec } from "./import-kinds.js";

type Place = z.output<typeof PlaceCreate>;

/** Kind cells as a clerk writes them: the key or its zh-CN name. */
const PLACE_KIND: Record<string, string> = {
  街道: "street",
  道路: "street",
  路: "street",
  地标: "landmark",
  建筑: "building",
  楼宇: "building",
  桥梁: "bridge",
  桥: "bridge",
  公园: "park",
  广场: "park",
  交通站点: "transit",
  车站: "transit",
  其他: "other",
};

/**
 * Gazetteer entries (地名库) by station code + name. The pinyin search text is worked out here, on
 * write, so a search reads it as stored.
 */
export const placeImport: ImportKindSpec<Place> = {
  table: "places",
  identityField: "name",
  read: (row, ctx) => {
    const kind = row.cells.kind ?? "";
    return withStation(
      PlaceCreate,
      row,
      ctx,
      { name: row.cells.name, kind: PLACE_KIND[kind] ?? kind, lat: num(row.cells.lat), lng: num(row.cells.lng) },
      { stationId: "station_code", name: "name", kind: "kind", lat: "lat", lng: "lng" },
    );
  },
  identity: (v) => `${v.stationId}\u0000${v.name}`,
  async stored(db, values) {
    const rows = await placesOf(db, [...new Set(values.map((v) => v.stationId))]);
    return new Map(
      rows.map((r) => [
        `${r.stationId}\u0000${r.name}`,
        (v: Place) => r.kind === v.kind && r.lat === v.lat && r.lng === v.lng,
      ]),
    );
  },
  // No event: the gazetteer is reference data that no screen follows live.
  async insert(tx, v) {
    const row = await insertPlace(tx, { ...v, id: randomUUID(), search: keyText(searchKey(v.name)) });
    return !!row;
  },
};
