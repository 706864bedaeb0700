import { useEffect, useMemo, useState } from "react";
import { DayPicker } from "../components/DayPicker.js";
import { Alert, Button, Col, Empty, Input, Row, Select, Space, Spin, Tabs, Typography } from "antd";
import { ReloadOutlined } from "@ant-design/icons";
import { useTranslation } from "react-i18next";
import { api, call } from "../../api/client.js";
import { localDay } from "../../../../shared/counting.js";
import { useSession } from "../../shared-ui/session.js";
import { errorText } from "../../i18n/errors.js";
import { useStations } from "../data/stations.js";
import { AlertPanel } from "./AlertPanel.js";
import { CheckInPolicyCard } from "./CheckInPolicyCard.js";
import { DuePanel } from "./DuePanel.js";
import { TotalsPanel } from "./TotalsPanel.js";
import { OutcomesPanel } from "./OutcomesPanel.js";
import { ReportPanel } from "./ReportPanel.js";
import { MissingPanel } from "./MissingPanel.js";
import { PeoplePanel } from "./PeoplePanel.js";
import { SuppliesPanel } from "./SuppliesPanel.js";
import { SheltersPanel } from "./SheltersPanel.js";
import { PrintView } from "./PrintView.js";
import { KeyPointsTab } from "./KeyPointsTab.js";
import { PatrolLogButton } from "./PatrolLogForm.js";
import { CompareBoard } from "./CompareBoard.js";
import { OutboundPanel } from "./OutboundPanel.js";
import { TOTALS_EVENTS, useLive, useStationTexts } from "./texts.js";
import { IdentificationTab } from "./identification/IdentificationTab.js";
import { useIdTexts } from "./identification/texts.js";
import { WeatherPanel } from "./weather/WeatherPanel.js";
import { useWeatherTexts } from "./weather/texts.js";

/** Report days are cut in China time (the server's REPORT_TIMEZONE default). */
const TZ = "Asia/Shanghai";

/**
 * The station head's page: alert level and the crew check-in policy, due-now, totals with trend, daily and zero reports,
 * missing reports (supervisors), people, supplies and beds, and the printable report.
 * A head works on their station; supervisors and admins pick a station or see them all.
 */
export function StationHeadPage() {
  const s = useSession();
  const t = useStationTexts();
  const idt = useIdTexts();
  const wt = useWeatherTexts();
  const { t: tc } = useTranslation();
  const { stations, regions } = useStations();
  const me = s.status === "signedIn" ? s.me : null;
  const campaigns = useLive(() => call(api.campaigns.list), [], ["campaign."]);
  // The report day, from the server (REPORT_DAY_START): a campaign runs "today" by report days.
  const today = campaigns.data?.today ?? localDay(new Date(), TZ);
  const [campaignId, setCampaignId] = useState<string>();
  const [stationId, setStationId] = useState<string | undefined>(me?.stationId ?? undefined);
  const [regionId, setRegionId] = useState<string>();
  const [from, setFrom] = useState("");
  const [to, setTo] = useState("");
  // A supervisor starts from the comparison of stations (市/区民政局), everyone else from the overview.
  const [tab, setTab] = useState(me?.role === "supervisor" ? "compare" : "overview");

  const list = campaigns.data?.items ?? [];
  useEffect(() => {
    if (!campaignId && list.length)
      setCampaignId((list.find((c) => c.startsOn <= today && today <= c.endsOn) ?? list[0]!).id);
  }, [list, campaignId, today]);
  const campaign = list.find((c) => c.id === campaignId);
  const inCampaign = useMemo(
    () => stations.filter((st) => campaign?.stationLevels.some((l) => l.stationId === st.id)),
    [stations, campaign],
  );

  const query = { stationId: regionId ? undefined : stationId, regionId, from: from || undefined, to: to || undefined };
  const totals = useLive(
    campaign ? () => call(api.totals.get, { params: { id: campaign.id }, query }) : null,
    [campaign?.id, stationId, regionId, from, to],
    TOTALS_EVENTS,
  );
  const qs = new URLSearchParams(
    Object.entries({ campaignId: campaign?.id, ...query }).filter(([, v]) => v) as [string, string][],
  ).toString();

  if (!me) return null;
  if (campaigns.loading && !campaigns.data) return <Spin />;
  if (campaigns.error) return <Alert type="error" showIcon title={errorText(tc, campaigns.error)} />;
  if (!campaign) return <Empty description={t.noCampaign} />;

  const stationObj = stationId ? stations.find((st) => st.id === stationId) : undefined;
  const fixedStation = me.role === "head" || me.role === "operator" || me.role === "patrol";
  const supervisorView = me.role === "supervisor" || me.role === "admin";
  const items = [
    ...(supervisorView
      ? [
          {
            key: "compare",
            label: t.tabs.compare,
            children: (
              <CompareBoard
                campaign={campaign}
                stations={inCampaign}
                regionId={regionId}
                from={from}
                to={to}
                onPick={(id) => {
                  setStationId(id);
                  setRegionId(undefined);
                  setTab("overview");
                }}
              />
            ),
          },
        ]
      : []),
    {
      key: "overview",
      label: t.tabs.overview,
      children: (
        <Space orientation="vertical" size="middle" style={{ width: "100%" }}>
          {stationId && (me.role === "head" || me.role === "admin") && <PatrolLogButton stationId={stationId} />}
          <Row gutter={16}>
            <Col xs={24} xl={10}>
              <Space orientation="vertical" size="middle" style={{ width: "100%" }}>
                <AlertPanel campaign={campaign} stationId={stationId} me={me} onChanged={campaigns.reload} />
                <CheckInPolicyCard campaignId={campaign.id} canEdit={supervisorView} />
              </Space>
            </Col>
            <Col xs={24} xl={14}>
              <DuePanel stationId={stationId} />
            </Col>
          </Row>
          {totals.error != null && <Alert type="error" showIcon title={errorText(tc, totals.error)} />}
          {totals.data && <TotalsPanel totals={totals.data} stations={stations} query={qs} />}
          <OutcomesPanel campaignId={campaign.id} query={query} stations={stations} />
        </Space>
      ),
    },
    ...(supervisorView || me.role === "head"
      ? [
          {
            key: "weather",
            label: wt.tab,
            children: (
              <WeatherPanel
                stationId={stationId}
                canWrite
                isAdmin={me.role === "admin"}
                isHead={me.role === "head"}
                today={today}
              />
            ),
          },
        ]
      : []),
    ...(stationId && (supervisorView || me.role === "head")
      ? [
          {
            key: "report",
            label: t.tabs.report,
            children: <ReportPanel campaign={campaign} stationId={stationId} me={me} today={today} />,
          },
        ]
      : []),
    ...(supervisorView || me.role === "head"
      ? [{ key: "missing", label: t.tabs.missing, children: <MissingPanel campaign={campaign} /> }]
      : []),
    ...(me.role !== "supervisor"
      ? [
          {
            key: "people",
            label: t.tabs.people,
            children: (
              <PeoplePanel
                stationId={stationId}
                canMerge={me.role === "head"}
                canIdentify={me.role === "operator" ? undefined : me.role === "head" || me.role === "patrol"}
              />
            ),
          },
        ]
      : []),
    ...(stationId && (me.role === "head" || me.role === "patrol")
      ? [
          {
            key: "identification",
            label: idt.tab,
            children: <IdentificationTab stationId={stationId} isHead={me.role === "head"} />,
          },
        ]
      : []),
    ...(stationId
      ? [
          {
            key: "supplies",
            label: t.tabs.supplies,
            children: <SuppliesPanel stationId={stationId} canEdit={me.role === "head" || me.role === "admin"} />,
          },
        ]
      : []),
    ...(stationObj
      ? [
          {
            key: "shelters",
            label: t.tabs.shelters,
            children: <SheltersPanel station={stationObj} canEdit={me.role === "head" || me.role === "admin"} />,
          },
        ]
      : []),
    ...(stationId && (me.role === "head" || me.role === "admin")
      ? [{ key: "keypoints", label: t.tabs.keyPoints, children: <KeyPointsTab stationId={stationId} /> }]
      : []),
    ...(me.role === "head" || me.role === "admin"
      ? [{ key: "outbound", label: t.tabs.outbound, children: <OutboundPanel stationId={stationId} /> }]
      : []),
    {
      key: "print",
      label: t.tabs.print,
      children: <PrintView campaign={campaign} stationId={stationId} stations={inCampaign} today={today} />,
    },
  ];

  return (
    <Space orientation="vertical" size="middle" style={{ width: "100%" }} data-testid="station-head-page">
      <Typography.Title level={3} style={{ margin: 0 }}>
        {me.role === "supervisor" ? t.supervisorTitle : t.title}
      </Typography.Title>
      <Space wrap>
        <span>{t.campaign}</span>
        <Select
          aria-label={t.campaign}
          style={{ width: 300 }}
          value={campaign.id}
          onChange={setCampaignId}
          options={list.map((c) => ({ value: c.id, label: `${c.name} (${c.startsOn}~${c.endsOn})` }))}
        />
        {!fixedStation && (
          <>
            <span>{t.station}</span>
            <Select
              aria-label={t.station}
              style={{ width: 200 }}
              allowClear
              placeholder={t.allStations}
              value={stationId}
              onChange={(v) => {
                setStationId(v);
                setRegionId(undefined);
              }}
              options={inCampaign.map((st) => ({ value: st.id, label: st.name }))}
              data-testid="station-select"
            />
            <span>{t.region}</span>
            <Select
              aria-label={t.region}
              style={{ width: 160 }}
              allowClear
              value={regionId}
              onChange={(v) => {
                setRegionId(v);
                if (v) setStationId(undefined);
              }}
              options={regions.map((r) => ({ value: r.id, label: r.name }))}
            />
          </>
        )}
        <span>{t.range}</span>
        <DayPicker
          value={from}
          min={campaign.startsOn}
          max={campaign.endsOn}
          allowClear
          onChange={setFrom}
          width={150}
        />
        <span>~</span>
        <DayPicker value={to} min={campaign.startsOn} max={campaign.endsOn} allowClear onChange={setTo} width={150} />
        <Button
          icon={<ReloadOutlined />}
          onClick={() => {
            totals.reload();
            campaigns.reload();
          }}
        >
          {t.reload}
        </Button>
      </Space>
      <Tabs
        activeKey={items.some((i) => i.key === tab) ? tab : items[0]!.key}
        onChange={setTab}
        items={items}
        destroyOnHidden
      />
    </Space>
  );
}
