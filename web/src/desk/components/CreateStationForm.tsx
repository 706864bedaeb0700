import { useMemo, useRef, useState } from "react";
import { Alert, Form, Input, InputNumber, Modal, Select, App } from "antd";
import { useTranslation } from "react-i18next";
import { api, call } from "../../api/client.js";
import { fieldErrors, issuesToFields } from "../../api/issues.js";
import { StationCreate, type Region } from "../../../../shared/api/stations.js";
import { errorText } from "../../i18n/errors.js";
import { uuid } from "../../shared-ui/uuid.js";
import { upsertStation } from "../data/stations.js";

type Values = Partial<Record<"code" | "name" | "regionId" | "address" | "hotline", string>> &
  Partial<Record<"lat" | "lng" | "beds", number | null>>;

const FIELDS = ["code", "name", "regionId", "lat", "lng", "address", "hotline", "beds"] as const;

/** Regions as a tree-ordered list: city, then its districts, each followed by its streets... */
function orderRegions(regions: readonly Region[]): { region: Region; depth: number }[] {
  const children = new Map<string | null, Region[]>();
  for (const r of regions) children.set(r.parentId, [...(children.get(r.parentId) ?? []), r]);
  const ids = new Set(regions.map((r) => r.id));
  const out: { region: Region; depth: number }[] = [];
  const walk = (r: Region, depth: number) => {
    out.push({ region: r, depth });
    for (const c of children.get(r.id) ?? []) walk(c, depth + 1);
  };
  // Roots: no parent, or a parent we were not sent.
  for (const r of regions) if (r.parentId === null || !ids.has(r.parentId)) walk(r, 0);
  return out;
}

/**
 * Admin: create a station. The form is checked with the same zod schema the server uses, then
 * the server's answer is mapped back onto fields ("body.code" -> code). The id is generated here
 * and kept across retries, so a timeout followed by a retry cannot create the station twice.
 */
export function CreateStationForm({
  open,
  onClose,
  regions,
}: {
  open: boolean;
  onClose: () => void;
  regions: readonly Region[];
}) {
  const { t } = useTranslation("desk");
  const { t: tc } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const [busy, setBusy] = useState(false);
  // Banner: the failure (translated on render) and any problems that belong to no field.
  const [error, setError] = useState<{ err?: unknown; rest?: string } | null>(null);
  const pendingId = useRef(uuid());

  const regionOptions = useMemo(
    () =>
      orderRegions(regions).map(({ region, depth }) => ({
        value: region.id,
        label: `${"\u3000".repeat(depth)}${region.name} (${t(`admin.level.${region.level}`)})`,
      })),
    [regions, t],
  );

  /** Puts messages on their fields; returns what belongs to no field, for the banner. */
  function showFieldErrors(errors: Record<string, string>): string {
    const known = new Set<string>(FIELDS);
    form.setFields(
      Object.entries(errors)
        .filter(([f]) => known.has(f))
        .map(([name, msg]) => ({ name: name as keyof Values, errors: [msg] })),
    );
    return Object.entries(errors)
      .filter(([f]) => !known.has(f))
      .map(([f, m]) => `${f}: ${m}`)
      .join("; ");
  }

  async function submit(values: Values) {
    setError(null);
    const body = {
      id: pendingId.current,
      code: values.code ?? "",
      name: values.name ?? "",
      regionId: values.regionId ?? "",
      lat: values.lat ?? Number.NaN,
      lng: values.lng ?? Number.NaN,
      address: values.address ?? "",
      hotline: values.hotline ?? "",
      beds: values.beds ?? 0,
    };
    const local = StationCreate.safeParse(body);
    if (!local.success) {
      const issues = local.error.issues.map((i) => ({
        path: ["body", ...i.path.map(String)].join("."),
        message: i.message,
      }));
      const rest = showFieldErrors(issuesToFields(issues, "body"));
      if (rest) setError({ rest });
      return;
    }
    setBusy(true);
    try {
      const created = await call(api.stations.create, { body });
      upsertStation(created);
      void message.success(t("admin.created", { name: created.name }));
      pendingId.current = uuid(); // the next station is a new record
      form.resetFields();
      onClose();
    } catch (err) {
      // Field problems go next to their fields; the banner says what kind of failure it was.
      const rest = showFieldErrors(fieldErrors(err));
      setError({ err, rest });
    } finally {
      setBusy(false);
    }
  }

  const req = [{ required: true, message: t("admin.required") }];
  return (
    <Modal
      open={open}
      title={t("admin.createTitle")}
      okText={t("admin.submit")}
      cancelText={t("admin.cancel")}
      confirmLoading={busy}
      onOk={() => form.submit()}
      onCancel={onClose}
      destroyOnHidden={false}
      width={560}
    >
      <Form<Values> form={form} layout="vertical" onFinish={submit} initialValues={{ beds: 0 }} disabled={busy}>
        <Form.Item name="code" label={t("admin.field.code")} rules={req}>
          <Input placeholder={t("admin.placeholder.code")} maxLength={16} autoFocus />
        </Form.Item>
        <Form.Item name="name" label={t("admin.field.name")} rules={req}>
          <Input placeholder={t("admin.placeholder.name")} maxLength={100} />
        </Form.Item>
        <Form.Item name="regionId" label={t("admin.field.regionId")} rules={req}>
          <Select
            options={regionOptions}
            placeholder={t("admin.placeholder.regionId")}
            showSearch={{ optionFilterProp: "label" }}
          />
        </Form.Item>
        <div style={{ display: "flex", gap: 16 }}>
          <Form.Item name="lat" label={t("admin.field.lat")} rules={req} style={{ flex: 1 }}>
            <InputNumber style={{ width: "100%" }} step={0.0001} />
          </Form.Item>
          <Form.Item name="lng" label={t("admin.field.lng")} rules={req} style={{ flex: 1 }}>
            <InputNumber style={{ width: "100%" }} step={0.0001} />
          </Form.Item>
        </div>
        <Form.Item name="address" label={t("admin.field.address")}>
          <Input maxLength={200} />
        </Form.Item>
        <div style={{ display: "flex", gap: 16 }}>
          <Form.Item name="hotline" label={t("admin.field.hotline")} style={{ flex: 2 }}>
            <Input maxLength={32} />
          </Form.Item>
          <Form.Item name="beds" label={t("admin.field.beds")} style={{ flex: 1 }}>
            <InputNumber style={{ width: "100%" }} precision={0} />
          </Form.Item>
        </div>
        {error && (
          <Alert
            type="error"
            showIcon
            role="alert"
            title={error.err !== undefined ? errorText(tc, error.err) : error.rest}
            description={error.err !== undefined ? error.rest || undefined : undefined}
          />
        )}
      </Form>
    </Modal>
  );
}
