import { useLanguage } from "../../../i18n/index.js";
import { weather as zh, type WeatherTexts } from "../../../i18n/locales/zh-CN/weather.js";
import { weather as en } from "../../../i18n/locales/en/weather.js";
import { ApiError, type WeatherProposal } from "../../../api/client.js";
import type { AlertLevel } from "../../../../../shared/vocab.js";
import { fmt } from "../texts.js";

/** The weather panel's texts in the current language, typed. */
export function useWeatherTexts(): WeatherTexts {
  const [lang] = useLanguage();
  return lang === "en" ? en : zh;
}

/** One reason of the cold rule, in words: which rule, the figures it compared, the level it gives. */
export function reasonText(
  w: WeatherTexts,
  levels: Record<AlertLevel, string>,
  r: WeatherProposal["reasons"][number],
): string {
  const level = levels[r.level];
  if (r.rule === "official_signal") return fmt(w.reasonSignal, { level });
  if (r.rule === "cold_wave")
    return fmt(w.reasonWave, { level, hours: r.hours, fall: r.fallC, min: r.minTempC, wind: r.windForce });
  return fmt(w.reasonFeels, { level, feels: r.feelsLikeC, threshold: r.thresholdC });
}

/** A picked file as the API takes it: format from its name, bytes as base64. */
export async function encodeFile(file: File): Promise<{ format: "csv" | "xlsx"; content: string }> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return { format: /\.xlsx$/i.test(file.name) ? "xlsx" : "csv", content: btoa(binary) };
}

/** The rows and columns an IMPORT_INVALID answer names ("rows.3.min_temp_c"), as lines. */
export function fileProblems(err: unknown): { row: string; field: string; message: string }[] {
  if (!(err instanceof ApiError) || err.code !== "IMPORT_INVALID") return [];
  return err.issues.map((i) => {
    const [, row = "", ...field] = i.path.split(".");
    return { row, field: field.join("."), message: i.message };
  });
}
