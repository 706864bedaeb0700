import { useState } from "react";
import { Alert, App, Button, Card, Descriptions, Form, Input, Modal, Select, Space, Spin, Table } from "antd";
import { api, call } from "../../../api/client.js";
import type { IdentificationFile } from "../../../../../shared/api/identification.js";
import { CLOSINGS, CLUE_KINDS, NOTICE_CHANNELS, STEP_KINDS } from "../../../../../shared/identification.js";
import { uuid } from "../../../shared-ui/uuid.js";
import { fmt, useLive } from "../texts.js";
import { isoOf } from "../formKit.js";
import { useErrorWithCode, useIdTexts, when } from "./texts.js";
import { StateTag } from "./IdentificationTab.js";
import { NoticeCard } from "./NoticeCard.js";
import { FactsCard } from "./FactsCard.js";
import { PhotoCard } from "./PhotoCard.js";

type Closing = (typeof CLOSINGS)[number];

/** One person's identification file: facts, deadlines, clues, steps, the closing and the notice. */
export function FileView({ personId, isHead, onBack }: { personId: string; isHead: boolean; onBack: () => void }) {
  const t = useIdTexts();
  const errText = useErrorWithCode();
  const loaded = useLive(() => call(api.identification.get, { params: { id: personId } }), [personId], []);
  // The answer of the last write is the file as it is now: shown without a second read.
  const [fresh, setFresh] = useState<IdentificationFile>();
  const file = fresh && (!loaded.data || fresh.version >= loaded.data.version) ? fresh : loaded.data;

  if (loaded.error != null)
    return (
      <Space orientation="vertical">
        <Button onClick={onBack}>{t.back}</Button>
        <Alert type="error" showIcon title={errText(loaded.error)} />
      </Space>
    );
  if (!file) return <Spin />;
  return (
    <Space orientation="vertical" size="middle" style={{ width: "100%" }} data-testid="id-file">
      <Space>
        <Button onClick={onBack} data-testid="id-back">
          {t.back}
        </Button>
        <strong data-testid="id-file-label">{file.label}</strong>
      </Space>
      {file.closing && (
        <Alert
          type="success"
          showIcon
          data-testid="id-closed"
          title={fmt(t.closed, { closing: t.closings[file.closing], at: when(file.closedAt) })}
        />
      )}
      <FactsCard file={file} isHead={isHead} onSaved={setFresh} />
      <PhotoCard file={file} onSaved={setFresh} />
      <Card size="small" title={t.deadlines}>
        <Table
          size="small"
          rowKey="kind"
          pagination={false}
          dataSource={file.deadlines}
          columns={[
            { title: t.stepKind, render: (_, d) => t.deadlineKinds[d.kind] },
            { title: t.dueAt, render: (_, d) => when(d.dueAt) },
            { title: t.doneAt, render: (_, d) => when(d.doneAt) },
            { title: t.state, render: (_, d) => <StateTag state={d.state} testId={`id-deadline-${d.kind}`} /> },
          ]}
        />
      </Card>
      <Clues file={file} onSaved={setFresh} />
      <Steps file={file} onSaved={setFresh} />
      {isHead && !file.closing && <CloseForm file={file} onSaved={setFresh} />}
      {isHead && <NoticeCard key={file.noticeFields.join()} personId={file.personId} chosen={file.noticeFields} />}
    </Space>
  );
}

/** The conversation and clue log, and the form adding one (backdatable). */
function Clues({ file, onSaved }: { file: IdentificationFile; onSaved: (f: IdentificationFile) => void }) {
  const t = useIdTexts();
  const errText = useErrorWithCode();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ kind: (typeof CLUE_KINDS)[number]; text: string; who?: string; at?: string }>();
  const [busy, setBusy] = useState(false);
  async function add(v: { kind: (typeof CLUE_KINDS)[number]; text: string; who?: string; at?: string }) {
    setBusy(true);
    try {
      const f = await call(api.identification.addClue, {
        params: { id: file.personId },
        body: { id: uuid(), kind: v.kind, text: v.text, who: v.who ?? "", at: isoOf(v.at) },
      });
      onSaved(f);
      form.resetFields();
      void message.success(t.clueAdded);
    } catch (err) {
      void message.error(errText(err));
    } finally {
      setBusy(false);
    }
  }
  return (
    <Card size="small" title={t.clues}>
      <Table
        size="small"
        rowKey="id"
        pagination={false}
        dataSource={file.clues}
        locale={{ emptyText: t.noClues }}
        data-testid="id-clues"
        columns={[
          { title: t.at, render: (_, c) => when(c.at) },
          { title: t.clueKind, render: (_, c) => t.clueKinds[c.kind] },
          { title: t.clueText, render: (_, c) => c.text },
          { title: t.who, render: (_, c) => c.who || "—" },
        ]}
      />
      {!file.closing && (
        <Form form={form} layout="inline" style={{ marginTop: 12 }} onFinish={(v) => void add(v)}>
          <Form.Item name="kind" label={t.clueKind} rules={[{ required: true }]}>
            <Select
              style={{ width: 140 }}
              options={CLUE_KINDS.map((k) => ({ value: k, label: t.clueKinds[k] }))}
              data-testid="id-clue-kind"
            />
          </Form.Item>
          <Form.Item name="text" label={t.clueText} rules={[{ required: true, whitespace: true }]}>
            <Input maxLength={2000} style={{ width: 280 }} data-testid="id-clue-text" />
          </Form.Item>
          <Form.Item name="who" label={t.who}>
            <Input maxLength={60} style={{ width: 120 }} data-testid="id-clue-who" />
          </Form.Item>
          <Form.Item name="at" label={t.when}>
            <Input type="datetime-local" data-testid="id-clue-at" />
          </Form.Item>
          <Form.Item>
            <Button htmlType="submit" loading={busy} data-testid="id-clue-submit">
              {t.addClue}
            </Button>
          </Form.Item>
        </Form>
      )}
    </Card>
  );
}

interface StepForm {
  kind: (typeof STEP_KINDS)[number];
  channel?: (typeof NOTICE_CHANNELS)[number];
  outcome?: string;
  who?: string;
  at?: string;
}

/** The steps done, and the form recording one (a notice needs where it ran). */
function Steps({ file, onSaved }: { file: IdentificationFile; onSaved: (f: IdentificationFile) => void }) {
  const t = useIdTexts();
  const errText = useErrorWithCode();
  const { message } = App.useApp();
  const [form] = Form.useForm<StepForm>();
  const kind = Form.useWatch("kind", form);
  const [busy, setBusy] = useState(false);
  async function add(v: StepForm) {
    setBusy(true);
    try {
      const f = await call(api.identification.addStep, {
        params: { id: file.personId },
        body: {
          id: uuid(),
          kind: v.kind,
          channel: v.kind === "notice_published" ? v.channel : undefined,
          outcome: v.outcome ?? "",
          who: v.who ?? "",
          at: isoOf(v.at),
        },
      });
      onSaved(f);
      form.resetFields();
      void message.success(t.stepAdded);
    } catch (err) {
      void message.error(errText(err));
    } finally {
      setBusy(false);
    }
  }
  return (
    <Card size="small" title={t.steps}>
      <Table
        size="small"
        rowKey="id"
        pagination={false}
        dataSource={file.steps}
        locale={{ emptyText: t.noSteps }}
        data-testid="id-steps"
        columns={[
          { title: t.at, render: (_, s) => when(s.at) },
          { title: t.stepKind, render: (_, s) => t.stepKinds[s.kind] },
          { title: t.channel, render: (_, s) => (s.channel ? t.channels[s.channel] : "—") },
          { title: t.outcome, render: (_, s) => s.outcome || "—" },
          { title: t.who, render: (_, s) => s.who || "—" },
        ]}
      />
      {!file.closing && (
        <Form form={form} layout="inline" style={{ marginTop: 12 }} onFinish={(v) => void add(v)}>
          <Form.Item name="kind" label={t.stepKind} rules={[{ required: true }]}>
            <Select
              style={{ width: 170 }}
              options={STEP_KINDS.map((k) => ({ value: k, label: t.stepKinds[k] }))}
              data-testid="id-step-kind"
            />
          </Form.Item>
          {kind === "notice_published" && (
            <Form.Item name="channel" label={t.channel} rules={[{ required: true }]}>
              <Select
                style={{ width: 190 }}
                options={NOTICE_CHANNELS.map((c) => ({ value: c, label: t.channels[c] }))}
                data-testid="id-step-channel"
              />
            </Form.Item>
          )}
          <Form.Item name="at" label={t.when}>
            <Input type="datetime-local" data-testid="id-step-at" />
          </Form.Item>
          <Form.Item name="outcome" label={t.outcome}>
            <Input maxLength={1000} style={{ width: 200 }} data-testid="id-step-outcome" />
          </Form.Item>
          <Form.Item name="who" label={t.who}>
            <Input maxLength={60} style={{ width: 120 }} data-testid="id-step-who" />
          </Form.Item>
          <Form.Item>
            <Button htmlType="submit" loading={busy} data-testid="id-step-submit">
              {t.addStep}
            </Button>
          </Form.Item>
        </Form>
      )}
    </Card>
  );
}

/** Closes the file after a confirmation (寻亲成功 counts that day). */
function CloseForm({ file, onSaved }: { file: IdentificationFile; onSaved: (f: IdentificationFile) => void }) {
  const t = useIdTexts();
  const errText = useErrorWithCode();
  const { message } = App.useApp();
  const [pending, setPending] = useState<{ closing: Closing; note?: string } | null>(null);
  const [busy, setBusy] = useState(false);
  async function close() {
    if (!pending) return;
    setBusy(true);
    try {
      const f = await call(api.identification.close, {
        params: { id: file.personId },
        body: { closing: pending.closing, note: pending.note ?? "", version: file.version },
      });
      setPending(null);
      onSaved(f);
      void message.success(t.closedDone);
    } catch (err) {
      void message.error(errText(err));
    } finally {
      setBusy(false);
    }
  }
  return (
    <Card size="small" title={t.close}>
      <Form layout="inline" onFinish={(v: { closing: Closing; note?: string }) => setPending(v)}>
        <Form.Item name="closing" label={t.closing} rules={[{ required: true }]}>
          <Select
            style={{ width: 170 }}
            options={CLOSINGS.map((c) => ({ value: c, label: t.closings[c] }))}
            data-testid="id-close-kind"
          />
        </Form.Item>
        <Form.Item name="note" label={t.closingNote}>
          <Input maxLength={1000} style={{ width: 260 }} data-testid="id-close-note" />
        </Form.Item>
        <Form.Item>
          <Button danger htmlType="submit" data-testid="id-close-submit">
            {t.close}
          </Button>
        </Form.Item>
      </Form>
      <Modal
        open={pending !== null}
        title={t.close}
        okText={t.closeOk}
        cancelText={t.cancel}
        okButtonProps={{ danger: true, loading: busy, "data-testid": "id-close-confirm" }}
        onOk={() => void close()}
        onCancel={() => setPending(null)}
      >
        {pending && fmt(t.closeConfirm, { closing: t.closings[pending.closing] })}
      </Modal>
    </Card>
  );
}
