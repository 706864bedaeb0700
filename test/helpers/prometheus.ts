/** One sample of a Prometheus text exposition. */
export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

const NAME = "[a-zA-Z_:][a-zA-Z0-9_:]*";
const LABEL = `([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\\\\\n]|\\\\[\\\\"n])*)"`;
const SAMPLE = new RegExp(`^(${NAME})(?:\\{((?:${LABEL})(?:,${LABEL})*,?)?\\})? (\\S+)(?: -?\\d+)?$`);
const VALUE = /^(?:[+-]?(?:\d+\.?\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?)|[+-]?Inf|NaN)$/;

/**
 * A strict parser of the Prometheus text format (0.0.4): every line is a HELP or TYPE comment or a
 * sample `name{label="value",...} number`; anything else throws, naming the line. TYPE must come
 * before a family's samples and name a known type.
 */
export function parsePrometheus(text: string): { samples: Sample[]; types: Map<string, string> } {
  const samples: Sample[] = [];
  const types = new Map<string, string>();
  text.split("\n").forEach((line, i) => {
    if (line === "") return;
    const type = /^# TYPE (\S+) (counter|gauge|histogram|summary|untyped)$/.exec(line);
    if (type) {
      if (types.has(type[1]!)) throw new Error(`line ${i + 1}: second TYPE for ${type[1]}`);
      types.set(type[1]!, type[2]!);
      return;
    }
    if (/^# HELP \S+ .*$/.test(line)) return;
    const m = SAMPLE.exec(line);
    if (!m || !VALUE.test(m[m.length - 1]!)) throw new Error(`line ${i + 1} is not Prometheus text: ${line}`);
    const name = m[1]!;
    const family = name.replace(/_(bucket|sum|count|total)$/, "");
    if (!types.has(name) && !types.has(family)) throw new Error(`line ${i + 1}: sample ${name} before its TYPE`);
    const labels: Record<string, string> = {};
    for (const l of (m[2] ?? "").matchAll(new RegExp(LABEL, "g"))) labels[l[1]!] = l[2]!;
    const raw = m[m.length - 1]!;
    samples.push({
      name,
      labels,
      value: raw.endsWith("Inf") ? (raw.startsWith("-") ? -Infinity : Infinity) : Number(raw),
    });
  });
  return { samples, types };
}
