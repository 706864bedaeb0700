import { useState } from "react";
import { App, Button, Card, InputNumber, Input, Select, Space, Table, Tag } from "antd";
import { useTranslation } from "react-i18next";
import { api, call } from "../../api/client.js";
import { useLanguage } from "../../i18n/index.js";
import { errorText } from "../../i18n/errors.js";
import { uuid } from "../../shared-ui/uuid.js";
import { useLive, useStationTexts } from "./texts.js";
import { StaysCard } from "./StaysCard.js";
import { DistributionsCard } from "./DistributionsCard.js";
import { englishUnit } from "../../../../shared/plural.js";

/** Stock per item (store and vehicles, from the ledger), receipts and write-offs, and who is staying (places: SheltersPanel). */
export function SuppliesPanel({ stationId, canEdit }: { stationId: string; canEdit: boolean }) {
  const t = useStationTexts();
  const { t: tc } = useTranslation();
  const [lang] = useLanguage();
  const { message } = App.useApp();
  const stock = useLive(
    () => call(api.supplies.stock, { query: { stationId } }),
    [stationId],
    ["supply", "distribution."],
  );
  const shelters = useLive(
    () => call(api.shelters.list, { query: { stationId } }),
    [stationId],
    ["stay.", "shelter.", "station."],
  );
  const [itemId, setItemId] = useState<string>();
  const [quantity, setQuantity] = useState<number | null>(1);
  const [notes, setNotes] = useState("");

  async function move(kind: "receive" | "writeOff") {
    if (!itemId || !quantity) return;
    try {
      await call(kind === "receive" ? api.supplies.receive : api.supplies.writeOff, {
        body: { id: uuid(), stationId, itemId, quantity, notes },
      });
      setNotes("");
      stock.reload();
    } catch (err) {
      void message.error(errorText(tc, err));
    }
  }

  const name = (i: { nameZh: string; nameEn: string }) => (lang === "en" ? i.nameEn : i.nameZh);
  return (
    <Space orientation="vertical" size="middle" style={{ width: "100%" }}>
      <Card size="small" title={t.stock.title}>
        {canEdit && (
          <Space wrap style={{ marginBottom: 12 }}>
            <Select
              style={{ width: 180 }}
              value={itemId}
              onChange={setItemId}
              placeholder={t.supplies.item}
              aria-label={t.supplies.item}
              data-testid="stock-item"
              options={(stock.data?.items ?? []).map((i) => ({ value: i.itemId, label: name(i) }))}
            />
            <InputNumber
              min={1}
              max={1_000_000}
              value={quantity}
              onChange={setQuantity}
              placeholder={t.stock.quantity}
            />
            <Input
              value={notes}
              onChange={(e) => setNotes(e.target.value)}
              placeholder={t.stock.notes}
              style={{ width: 200 }}
              maxLength={500}
            />
            <Button type="primary" onClick={() => void move("receive")} disabled={!itemId}>
              {t.stock.receive}
            </Button>
            <Button danger onClick={() => void move("writeOff")} disabled={!itemId}>
              {t.stock.writeOff}
            </Button>
          </Space>
        )}
        <Table
          size="small"
          rowKey="itemId"
          pagination={false}
          loading={stock.loading && !stock.data}
          dataSource={stock.data?.items ?? []}
          columns={[
            { title: t.supplies.item, render: (_, i) => name(i) },
            {
              title: t.stock.station,
              render: (_, i) => (
                <span>
                  {i.station} {lang === "en" ? englishUnit(i.unitEn, i.station) : i.unitZh}{" "}
                  {i.low && <Tag color="red">{t.stock.low}</Tag>}
                </span>
              ),
            },
            {
              title: t.stock.vehicles,
              render: (_, i) => i.vehicles.map((v) => `${v.callSign}: ${v.quantity}`).join(" · ") || "—",
            },
          ]}
        />
      </Card>
      <DistributionsCard stationId={stationId} canEdit={canEdit} />
      <StaysCard stationId={stationId} shelters={shelters.data?.items ?? []} />
    </Space>
  );
}
