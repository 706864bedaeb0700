import { useMemo, useRef, useState } from "react";
import { Alert, App, Button, Card, Dropdown, Form, Input, InputNumber, Modal, Select, Space, Table, Tag } from "antd";
import { DownOutlined, EditOutlined, PlusOutlined } from "@ant-design/icons";
import { useTranslation } from "react-i18next";
import { api, call, type Vehicle } from "../../api/client.js";
import { VehicleCreate, VehicleUpdate } from "../../../../shared/api/vehicles.js";
import { canTransition, VEHICLE_MACHINE, VEHICLE_STATUSES, type VehicleStatus } from "../../../../shared/machines.js";
import { errorDetail, errorText } from "../../i18n/errors.js";
import { uuid } from "../../shared-ui/uuid.js";
import { VEHICLE_COLOR } from "../../map/colors.js";
import { useFleetTexts } from "../dispatch/texts.js";
import { useLive } from "../station/texts.js";
import { useStations } from "../data/stations.js";
import { FormProblemBanner, useFormSave } from "./useFormSave.js";

type Values = { callSign?: string; plate?: string; seats?: number | null; stationId?: string };
const FIELDS = ["callSign", "plate", "seats", "stationId"] as const;

/**
 * Statuses an admin sets by hand: taking a vehicle out of service (repairs) and back. The rest of
 * the machine (dispatched, en route, on scene …) is driven by tasks and crews, so it is not offered
 * here even where the machine would allow it.
 */
const ADMIN_STATUSES: readonly VehicleStatus[] = ["out_of_service", "off_duty", "available"];

/** The hand-set statuses the machine allows from `from`. */
function adminTransitions(from: VehicleStatus): VehicleStatus[] {
  return ADMIN_STATUSES.filter((to) => to !== from && canTransition(VEHICLE_MACHINE, from, to));
}

/**
 * Admin: the fleet. Paged and searchable in the browser (a city has hundreds of vehicles at most,
 * and GET /api/vehicles returns them all); new vehicles, edits (station, seats) and out-of-service.
 */
export function VehiclesAdmin() {
  const { t } = useTranslation("desk");
  const { t: tc } = useTranslation();
  const ft = useFleetTexts();
  const { message } = App.useApp();
  const { stations } = useStations();
  // Position reports are not listened to: they do not change anything this table shows.
  const vehicles = useLive(
    () => call(api.vehicles.list),
    [],
    ["vehicle.created", "vehicle.updated", "vehicle.status_changed"],
  );
  const [search, setSearch] = useState("");
  const [stationId, setStationId] = useState<string>();
  const [status, setStatus] = useState<VehicleStatus>();
  const [editing, setEditing] = useState<Vehicle | "new" | null>(null);
  const [statusError, setStatusError] = useState<unknown>(null);
  const stationName = useMemo(() => new Map(stations.map((s) => [s.id, s.name])), [stations]);
  const rows = useMemo(() => {
    const q = search.trim().toLowerCase();
    return (vehicles.data?.items ?? [])
      .filter((v) => (!stationId || v.stationId === stationId) && (!status || v.status === status))
      .filter((v) => !q || v.callSign.toLowerCase().includes(q) || v.plate.toLowerCase().includes(q));
  }, [vehicles.data, search, stationId, status]);

  async function changeStatus(v: Vehicle, to: VehicleStatus) {
    setStatusError(null);
    try {
      await call(api.vehicles.setStatus, { params: { id: v.id }, body: { status: to, version: v.version } });
      void message.success(t("admin.vehicles.statusChanged", { callSign: v.callSign, status: ft.vehicleStatus[to] }));
    } catch (err) {
      setStatusError(err);
    } finally {
      vehicles.reload();
    }
  }

  return (
    <Card
      title={t("admin.vehicles.title")}
      data-testid="vehicles-admin"
      extra={
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing("new")} data-testid="vehicle-add">
          {t("admin.vehicles.add")}
        </Button>
      }
    >
      {vehicles.error != null && (
        <Alert
          type="error"
          showIcon
          title={errorText(tc, vehicles.error)}
          description={errorDetail(vehicles.error)}
          style={{ marginBottom: 12 }}
        />
      )}
      {statusError != null && (
        <Alert
          type="error"
          showIcon
          closable
          onClose={() => setStatusError(null)}
          title={errorText(tc, statusError)}
          description={errorDetail(statusError)}
          style={{ marginBottom: 12 }}
        />
      )}
      <Space wrap style={{ marginBottom: 12 }}>
        <Input.Search
          allowClear
          placeholder={t("admin.vehicles.search")}
          value={search}
          onChange={(e) => setSearch(e.target.value)}
          style={{ width: 260 }}
        />
        <Select
          allowClear
          aria-label={t("admin.vehicles.allStations")}
          placeholder={t("admin.vehicles.allStations")}
          value={stationId}
          onChange={setStationId}
          style={{ width: 200 }}
          options={stations.map((s) => ({ value: s.id, label: s.name }))}
        />
        <Select
          allowClear
          aria-label={t("admin.vehicles.allStatuses")}
          placeholder={t("admin.vehicles.allStatuses")}
          value={status}
          onChange={setStatus}
          style={{ width: 160 }}
          options={VEHICLE_STATUSES.map((s) => ({ value: s, label: ft.vehicleStatus[s] }))}
        />
      </Space>
      <Table<Vehicle>
        size="small"
        rowKey="id"
        loading={vehicles.loading && !vehicles.data}
        dataSource={rows}
        pagination={{ defaultPageSize: 20, showSizeChanger: true, showTotal: (n) => t("admin.vehicles.total", { n }) }}
        columns={[
          {
            title: t("admin.vehicles.callSign"),
            dataIndex: "callSign",
            sorter: (a, b) => a.callSign.localeCompare(b.callSign),
            defaultSortOrder: "ascend",
          },
          { title: t("admin.vehicles.plate"), dataIndex: "plate" },
          { title: t("admin.vehicles.station"), render: (_, v) => stationName.get(v.stationId) ?? "—" },
          { title: t("admin.vehicles.seats"), dataIndex: "seats", align: "right" },
          {
            title: t("admin.vehicles.status"),
            render: (_, v) => <Tag color={VEHICLE_COLOR[v.status]}>{ft.vehicleStatus[v.status]}</Tag>,
          },
          {
            title: "",
            render: (_, v) => {
              const next = adminTransitions(v.status);
              return (
                <Space size="small">
                  <Button
                    size="small"
                    icon={<EditOutlined />}
                    onClick={() => setEditing(v)}
                    data-testid={`vehicle-edit-${v.callSign}`}
                  >
                    {t("admin.vehicles.edit")}
                  </Button>
                  {next.length > 0 && (
                    <Dropdown
                      trigger={["click"]}
                      menu={{
                        items: next.map((s) => ({ key: s, label: ft.vehicleStatus[s] })),
                        onClick: ({ key }) => void changeStatus(v, key as VehicleStatus),
                      }}
                    >
                      <Button
                        size="small"
                        title={t("admin.vehicles.statusHint")}
                        data-testid={`vehicle-status-${v.callSign}`}
                      >
                        {t("admin.vehicles.setStatus")} <DownOutlined />
                      </Button>
                    </Dropdown>
                  )}
                </Space>
              );
            },
          },
        ]}
      />
      {editing && (
        <VehicleForm
          vehicle={editing === "new" ? null : editing}
          onClose={() => setEditing(null)}
          onSaved={vehicles.reload}
        />
      )}
    </Card>
  );
}

/** Add or change one vehicle; problems land on their fields (the server's too), a stale version says reload. */
function VehicleForm({
  vehicle,
  onClose,
  onSaved,
}: {
  vehicle: Vehicle | null;
  onClose: () => void;
  onSaved: () => void;
}) {
  const { t } = useTranslation("desk");
  const { message } = App.useApp();
  const { stations } = useStations();
  const [form] = Form.useForm<Values>();
  const { busy, problem, save } = useFormSave(form, FIELDS);
  // Kept across retries: a timeout followed by a retry cannot add the vehicle twice.
  const pendingId = useRef(uuid());

  async function submit(v: Values) {
    const fields = {
      callSign: v.callSign ?? "",
      plate: v.plate ?? "",
      seats: v.seats ?? Number.NaN,
      stationId: v.stationId ?? "",
    };
    const body = vehicle ? { ...fields, version: vehicle.version } : { ...fields, id: pendingId.current };
    await save(vehicle ? VehicleUpdate : VehicleCreate, body, async () => {
      if (vehicle)
        await call(api.vehicles.update, {
          params: { id: vehicle.id },
          body: body as typeof fields & { version: number },
        });
      else await call(api.vehicles.create, { body: body as typeof fields & { id: string } });
      void message.success(t("admin.vehicles.saved"));
      onSaved();
      onClose();
    });
  }

  const req = [{ required: true, message: t("admin.vehicles.required") }];
  return (
    <Modal
      open
      title={t(vehicle ? "admin.vehicles.editTitle" : "admin.vehicles.addTitle")}
      okText={t("admin.vehicles.save")}
      cancelText={t("admin.vehicles.cancel")}
      confirmLoading={busy}
      onOk={() => form.submit()}
      onCancel={onClose}
      width={520}
      okButtonProps={{ "data-testid": "vehicle-save" } as Record<string, string>}
    >
      <Form<Values>
        form={form}
        layout="vertical"
        onFinish={submit}
        disabled={busy}
        initialValues={
          vehicle ? { ...vehicle } : { seats: 5, stationId: stations.length === 1 ? stations[0]!.id : undefined }
        }
      >
        <Space.Compact block>
          <Form.Item
            name="callSign"
            label={t("admin.vehicles.callSign")}
            rules={req}
            extra={t("admin.vehicles.callSignHint")}
            style={{ flex: 1, marginRight: 8 }}
          >
            <Input maxLength={32} autoFocus={!vehicle} data-testid="vehicle-callSign" />
          </Form.Item>
          <Form.Item name="plate" label={t("admin.vehicles.plate")} rules={req} style={{ flex: 1 }}>
            <Input maxLength={32} data-testid="vehicle-plate" />
          </Form.Item>
        </Space.Compact>
        <Space.Compact block>
          <Form.Item
            name="stationId"
            label={t("admin.vehicles.station")}
            rules={req}
            style={{ flex: 2, marginRight: 8 }}
          >
            <Select
              showSearch={{ optionFilterProp: "label" }}
              options={stations.map((s) => ({ value: s.id, label: `${s.code} ${s.name}` }))}
              data-testid="vehicle-station"
            />
          </Form.Item>
          <Form.Item name="seats" label={t("admin.vehicles.seats")} rules={req} style={{ flex: 1 }}>
            <InputNumber style={{ width: "100%" }} min={1} max={60} precision={0} data-testid="vehicle-seats" />
          </Form.Item>
        </Space.Compact>
        <FormProblemBanner problem={problem} />
      </Form>
    </Modal>
  );
}
