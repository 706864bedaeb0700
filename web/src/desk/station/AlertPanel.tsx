import { useState } from "react";
import { App, Button, Card, Input, List, Select, Space, Tag, Typography } from "antd";
import { api, call, type Campaign } from "../../api/client.js";
import { ALERT_LEVELS, type AlertLevel } from "../../../../shared/vocab.js";
import { CADENCE } from "../../../../shared/cadence.js";
import type { Me } from "../../../../shared/api/auth.js";
import { errorText } from "../../i18n/errors.js";
import { uuid } from "../../shared-ui/uuid.js";
import { useTranslation } from "react-i18next";
import { fmt, useLive, useStationTexts } from "./texts.js";

/** The tag colour of each level (antd's gold reads better than yellow). */
export const LEVEL_COLORS: Record<AlertLevel, string> = { blue: "blue", yellow: "gold", orange: "orange", red: "red" };

/** Cold-alert level: the head sets their station's, supervisors and admins the city-wide one. */
export function AlertPanel({
  campaign,
  stationId,
  me,
  onChanged,
}: {
  campaign: Campaign;
  stationId: string | undefined;
  me: Me;
  onChanged: () => void;
}) {
  const t = useStationTexts();
  const { t: tc } = useTranslation();
  const { message } = App.useApp();
  const wide = !stationId;
  const current: AlertLevel = wide
    ? campaign.alertLevel
    : (campaign.stationLevels.find((s) => s.stationId === stationId)?.level ?? campaign.alertLevel);
  const [level, setLevel] = useState<AlertLevel>(current);
  const [reason, setReason] = useState("");
  const [busy, setBusy] = useState(false);
  const canSet = wide
    ? me.role === "supervisor" || me.role === "admin"
    : me.role === "head" || me.role === "supervisor" || me.role === "admin";
  const history = useLive(
    () => call(api.campaigns.alerts, { params: { id: campaign.id }, query: { stationId } }),
    [campaign.id, stationId],
    ["campaign.alert_changed"],
  );

  async function submit() {
    setBusy(true);
    try {
      await call(api.campaigns.setAlert, {
        params: { id: campaign.id },
        body: { id: uuid(), stationId: stationId ?? null, level, reason },
      });
      void message.success(t.alert.changed);
      setReason("");
      onChanged();
      history.reload();
    } catch (err) {
      void message.error(errorText(tc, err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Card title={wide ? `${t.alert.title} · ${t.alert.campaignWide}` : t.alert.title} size="small">
      <Space orientation="vertical" style={{ width: "100%" }}>
        <Space>
          <span>{t.alert.level}</span>
          <Tag color={LEVEL_COLORS[current]} data-testid="alert-level">
            {t.alert.levels[current]}
          </Tag>
          <Typography.Text type="secondary">
            {fmt(t.alert.cadence, { kp: CADENCE[current].keyPointHours, re: CADENCE[current].recheckHours })}
          </Typography.Text>
        </Space>
        {canSet && (
          <Space wrap>
            <Select
              aria-label={t.alert.level}
              value={level}
              onChange={setLevel}
              style={{ width: 110 }}
              options={ALERT_LEVELS.map((l) => ({ value: l, label: t.alert.levels[l] }))}
              data-testid="alert-select"
            />
            <Input
              aria-label={t.alert.reasonPh}
              value={reason}
              onChange={(e) => setReason(e.target.value)}
              placeholder={t.alert.reasonPh}
              style={{ width: 240 }}
              maxLength={500}
            />
            <Button type="primary" onClick={() => void submit()} loading={busy} disabled={level === current && !reason}>
              {t.alert.set}
            </Button>
          </Space>
        )}
        <Typography.Text strong>{t.alert.history}</Typography.Text>
        <List
          size="small"
          dataSource={(history.data?.items ?? []).slice(0, 6)}
          locale={{ emptyText: "—" }}
          renderItem={(a) => (
            <List.Item>
              <Space wrap>
                <span>{new Date(a.setAt).toLocaleString()}</span>
                <Tag color={LEVEL_COLORS[a.previousLevel]}>{t.alert.levels[a.previousLevel]}</Tag>→
                <Tag color={LEVEL_COLORS[a.level]}>{t.alert.levels[a.level]}</Tag>
                {a.stationId === null && <Tag>{t.alert.campaignWide}</Tag>}
                <Typography.Text type="secondary">{a.reason}</Typography.Text>
              </Space>
            </List.Item>
          )}
        />
      </Space>
    </Card>
  );
}
