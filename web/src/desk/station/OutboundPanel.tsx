import { useState } from "react";
import { App, Button, Select, Space, Table, Tag, Typography } from "antd";
import { ReloadOutlined } from "@ant-design/icons";
import { useTranslation } from "react-i18next";
import { api, call } from "../../api/client.js";
import type { OutboundMessage } from "../../../../shared/api/outbound.js";
import { vocabLabel } from "../../../../shared/vocab-labels.js";
import { useLanguage } from "../../i18n/index.js";
import { errorText } from "../../i18n/errors.js";
import { useLive, useStationTexts } from "./texts.js";

const STATUS_COLOR: Record<OutboundMessage["status"], string> = {
  pending: "blue",
  sending: "processing",
  sent: "green",
  failed: "red",
};

/**
 * The outgoing messages to reporters (closing the loop, issue 19) for a head or admin: who was told
 * what (numbers masked by the server), delivery state, attempts and the last error, with a retry.
 * Delivery itself records no event, so the list reloads on a retry event and by hand.
 */
export function OutboundPanel({ stationId }: { stationId?: string }) {
  const t = useStationTexts().outbound;
  const [lang] = useLanguage();
  const { t: tc } = useTranslation();
  const { message } = App.useApp();
  const [status, setStatus] = useState<OutboundMessage["status"]>();
  const [busy, setBusy] = useState<string>();
  const list = useLive(
    () => call(api.outbound.list, { query: { stationId, status, limit: 200 } }),
    [stationId, status],
    ["outbound."],
  );
  const retry = async (id: string) => {
    setBusy(id);
    try {
      await call(api.outbound.retry, { params: { id } });
      message.success(t.retried);
      list.reload();
    } catch (err) {
      message.error(errorText(tc, err));
    } finally {
      setBusy(undefined);
    }
  };
  return (
    <Space orientation="vertical" style={{ width: "100%" }} data-testid="outbound-panel">
      <Typography.Text type="secondary">{t.hint}</Typography.Text>
      <Space>
        <Select
          allowClear
          style={{ width: 160 }}
          aria-label={t.status}
          placeholder={t.all}
          value={status}
          onChange={setStatus}
          options={(Object.keys(t.statuses) as OutboundMessage["status"][]).map((s) => ({
            value: s,
            label: t.statuses[s],
          }))}
        />
        <Button icon={<ReloadOutlined />} onClick={list.reload}>
          {t.reload}
        </Button>
      </Space>
      <Table
        size="small"
        rowKey="id"
        loading={list.loading && !list.data}
        dataSource={list.data?.items ?? []}
        pagination={{ pageSize: 50 }}
        columns={[
          { title: t.createdAt, render: (_, m) => new Date(m.createdAt).toLocaleString(lang) },
          { title: t.reference, dataIndex: "reference" },
          { title: t.channel, render: (_, m) => t.channels[m.channel] },
          { title: t.recipient, dataIndex: "recipient" },
          { title: t.category, render: (_, m) => vocabLabel("reporterOutcome", m.category, lang) },
          {
            title: t.status,
            render: (_, m) => <Tag color={STATUS_COLOR[m.status]}>{t.statuses[m.status]}</Tag>,
          },
          { title: t.attempts, dataIndex: "attempts" },
          { title: t.lastError, render: (_, m) => m.lastError ?? "—" },
          {
            title: "",
            render: (_, m) =>
              m.status === "failed" || m.status === "pending" ? (
                <Button size="small" loading={busy === m.id} onClick={() => void retry(m.id)}>
                  {t.retry}
                </Button>
              ) : null,
          },
        ]}
      />
    </Space>
  );
}
