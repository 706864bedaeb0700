import { useMemo, useState } from "react";
import { App, Button, Card, InputNumber, Select, Space } from "antd";
import { useTranslation } from "react-i18next";
import { api, call } from "../../../api/client.js";
import { ALERT_LEVELS, type AlertLevel } from "../../../../../shared/vocab.js";
import { errorText } from "../../../i18n/errors.js";
import { uuid } from "../../../shared-ui/uuid.js";
import { useStations } from "../../data/stations.js";
import { DayPicker } from "../../components/DayPicker.js";
import { fmt, useStationTexts } from "../texts.js";
import { useWeatherTexts } from "./texts.js";

/**
 * A night's forecast or warning entered by hand (head: the regions above their station; supervisor:
 * regions of their area). Entering the same night again from the same source revises it.
 */
export function WeatherEntry({
  stationId,
  today,
  localOnly,
  onDone,
}: {
  stationId: string | undefined;
  today: string;
  /** A head: the station's own region and the districts above it, not the city (the server's rule). */
  localOnly: boolean;
  onDone: () => void;
}) {
  const w = useWeatherTexts();
  const t = useStationTexts();
  const { t: tc } = useTranslation();
  const { message } = App.useApp();
  const { stations, regions } = useStations();
  // The station's district and the regions above it; without a station, every district and city in scope.
  const options = useMemo(() => {
    const station = stations.find((s) => s.id === stationId);
    if (!station) return regions.filter((r) => r.level === "district" || r.level === "city");
    const chain = [];
    for (let r = regions.find((x) => x.id === station.regionId); r; r = regions.find((x) => x.id === r!.parentId))
      if (!localOnly || r.id === station.regionId || (r.level !== "city" && r.level !== "province")) chain.push(r);
    return chain;
  }, [stations, regions, stationId, localOnly]);
  const [regionId, setRegionId] = useState<string>();
  const [date, setDate] = useState(today);
  const [minTempC, setMin] = useState<number | null>(null);
  const [windForce, setWind] = useState<number | null>(null);
  const [feelsLikeC, setFeels] = useState<number | null>(null);
  const [signal, setSignal] = useState<AlertLevel | undefined>();
  const [busy, setBusy] = useState(false);
  const region = regionId ?? options[0]?.id;

  async function save() {
    if (!region || minTempC === null || windForce === null || !date) return;
    setBusy(true);
    try {
      const r = await call(api.weather.enter, {
        body: {
          id: uuid(),
          regionId: region,
          date,
          minTempC,
          windForce,
          feelsLikeC,
          officialSignal: signal ?? null,
        },
      });
      void message.success(fmt(w.entered, { n: r.created + r.updated }));
      onDone();
    } catch (err) {
      void message.error(errorText(tc, err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Card title={w.entryTitle} size="small">
      <Space wrap>
        <Select
          aria-label={w.region}
          style={{ width: 150 }}
          value={region}
          onChange={setRegionId}
          options={options.map((r) => ({ value: r.id, label: r.name }))}
          data-testid="weather-entry-region"
        />
        <DayPicker value={date} onChange={setDate} testId="weather-entry-date" width={140} />
        <InputNumber
          aria-label={w.minTemp}
          placeholder={w.minTemp}
          min={-80}
          max={60}
          value={minTempC}
          onChange={setMin}
          style={{ width: 120 }}
          data-testid="weather-entry-min"
        />
        <InputNumber
          aria-label={w.wind}
          placeholder={w.wind}
          min={0}
          max={17}
          precision={0}
          value={windForce}
          onChange={setWind}
          style={{ width: 110 }}
          data-testid="weather-entry-wind"
        />
        <InputNumber
          aria-label={w.feelsLike}
          placeholder={w.feelsLike}
          min={-100}
          max={60}
          value={feelsLikeC}
          onChange={setFeels}
          style={{ width: 130 }}
        />
        <Select
          aria-label={w.signal}
          placeholder={w.signal}
          allowClear
          style={{ width: 110 }}
          value={signal}
          onChange={setSignal}
          options={ALERT_LEVELS.map((l) => ({ value: l, label: t.alert.levels[l] }))}
        />
        <Button
          type="primary"
          loading={busy}
          disabled={!region || minTempC === null || windForce === null || !date}
          onClick={() => void save()}
          data-testid="weather-entry-save"
        >
          {w.entrySave}
        </Button>
      </Space>
    </Card>
  );
}
