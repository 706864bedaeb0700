import { useState } from "react";
import { Alert, App, Button, Card, Form, Input, Space, Table, Tag } from "antd";
import { api, call } from "../../../api/client.js";
import { uuid } from "../../../shared-ui/uuid.js";
import { fmt } from "../texts.js";
import { useErrorWithCode, useIdTexts } from "./texts.js";

type MatchResult = Awaited<ReturnType<typeof call<typeof api.identification.match>>>;
type Row = MatchResult["items"][number];
type Candidate = Row["candidates"][number];

/** Bytes as base64, in chunks (String.fromCharCode takes a bounded number of arguments). */
function toBase64(buf: ArrayBuffer): string {
  const bytes = new Uint8Array(buf);
  let bin = "";
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(bin);
}

/**
 * List matching (名单比对): a partner's CSV against the station's registry, candidates ranked with
 * the reason for each, confirmed or rejected one by one by the head (logged; nothing is merged).
 */
export function MatchPanel({ stationId }: { stationId: string }) {
  const t = useIdTexts();
  const errText = useErrorWithCode();
  const { message } = App.useApp();
  const [listName, setListName] = useState("");
  const [list, setList] = useState<{ csv: string } | { xlsx: string }>();
  const [result, setResult] = useState<{ listName: string; data: MatchResult }>();
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  // Decisions taken here, by "row:personId", on top of those the server already returned.
  const [decided, setDecided] = useState<Record<string, "confirmed" | "rejected">>({});

  async function run() {
    if (!list) return;
    setBusy(true);
    setError(null);
    try {
      const data = await call(api.identification.match, { body: { stationId, listName, ...list } });
      setResult({ listName, data });
      setDecided({});
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }
  async function decide(row: Row, c: Candidate, decision: "confirmed" | "rejected") {
    if (!result) return;
    try {
      await call(api.identification.decide, {
        body: {
          id: uuid(),
          stationId,
          listName: result.listName,
          row: row.row,
          personId: c.personId,
          listed: row.listed,
          score: c.score,
          reasons: c.reasons,
          decision,
        },
      });
      setDecided((d) => ({ ...d, [`${row.row}:${c.personId}`]: decision }));
    } catch (err) {
      void message.error(errText(err));
    }
  }

  return (
    <Card size="small" title={t.match} data-testid="id-match">
      <Alert type="info" showIcon title={t.matchHint} style={{ marginBottom: 8 }} />
      <Form layout="inline" onFinish={() => void run()}>
        <Form.Item label={t.listName} htmlFor="id-match-list" required>
          <Input
            id="id-match-list"
            value={listName}
            maxLength={100}
            placeholder={t.listNamePh}
            onChange={(e) => setListName(e.target.value)}
            style={{ width: 280 }}
            data-testid="id-match-list"
          />
        </Form.Item>
        <Form.Item label={t.csvFile} htmlFor="id-match-file" required>
          <input
            id="id-match-file"
            type="file"
            accept=".csv,.xlsx,text/csv,text/plain,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            data-testid="id-match-file"
            onChange={(e) => {
              const file = e.target.files?.[0];
              if (!file) setList(undefined);
              else if (/\.xlsx$/i.test(file.name)) void file.arrayBuffer().then((b) => setList({ xlsx: toBase64(b) }));
              else void file.text().then((csv) => setList({ csv }));
            }}
          />
        </Form.Item>
        <Form.Item>
          <Button
            type="primary"
            htmlType="submit"
            loading={busy}
            disabled={!list || !listName.trim()}
            data-testid="id-match-run"
          >
            {t.runMatch}
          </Button>
        </Form.Item>
      </Form>
      {error != null && <Alert type="error" showIcon title={errText(error)} style={{ marginTop: 8 }} />}
      {result && (
        <Space orientation="vertical" style={{ width: "100%", marginTop: 12 }}>
          <span data-testid="id-match-rows">{fmt(t.rowsRead, { n: result.data.rows })}</span>
          <Table
            size="small"
            rowKey="row"
            pagination={{ pageSize: 20, hideOnSinglePage: true }}
            dataSource={result.data.items}
            columns={[
              { title: t.row, dataIndex: "row", width: 60 },
              {
                title: t.listed,
                render: (_, r) =>
                  Object.entries(r.listed)
                    .filter(([, v]) => v)
                    .map(([k, v]) => `${k}: ${v}`)
                    .join(" · "),
              },
              {
                title: t.candidates,
                render: (_, r) =>
                  r.candidates.length === 0 ? (
                    t.noCandidates
                  ) : (
                    <Space orientation="vertical" size={4}>
                      {r.candidates.map((c) => {
                        const d = decided[`${r.row}:${c.personId}`] ?? c.decision;
                        return (
                          <Space key={c.personId} wrap size={4} data-testid={`id-cand-${r.row}-${c.personId}`}>
                            <strong id={`id-cand-label-${r.row}-${c.personId}`}>{c.label}</strong>
                            <span>
                              {t.score} {Math.round(c.score * 100)}%
                            </span>
                            {c.reasons.map((code) => (
                              <Tag key={code}>{t.reasonCodes[code]}</Tag>
                            ))}
                            {d ? (
                              <Tag color={d === "confirmed" ? "green" : "default"}>{t.decisions[d]}</Tag>
                            ) : (
                              <>
                                <Button
                                  size="small"
                                  aria-describedby={`id-cand-label-${r.row}-${c.personId}`}
                                  data-testid={`id-confirm-${r.row}-${c.personId}`}
                                  onClick={() => void decide(r, c, "confirmed")}
                                >
                                  {t.confirm}
                                </Button>
                                <Button
                                  size="small"
                                  aria-describedby={`id-cand-label-${r.row}-${c.personId}`}
                                  data-testid={`id-reject-${r.row}-${c.personId}`}
                                  onClick={() => void decide(r, c, "rejected")}
                                >
                                  {t.reject}
                                </Button>
                              </>
                            )}
                          </Space>
                        );
                      })}
                    </Space>
                  ),
              },
            ]}
          />
        </Space>
      )}
    </Card>
  );
}
