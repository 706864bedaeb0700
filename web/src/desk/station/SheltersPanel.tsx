import { useMemo, useRef, useState } from "react";
import {
  Alert,
  App,
  Button,
  Card,
  Form,
  Input,
  InputNumber,
  Modal,
  Progress,
  Select,
  Space,
  Switch,
  Table,
  Tag,
  Tooltip,
} from "antd";
import { EditOutlined, PlusOutlined } from "@ant-design/icons";
import { useTranslation } from "react-i18next";
import { api, call, type Shelter } from "../../api/client.js";
import type { Station } from "../../../../shared/api/stations.js";
import { ShelterCreate, ShelterUpdate } from "../../../../shared/api/shelters.js";
import { errorDetail, errorText } from "../../i18n/errors.js";
import { uuid } from "../../shared-ui/uuid.js";
import { FormProblemBanner, useFormSave } from "../components/useFormSave.js";
import { fmt, useLive, useStationTexts } from "./texts.js";
import { ShelterHours } from "./weather/ShelterHours.js";

type Kind = Shelter["kind"];
type Values = {
  name?: string;
  kind?: Exclude<Kind, "station">;
  lat?: number | null;
  lng?: number | null;
  address?: string;
  capacity?: number | null;
  active?: boolean;
};
const FIELDS = ["name", "kind", "lat", "lng", "address", "capacity", "active"] as const;

/**
 * Warming shelters (临时避寒场所) and outdoor service points (站外救助服务点) of a station, with the
 * station's own beds: capacity and current occupancy, counted from open stays and refreshed live
 * when someone arrives or leaves. Heads and admins add and change places here; the list is paged
 * and filtered, so a province's thousand places stay usable.
 */
export function SheltersPanel({ station, canEdit }: { station: Station; canEdit: boolean }) {
  const t = useStationTexts();
  const { t: tc } = useTranslation();
  const list = useLive(
    () => call(api.shelters.list, { query: { stationId: station.id } }),
    [station.id],
    ["stay.", "shelter.", "station."],
  );
  const [search, setSearch] = useState("");
  const [kind, setKind] = useState<Kind | undefined>();
  const [editing, setEditing] = useState<Shelter | "new" | null>(null);
  const rows = useMemo(() => {
    const q = search.trim().toLowerCase();
    return (list.data?.items ?? []).filter(
      (s) =>
        (!kind || s.kind === kind) && (!q || s.name.toLowerCase().includes(q) || s.address.toLowerCase().includes(q)),
    );
  }, [list.data, search, kind]);

  return (
    <Card
      size="small"
      title={t.shelters.title}
      data-testid="shelters-panel"
      extra={
        canEdit && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing("new")} data-testid="shelter-add">
            {t.shelters.add}
          </Button>
        )
      }
    >
      {list.error != null && (
        <Alert
          type="error"
          showIcon
          title={errorText(tc, list.error)}
          description={errorDetail(list.error)}
          style={{ marginBottom: 12 }}
        />
      )}
      <ShelterHours stationId={station.id} />
      <Space wrap style={{ marginBottom: 12 }}>
        <Input.Search
          allowClear
          placeholder={t.shelters.search}
          value={search}
          onChange={(e) => setSearch(e.target.value)}
          style={{ width: 260 }}
        />
        <Select<Kind>
          allowClear
          aria-label={t.shelters.all}
          placeholder={t.shelters.all}
          value={kind}
          onChange={setKind}
          style={{ width: 200 }}
          options={(["station", "warming_shelter", "service_point"] as const).map((k) => ({
            value: k,
            label: t.stock.kinds[k],
          }))}
        />
      </Space>
      <Table<Shelter>
        size="small"
        rowKey="id"
        loading={list.loading && !list.data}
        dataSource={rows}
        pagination={{ defaultPageSize: 20, showSizeChanger: true, showTotal: (n) => fmt(t.shelters.total, { n }) }}
        columns={[
          { title: t.shelters.name, dataIndex: "name", sorter: (a, b) => a.name.localeCompare(b.name) },
          {
            title: t.shelters.kind,
            render: (_, s) => (
              <Tag color={s.kind === "station" ? "blue" : s.kind === "warming_shelter" ? "orange" : "purple"}>
                {t.stock.kinds[s.kind]}
              </Tag>
            ),
          },
          { title: t.shelters.address, dataIndex: "address", ellipsis: true },
          {
            title: t.shelters.capacity,
            dataIndex: "capacity",
            align: "right",
            sorter: (a, b) => a.capacity - b.capacity,
          },
          { title: t.shelters.occupied, dataIndex: "occupied", align: "right" },
          {
            title: t.shelters.free,
            align: "right",
            render: (_, s) => <Tag color={s.free === 0 ? "red" : "green"}>{s.free}</Tag>,
            sorter: (a, b) => a.free - b.free,
          },
          {
            title: t.shelters.occupancy,
            width: 150,
            render: (_, s) => (
              <Progress
                aria-label={`${s.name} · ${t.shelters.occupancy}`}
                size="small"
                percent={s.capacity ? Math.round((100 * s.occupied) / s.capacity) : 0}
                status={s.free === 0 && s.capacity > 0 ? "exception" : "normal"}
              />
            ),
          },
          {
            title: "",
            render: (_, s) => (s.active ? <Tag color="green">{t.shelters.open}</Tag> : <Tag>{t.shelters.closed}</Tag>),
          },
          ...(canEdit
            ? [
                {
                  title: "",
                  render: (_: unknown, s: Shelter) =>
                    s.kind === "station" ? (
                      <Tooltip title={t.shelters.stationBeds}>
                        <Button size="small" icon={<EditOutlined />} disabled>
                          {t.shelters.edit}
                        </Button>
                      </Tooltip>
                    ) : (
                      <Button size="small" icon={<EditOutlined />} onClick={() => setEditing(s)}>
                        {t.shelters.edit}
                      </Button>
                    ),
                },
              ]
            : []),
        ]}
      />
      {editing && (
        <ShelterForm
          station={station}
          shelter={editing === "new" ? null : editing}
          onClose={() => setEditing(null)}
          onSaved={list.reload}
        />
      )}
    </Card>
  );
}

/** Add or change a place; problems land on their fields, the server's too. */
function ShelterForm({
  station,
  shelter,
  onClose,
  onSaved,
}: {
  station: Station;
  shelter: Shelter | null;
  onClose: () => void;
  onSaved: () => void;
}) {
  const t = useStationTexts();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const { busy, problem, save } = useFormSave(form, FIELDS);
  const pendingId = useRef(uuid());

  async function submit(v: Values) {
    const fields = {
      name: v.name ?? "",
      lat: v.lat ?? Number.NaN,
      lng: v.lng ?? Number.NaN,
      address: v.address ?? "",
      capacity: v.capacity ?? Number.NaN,
    };
    const body = shelter
      ? { ...fields, active: v.active ?? true, version: shelter.version }
      : { ...fields, id: pendingId.current, stationId: station.id, kind: v.kind ?? ("" as "warming_shelter") };
    await save(shelter ? ShelterUpdate : ShelterCreate, body, async () => {
      if (shelter)
        await call(api.shelters.update, {
          params: { id: shelter.id },
          body: body as typeof fields & { version: number },
        });
      else
        await call(api.shelters.create, {
          body: body as typeof fields & { id: string; stationId: string; kind: "warming_shelter" },
        });
      void message.success(t.shelters.saved);
      onSaved();
      onClose();
    });
  }

  const req = [{ required: true, message: t.shelters.required }];
  return (
    <Modal
      open
      title={shelter ? t.shelters.editTitle : t.shelters.addTitle}
      okText={t.shelters.save}
      cancelText={t.shelters.cancel}
      confirmLoading={busy}
      onOk={() => form.submit()}
      onCancel={onClose}
      width={560}
      okButtonProps={{ "data-testid": "shelter-save" } as Record<string, string>}
    >
      <Form<Values>
        form={form}
        layout="vertical"
        onFinish={submit}
        disabled={busy}
        initialValues={
          shelter
            ? { ...shelter, kind: shelter.kind === "station" ? undefined : shelter.kind }
            : { kind: "warming_shelter", lat: station.lat, lng: station.lng, address: "", capacity: 20 }
        }
      >
        <Form.Item name="name" label={t.shelters.name} rules={req}>
          <Input maxLength={100} autoFocus />
        </Form.Item>
        <Form.Item name="kind" label={t.shelters.kind} rules={shelter ? [] : req}>
          <Select
            disabled={!!shelter}
            options={(["warming_shelter", "service_point"] as const).map((k) => ({
              value: k,
              label: t.stock.kinds[k],
            }))}
          />
        </Form.Item>
        <Space.Compact block>
          <Form.Item name="lat" label={t.shelters.lat} rules={req} style={{ flex: 1, marginRight: 8 }}>
            <InputNumber style={{ width: "100%" }} step={0.0001} />
          </Form.Item>
          <Form.Item name="lng" label={t.shelters.lng} rules={req} style={{ flex: 1 }}>
            <InputNumber style={{ width: "100%" }} step={0.0001} />
          </Form.Item>
        </Space.Compact>
        <Form.Item name="address" label={t.shelters.address}>
          <Input maxLength={200} />
        </Form.Item>
        <Form.Item name="capacity" label={t.shelters.capacity} rules={req}>
          <InputNumber style={{ width: "100%" }} min={0} precision={0} />
        </Form.Item>
        {shelter && (
          <Form.Item name="active" label={t.shelters.active} valuePropName="checked">
            <Switch />
          </Form.Item>
        )}
        <FormProblemBanner problem={problem} />
      </Form>
    </Modal>
  );
}
