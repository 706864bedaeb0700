import { useState } from "react";
import { Button, Form, InputNumber, Select, Space, type FormInstance } from "antd";
import { DeleteOutlined, PlusOutlined } from "@ant-design/icons";
import type { z } from "zod";
import { useLanguage } from "../../i18n/index.js";
import { stationForms as zh, type StationFormsTexts } from "../../i18n/locales/zh-CN/stationForms.js";
import { stationForms as en } from "../../i18n/locales/en/stationForms.js";
import { fleet as fleetZh, type FleetTexts } from "../../i18n/locales/zh-CN/fleet.js";
import { fleet as fleetEn } from "../../i18n/locales/en/fleet.js";
import { localFieldErrors, serverFieldErrors } from "../components/formErrors.js";
import type { FormProblem } from "../components/useFormSave.js";

/** The entry forms' texts, and the shared vocabulary labels (outcomes, condition flags), in the current language. */
export function useFormTexts(): { f: StationFormsTexts; vocab: Pick<FleetTexts, "outcome" | "flag"> } {
  const [lang] = useLanguage();
  return lang === "en" ? { f: en, vocab: fleetEn } : { f: zh, vocab: fleetZh };
}

/** ISO time of a `datetime-local` value (read in the browser's zone); undefined when empty or unreadable. */
export function isoOf(local: string | undefined): string | undefined {
  if (!local) return undefined;
  const ms = new Date(local).getTime();
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}

/** `datetime-local` value of a moment in the browser's zone. */
export function localOf(d: Date): string {
  const p = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
}

/**
 * Puts problems on nested fields ("keyPoints.0.visitedAt" → ["keyPoints", 0, "visitedAt"]), which
 * useFormSave's flat names cannot reach inside Form.List rows; what matches no field goes to the banner.
 */
function placeErrors(form: FormInstance, errors: Record<string, string>, leaves: ReadonlySet<string>): string {
  const placed: { name: (string | number)[]; errors: string[] }[] = [];
  const rest: string[] = [];
  for (const [path, msg] of Object.entries(errors)) {
    const name = path.split(".").map((s) => (/^\d+$/.test(s) ? Number(s) : s));
    // Only fields the form renders (by their last name); anything else (e.g. lat) goes to the banner.
    if (leaves.has(String(name[name.length - 1]))) placed.push({ name, errors: [msg] });
    else rest.push(`${path}: ${msg}`);
  }
  form.setFields(placed as never);
  return rest.join("; ");
}

/** Save step of a form whose values mirror the body: check with the shared schema, send, place errors. */
export function useNestedSave(form: FormInstance, leaves: readonly string[]) {
  const known = new Set(leaves);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<FormProblem | null>(null);
  async function save(schema: z.ZodType, body: unknown, send: () => Promise<unknown>): Promise<boolean> {
    setProblem(null);
    const local = localFieldErrors(schema, body);
    if (Object.keys(local).length) {
      const rest = placeErrors(form, local, known);
      if (rest) setProblem({ rest });
      return false;
    }
    setBusy(true);
    try {
      await send();
      return true;
    } catch (err) {
      setProblem({ err, rest: placeErrors(form, serverFieldErrors(err), known) });
      return false;
    } finally {
      setBusy(false);
    }
  }
  return { busy, problem, setProblem, save };
}

/** Rows of supply lines (item + quantity) under `name`, items from `options`. */
export function SupplyLines({
  name,
  options,
  addLabel,
  testId,
}: {
  name: (string | number)[] | string;
  options: { value: string; label: string }[];
  addLabel: string;
  testId: string;
}) {
  const { f } = useFormTexts();
  return (
    <Form.List name={name}>
      {(fields, { add, remove }) => (
        <>
          {fields.map((field) => (
            <Space key={field.key} align="baseline" wrap>
              <Form.Item name={[field.name, "itemId"]} label={f.log.item}>
                <Select
                  style={{ width: 180 }}
                  options={options}
                  data-testid={`${testId}-item-${field.name}`}
                  showSearch={{ optionFilterProp: "label" }}
                />
              </Form.Item>
              <Form.Item name={[field.name, "quantity"]} label={f.log.quantity}>
                <InputNumber min={1} max={10000} data-testid={`${testId}-qty-${field.name}`} />
              </Form.Item>
              <Button icon={<DeleteOutlined />} onClick={() => remove(field.name)} aria-label={f.log.remove} />
            </Space>
          ))}
          <Button
            size="small"
            icon={<PlusOutlined />}
            onClick={() => add({ quantity: 1 })}
            data-testid={`${testId}-add`}
          >
            {addLabel}
          </Button>
        </>
      )}
    </Form.List>
  );
}
