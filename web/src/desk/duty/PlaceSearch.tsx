import { useEffect, useRef, useState } from "react";
import { AutoComplete, Tag } from "antd";
import { api, call } from "../../api/client.js";
import type { PlaceHit } from "../../../../shared/api/places.js";
import { useDutyTexts } from "./texts.js";

interface PlaceSearchProps {
  /** Set by the surrounding Form.Item, so its label names the input. */
  id?: string;
  /** The place text (set by the surrounding Form.Item). */
  value?: string;
  onChange?: (text: string) => void;
  /** A found place (or typed coordinates) was chosen: its name is already the place text. */
  onChoose: (at: { name: string; lat: number; lng: number }) => void;
  placeholder?: string;
  /** Announced shortcut that focuses the field (aria-keyshortcuts). */
  keyShortcuts?: string;
}

/** "45.7712, 126.615" (or with a Chinese comma or a space): WGS-84 latitude then longitude. */
const COORDS = /^\s*(-?\d{1,2}(?:\.\d+)?)\s*[,，\s]\s*(-?\d{1,3}(?:\.\d+)?)\s*$/;

/** The position typed as coordinates, if the text is one. */
function parseCoords(text: string): { lat: number; lng: number } | null {
  const m = COORDS.exec(text);
  if (!m) return null;
  const lat = Number(m[1]);
  const lng = Number(m[2]);
  return Math.abs(lat) <= 90 && Math.abs(lng) <= 180 ? { lat, lng } : null;
}

/** Wait after the last keystroke before asking the server. */
const DEBOUNCE_MS = 150;

/**
 * The place field of a call: free text, with places found by name as the operator types (key points,
 * shelters, past case places and the gazetteer, by Chinese name, pinyin initials or full pinyin), so
 * a place can be set without map tiles. Coordinates typed in ("45.7712, 126.615") are offered first.
 * Choosing one hands its position to the form; all of it works from the keyboard.
 */
export function PlaceSearch({ id, value, onChange, onChoose, placeholder, keyShortcuts }: PlaceSearchProps) {
  const tx = useDutyTexts();
  const [hits, setHits] = useState<PlaceHit[]>([]);
  // The text last chosen from the list: no new search for it.
  const chosen = useRef<string | null>(null);
  const text = (value ?? "").trim();

  useEffect(() => {
    // Typed coordinates are offered from here, without a search whose late answer would redraw the
    // list (and lose the option the operator has just moved to with ↓).
    if (!text || text === chosen.current || parseCoords(text)) {
      setHits([]);
      return;
    }
    const ctl = new AbortController();
    const timer = setTimeout(() => {
      call(api.places.search, { query: { q: text.slice(0, 40) }, signal: ctl.signal })
        .then((r) => setHits(r.items))
        .catch(() => {
          /* free text still works; asked again on the next keystroke */
        });
    }, DEBOUNCE_MS);
    return () => {
      clearTimeout(timer);
      ctl.abort();
    };
  }, [text]);

  // One option per name: the value is what lands in the field.
  const unique = hits.filter((h, i) => hits.findIndex((x) => x.name === h.name) === i);
  const typed = text === chosen.current ? null : parseCoords(text);
  const coordsName = typed ? `${typed.lat.toFixed(5)}, ${typed.lng.toFixed(5)}` : null;

  return (
    <AutoComplete
      id={id}
      value={value}
      onChange={(v: string) => onChange?.(v)}
      aria-keyshortcuts={keyShortcuts}
      onSelect={(name: string) => {
        const hit: { name: string; lat: number; lng: number } | undefined =
          typed && name === coordsName ? { name, ...typed } : unique.find((h) => h.name === name);
        if (!hit) return;
        chosen.current = name;
        onChange?.(name);
        onChoose(hit);
      }}
      placeholder={placeholder}
      maxLength={200}
      data-testid="intake-place"
      options={[
        ...(coordsName
          ? [
              {
                value: coordsName,
                label: (
                  <span data-testid="place-option">
                    {coordsName} <Tag style={{ marginLeft: 4 }}>{tx.intake.coords}</Tag>
                  </span>
                ),
              },
            ]
          : []),
        ...unique
          .filter((h) => h.name !== coordsName)
          .map((h) => ({
            value: h.name,
            label: (
              <span data-testid="place-option">
                {h.name} <Tag style={{ marginLeft: 4 }}>{tx.intake.placeSource[h.source]}</Tag>
              </span>
            ),
          })),
      ]}
    />
  );
}
