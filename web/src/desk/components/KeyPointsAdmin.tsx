import { useEffect, useMemo, useRef, useState } from "react";
import {
  Alert,
  App,
  Button,
  Card,
  Checkbox,
  Form,
  Input,
  InputNumber,
  Modal,
  Popconfirm,
  Select,
  Space,
  Table,
  Tag,
} from "antd";
import { EditOutlined, PlusOutlined } from "@ant-design/icons";
import { useTranslation } from "react-i18next";
import { api, call, type KeyPointStatus, type MapConfig } from "../../api/client.js";
import { KeyPointCreate, KeyPointUpdate } from "../../../../shared/api/keypoints.js";
import { KEY_POINT_KINDS, type KeyPointKind } from "../../../../shared/vocab.js";
import type { LatLng } from "../../../../shared/geo.js";
import { errorDetail, errorText } from "../../i18n/errors.js";
import { uuid } from "../../shared-ui/uuid.js";
import { WarmMap } from "../../map/WarmMap.js";
import { DUE_COLOR } from "../../map/colors.js";
import { useDutyTexts, fmt } from "../duty/texts.js";
import { useLive } from "../station/texts.js";
import { eventStream } from "../../realtime/socket.js";
import { keyPointDueState } from "../../../../shared/cadence.js";
import { useStations } from "../data/stations.js";
import { FormProblemBanner, useFormSave } from "./useFormSave.js";

type Values = {
  stationId?: string;
  name?: string;
  kind?: KeyPointKind;
  lat?: number | null;
  lng?: number | null;
  address?: string;
  notes?: string;
};
const FIELDS = ["stationId", "name", "kind", "lat", "lng", "address", "notes"] as const;
const NO_TILES: MapConfig = { tileUrl: "", attribution: "", crs: "wgs84", subdomains: [], maxZoom: 18 };

/**
 * Key points (重点点位) of the admin page (every station, with a station filter) or of a station
 * head's tab (`stationId` fixed: a head adds and edits their own station's only). The list is paged
 * and searchable in the browser; taking a point off the rounds keeps its recorded visits counted.
 */
export function KeyPointsAdmin({ stationId: fixedStation }: { stationId?: string }) {
  const { t } = useTranslation("desk");
  const { t: tc } = useTranslation();
  const { message } = App.useApp();
  const { stations } = useStations();
  const [stationId, setStationId] = useState<string | undefined>(fixedStation);
  const [showInactive, setShowInactive] = useState(false);
  const [search, setSearch] = useState("");
  const [editing, setEditing] = useState<KeyPointStatus | "new" | null>(null);
  const [actionError, setActionError] = useState<unknown>(null);
  const station = fixedStation ?? stationId;
  // Always with the inactive ones, so switching the filter needs no reload.
  const points = useLive(
    () => call(api.keypoints.list, { query: { stationId: station, includeInactive: "true" } }),
    [station],
    // A visit changes one entry (below), never the whole list.
    ["keypoint.created", "keypoint.updated", "keypoint.deactivated", "keypoint.reactivated"],
  );
  const visits = useVisitsSince(points.data);
  const items = useMemo(
    () => (points.data?.items ?? []).map((k) => withVisit(k, visits.get(k.id))),
    [points.data, visits],
  );
  const stationName = useMemo(() => new Map(stations.map((s) => [s.id, s.name])), [stations]);
  const rows = useMemo(() => {
    const q = search.trim().toLowerCase();
    return items
      .filter((k) => showInactive || k.active)
      .filter((k) => !q || k.name.toLowerCase().includes(q) || k.address.toLowerCase().includes(q));
  }, [items, search, showInactive]);

  async function setActive(k: KeyPointStatus, active: boolean) {
    setActionError(null);
    try {
      // The version shown in the list: if someone changed the point since, the server says so (409).
      await call(api.keypoints.setActive, { params: { id: k.id }, body: { active, version: k.version } });
      void message.success(t(active ? "admin.keypoints.reactivated" : "admin.keypoints.deactivated", { name: k.name }));
    } catch (err) {
      setActionError(err);
    } finally {
      points.reload();
    }
  }

  return (
    <Card
      title={t("admin.keypoints.title")}
      data-testid="keypoints-admin"
      extra={
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing("new")} data-testid="keypoint-add">
          {t("admin.keypoints.add")}
        </Button>
      }
    >
      {points.error != null && (
        <Alert
          type="error"
          showIcon
          title={errorText(tc, points.error)}
          description={errorDetail(points.error)}
          style={{ marginBottom: 12 }}
        />
      )}
      {actionError != null && (
        <Alert
          type="error"
          showIcon
          closable
          onClose={() => setActionError(null)}
          title={errorText(tc, actionError)}
          description={errorDetail(actionError)}
          style={{ marginBottom: 12 }}
        />
      )}
      <Space wrap style={{ marginBottom: 12 }}>
        <Input.Search
          allowClear
          placeholder={t("admin.keypoints.search")}
          value={search}
          onChange={(e) => setSearch(e.target.value)}
          style={{ width: 260 }}
        />
        {!fixedStation && (
          <Select
            allowClear
            aria-label={t("admin.keypoints.allStations")}
            placeholder={t("admin.keypoints.allStations")}
            value={stationId}
            onChange={setStationId}
            style={{ width: 200 }}
            options={stations.map((s) => ({ value: s.id, label: s.name }))}
          />
        )}
        <Checkbox checked={showInactive} onChange={(e) => setShowInactive(e.target.checked)}>
          {t("admin.keypoints.showInactive")}
        </Checkbox>
      </Space>
      <Table<KeyPointStatus>
        size="small"
        rowKey="id"
        loading={points.loading && !points.data}
        dataSource={rows}
        pagination={{ defaultPageSize: 20, showSizeChanger: true, showTotal: (n) => t("admin.keypoints.total", { n }) }}
        columns={[
          { title: t("admin.keypoints.name"), dataIndex: "name", sorter: (a, b) => a.name.localeCompare(b.name) },
          { title: t("admin.keypoints.kind"), render: (_, k) => t(`admin.keypoints.kinds.${k.kind}`) },
          ...(fixedStation
            ? []
            : [
                {
                  title: t("admin.keypoints.station"),
                  render: (_: unknown, k: KeyPointStatus) => stationName.get(k.stationId) ?? "—",
                },
              ]),
          { title: t("admin.keypoints.address"), dataIndex: "address", ellipsis: true },
          {
            title: t("admin.keypoints.lastVisit"),
            sorter: (a, b) => (a.lastVisitedAt ?? "").localeCompare(b.lastVisitedAt ?? ""),
            render: (_, k) => (
              <Space size={4}>
                {k.active && (
                  <span
                    style={{
                      display: "inline-block",
                      width: 8,
                      height: 8,
                      borderRadius: 4,
                      background: DUE_COLOR[k.dueState],
                    }}
                  />
                )}
                {k.lastVisitedAt ? new Date(k.lastVisitedAt).toLocaleString() : t("admin.keypoints.never")}
              </Space>
            ),
          },
          {
            title: "",
            render: (_, k) =>
              k.active ? (
                <Tag color="green">{t("admin.keypoints.active")}</Tag>
              ) : (
                <Tag>{t("admin.keypoints.inactive")}</Tag>
              ),
          },
          {
            title: "",
            render: (_, k) => (
              <Space size="small">
                <Button size="small" icon={<EditOutlined />} onClick={() => setEditing(k)}>
                  {t("admin.keypoints.edit")}
                </Button>
                {k.active ? (
                  <Popconfirm
                    title={t("admin.keypoints.deactivateConfirm")}
                    onConfirm={() => setActive(k, false)}
                    okText={t("admin.keypoints.deactivate")}
                    cancelText={t("admin.keypoints.cancel")}
                  >
                    <Button size="small" danger>
                      {t("admin.keypoints.deactivate")}
                    </Button>
                  </Popconfirm>
                ) : (
                  <Button size="small" onClick={() => void setActive(k, true)}>
                    {t("admin.keypoints.reactivate")}
                  </Button>
                )}
              </Space>
            ),
          },
        ]}
      />
      {editing && (
        <KeyPointForm
          point={editing === "new" ? null : editing}
          fixedStation={fixedStation}
          defaultStation={station}
          others={points.data?.items ?? []}
          onClose={() => setEditing(null)}
          onSaved={points.reload}
        />
      )}
    </Card>
  );
}

/** Add or change one key point: fields checked by the shared schema; a click on the small map sets the position. */
function KeyPointForm({
  point,
  fixedStation,
  defaultStation,
  others,
  onClose,
  onSaved,
}: {
  point: KeyPointStatus | null;
  fixedStation?: string;
  defaultStation?: string;
  others: readonly KeyPointStatus[];
  onClose: () => void;
  onSaved: () => void;
}) {
  const { t } = useTranslation("desk");
  const tx = useDutyTexts();
  const { message } = App.useApp();
  const { stations } = useStations();
  const [form] = Form.useForm<Values>();
  const { busy, problem, save } = useFormSave(form, FIELDS);
  const [config, setConfig] = useState<MapConfig | null>(null);
  // Kept across retries: a timeout followed by a retry cannot add the point twice.
  const pendingId = useRef(uuid());
  const lat = Form.useWatch("lat", form);
  const lng = Form.useWatch("lng", form);
  const formStation = Form.useWatch("stationId", form);
  const picked: LatLng | null = typeof lat === "number" && typeof lng === "number" ? { lat, lng } : null;
  const home = stations.find((s) => s.id === (formStation ?? defaultStation)) ?? stations[0];
  // The centre is fixed when the form opens (the map keeps its own view after that).
  const [center] = useState<LatLng>(() =>
    point ? { lat: point.lat, lng: point.lng } : home ? { lat: home.lat, lng: home.lng } : { lat: 45.76, lng: 126.63 },
  );

  useEffect(() => {
    let live = true;
    call(api.map.config).then(
      (c) => {
        if (live) setConfig(c);
      },
      () => {
        if (live) setConfig(NO_TILES);
      },
    );
    return () => {
      live = false;
    };
  }, []);

  async function submit(v: Values) {
    const fields = {
      stationId: fixedStation ?? v.stationId ?? "",
      name: v.name ?? "",
      kind: v.kind as KeyPointKind,
      lat: v.lat ?? Number.NaN,
      lng: v.lng ?? Number.NaN,
      address: v.address ?? "",
      notes: v.notes ?? "",
    };
    // An edit sends the version the form was opened with: a change by someone else meanwhile is
    // refused (409 VERSION_CONFLICT, shown in the banner) instead of being overwritten.
    const body = point ? { ...fields, version: point.version } : { ...fields, id: pendingId.current };
    await save(point ? KeyPointUpdate : KeyPointCreate, body, async () => {
      if (point)
        await call(api.keypoints.update, { params: { id: point.id }, body: { ...fields, version: point.version } });
      else await call(api.keypoints.create, { body: body as typeof fields & { id: string } });
      void message.success(t("admin.keypoints.saved"));
      onSaved();
      onClose();
    });
  }

  const req = [{ required: true, message: t("admin.keypoints.required") }];
  const layer = useMemo(
    () => [
      {
        key: "keypoints",
        points: others
          .filter((k) => k.active && k.id !== point?.id)
          .map((k) => ({
            id: k.id,
            lat: k.lat,
            lng: k.lng,
            color: DUE_COLOR[k.dueState],
            shape: "dot" as const,
            title: k.name,
            radius: 5,
          })),
      },
    ],
    [others, point],
  );
  return (
    <Modal
      open
      title={t(point ? "admin.keypoints.editTitle" : "admin.keypoints.addTitle")}
      okText={t("admin.keypoints.save")}
      cancelText={t("admin.keypoints.cancel")}
      confirmLoading={busy}
      onOk={() => form.submit()}
      onCancel={onClose}
      width={720}
      okButtonProps={{ "data-testid": "keypoint-save" } as Record<string, string>}
    >
      <Form<Values>
        form={form}
        layout="vertical"
        onFinish={submit}
        disabled={busy}
        initialValues={
          point
            ? { ...point }
            : {
                stationId: fixedStation ?? defaultStation ?? (stations.length === 1 ? stations[0]!.id : undefined),
                kind: "bridge_underpass",
              }
        }
      >
        <Space.Compact block>
          <Form.Item name="name" label={t("admin.keypoints.name")} rules={req} style={{ flex: 2, marginRight: 8 }}>
            <Input
              maxLength={60}
              autoFocus={!point}
              placeholder={t("admin.keypoints.namePh")}
              data-testid="keypoint-name"
            />
          </Form.Item>
          <Form.Item name="kind" label={t("admin.keypoints.kind")} rules={req} style={{ flex: 1 }}>
            <Select
              options={KEY_POINT_KINDS.map((k) => ({ value: k, label: t(`admin.keypoints.kinds.${k}`) }))}
              data-testid="keypoint-kind"
            />
          </Form.Item>
        </Space.Compact>
        {!fixedStation && (
          <Form.Item name="stationId" label={t("admin.keypoints.station")} rules={req}>
            <Select
              showSearch={{ optionFilterProp: "label" }}
              options={stations.map((s) => ({ value: s.id, label: `${s.code} ${s.name}` }))}
              data-testid="keypoint-station"
            />
          </Form.Item>
        )}
        <div style={{ marginBottom: 8 }} data-testid="keypoint-map">
          <WarmMap
            config={config}
            layers={layer}
            center={center}
            zoom={13}
            height={220}
            picked={picked}
            onPick={(p) =>
              form.setFieldsValue({ lat: Math.round(p.lat * 1e6) / 1e6, lng: Math.round(p.lng * 1e6) / 1e6 })
            }
            texts={{
              noTiles: tx.map.noTiles,
              tilesDown: tx.map.tilesDown,
              cluster: (n) => fmt(tx.map.cluster, { count: n }),
            }}
          />
          <div style={{ color: "rgba(0,0,0,0.45)", fontSize: 12, marginTop: 4 }}>{t("admin.keypoints.mapHint")}</div>
        </div>
        <Space.Compact block>
          <Form.Item name="lat" label={t("admin.keypoints.lat")} rules={req} style={{ flex: 1, marginRight: 8 }}>
            <InputNumber style={{ width: "100%" }} min={-90} max={90} step={0.0001} data-testid="keypoint-lat" />
          </Form.Item>
          <Form.Item name="lng" label={t("admin.keypoints.lng")} rules={req} style={{ flex: 1 }}>
            <InputNumber style={{ width: "100%" }} min={-180} max={180} step={0.0001} data-testid="keypoint-lng" />
          </Form.Item>
        </Space.Compact>
        <Form.Item name="address" label={t("admin.keypoints.address")}>
          <Input maxLength={200} />
        </Form.Item>
        <Form.Item name="notes" label={t("admin.keypoints.notes")}>
          <Input.TextArea maxLength={500} rows={2} />
        </Form.Item>
        <FormProblemBanner problem={problem} />
      </Form>
    </Modal>
  );
}

/**
 * Visits heard live since `loaded` was read: key point id → newest visit time. A visit changes one
 * key point's last visit and due state; re-reading the whole list for each would cost hundreds of
 * kilobytes per patrol stop on a busy night.
 */
function useVisitsSince(loaded: unknown): ReadonlyMap<string, string> {
  const [visits, setVisits] = useState<ReadonlyMap<string, string>>(new Map());
  useEffect(() => setVisits(new Map()), [loaded]);
  useEffect(
    () =>
      eventStream.subscribe((e) => {
        if (e.type !== "keypoint.visited") return;
        const { keyPointId, visitedAt } = e.payload;
        setVisits((cur) => {
          const have = cur.get(keyPointId);
          if (have && Date.parse(have) >= Date.parse(visitedAt)) return cur;
          return new Map(cur).set(keyPointId, visitedAt);
        });
      }),
    [],
  );
  return visits;
}

/** The key point with a visit heard live, if newer than the one it was read with. */
function withVisit(k: KeyPointStatus, visitedAt: string | undefined): KeyPointStatus {
  if (!visitedAt || (k.lastVisitedAt && Date.parse(k.lastVisitedAt) >= Date.parse(visitedAt))) return k;
  const dueState = keyPointDueState(new Date(visitedAt), k.alertLevel ?? "blue", new Date());
  return { ...k, lastVisitedAt: visitedAt, dueState };
}
