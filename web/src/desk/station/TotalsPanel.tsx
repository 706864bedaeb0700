import { Card, Col, Row, Space, Statistic, Table } from "antd";
import type { Figures, Totals } from "../../../../shared/api/totals.js";
import type { Station } from "../../../../shared/api/stations.js";
import { useLanguage } from "../../i18n/index.js";
import { TrendChart } from "./TrendChart.js";
import { ExportBar } from "./ExportBar.js";
import { fmt, useStationTexts, yuan } from "./texts.js";
import { englishUnit } from "../../../../shared/plural.js";

const MAIN = [
  "patrols",
  "sorties",
  "staffPersonTimes",
  "keyPointVisits",
  "keyPointsCovered",
  "foundPersonTimes",
  "foundPersons",
  "aidedInStation",
  "aidedOnStreet",
  "aidedTotal",
  "escorts",
  "escortedHome",
  "familyPickup",
  "hospital",
  "referred",
  "settled",
  "sheltersInService",
  "familiesFound",
  "householdSettled",
  "pastNotice",
  "pastFingerprintCheck",
  "pastDnaRequest",
  "pastSettleReview",
  "suppliesQuantity",
  "distributionRecipients",
] as const;

/** Minutes from seconds, or a dash. */
const mins = (s: number | null, t: ReturnType<typeof useStationTexts>) =>
  s === null ? "—" : fmt(t.figures.minutes, { n: Math.round(s / 6) / 10 });

/** The figure cards. */
export function FigureGrid({ f }: { f: Figures }) {
  const t = useStationTexts();
  return (
    <Row gutter={[12, 12]}>
      {MAIN.map((k) => (
        <Col key={k} xs={12} sm={8} lg={6} xl={4}>
          <Card size="small">
            <Statistic title={t.figures[k]} value={f[k]} data-testid={`fig-${k}`} />
          </Card>
        </Col>
      ))}
      <Col xs={12} sm={8} lg={6} xl={4}>
        <Card size="small">
          <Statistic title={t.figures.suppliesValue} value={yuan(f.suppliesValueFen)} />
        </Card>
      </Col>
      <Col xs={12} sm={8} lg={6} xl={4}>
        <Card size="small">
          <Statistic title={t.figures.responseP50} value={mins(f.responseP50Sec, t)} />
        </Card>
      </Col>
      <Col xs={12} sm={8} lg={6} xl={4}>
        <Card size="small">
          <Statistic title={t.figures.responseP90} value={mins(f.responseP90Sec, t)} />
        </Card>
      </Col>
      <Col xs={12} sm={8} lg={6} xl={4}>
        <Card size="small">
          <Statistic
            title={t.figures.medianDaysToIdentification}
            value={
              f.medianDaysToIdentification === null ? "—" : fmt(t.figures.days, { n: f.medianDaysToIdentification })
            }
            data-testid="fig-medianDaysToIdentification"
          />
        </Card>
      </Col>
    </Row>
  );
}

/** Supplies per item and in yuan. */
function SuppliesTable({ f }: { f: Figures }) {
  const t = useStationTexts();
  const [lang] = useLanguage();
  return (
    <Table
      size="small"
      rowKey="itemId"
      pagination={false}
      dataSource={f.supplies}
      columns={[
        { title: t.supplies.item, render: (_, s) => (lang === "en" ? s.nameEn : s.nameZh) },
        {
          title: t.supplies.quantity,
          render: (_, s) => `${s.quantity} ${lang === "en" ? englishUnit(s.unitEn, s.quantity) : s.unitZh}`,
        },
        { title: t.supplies.value, render: (_, s) => yuan(s.valueFen) },
      ]}
    />
  );
}

/** Totals of the selected scope and range, with the daily trend, the parts, and exports. */
export function TotalsPanel({
  totals,
  stations,
  query,
}: {
  totals: Totals;
  stations: readonly Station[];
  query: string;
}) {
  const t = useStationTexts();
  const name = (id: string) => stations.find((s) => s.id === id)?.name ?? id;

  return (
    <Space orientation="vertical" size="middle" style={{ width: "100%" }}>
      <ExportBar query={query} from={totals.from} to={totals.to} />
      <FigureGrid f={totals.figures} />
      <Card size="small" title={t.trend.title}>
        <TrendChart daily={totals.daily} t={t} />
      </Card>
      <Row gutter={16}>
        <Col xs={24} lg={12}>
          <Card size="small" title={t.supplies.title}>
            <SuppliesTable f={totals.figures} />
          </Card>
        </Col>
        <Col xs={24} lg={12}>
          <Card size="small" title={t.byStation}>
            <Table
              size="small"
              rowKey="stationId"
              pagination={false}
              dataSource={totals.byStation}
              columns={[
                { title: t.station, render: (_, s) => name(s.stationId) },
                { title: t.figures.sorties, render: (_, s) => s.figures.sorties },
                { title: t.figures.staffPersonTimes, render: (_, s) => s.figures.staffPersonTimes },
                { title: t.figures.aidedTotal, render: (_, s) => s.figures.aidedTotal },
                { title: t.figures.escorts, render: (_, s) => s.figures.escorts },
                { title: t.figures.suppliesValue, render: (_, s) => yuan(s.figures.suppliesValueFen) },
              ]}
            />
          </Card>
        </Col>
      </Row>
    </Space>
  );
}
