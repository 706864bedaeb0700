import { useState } from "react";
import { App, Button, Descriptions, Drawer, Input, List, Select, Space, Table, Tag, Timeline, Typography } from "antd";
import { useTranslation } from "react-i18next";
import { api, call, type PersonSummary } from "../../api/client.js";
import { errorText } from "../../i18n/errors.js";
import { useLive, useStationTexts } from "./texts.js";
import { UnidentifiedPanel } from "./UnidentifiedPanel.js";

/** The registry of people met: search, record with every encounter, duplicates and merge. */
export function PeoplePanel({
  stationId,
  canMerge,
  canIdentify,
}: {
  stationId: string | undefined;
  canMerge: boolean;
  /** Whether people met without identity are listed (undefined: not for this role) and can be identified. */
  canIdentify?: boolean;
}) {
  const t = useStationTexts();
  const { t: tc } = useTranslation();
  const { message } = App.useApp();
  const [q, setQ] = useState("");
  const [search, setSearch] = useState("");
  const [page, setPage] = useState(1);
  const [open, setOpen] = useState<string | null>(null);
  const list = useLive(
    () => call(api.people.list, { query: { stationId, q: search || undefined, limit: 20, offset: (page - 1) * 20 } }),
    [stationId, search, page],
    ["person."],
  );
  const detail = useLive(open ? () => call(api.people.get, { params: { id: open } }) : null, [open], ["person."]);
  const dups = useLive(
    open && canMerge ? () => call(api.people.duplicates, { params: { id: open } }) : null,
    [open],
    ["person."],
  );

  async function setFamily(status: PersonSummary["familySearch"]) {
    if (!detail.data) return;
    try {
      await call(api.people.familySearch, {
        params: { id: detail.data.id },
        body: { status, version: detail.data.version },
      });
      detail.reload();
      list.reload();
    } catch (err) {
      void message.error(errorText(tc, err));
    }
  }

  async function merge(from: PersonSummary, into: string) {
    try {
      await call(api.people.merge, { params: { id: from.id }, body: { intoId: into, version: from.version } });
      void message.success(t.people.merged);
      dups.reload();
      detail.reload();
      list.reload();
    } catch (err) {
      void message.error(errorText(tc, err));
    }
  }

  const p = detail.data;
  return (
    <Space orientation="vertical" style={{ width: "100%" }}>
      {canIdentify !== undefined && <UnidentifiedPanel stationId={stationId} canIdentify={canIdentify} />}
      <Input.Search
        value={q}
        onChange={(e) => setQ(e.target.value)}
        onSearch={(v) => {
          setSearch(v.trim());
          setPage(1);
        }}
        placeholder={t.people.search}
        allowClear
        style={{ maxWidth: 420 }}
      />
      <Table
        size="small"
        rowKey="id"
        loading={list.loading}
        dataSource={list.data?.items ?? []}
        pagination={{
          current: page,
          pageSize: 20,
          total: list.data?.total ?? 0,
          onChange: setPage,
          showSizeChanger: false,
        }}
        onRow={(r) => ({ onClick: () => setOpen(r.id), style: { cursor: "pointer" } })}
        columns={[
          { title: t.people.label, dataIndex: "label" },
          { title: t.people.gender, render: (_, r) => (r.gender ? t.people.genders[r.gender] : "—") },
          { title: t.people.age, render: (_, r) => r.approxAge ?? "—" },
          { title: t.people.encounters, dataIndex: "encounterCount" },
          {
            title: t.people.lastSeen,
            render: (_, r) => (r.lastSeenAt ? new Date(r.lastSeenAt).toLocaleString() : "—"),
          },
          {
            title: t.people.familySearch,
            render: (_, r) => (
              <Tag color={r.familySearch === "family_found" ? "green" : r.familySearch === "none" ? "default" : "blue"}>
                {t.people.familyStatus[r.familySearch]}
              </Tag>
            ),
          },
        ]}
      />
      <Drawer
        open={!!open}
        onClose={() => setOpen(null)}
        title={p ? `${t.people.detail} · ${p.label}` : t.people.detail}
        size="large"
      >
        {p && (
          <Space orientation="vertical" style={{ width: "100%" }}>
            <Typography.Text type="secondary">{t.people.readsAudited}</Typography.Text>
            {p.identity ? (
              <Descriptions
                size="small"
                bordered
                column={1}
                title={t.people.identity}
                items={[
                  { key: "n", label: t.people.name, children: p.identity.name ?? "—" },
                  { key: "i", label: t.people.idNumber, children: p.identity.idNumber ?? "—" },
                  { key: "h", label: t.people.hometown, children: p.identity.hometown ?? "—" },
                ]}
              />
            ) : (
              <Tag>{t.people.noIdentity}</Tag>
            )}
            <Descriptions
              size="small"
              column={2}
              items={[
                { key: "g", label: t.people.gender, children: p.gender ? t.people.genders[p.gender] : "—" },
                { key: "a", label: t.people.age, children: p.approxAge ?? "—" },
                {
                  key: "f",
                  label: t.people.familySearch,
                  children:
                    p.identity && !p.mergedIntoId ? (
                      <Select
                        size="small"
                        value={p.familySearch}
                        onChange={(v) => void setFamily(v)}
                        style={{ width: 160 }}
                        options={(["none", "notice_published", "family_found"] as const).map((v) => ({
                          value: v,
                          label: t.people.familyStatus[v],
                        }))}
                      />
                    ) : (
                      t.people.familyStatus[p.familySearch]
                    ),
                },
                {
                  key: "m",
                  label: t.people.merged,
                  children: p.mergedIntoId
                    ? `#${p.mergedIntoId.slice(0, 6)}`
                    : p.mergedFrom.length
                      ? p.mergedFrom.map((m) => `#${m.slice(0, 6)}`).join(", ")
                      : "—",
                },
              ]}
            />
            <Typography.Title level={5}>{t.people.history}</Typography.Title>
            <Timeline
              items={p.encounters.map((e) => ({
                key: e.id,
                content: (
                  <span>
                    {new Date(e.occurredAt).toLocaleString()} · <Tag>{t.outcomes[e.outcome]}</Tag>
                    {e.place} {e.notes ? <Typography.Text type="secondary">— {e.notes}</Typography.Text> : null}
                  </span>
                ),
              }))}
            />
            {p.stays.length > 0 && (
              <>
                <Typography.Title level={5}>{t.people.stays}</Typography.Title>
                <List
                  size="small"
                  dataSource={p.stays}
                  renderItem={(st) => (
                    <List.Item>
                      {new Date(st.arrivedAt).toLocaleString()} →{" "}
                      {st.endedAt
                        ? `${new Date(st.endedAt).toLocaleString()} · ${st.endReason ? (t.stays.reasons[st.endReason as keyof typeof t.stays.reasons] ?? st.endReason) : ""}`
                        : t.people.stayOpen}
                    </List.Item>
                  )}
                />
              </>
            )}
            {canMerge && (
              <>
                <Typography.Title level={5}>{t.people.duplicates}</Typography.Title>
                <List
                  size="small"
                  dataSource={dups.data?.items ?? []}
                  locale={{ emptyText: "—" }}
                  renderItem={(d) => (
                    <List.Item
                      actions={[
                        <Button key="m" size="small" onClick={() => void merge(d.person, p.id)}>
                          {t.people.merge}
                        </Button>,
                      ]}
                    >
                      {d.person.label} · {Math.round(d.score * 100)}% · {d.reasons.join(", ")}
                    </List.Item>
                  )}
                />
              </>
            )}
          </Space>
        )}
      </Drawer>
    </Space>
  );
}
