import { useMemo, useRef, useState } from "react";
import { App, Button, Card, Form, Input, Modal, Select, Space, Tree } from "antd";
import { PlusOutlined } from "@ant-design/icons";
import { useTranslation } from "react-i18next";
import { api, call } from "../../api/client.js";
import { REGION_LEVELS, type Region, type RegionLevel } from "../../../../shared/api/stations.js";
import { RegionCreate, RegionUpdate } from "../../../../shared/api/regions.js";
import { uuid } from "../../shared-ui/uuid.js";
import { useStations } from "../data/stations.js";
import { FormProblemBanner, useFormSave } from "./useFormSave.js";

type Mode = { kind: "add"; parent: Region | null } | { kind: "rename" | "move"; region: Region };
type Values = { name?: string; level?: RegionLevel; parentId?: string | null };
const FIELDS = ["name", "level", "parentId"] as const;
const TOP = "__top__";

/** The hierarchy as tree nodes, children under parents, names as text. */
function treeOf(regions: readonly Region[], label: (r: Region) => string) {
  type Node = { key: string; title: string; children: Node[] };
  const nodes = new Map(regions.map((r) => [r.id, { key: r.id, title: label(r), children: [] as Node[] }]));
  const roots: Node[] = [];
  for (const r of regions) ((r.parentId && nodes.get(r.parentId)?.children) || roots).push(nodes.get(r.id)!);
  return roots;
}

/** Admin: regions (省 > 市 > 区县 > 街道乡镇 > 社区村) as a tree, with add, rename and move. */
export function RegionsAdmin() {
  const { t } = useTranslation("desk");
  const { regions } = useStations();
  const [selected, setSelected] = useState<Region | null>(null);
  const [mode, setMode] = useState<Mode | null>(null);
  const tree = useMemo(() => treeOf(regions, (r) => `${r.name} (${t(`admin.level.${r.level}`)})`), [regions, t]);
  return (
    <Card
      title={t("admin.regions.title")}
      data-testid="regions-admin"
      extra={
        <Space>
          <Button icon={<PlusOutlined />} onClick={() => setMode({ kind: "add", parent: null })}>
            {t("admin.regions.addTop")}
          </Button>
          <Button disabled={!selected} onClick={() => selected && setMode({ kind: "add", parent: selected })}>
            {t("admin.regions.addChild")}
          </Button>
          <Button disabled={!selected} onClick={() => selected && setMode({ kind: "rename", region: selected })}>
            {t("admin.regions.rename")}
          </Button>
          <Button disabled={!selected} onClick={() => selected && setMode({ kind: "move", region: selected })}>
            {t("admin.regions.move")}
          </Button>
        </Space>
      }
    >
      <Tree
        treeData={tree}
        defaultExpandAll
        selectedKeys={selected ? [selected.id] : []}
        onSelect={(keys) => setSelected(regions.find((r) => r.id === keys[0]) ?? null)}
      />
      {mode && <RegionForm mode={mode} regions={regions} onClose={() => setMode(null)} />}
    </Card>
  );
}

/** Add, rename or move one region through the shared save step; the store reloads on the region event. */
function RegionForm({ mode, regions, onClose }: { mode: Mode; regions: readonly Region[]; onClose: () => void }) {
  const { t } = useTranslation("desk");
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const { busy, problem, save } = useFormSave(form, FIELDS);
  const pendingId = useRef(uuid());
  const region = mode.kind === "add" ? null : mode.region;

  async function submit(v: Values) {
    const parentId = v.parentId === TOP || v.parentId === undefined ? null : v.parentId;
    const done = () => {
      void message.success(t("admin.regions.saved"));
      onClose();
    };
    if (!region) {
      const body = {
        id: pendingId.current,
        name: v.name ?? "",
        level: v.level ?? "city",
        parentId: mode.kind === "add" ? (mode.parent?.id ?? null) : null,
      };
      await save(RegionCreate, body, async () => {
        await call(api.regions.create, { body });
        done();
      });
    } else {
      const body =
        mode.kind === "rename"
          ? { name: v.name ?? "", version: region.version }
          : { parentId, version: region.version };
      await save(RegionUpdate, body, async () => {
        await call(api.regions.update, { params: { id: region.id }, body });
        done();
      });
    }
  }

  const req = [{ required: true, message: t("admin.regions.required") }];
  const title =
    mode.kind === "add"
      ? "admin.regions.addTitle"
      : mode.kind === "rename"
        ? "admin.regions.renameTitle"
        : "admin.regions.moveTitle";
  return (
    <Modal
      open
      title={t(title)}
      okText={t("admin.regions.save")}
      cancelText={t("admin.regions.cancel")}
      confirmLoading={busy}
      onOk={() => form.submit()}
      onCancel={onClose}
      okButtonProps={{ "data-testid": "region-save" } as Record<string, string>}
    >
      <Form<Values>
        form={form}
        layout="vertical"
        onFinish={submit}
        disabled={busy}
        initialValues={region ? { name: region.name, parentId: region.parentId ?? TOP } : { level: "city" }}
      >
        {mode.kind !== "move" && (
          <Form.Item name="name" label={t("admin.regions.name")} rules={req}>
            <Input maxLength={100} autoFocus />
          </Form.Item>
        )}
        {mode.kind === "add" && (
          <Form.Item name="level" label={t("admin.regions.level")} rules={req}>
            <Select options={REGION_LEVELS.map((l) => ({ value: l, label: t(`admin.level.${l}`) }))} />
          </Form.Item>
        )}
        {mode.kind === "move" && (
          <Form.Item name="parentId" label={t("admin.regions.parent")} extra={t("admin.regions.moveHint")}>
            <Select
              showSearch
              optionFilterProp="label"
              options={[
                { value: TOP, label: t("admin.regions.top") },
                ...regions
                  .filter((r) => r.id !== region?.id)
                  .map((r) => ({ value: r.id, label: `${r.name} (${t(`admin.level.${r.level}`)})` })),
              ]}
            />
          </Form.Item>
        )}
        <FormProblemBanner problem={problem} />
      </Form>
    </Modal>
  );
}
