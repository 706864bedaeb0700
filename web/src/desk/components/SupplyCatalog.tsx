import { useMemo, useRef, useState } from "react";
import { Alert, App, Button, Card, Form, Input, InputNumber, Modal, Space, Switch, Table, Tag } from "antd";
import { EditOutlined, PlusOutlined } from "@ant-design/icons";
import { useTranslation } from "react-i18next";
import { api, call, type SupplyItem } from "../../api/client.js";
import { SupplyItemCreate, SupplyItemUpdate } from "../../../../shared/api/supplies.js";
import { errorDetail, errorText } from "../../i18n/errors.js";
import { uuid } from "../../shared-ui/uuid.js";
import { useLive, yuan } from "../station/texts.js";
import { FormProblemBanner, useFormSave } from "./useFormSave.js";

type Values = {
  code?: string;
  nameZh?: string;
  nameEn?: string;
  unitZh?: string;
  unitEn?: string;
  unitValueYuan?: number | null;
  lowStockThreshold?: number | null;
  active?: boolean;
};
const FIELDS = [
  "code",
  "nameZh",
  "nameEn",
  "unitZh",
  "unitEn",
  "unitValueYuan",
  "lowStockThreshold",
  "active",
] as const;
/** The server speaks fen; the form speaks yuan. */
const RENAME = { unitValueFen: "unitValueYuan" };

/** Yuan typed by a person to fen, exactly (0.1 + 0.2 must not become 30.000000000000004 fen). */
const toFen = (yuanValue: number | null | undefined) =>
  yuanValue === null || yuanValue === undefined ? Number.NaN : Math.round(yuanValue * 100);

/**
 * Admin: the supply catalog (棉大衣, 棉被, 方便食品 …). Items are added and changed here; the code is
 * fixed once created and a new unit value applies from now on (past movements keep theirs).
 * The list is paged and searchable, so a catalog of thousands stays usable.
 */
export function SupplyCatalog() {
  const { t } = useTranslation("desk");
  const { t: tc } = useTranslation();
  const items = useLive(() => call(api.supplies.items), [], ["supply_item."]);
  const [search, setSearch] = useState("");
  const [editing, setEditing] = useState<SupplyItem | "new" | null>(null);
  const rows = useMemo(() => {
    const q = search.trim().toLowerCase();
    const all = items.data?.items ?? [];
    return q ? all.filter((i) => [i.code, i.nameZh, i.nameEn].some((s) => s.toLowerCase().includes(q))) : all;
  }, [items.data, search]);

  return (
    <Card
      title={t("admin.catalog.title")}
      extra={
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing("new")} data-testid="catalog-add">
          {t("admin.catalog.add")}
        </Button>
      }
      data-testid="supply-catalog"
    >
      {items.error != null && (
        <Alert
          type="error"
          showIcon
          title={errorText(tc, items.error)}
          description={errorDetail(items.error)}
          style={{ marginBottom: 12 }}
        />
      )}
      <Input.Search
        allowClear
        placeholder={t("admin.catalog.search")}
        value={search}
        onChange={(e) => setSearch(e.target.value)}
        style={{ maxWidth: 320, marginBottom: 12 }}
      />
      <Table<SupplyItem>
        size="small"
        rowKey="id"
        loading={items.loading && !items.data}
        dataSource={rows}
        pagination={{ defaultPageSize: 20, showSizeChanger: true, showTotal: (n) => t("admin.catalog.total", { n }) }}
        columns={[
          { title: t("admin.catalog.code"), dataIndex: "code", sorter: (a, b) => a.code.localeCompare(b.code) },
          { title: t("admin.catalog.nameZh"), dataIndex: "nameZh" },
          { title: t("admin.catalog.nameEn"), dataIndex: "nameEn" },
          { title: t("admin.catalog.unit"), render: (_, i) => `${i.unitZh} / ${i.unitEn}` },
          {
            title: t("admin.catalog.unitValue"),
            align: "right",
            render: (_, i) => yuan(i.unitValueFen),
            sorter: (a, b) => a.unitValueFen - b.unitValueFen,
          },
          { title: t("admin.catalog.lowStockThreshold"), dataIndex: "lowStockThreshold", align: "right" },
          {
            title: "",
            render: (_, i) =>
              i.active ? (
                <Tag color="green">{t("admin.catalog.active")}</Tag>
              ) : (
                <Tag>{t("admin.catalog.inactive")}</Tag>
              ),
          },
          {
            title: "",
            render: (_, i) => (
              <Button size="small" icon={<EditOutlined />} onClick={() => setEditing(i)}>
                {t("admin.catalog.edit")}
              </Button>
            ),
          },
        ]}
      />
      {editing && (
        <ItemForm item={editing === "new" ? null : editing} onClose={() => setEditing(null)} onSaved={items.reload} />
      )}
    </Card>
  );
}

/** Add or change one item; problems land on their fields (server's too), a version conflict says reload. */
function ItemForm({ item, onClose, onSaved }: { item: SupplyItem | null; onClose: () => void; onSaved: () => void }) {
  const { t } = useTranslation("desk");
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const { busy, problem, save } = useFormSave(form, FIELDS, RENAME);
  // Kept across retries: a timeout followed by a retry cannot add the item twice.
  const pendingId = useRef(uuid());

  async function submit(v: Values) {
    const fields = {
      nameZh: v.nameZh ?? "",
      nameEn: v.nameEn ?? "",
      unitZh: v.unitZh ?? "",
      unitEn: v.unitEn ?? "",
      unitValueFen: toFen(v.unitValueYuan),
      lowStockThreshold: v.lowStockThreshold ?? Number.NaN,
      active: v.active ?? true,
    };
    const body = item ? { ...fields, version: item.version } : { ...fields, id: pendingId.current, code: v.code ?? "" };
    await save(item ? SupplyItemUpdate : SupplyItemCreate, body, async () => {
      if (item)
        await call(api.supplies.updateItem, {
          params: { id: item.id },
          body: body as typeof fields & { version: number },
        });
      else await call(api.supplies.createItem, { body: body as typeof fields & { id: string; code: string } });
      void message.success(t("admin.catalog.saved"));
      onSaved();
      onClose();
    });
  }

  const req = [{ required: true, message: t("admin.catalog.required") }];
  return (
    <Modal
      open
      title={t(item ? "admin.catalog.editTitle" : "admin.catalog.addTitle")}
      okText={t("admin.catalog.save")}
      cancelText={t("admin.catalog.cancel")}
      confirmLoading={busy}
      onOk={() => form.submit()}
      onCancel={onClose}
      width={560}
      okButtonProps={{ "data-testid": "catalog-save" } as Record<string, string>}
    >
      <Form<Values>
        form={form}
        layout="vertical"
        onFinish={submit}
        disabled={busy}
        initialValues={
          item ? { ...item, unitValueYuan: item.unitValueFen / 100 } : { active: true, lowStockThreshold: 10 }
        }
      >
        <Form.Item
          name="code"
          label={t("admin.catalog.code")}
          rules={item ? [] : req}
          extra={t("admin.catalog.codeHint")}
        >
          <Input maxLength={32} disabled={!!item} autoFocus={!item} />
        </Form.Item>
        <Space.Compact block>
          <Form.Item name="nameZh" label={t("admin.catalog.nameZh")} rules={req} style={{ flex: 1, marginRight: 8 }}>
            <Input maxLength={60} />
          </Form.Item>
          <Form.Item name="nameEn" label={t("admin.catalog.nameEn")} rules={req} style={{ flex: 1 }}>
            <Input maxLength={60} />
          </Form.Item>
        </Space.Compact>
        <Space.Compact block>
          <Form.Item name="unitZh" label={t("admin.catalog.unitZh")} rules={req} style={{ flex: 1, marginRight: 8 }}>
            <Input maxLength={10} />
          </Form.Item>
          <Form.Item name="unitEn" label={t("admin.catalog.unitEn")} rules={req} style={{ flex: 1 }}>
            <Input maxLength={20} />
          </Form.Item>
        </Space.Compact>
        <Space.Compact block>
          <Form.Item
            name="unitValueYuan"
            label={t("admin.catalog.unitValue")}
            rules={req}
            extra={item ? t("admin.catalog.valueHint") : undefined}
            style={{ flex: 1, marginRight: 8 }}
          >
            <InputNumber style={{ width: "100%" }} min={0} max={100000} precision={2} step={1} prefix="¥" />
          </Form.Item>
          <Form.Item
            name="lowStockThreshold"
            label={t("admin.catalog.lowStockThreshold")}
            rules={req}
            style={{ flex: 1 }}
          >
            <InputNumber style={{ width: "100%" }} min={0} precision={0} />
          </Form.Item>
        </Space.Compact>
        <Form.Item name="active" label={t("admin.catalog.active")} valuePropName="checked">
          <Switch />
        </Form.Item>
        <FormProblemBanner problem={problem} />
      </Form>
    </Modal>
  );
}
