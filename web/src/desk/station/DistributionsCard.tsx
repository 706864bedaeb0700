import { useState } from "react";
import { App, Button, Card, Form, Input, InputNumber, Select, Space, Table } from "antd";
import { api, call } from "../../api/client.js";
import { DistributionCreate, type DistributionPlace } from "../../../../shared/api/distributions.js";
import { useLanguage } from "../../i18n/index.js";
import { uuid } from "../../shared-ui/uuid.js";
import { FormProblemBanner } from "../components/useFormSave.js";
import { useLive } from "./texts.js";
import { SupplyLines, isoOf, localOf, useFormTexts, useNestedSave } from "./formKit.js";

interface DistValues {
  placeKind: DistributionPlace;
  shelterId?: string;
  vehicleId?: string;
  placeText?: string;
  recipients?: number | null;
  supplies?: { itemId?: string; quantity?: number }[];
  occurredAt?: string;
  notes?: string;
}
const LEAVES = ["placeKind", "shelterId", "vehicleId", "placeText", "recipients", "itemId", "quantity", "occurredAt"];
const PLACES: DistributionPlace[] = ["shelter", "distribution_point", "vehicle"];

/**
 * 发放: supplies handed out in bulk to a number of recipients (a shelter, a distribution point or
 * from a vehicle), and the station's list of them, kept current by `distribution.recorded` and
 * `supply.*` events. The id is made once per form state, so a double click records once.
 */
export function DistributionsCard({ stationId, canEdit }: { stationId: string; canEdit: boolean }) {
  const { f } = useFormTexts();
  const [lang] = useLanguage();
  const { message } = App.useApp();
  const [form] = Form.useForm<DistValues>();
  const [id, setId] = useState(uuid);
  const { busy, problem, save } = useNestedSave(form, LEAVES);
  const list = useLive(
    () => call(api.distributions.list, { query: { stationId, limit: 50 } }),
    [stationId],
    ["distribution."],
  );
  const stock = useLive(() => call(api.supplies.stock, { query: { stationId } }), [stationId], ["supply"]);
  const shelters = useLive(() => call(api.shelters.list, { query: { stationId } }), [stationId], ["shelter."]);
  const vehicles = useLive(() => call(api.vehicles.list, { query: { stationId } }), [stationId], []);
  const placeKind = Form.useWatch("placeKind", form) ?? "distribution_point";

  const stockItems = stock.data?.items ?? [];
  const itemName = (itemId: string) => {
    const i = stockItems.find((s) => s.itemId === itemId);
    return i ? (lang === "en" ? i.nameEn : i.nameZh) : itemId.slice(0, 8);
  };
  const shelterName = (sid: string | null) => shelters.data?.items.find((s) => s.id === sid)?.name ?? "";
  const callSign = (vid: string | null) => vehicles.data?.items.find((v) => v.id === vid)?.callSign ?? "";

  async function submit() {
    const v = form.getFieldsValue(true) as DistValues;
    const body = {
      id,
      stationId,
      placeKind: v.placeKind,
      shelterId: v.placeKind === "shelter" ? v.shelterId : undefined,
      vehicleId: v.placeKind === "vehicle" ? v.vehicleId : undefined,
      placeText: v.placeText ?? "",
      recipients: v.recipients ?? undefined,
      supplies: (v.supplies ?? []).map((s) => ({ itemId: s.itemId, quantity: s.quantity })),
      notes: v.notes ?? "",
      occurredAt: isoOf(v.occurredAt),
    };
    const done = await save(DistributionCreate, body, () =>
      call(api.distributions.create, { body: DistributionCreate.parse(body) }),
    );
    if (done) {
      void message.success(f.dist.saved);
      setId(uuid());
      form.resetFields();
      form.setFieldsValue({ occurredAt: localOf(new Date()) });
      list.reload();
      stock.reload();
    }
  }

  return (
    <Card size="small" title={f.dist.title} data-testid="distributions-card">
      {canEdit && (
        <Form
          form={form}
          layout="vertical"
          initialValues={{
            placeKind: "distribution_point",
            supplies: [{ quantity: 1 }],
            occurredAt: localOf(new Date()),
          }}
          style={{ marginBottom: 12 }}
        >
          <Space align="baseline" wrap>
            <Form.Item name="placeKind" label={f.dist.placeKind}>
              <Select
                style={{ width: 160 }}
                options={PLACES.map((p) => ({ value: p, label: f.dist.places[p] }))}
                data-testid="dist-place-kind"
              />
            </Form.Item>
            {placeKind === "shelter" && (
              <Form.Item name="shelterId" label={f.dist.shelter}>
                <Select
                  style={{ width: 200 }}
                  options={(shelters.data?.items ?? []).map((s) => ({ value: s.id, label: s.name }))}
                  data-testid="dist-shelter"
                />
              </Form.Item>
            )}
            {placeKind === "vehicle" && (
              <Form.Item name="vehicleId" label={f.dist.vehicle}>
                <Select
                  style={{ width: 160 }}
                  options={(vehicles.data?.items ?? []).map((x) => ({ value: x.id, label: x.callSign }))}
                  data-testid="dist-vehicle"
                />
              </Form.Item>
            )}
            <Form.Item name="placeText" label={f.dist.placeText}>
              <Input maxLength={200} style={{ width: 200 }} data-testid="dist-place-text" />
            </Form.Item>
            <Form.Item name="recipients" label={f.dist.recipients}>
              <InputNumber min={1} max={100000} data-testid="dist-recipients" />
            </Form.Item>
            <Form.Item name="occurredAt" label={f.dist.occurredAt}>
              <Input type="datetime-local" data-testid="dist-time" />
            </Form.Item>
          </Space>
          <Form.Item label={f.dist.supplies}>
            <SupplyLines
              name="supplies"
              options={stockItems.map((i) => ({ value: i.itemId, label: lang === "en" ? i.nameEn : i.nameZh }))}
              addLabel={f.dist.addLine}
              testId="dist-sup"
            />
          </Form.Item>
          <Form.Item name="notes" label={f.dist.notes}>
            <Input.TextArea rows={1} maxLength={1000} />
          </Form.Item>
          <Button type="primary" loading={busy} onClick={() => void submit()} data-testid="dist-submit">
            {f.dist.submit}
          </Button>
          <FormProblemBanner problem={problem} />
        </Form>
      )}
      <Table
        size="small"
        rowKey="id"
        title={() => f.dist.list}
        pagination={false}
        loading={list.loading && !list.data}
        dataSource={list.data?.items ?? []}
        locale={{ emptyText: f.dist.none }}
        data-testid="dist-list"
        columns={[
          { title: f.dist.time, render: (_, d) => new Date(d.occurredAt).toLocaleString(lang) },
          {
            title: f.dist.place,
            render: (_, d) =>
              [f.dist.places[d.placeKind], shelterName(d.shelterId), callSign(d.vehicleId), d.placeText]
                .filter(Boolean)
                .join(" · "),
          },
          { title: f.dist.recipients, render: (_, d) => d.recipients ?? "—" },
          {
            title: f.dist.items,
            render: (_, d) => d.supplies.map((s) => `${itemName(s.itemId)} × ${s.quantity}`).join("，"),
          },
        ]}
      />
    </Card>
  );
}
