import { useState } from "react";
import { App, Button, InputNumber, Space, Typography } from "antd";
import { useTranslation } from "react-i18next";
import { api, call, type WeatherProposal } from "../../../api/client.js";
import { ALERT_LEVELS, type AlertLevel } from "../../../../../shared/vocab.js";
import { errorText } from "../../../i18n/errors.js";
import { fmt, useStationTexts } from "../texts.js";
import { useWeatherTexts } from "./texts.js";

type Rule = WeatherProposal["rule"];

/**
 * The city's thresholds the proposal used; an admin edits the feels-like thresholds here (the
 * cold-wave table follows the national standard and is edited through PUT /api/weather/rules/:id).
 */
export function WeatherRule({ rule, canEdit, onSaved }: { rule: Rule; canEdit: boolean; onSaved: () => void }) {
  const w = useWeatherTexts();
  const t = useStationTexts();
  const f = rule.rule.feelsLike;
  const val = (l: AlertLevel) => (f[l] === undefined ? "—" : String(f[l]));
  return (
    <details>
      <summary>
        {w.thresholds} {rule.isDefault ? w.defaultRule : ""}
      </summary>
      <Typography.Paragraph style={{ margin: "4px 0" }}>
        {fmt(w.feelsLine, { blue: val("blue"), yellow: val("yellow"), orange: val("orange"), red: val("red") })}
      </Typography.Paragraph>
      <ul style={{ margin: 0 }}>
        {[...rule.rule.coldWave]
          .sort((a, b) => ALERT_LEVELS.indexOf(a.level) - ALERT_LEVELS.indexOf(b.level))
          .map((s) => (
            <li key={`${s.level}-${s.hours}`}>
              {fmt(w.waveLine, {
                level: t.alert.levels[s.level],
                hours: s.hours,
                fall: s.fallC,
                to: s.toC,
                wind: s.windForce,
              })}
            </li>
          ))}
      </ul>
      {canEdit && <FeelsLikeEditor rule={rule} onSaved={onSaved} />}
    </details>
  );
}

function FeelsLikeEditor({ rule, onSaved }: { rule: Rule; onSaved: () => void }) {
  const w = useWeatherTexts();
  const t = useStationTexts();
  const { t: tc } = useTranslation();
  const { message } = App.useApp();
  const [values, setValues] = useState<Partial<Record<AlertLevel, number | null>>>(rule.rule.feelsLike);
  const [busy, setBusy] = useState(false);

  async function save() {
    setBusy(true);
    try {
      const feelsLike: Partial<Record<AlertLevel, number>> = {};
      for (const l of ALERT_LEVELS) {
        const v = values[l];
        if (typeof v === "number") feelsLike[l] = v;
      }
      await call(api.weather.setRule, {
        params: { id: rule.regionId },
        body: { rule: { ...rule.rule, feelsLike }, version: rule.version },
      });
      void message.success(w.ruleSaved);
      onSaved();
    } catch (err) {
      void message.error(errorText(tc, err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Space orientation="vertical" style={{ marginTop: 8 }}>
      <Typography.Text strong>{w.ruleEdit}</Typography.Text>
      <Typography.Text type="secondary">{w.ruleHint}</Typography.Text>
      <Space wrap>
        {ALERT_LEVELS.map((l) => (
          <InputNumber
            key={l}
            aria-label={`${t.alert.levels[l]} ${w.feelsLike}`}
            addonBefore={t.alert.levels[l]}
            min={-80}
            max={20}
            value={values[l] ?? null}
            onChange={(v) => setValues((cur) => ({ ...cur, [l]: v }))}
            style={{ width: 150 }}
          />
        ))}
        <Button onClick={() => void save()} loading={busy}>
          {w.ruleSave}
        </Button>
      </Space>
    </Space>
  );
}
