import { useState } from "react";
import { Alert, App, Button, Card, Checkbox, Descriptions, Form, Input, InputNumber, Space } from "antd";
import { api, call } from "../../../api/client.js";
import { ApiError } from "../../../api/http.js";
import type { IdentificationFile } from "../../../../../shared/api/identification.js";
import { DEFAULT_NOTICE_FIELDS, NOTICE_FIELDS } from "../../../../../shared/identification.js";
import { isoOf, localOf } from "../formKit.js";
import { useErrorWithCode, useIdTexts, when } from "./texts.js";

type Field = (typeof NOTICE_FIELDS)[number];
interface Values {
  heightCm: number | null;
  features: string;
  foundPlace: string;
  foundAt: string;
  arrivedAt: string;
  noticeFields: Field[];
}

const valuesOf = (f: IdentificationFile): Values => ({
  heightCm: f.heightCm,
  features: f.features,
  foundPlace: f.foundPlace,
  foundAt: f.foundAt ? localOf(new Date(f.foundAt)) : "",
  arrivedAt: localOf(new Date(f.arrivedAt)),
  noticeFields: [...(f.noticeFields.length ? f.noticeFields : DEFAULT_NOTICE_FIELDS)],
});

/**
 * The file's facts, and for the head the notice's chosen fields, edited with the version they were
 * read at: a stale edit (someone saved in between) is refused with 409 VERSION_CONFLICT, and the
 * form then shows the fresh values with a warning instead of overwriting them. Dates may be
 * entered after the fact (arrival, when found).
 */
export function FactsCard({
  file,
  isHead,
  onSaved,
}: {
  file: IdentificationFile;
  isHead: boolean;
  onSaved: (f: IdentificationFile) => void;
}) {
  const t = useIdTexts();
  const errText = useErrorWithCode();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  // The version the edit started from: a save is checked against it, not against a later read.
  const [editing, setEditing] = useState<number | null>(null);
  // The values the edit started from: a date left as shown is not sent (the form shows minutes only).
  const [initial, setInitial] = useState<Values>();
  const [stale, setStale] = useState(false);
  const [busy, setBusy] = useState(false);
  const g = file.gender ? t.genders[file.gender] : "—";

  function start() {
    form.setFieldsValue(valuesOf(file));
    setInitial(valuesOf(file));
    setStale(false);
    setEditing(file.version);
  }

  async function save(v: Values) {
    if (editing === null) return;
    setBusy(true);
    try {
      const body = {
        version: editing,
        heightCm: v.heightCm ?? null,
        features: v.features ?? "",
        foundPlace: v.foundPlace ?? "",
        ...(v.foundAt !== initial?.foundAt ? { foundAt: v.foundAt ? (isoOf(v.foundAt) ?? null) : null } : {}),
        ...(v.arrivedAt !== initial?.arrivedAt ? { arrivedAt: isoOf(v.arrivedAt) } : {}),
        ...(isHead ? { noticeFields: v.noticeFields } : {}),
      };
      const saved = await call(api.identification.update, { params: { id: file.personId }, body });
      onSaved(saved);
      setEditing(null);
      setStale(false);
      void message.success(t.factsSaved);
    } catch (err) {
      if (err instanceof ApiError && err.code === "VERSION_CONFLICT") {
        // Show what is there now, and edit from it.
        const fresh = await call(api.identification.get, { params: { id: file.personId } });
        onSaved(fresh);
        form.setFieldsValue(valuesOf(fresh));
        setInitial(valuesOf(fresh));
        setEditing(fresh.version);
        setStale(true);
      } else void message.error(errText(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Card
      size="small"
      title={t.facts}
      data-testid="id-facts"
      extra={
        editing === null && (
          <Button size="small" onClick={start} data-testid="id-facts-edit">
            {t.editFacts}
          </Button>
        )
      }
    >
      <Descriptions size="small" column={3}>
        <Descriptions.Item label={t.name}>{file.identity.name ?? "—"}</Descriptions.Item>
        <Descriptions.Item label={t.idNumber}>{file.identity.idNumber ?? "—"}</Descriptions.Item>
        <Descriptions.Item label={t.hometown}>{file.identity.hometown ?? "—"}</Descriptions.Item>
        <Descriptions.Item label={t.gender}>{g}</Descriptions.Item>
        <Descriptions.Item label={t.approxAge}>{file.approxAge ?? "—"}</Descriptions.Item>
        <Descriptions.Item label={t.height}>
          <span data-testid="id-facts-height">{file.heightCm ?? "—"}</span>
        </Descriptions.Item>
        <Descriptions.Item label={t.arrivedAt}>{when(file.arrivedAt)}</Descriptions.Item>
        <Descriptions.Item label={t.foundPlace}>
          <span data-testid="id-facts-found-place">{file.foundPlace || "—"}</span>
        </Descriptions.Item>
        <Descriptions.Item label={t.noticeFieldNames.foundAt}>{when(file.foundAt)}</Descriptions.Item>
        <Descriptions.Item label={t.features}>
          <span data-testid="id-facts-features">{file.features || "—"}</span>
        </Descriptions.Item>
      </Descriptions>
      {editing !== null && (
        <Form form={form} layout="vertical" onFinish={(v) => void save(v)} style={{ marginTop: 12 }}>
          {stale && <Alert type="warning" showIcon title={t.staleFacts} data-testid="id-facts-conflict" />}
          <Space wrap align="start">
            <Form.Item name="heightCm" label={t.height} htmlFor="id-facts-height-input">
              <InputNumber id="id-facts-height-input" min={50} max={250} data-testid="id-facts-height-input" />
            </Form.Item>
            <Form.Item name="foundPlace" label={t.foundPlace} htmlFor="id-facts-place-input">
              <Input id="id-facts-place-input" maxLength={200} style={{ width: 260 }} />
            </Form.Item>
            <Form.Item name="foundAt" label={t.foundAt} htmlFor="id-facts-found-at">
              <Input id="id-facts-found-at" type="datetime-local" data-testid="id-facts-found-at" />
            </Form.Item>
            <Form.Item name="arrivedAt" label={t.arrivedAtEdit} htmlFor="id-facts-arrived-at">
              <Input id="id-facts-arrived-at" type="datetime-local" data-testid="id-facts-arrived-at" />
            </Form.Item>
          </Space>
          <Form.Item name="features" label={t.features} htmlFor="id-facts-features-input">
            <Input.TextArea
              id="id-facts-features-input"
              maxLength={2000}
              rows={2}
              data-testid="id-facts-features-input"
            />
          </Form.Item>
          {isHead && (
            <Form.Item name="noticeFields" label={t.noticeChoice}>
              <Checkbox.Group
                options={NOTICE_FIELDS.map((f) => ({ value: f, label: t.noticeFieldNames[f] }))}
                data-testid="id-facts-notice-fields"
              />
            </Form.Item>
          )}
          <Space>
            <Button type="primary" htmlType="submit" loading={busy} data-testid="id-facts-save">
              {t.saveFacts}
            </Button>
            <Button onClick={() => setEditing(null)}>{t.cancel}</Button>
          </Space>
        </Form>
      )}
    </Card>
  );
}
