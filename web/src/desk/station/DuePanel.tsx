import { Card, Col, List, Row, Tag, Typography } from "antd";
import { api, call } from "../../api/client.js";
import { useLive, useStationTexts } from "./texts.js";
import { useIdTexts } from "./identification/texts.js";

/**
 * What is due now: key points overdue for a visit, people whose welfare re-check is due, and the
 * statutory family-search deadlines due or overdue (masked labels: no identity here).
 */
export function DuePanel({ stationId }: { stationId: string | undefined }) {
  const t = useStationTexts();
  const idt = useIdTexts();
  const due = useLive(
    () => call(api.campaigns.dueNow, { query: { stationId } }),
    [stationId],
    ["campaign.", "keypoint", "key_point", "encounter", "stay.", "patrol", "sortie", "identification.", "person."],
  );
  const d = due.data;
  return (
    <Card title={t.due.title} size="small" loading={due.loading && !d}>
      <Row gutter={16}>
        <Col xs={24} md={8}>
          <Typography.Text strong>
            {t.due.keyPoints} ({d?.keyPoints.length ?? 0})
          </Typography.Text>
          <List
            size="small"
            dataSource={d?.keyPoints ?? []}
            locale={{ emptyText: t.due.none }}
            data-testid="due-keypoints"
            renderItem={(k) => (
              <List.Item>
                <span>{k.name}</span>
                <span>
                  <Tag color={k.state === "overdue" ? "red" : "orange"}>
                    {k.state === "overdue" ? t.due.overdue : t.due.dueSoon}
                  </Tag>
                  <Typography.Text type="secondary">
                    {k.lastVisitedAt ? `${t.due.lastVisit} ${new Date(k.lastVisitedAt).toLocaleString()}` : t.due.never}
                  </Typography.Text>
                </span>
              </List.Item>
            )}
          />
        </Col>
        <Col xs={24} md={8}>
          <Typography.Text strong>
            {t.due.rechecks} ({d?.rechecks.length ?? 0})
          </Typography.Text>
          <List
            size="small"
            dataSource={d?.rechecks ?? []}
            locale={{ emptyText: t.due.none }}
            data-testid="due-rechecks"
            renderItem={(r) => (
              <List.Item>
                <span>
                  {r.personId ? `#${r.personId.slice(0, 6)}` : t.due.unidentified} · {t.outcomes[r.outcome]}
                </span>
                <Typography.Text type="secondary">
                  {t.due.since} {new Date(r.dueSince).toLocaleString()}
                </Typography.Text>
              </List.Item>
            )}
          />
        </Col>
        <Col xs={24} md={8}>
          <Typography.Text strong>
            {t.due.identification} ({d?.identification.length ?? 0})
          </Typography.Text>
          <List
            size="small"
            dataSource={d?.identification ?? []}
            locale={{ emptyText: t.due.none }}
            data-testid="due-identification"
            renderItem={(f) => (
              <List.Item>
                <span>
                  {f.label} · {idt.deadlineKinds[f.kind]}
                </span>
                <span>
                  <Tag color={f.state === "overdue" ? "red" : "orange"}>{idt.states[f.state]}</Tag>
                  <Typography.Text type="secondary">
                    {idt.dueAt} {new Date(f.dueAt).toLocaleString()}
                  </Typography.Text>
                </span>
              </List.Item>
            )}
          />
        </Col>
      </Row>
    </Card>
  );
}
