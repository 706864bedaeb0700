import { useState } from "react";
import { Alert, Button, Card, Space, Typography } from "antd";
import { PlusOutlined } from "@ant-design/icons";
import { useTranslation } from "react-i18next";
import { errorDetail, errorText } from "../../i18n/errors.js";
import { useStations } from "../data/stations.js";
import { StationsTable } from "../components/StationsTable.js";
import { CreateStationForm } from "../components/CreateStationForm.js";
import { SupplyCatalog } from "../components/SupplyCatalog.js";
import { VehiclesAdmin } from "../components/VehiclesAdmin.js";
import { KeyPointsAdmin } from "../components/KeyPointsAdmin.js";
import { UsersAdmin } from "../components/UsersAdmin.js";
import { RegionsAdmin } from "../components/RegionsAdmin.js";
import { ImportsAdmin } from "../components/ImportsAdmin.js";

/** Admin: what a new city needs set up: regions, stations, users, vehicles, key points, the supply catalog, and imports of them. */
export function AdminPage() {
  const { t } = useTranslation("desk");
  const { t: tc } = useTranslation();
  const { stations, regions, loading, error, reload } = useStations();
  const [creating, setCreating] = useState(false);
  return (
    <Space orientation="vertical" size="large" style={{ width: "100%" }}>
      <Typography.Title level={3}>{t("admin.title")}</Typography.Title>
      {error != null && (
        <Alert
          type="error"
          showIcon
          title={errorText(tc, error)}
          description={errorDetail(error)}
          action={
            <Button size="small" onClick={() => void reload()}>
              {tc("actions.retry")}
            </Button>
          }
        />
      )}
      <Card
        title={t("admin.stationsTitle")}
        extra={
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>
            {t("admin.create")}
          </Button>
        }
      >
        <StationsTable stations={stations} regions={regions} loading={loading} />
      </Card>
      <RegionsAdmin />
      <UsersAdmin />
      <VehiclesAdmin />
      <KeyPointsAdmin />
      <SupplyCatalog />
      <ImportsAdmin />
      <CreateStationForm open={creating} onClose={() => setCreating(false)} regions={regions} />
    </Space>
  );
}
