import { useState } from "react";
import { Alert, App, Button, Card, Form, Input, InputNumber, Modal, Radio, Select, Table, Tag } from "antd";
import { useTranslation } from "react-i18next";
import { api, call, type UnidentifiedEncounter } from "../../api/client.js";
import { errorText } from "../../i18n/errors.js";
import { useLive, useStationTexts } from "./texts.js";

type Mode = "new" | "link";
interface IdentifyForm {
  name?: string;
  gender?: "male" | "female" | "unknown";
  approxAge?: number;
  idNumber?: string;
  hometown?: string;
  personId?: string;
}

/**
 * People met without identity (未知身份): encounters where someone was found and no record was
 * linked. Listed with where, when and outcome, and a line saying why they are here; crews and heads
 * identify them later by registering a record or linking an existing one.
 */
export function UnidentifiedPanel({ stationId, canIdentify }: { stationId: string | undefined; canIdentify: boolean }) {
  const t = useStationTexts();
  const [page, setPage] = useState(1);
  const [open, setOpen] = useState<UnidentifiedEncounter | null>(null);
  const list = useLive(
    () => call(api.people.unidentified, { query: { stationId, limit: 10, offset: (page - 1) * 10 } }),
    [stationId, page],
    ["person.", "encounter."],
  );
  const u = t.people.unidentified;
  return (
    <Card size="small" title={`${u.title} · ${list.data?.total ?? 0}`} data-testid="unidentified">
      <Alert type="info" showIcon title={u.why} style={{ marginBottom: 8 }} />
      <Table
        size="small"
        rowKey="encounterId"
        loading={list.loading}
        dataSource={list.data?.items ?? []}
        locale={{ emptyText: u.none }}
        pagination={{
          current: page,
          pageSize: 10,
          total: list.data?.total ?? 0,
          onChange: setPage,
          hideOnSinglePage: true,
        }}
        columns={[
          { title: t.people.label, render: () => <Tag>{u.title}</Tag> },
          { title: u.when, render: (_, r) => new Date(r.occurredAt).toLocaleString() },
          {
            title: t.people.place,
            render: (_, r) => r.place || (r.lat !== null ? `${r.lat.toFixed(4)}, ${r.lng?.toFixed(4)}` : "—"),
          },
          { title: t.people.outcome, render: (_, r) => <Tag>{t.outcomes[r.outcome]}</Tag> },
          ...(canIdentify
            ? [
                {
                  title: "",
                  render: (_: unknown, r: UnidentifiedEncounter) => (
                    <Button size="small" data-testid={`identify-${r.encounterId}`} onClick={() => setOpen(r)}>
                      {u.identify}
                    </Button>
                  ),
                },
              ]
            : []),
        ]}
      />
      {open && (
        <IdentifyModal
          encounter={open}
          onClose={(done) => {
            setOpen(null);
            if (done) list.reload();
          }}
        />
      )}
    </Card>
  );
}

/** Registers a record from an encounter, or links one of the station's records. */
function IdentifyModal({ encounter, onClose }: { encounter: UnidentifiedEncounter; onClose: (done: boolean) => void }) {
  const t = useStationTexts();
  const { t: tc } = useTranslation();
  const { message } = App.useApp();
  const u = t.people.unidentified;
  const [mode, setMode] = useState<Mode>("new");
  const [q, setQ] = useState("");
  const [busy, setBusy] = useState(false);
  const [form] = Form.useForm<IdentifyForm>();
  const found = useLive(
    mode === "link"
      ? () => call(api.people.list, { query: { stationId: encounter.stationId, q: q || undefined, limit: 20 } })
      : null,
    [mode, q],
    ["person."],
  );

  async function save(v: IdentifyForm) {
    setBusy(true);
    try {
      const body =
        mode === "link"
          ? { personId: v.personId }
          : {
              person: {
                id: crypto.randomUUID(),
                name: v.name || undefined,
                gender: v.gender,
                approxAge: v.approxAge ?? undefined,
                idNumber: v.idNumber || undefined,
                hometown: v.hometown || undefined,
                flags: [],
              },
            };
      await call(api.people.identify, { params: { id: encounter.encounterId }, body });
      void message.success(u.done);
      onClose(true);
    } catch (err) {
      void message.error(errorText(tc, err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Modal
      open
      title={`${u.identify} · ${new Date(encounter.occurredAt).toLocaleString()}`}
      onCancel={() => onClose(false)}
      onOk={() => form.submit()}
      okText={u.save}
      okButtonProps={{ loading: busy }}
    >
      <Radio.Group value={mode} onChange={(e) => setMode(e.target.value as Mode)} style={{ marginBottom: 12 }}>
        <Radio.Button value="new">{u.newRecord}</Radio.Button>
        <Radio.Button value="link">{u.linkExisting}</Radio.Button>
      </Radio.Group>
      <Form form={form} layout="vertical" onFinish={(v) => void save(v)}>
        {mode === "new" ? (
          <>
            <Form.Item name="name" label={t.people.name}>
              <Input maxLength={60} data-testid="identify-name" />
            </Form.Item>
            <Form.Item name="gender" label={t.people.gender}>
              <Select
                allowClear
                options={(["male", "female", "unknown"] as const).map((g) => ({
                  value: g,
                  label: t.people.genders[g],
                }))}
              />
            </Form.Item>
            <Form.Item name="approxAge" label={t.people.age}>
              <InputNumber min={0} max={120} />
            </Form.Item>
            <Form.Item name="idNumber" label={t.people.idNumber}>
              <Input maxLength={30} />
            </Form.Item>
            <Form.Item name="hometown" label={t.people.hometown}>
              <Input maxLength={100} />
            </Form.Item>
          </>
        ) : (
          <Form.Item name="personId" label={t.people.label} rules={[{ required: true }]}>
            <Select
              showSearch={{ filterOption: false, onSearch: setQ }}
              placeholder={u.pickPerson}
              loading={found.loading}
              options={(found.data?.items ?? []).map((p) => ({ value: p.id, label: p.label }))}
            />
          </Form.Item>
        )}
      </Form>
    </Modal>
  );
}
