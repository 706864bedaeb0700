import { useState } from "react";
import { App, Button, Form, Input, InputNumber, Modal, Select, Space, Typography } from "antd";
import { FormOutlined } from "@ant-design/icons";
import { api, call } from "../../api/client.js";
import { PatrolLogCreate } from "../../../../shared/api/patrol-logs.js";
import type { EncounterOutcome, ConditionFlag } from "../../../../shared/vocab.js";
import { useLanguage } from "../../i18n/index.js";
import { uuid } from "../../shared-ui/uuid.js";
import { useStations } from "../data/stations.js";
import { FormProblemBanner } from "../components/useFormSave.js";
import { useLive } from "./texts.js";
import { SupplyLines, isoOf, useFormTexts, useNestedSave } from "./formKit.js";
import { EncounterRows, KeyPointRows, rowTime } from "./PatrolLogRows.js";

type Line = { itemId?: string; quantity?: number };
/** The form's values: the body's shape, with local times and rows possibly half-filled. */
interface LogValues {
  vehicleId?: string;
  crewCount?: number;
  crewNames?: string[];
  startedAt?: string;
  endedAt?: string;
  load?: Line[];
  returned?: Line[];
  keyPoints?: { id: string; keyPointId?: string; visitedAt?: string; peopleFound?: number }[];
  encounters?: {
    id: string;
    outcome?: EncounterOutcome;
    flags?: ConditionFlag[];
    keyPointVisitId?: string;
    occurredAt?: string;
    supplies?: Line[];
    notes?: string;
  }[];
}

const LEAVES = [
  ...["vehicleId", "crewCount", "crewNames", "startedAt", "endedAt", "itemId", "quantity"],
  ...["keyPointId", "visitedAt", "peopleFound", "outcome", "flags", "keyPointVisitId", "occurredAt", "notes"],
];

/**
 * 补录: a whole sortie recorded after the fact through POST /api/patrol-logs. The sortie id is made
 * once per opening of the form (and each row's id when the row is added), so submitting twice, or
 * again after a lost reply, records the sortie once.
 */
export function PatrolLogButton({ stationId }: { stationId: string }) {
  const { f } = useFormTexts();
  const [open, setOpen] = useState(false);
  const [logId, setLogId] = useState(uuid);
  return (
    <>
      <Button
        icon={<FormOutlined />}
        onClick={() => {
          setLogId(uuid());
          setOpen(true);
        }}
        data-testid="patrol-log-open"
      >
        {f.log.open}
      </Button>
      {open && <PatrolLogModal stationId={stationId} logId={logId} onClose={() => setOpen(false)} />}
    </>
  );
}

function PatrolLogModal({ stationId, logId, onClose }: { stationId: string; logId: string; onClose: () => void }) {
  const { f } = useFormTexts();
  const [lang] = useLanguage();
  const { message } = App.useApp();
  const [form] = Form.useForm<LogValues>();
  const { busy, problem, save } = useNestedSave(form, LEAVES);
  const { stations } = useStations();
  const vehicles = useLive(() => call(api.vehicles.list, { query: { stationId } }), [stationId], []);
  const keyPoints = useLive(() => call(api.keypoints.list, { query: { stationId } }), [stationId], []);
  const stock = useLive(() => call(api.supplies.stock, { query: { stationId } }), [stationId], []);
  const startedAt = Form.useWatch("startedAt", form);
  const kpRows = Form.useWatch("keyPoints", form) ?? [];

  const kpList = keyPoints.data?.items ?? [];
  const kpOptions = kpList.map((k) => ({ value: k.id, label: k.name }));
  const items = (stock.data?.items ?? []).map((i) => ({ value: i.itemId, label: lang === "en" ? i.nameEn : i.nameZh }));
  const visits = kpRows
    .filter((r) => r?.keyPointId)
    .map((r) => ({ value: r.id, label: kpList.find((k) => k.id === r.keyPointId)?.name ?? "?" }));

  /** Where a person was met: the key point of their visit, else the station (the schema needs a place). */
  function placeOf(visitId: string | undefined, v: LogValues) {
    const kpId = v.keyPoints?.find((k) => k.id === visitId)?.keyPointId;
    const kp = kpList.find((k) => k.id === kpId);
    if (kp) return { lat: kp.lat, lng: kp.lng };
    const st = stations.find((s) => s.id === stationId);
    return st ? { lat: st.lat, lng: st.lng } : {};
  }

  const lines = (l: Line[] | undefined) => (l ?? []).map((x) => ({ itemId: x.itemId, quantity: x.quantity }));

  async function submit() {
    const v = form.getFieldsValue(true) as LogValues;
    const body = {
      id: logId,
      vehicleId: v.vehicleId,
      crewCount: v.crewCount,
      crewNames: v.crewNames ?? [],
      startedAt: isoOf(v.startedAt),
      endedAt: isoOf(v.endedAt),
      load: lines(v.load),
      returned: lines(v.returned),
      keyPoints: (v.keyPoints ?? []).map((k) => ({
        id: k.id,
        keyPointId: k.keyPointId,
        peopleFound: k.peopleFound ?? 0,
        visitedAt: isoOf(k.visitedAt),
      })),
      encounters: (v.encounters ?? []).map((e) => ({
        id: e.id,
        found: e.outcome !== "not_found",
        outcome: e.outcome,
        flags: e.flags ?? [],
        keyPointVisitId: e.keyPointVisitId || undefined,
        supplies: lines(e.supplies),
        notes: e.notes ?? "",
        occurredAt: isoOf(e.occurredAt),
        ...placeOf(e.keyPointVisitId, v),
      })),
    };
    const done = await save(PatrolLogCreate, body, () =>
      call(api.patrolLogs.create, { body: PatrolLogCreate.parse(body) }),
    );
    if (done) {
      void message.success(f.log.saved);
      onClose();
    }
  }

  return (
    <Modal
      open
      width={960}
      title={f.log.title}
      onCancel={onClose}
      okText={f.log.submit}
      cancelText={f.log.cancel}
      okButtonProps={{ loading: busy, "data-testid": "patrol-log-submit" } as never}
      onOk={() => void submit()}
      destroyOnHidden
    >
      <Typography.Paragraph type="secondary">{f.log.hint}</Typography.Paragraph>
      <Form form={form} layout="vertical" initialValues={{ crewCount: 2, crewNames: [], load: [], returned: [] }}>
        <Space align="baseline" wrap>
          <Form.Item name="vehicleId" label={f.log.vehicle}>
            <Select
              style={{ width: 180 }}
              options={(vehicles.data?.items ?? []).map((x) => ({ value: x.id, label: x.callSign }))}
              showSearch={{ optionFilterProp: "label" }}
              data-testid="log-vehicle"
            />
          </Form.Item>
          <Form.Item name="crewCount" label={f.log.crewCount}>
            <InputNumber min={1} max={60} data-testid="log-crew-count" />
          </Form.Item>
          <Form.Item name="crewNames" label={f.log.crewNames}>
            <Select
              mode="tags"
              aria-label={f.log.crewNamesPh}
              style={{ minWidth: 240 }}
              placeholder={f.log.crewNamesPh}
              open={false}
              tokenSeparators={[",", "，", "、"]}
            />
          </Form.Item>
          <Form.Item name="startedAt" label={f.log.startedAt}>
            <Input type="datetime-local" data-testid="log-started" />
          </Form.Item>
          <Form.Item name="endedAt" label={f.log.endedAt}>
            <Input type="datetime-local" data-testid="log-ended" />
          </Form.Item>
        </Space>
        <Space align="start" wrap size="large" style={{ marginBottom: 12 }}>
          <Form.Item label={f.log.load}>
            <SupplyLines name="load" options={items} addLabel={f.log.addLine} testId="log-load" />
          </Form.Item>
          <Form.Item label={f.log.returned}>
            <SupplyLines name="returned" options={items} addLabel={f.log.addLine} testId="log-returned" />
          </Form.Item>
        </Space>
        <Space orientation="vertical" style={{ width: "100%" }}>
          <KeyPointRows keyPoints={kpOptions} defaultTime={() => rowTime(startedAt)} />
          <EncounterRows visits={visits} items={items} defaultTime={() => rowTime(startedAt)} />
        </Space>
      </Form>
      <FormProblemBanner problem={problem} />
    </Modal>
  );
}
