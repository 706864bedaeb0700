import { Alert, Button, Space, Typography } from "antd";
import { ReloadOutlined } from "@ant-design/icons";
import { useTranslation } from "react-i18next";
import { errorDetail, errorText } from "../../i18n/errors.js";
import { useStations } from "../data/stations.js";
import { StationsTable } from "../components/StationsTable.js";

/**
 * Station page (placeholder for the station head's campaign view): the stations in scope,
 * kept current by station.* events.
 */
export function StationPage() {
  const { t } = useTranslation("desk");
  const { t: tc } = useTranslation();
  const { stations, regions, loading, error, reload } = useStations();
  return (
    <Space orientation="vertical" size="large" style={{ width: "100%" }}>
      <div>
        <Typography.Title level={3}>{t("station.title")}</Typography.Title>
        <Typography.Paragraph type="secondary">{t("station.intro")}</Typography.Paragraph>
      </div>
      {error != null && (
        <Alert
          type="error" showIcon title={errorText(tc, error)} description={errorDetail(error)}
          action={<Button size="small" onClick={() => void reload()}>{tc("actions.retry")}</Button>}
        />
      )}
      <div style={{ textAlign: "right" }}>
        <Button icon={<ReloadOutlined />} onClick={() => void reload()} loading={loading}>{tc("actions.reload")}</Button>
      </div>
      <StationsTable stations={stations} regions={regions} loading={loading} />
    </Space>
  );
}
