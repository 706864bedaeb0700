import { useState } from "react";
import { App, Button, Card, Checkbox, Input, Modal, Select, Space, Table } from "antd";
import { useTranslation } from "react-i18next";
import { api, call, type Stay } from "../../api/client.js";
import { STAY_END_REASONS, type StayEndReason } from "../../../../shared/counting.js";
import { errorText } from "../../i18n/errors.js";
import { useLive, useStationTexts } from "./texts.js";

/** Who is staying now (站内救助): register an arrival, record how a stay ends. */
export function StaysCard({
  stationId,
  shelters,
}: {
  stationId: string;
  shelters: { id: string; name: string; kind: string }[];
}) {
  const t = useStationTexts();
  const { t: tc } = useTranslation();
  const { message } = App.useApp();
  const stays = useLive(() => call(api.shelters.stays, { query: { stationId, open: "true" } }), [stationId], ["stay."]);
  const pending = useLive(
    () => call(api.shelters.pending, { query: { stationId } }),
    [stationId],
    ["stay.", "encounter"],
  );
  const [bed, setBed] = useState("");
  const [needs, setNeeds] = useState("");
  const [shelterId, setShelterId] = useState<string>();
  const [ending, setEnding] = useState<Stay | null>(null);
  const [reason, setReason] = useState<StayEndReason>("left");
  const [voucher, setVoucher] = useState(false);
  const [destination, setDestination] = useState("");

  async function run(work: () => Promise<unknown>) {
    try {
      await work();
      stays.reload();
    } catch (err) {
      void message.error(errorText(tc, err));
    }
  }
  // An arrival from the pending list carries its encounter, so the person counts once (in-station aid).
  const arrive = (from?: { encounterId: string; personId: string | null }) =>
    run(async () => {
      await call(api.shelters.startStay, {
        body: {
          id: crypto.randomUUID(),
          stationId,
          shelterId,
          bed,
          needs: needs
            .split(/[,，、]/)
            .map((s) => s.trim())
            .filter(Boolean),
          encounterId: from?.encounterId,
          personId: from?.personId ?? undefined,
        },
      });
      setBed("");
      setNeeds("");
      pending.reload();
    });
  const end = () =>
    run(async () => {
      await call(api.shelters.endStay, {
        params: { id: ending!.id },
        body: { reason, travelVoucher: reason === "escorted_home" && voucher, destination, version: ending!.version },
      });
      setEnding(null);
      setVoucher(false);
      setDestination("");
    });
  const placeName = (id: string | null) => (id ? (shelters.find((s) => s.id === id)?.name ?? id) : t.stays.ownBeds);

  return (
    <Card size="small" title={t.stays.title}>
      <Space wrap style={{ marginBottom: 12 }}>
        <Select
          aria-label={t.stays.ownBeds}
          style={{ width: 200 }}
          allowClear
          placeholder={t.stays.ownBeds}
          value={shelterId}
          onChange={setShelterId}
          options={shelters.filter((s) => s.kind !== "station").map((s) => ({ value: s.id, label: s.name }))}
        />
        <Input
          value={bed}
          onChange={(e) => setBed(e.target.value)}
          placeholder={t.stays.bed}
          style={{ width: 100 }}
          maxLength={40}
        />
        <Input
          value={needs}
          onChange={(e) => setNeeds(e.target.value)}
          placeholder={t.stays.needsPh}
          style={{ width: 280 }}
        />
        <Button type="primary" onClick={() => void arrive()}>
          {t.stays.arrive}
        </Button>
      </Space>
      {(pending.data?.items.length ?? 0) > 0 && (
        <Table
          size="small"
          rowKey="encounterId"
          pagination={false}
          title={() => t.stays.pending}
          dataSource={pending.data!.items}
          style={{ marginBottom: 12 }}
          columns={[
            { title: t.stays.arrived, render: (_, p) => new Date(p.occurredAt).toLocaleString() },
            { title: t.stays.place, dataIndex: "place" },
            {
              title: "",
              render: (_, p) => (
                <Button size="small" type="primary" onClick={() => void arrive(p)}>
                  {t.stays.registerThis}
                </Button>
              ),
            },
          ]}
        />
      )}
      <Table
        size="small"
        rowKey="id"
        pagination={false}
        dataSource={stays.data?.items ?? []}
        locale={{ emptyText: t.stays.none }}
        columns={[
          { title: t.stays.arrived, render: (_, s) => new Date(s.arrivedAt).toLocaleString() },
          { title: t.stays.place, render: (_, s) => placeName(s.shelterId) },
          { title: t.stays.bed, dataIndex: "bed" },
          { title: t.stays.needs, render: (_, s) => s.needs.join("、") },
          {
            title: "",
            render: (_, s) => (
              <Button size="small" onClick={() => setEnding(s)}>
                {t.stays.end}
              </Button>
            ),
          },
        ]}
      />
      <Modal open={!!ending} title={t.stays.end} onCancel={() => setEnding(null)} onOk={() => void end()}>
        <Space orientation="vertical" style={{ width: "100%" }}>
          <Select
            style={{ width: "100%" }}
            value={reason}
            onChange={setReason}
            options={STAY_END_REASONS.map((r) => ({ value: r, label: t.stays.reasons[r] }))}
          />
          {reason === "escorted_home" && (
            <Checkbox checked={voucher} onChange={(e) => setVoucher(e.target.checked)}>
              {t.stays.voucher}
            </Checkbox>
          )}
          <Input
            value={destination}
            onChange={(e) => setDestination(e.target.value)}
            placeholder={t.stays.destination}
            maxLength={200}
          />
        </Space>
      </Modal>
    </Card>
  );
}
