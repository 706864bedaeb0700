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
  /** A found place was chosen: its name is already the place text. */
  onChoose: (hit: PlaceHit) => void;
  placeholder?: string;
}

/** Wait after the last keystroke before asking the server. */
const DEBOUNCE_MS = 150;

/**
 * The place field of a call: free text, with places found by name as the operator types (key points,
 * shelters, past case places and the gazetteer, by Chinese name, pinyin initials or full pinyin), so
 * a place can be set without map tiles. Choosing one hands its position to the form.
 */
export function PlaceSearch({ id, value, onChange, onChoose, placeholder }: PlaceSearchProps) {
  const tx = useDutyTexts();
  const [hits, setHits] = useState<PlaceHit[]>([]);
  // The text last chosen from the list: no new search for it.
  const chosen = useRef<string | null>(null);
  const text = (value ?? "").trim();

  useEffect(() => {
    if (!text || text === chosen.current) {
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

  return (
    <AutoComplete
      id={id}
      value={value}
      onChange={(v: string) => onChange?.(v)}
      onSelect={(name: string) => {
        const hit = unique.find((h) => h.name === name);
        if (!hit) return;
        chosen.current = name;
        onChange?.(name);
        onChoose(hit);
      }}
      placeholder={placeholder}
      maxLength={200}
      data-testid="intake-place"
      options={unique.map((h) => ({
        value: h.name,
        label: (
          <span data-testid="place-option">
            {h.name} <Tag style={{ marginLeft: 4 }}>{tx.intake.placeSource[h.source]}</Tag>
          </span>
        ),
      }))}
    />
  );
}
