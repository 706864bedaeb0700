import { useState } from "react";
import { Alert, App, Button, Card, Form, Input, Select, Space, Table, Tag } from "antd";
import { api, call } from "../../../api/client.js";
import type { DeadlineState } from "../../../../../shared/identification.js";
import { useLive } from "../texts.js";
import { isoOf } from "../formKit.js";
import { useErrorWithCode, useIdTexts, when } from "./texts.js";
import { FileView } from "./FileView.js";
import { MatchPanel } from "./MatchPanel.js";

interface Deadline {
  kind: "fingerprint_check" | "notice_published" | "dna_requested" | "settle_review";
  dueAt: string;
  doneAt: string | null;
  state: DeadlineState;
}

const STATE_COLOR: Record<DeadlineState, string> = {
  done: "green",
  done_late: "gold",
  open: "default",
  due: "orange",
  overdue: "red",
  closed: "default",
};

/** A deadline's state as a tag: the text says it, the colour only repeats it. */
export function StateTag({ state, testId }: { state: DeadlineState; testId?: string }) {
  const t = useIdTexts();
  const urgent = state === "overdue" || state === "due";
  return (
    <Tag color={STATE_COLOR[state]} data-testid={testId} data-state={state}>
      {urgent ? <strong>{t.states[state]}</strong> : t.states[state]}
    </Tag>
  );
}

/** The deadline to act on next: the most urgent not yet done, else none. */
function nextDeadline(ds: Deadline[]): Deadline | undefined {
  const rank = (s: DeadlineState) => (s === "overdue" ? 0 : s === "due" ? 1 : s === "open" ? 2 : 9);
  return [...ds]
    .filter((d) => rank(d.state) < 9)
    .sort((a, b) => rank(a.state) - rank(b.state) || a.dueAt.localeCompare(b.dueAt))[0];
}

/**
 * 寻亲 / Family search: the station's open identification files with their next deadline, a way to
 * open a file for a person of the station, the file itself, and (heads) partner-list matching.
 */
export function IdentificationTab({ stationId, isHead }: { stationId: string; isHead: boolean }) {
  const t = useIdTexts();
  const errText = useErrorWithCode();
  const [personId, setPersonId] = useState<string | null>(null);
  const list = useLive(
    () => call(api.identification.list, { query: { stationId } }),
    [stationId, personId],
    ["person.", "identification"],
  );

  if (personId)
    return (
      <FileView
        personId={personId}
        isHead={isHead}
        onBack={() => {
          setPersonId(null);
          list.reload();
        }}
      />
    );

  return (
    <Space orientation="vertical" size="middle" style={{ width: "100%" }} data-testid="identification-tab">
      <OpenFileForm stationId={stationId} onOpened={setPersonId} />
      <Card
        size="small"
        title={`${t.listTitle} · ${list.data?.items.length ?? 0}`}
        extra={
          <Button size="small" onClick={list.reload}>
            {t.reload}
          </Button>
        }
      >
        {list.error != null && <Alert type="error" showIcon title={errText(list.error)} />}
        <Table
          size="small"
          rowKey="personId"
          loading={list.loading}
          dataSource={list.data?.items ?? []}
          locale={{ emptyText: t.none }}
          pagination={false}
          columns={[
            { title: t.person, render: (_, r) => r.label },
            { title: t.arrivedAt, render: (_, r) => when(r.arrivedAt) },
            {
              title: t.nextDeadline,
              render: (_, r) => {
                const d = nextDeadline(r.deadlines);
                return d ? `${t.deadlineKinds[d.kind]} · ${when(d.dueAt)}` : t.allDone;
              },
            },
            {
              title: t.state,
              render: (_, r) => {
                const d = nextDeadline(r.deadlines);
                const late = r.deadlines.filter((x) => x.state === "overdue");
                return (
                  <Space size={4} wrap data-testid={`id-row-state-${r.personId}`}>
                    {d && <StateTag state={d.state} />}
                    {late.length > 1 && late.map((x) => <Tag key={x.kind}>{t.deadlineKinds[x.kind]}</Tag>)}
                  </Space>
                );
              },
            },
            {
              title: t.openFile,
              render: (_, r) => (
                <Button size="small" data-testid={`id-open-${r.personId}`} onClick={() => setPersonId(r.personId)}>
                  {t.openFile}
                </Button>
              ),
            },
          ]}
        />
      </Card>
      {isHead && <MatchPanel stationId={stationId} />}
    </Space>
  );
}

/** Picks a person of the station and opens (or finds) their file, with an arrival entered after the fact. */
function OpenFileForm({ stationId, onOpened }: { stationId: string; onOpened: (personId: string) => void }) {
  const t = useIdTexts();
  const errText = useErrorWithCode();
  const { message } = App.useApp();
  const [q, setQ] = useState("");
  const [busy, setBusy] = useState(false);
  const people = useLive(
    () => call(api.people.list, { query: { stationId, q: q || undefined, limit: 50 } }),
    [stationId, q],
    ["person."],
  );
  async function open(v: { personId: string; arrivedAt?: string }) {
    setBusy(true);
    try {
      const f = await call(api.identification.open, {
        params: { id: v.personId },
        body: { arrivedAt: isoOf(v.arrivedAt) },
      });
      onOpened(f.personId);
    } catch (err) {
      void message.error(errText(err));
    } finally {
      setBusy(false);
    }
  }
  return (
    <Card size="small" title={t.openTitle}>
      <Form layout="inline" onFinish={(v: { personId: string; arrivedAt?: string }) => void open(v)}>
        <Form.Item name="personId" label={t.person} rules={[{ required: true }]}>
          <Select
            style={{ width: 260 }}
            showSearch={{ filterOption: false, onSearch: setQ }}
            placeholder={t.pickPerson}
            loading={people.loading}
            options={(people.data?.items ?? []).map((p) => ({ value: p.id, label: p.label }))}
            data-testid="id-open-person"
          />
        </Form.Item>
        <Form.Item name="arrivedAt" label={t.arrivedHint}>
          <Input type="datetime-local" data-testid="id-open-arrived" />
        </Form.Item>
        <Form.Item>
          <Button type="primary" htmlType="submit" loading={busy} data-testid="id-open-submit">
            {t.openFile}
          </Button>
        </Form.Item>
      </Form>
    </Card>
  );
}
