import { Button, Space, Tag, Timeline, Typography } from "antd";
import type { CaseDetail } from "../../../../shared/api/cases.js";
import { useDutyTexts } from "./texts.js";

/** The calls of a case, newest last, with the caller as the reader's role may see them. */
export function CallsTimeline({
  detail,
  canUnmerge,
  busy,
  onUnmerge,
}: {
  detail: CaseDetail;
  canUnmerge: boolean;
  busy: boolean;
  onUnmerge: (callId: string) => void;
}) {
  const tx = useDutyTexts();
  return (
    <Timeline
      items={detail.calls.map((c) => ({
        key: c.id,
        content: (
          <div>
            <Space wrap size={4}>
              <Typography.Text strong>{new Date(c.receivedAt).toLocaleTimeString()}</Typography.Text>
              <Tag>{tx.source[c.source]}</Tag>
              <Tag bordered={false}>{tx.detail.intake[c.intake]}</Tag>
            </Space>
            <div>
              {tx.detail.caller}:{" "}
              {"callerPhone" in c || "callerName" in c
                ? [c.callerName, c.callerPhone].filter(Boolean).join(" · ") || tx.detail.anonymous
                : tx.detail.hidden}
            </div>
            {c.description && <div>{c.description}</div>}
            {c.flags.length > 0 && (
              <div>
                {c.flags.map((f) => (
                  <Tag key={f} bordered={false}>
                    {tx.flag[f]}
                  </Tag>
                ))}
              </div>
            )}
            {canUnmerge && c.caseId !== c.originalCaseId && (
              <Button size="small" disabled={busy} onClick={() => onUnmerge(c.id)}>
                {tx.detail.unmerge}
              </Button>
            )}
          </div>
        ),
      }))}
    />
  );
}
