import { useEffect, useMemo, useRef, useState } from "react";
import { Alert, App, Button, Card, Form, Input, Modal, Popconfirm, Select, Space, Table, Tag } from "antd";
import { EditOutlined, KeyOutlined, PlusOutlined } from "@ant-design/icons";
import { useTranslation } from "react-i18next";
import { api, call, type User } from "../../api/client.js";
import {
  PASSWORD_MIN_LENGTH,
  PasswordReset,
  roleScopeProblem,
  UserCreate,
  UserUpdate,
} from "../../../../shared/api/users.js";
import { ROLES, STATION_SCOPED_ROLES, type Role } from "../../../../shared/roles.js";
import { errorDetail, errorText } from "../../i18n/errors.js";
import { uuid } from "../../shared-ui/uuid.js";
import { useSession } from "../../shared-ui/session.js";
import { useLive } from "../station/texts.js";
import { useStations } from "../data/stations.js";
import { FormProblemBanner, useFormSave } from "./useFormSave.js";

type Values = {
  username?: string;
  displayName?: string;
  role?: Role;
  stationId?: string | null;
  regionId?: string | null;
  password?: string;
};
const FIELDS = ["username", "displayName", "role", "stationId", "regionId", "password"] as const;

/**
 * Admin: user accounts. Paged and searched on the server (a city may have thousands of accounts);
 * create, change name/role/scope, switch off and on, reset a password. The server ends a user's
 * sessions when what they may do changes, so the list says so after such a change.
 */
export function UsersAdmin() {
  const { t } = useTranslation("desk");
  const { t: tc } = useTranslation();
  const { message } = App.useApp();
  const s = useSession();
  const myId = s.status === "signedIn" ? s.me.id : null;
  const { stations, regions } = useStations();
  const [typed, setTyped] = useState("");
  const [q, setQ] = useState("");
  const [role, setRole] = useState<Role>();
  const [page, setPage] = useState({ current: 1, pageSize: 20 });
  const [editing, setEditing] = useState<User | "new" | null>(null);
  const [resetting, setResetting] = useState<User | null>(null);
  const [actionError, setActionError] = useState<unknown>(null);
  // Search as one types, but not one request per key.
  useEffect(() => {
    const h = setTimeout(() => {
      setQ(typed.trim());
      setPage((p) => ({ ...p, current: 1 }));
    }, 300);
    return () => clearTimeout(h);
  }, [typed]);
  const users = useLive(
    () =>
      call(api.users.list, {
        query: { q: q || undefined, role, limit: page.pageSize, offset: (page.current - 1) * page.pageSize },
      }),
    [q, role, page.current, page.pageSize],
    ["user."],
  );
  const stationName = useMemo(() => new Map(stations.map((st) => [st.id, st.name])), [stations]);
  const regionName = useMemo(() => new Map(regions.map((r) => [r.id, r.name])), [regions]);

  async function setActive(u: User, active: boolean) {
    setActionError(null);
    try {
      // The version shown in the list: if someone changed the account since, the server says so (409).
      await call(api.users.update, { params: { id: u.id }, body: { active, version: u.version } });
      void message.success(t(active ? "admin.users.reactivated" : "admin.users.deactivated", { name: u.displayName }));
    } catch (err) {
      setActionError(err);
    } finally {
      users.reload();
    }
  }

  return (
    <Card
      title={t("admin.users.title")}
      data-testid="users-admin"
      extra={
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing("new")} data-testid="user-add">
          {t("admin.users.add")}
        </Button>
      }
    >
      {users.error != null && (
        <Alert
          type="error"
          showIcon
          title={errorText(tc, users.error)}
          description={errorDetail(users.error)}
          style={{ marginBottom: 12 }}
        />
      )}
      {actionError != null && (
        <Alert
          type="error"
          showIcon
          closable
          onClose={() => setActionError(null)}
          title={errorText(tc, actionError)}
          description={errorDetail(actionError)}
          style={{ marginBottom: 12 }}
        />
      )}
      <Space wrap style={{ marginBottom: 12 }}>
        <Input.Search
          allowClear
          placeholder={t("admin.users.search")}
          value={typed}
          onChange={(e) => setTyped(e.target.value)}
          onSearch={(v) => setTyped(v)}
          style={{ width: 260 }}
        />
        <Select
          allowClear
          aria-label={t("admin.users.allRoles")}
          placeholder={t("admin.users.allRoles")}
          value={role}
          style={{ width: 180 }}
          onChange={(v) => {
            setRole(v);
            setPage((p) => ({ ...p, current: 1 }));
          }}
          options={ROLES.map((r) => ({ value: r, label: tc(`roles.${r}`) }))}
        />
      </Space>
      <Table<User>
        size="small"
        rowKey="id"
        loading={users.loading}
        dataSource={users.data?.items ?? []}
        pagination={{
          current: page.current,
          pageSize: page.pageSize,
          total: users.data?.total ?? 0,
          showSizeChanger: true,
          showTotal: (n) => t("admin.users.total", { n }),
          onChange: (current, pageSize) => setPage({ current, pageSize }),
        }}
        columns={[
          { title: t("admin.users.username"), dataIndex: "username" },
          { title: t("admin.users.displayName"), dataIndex: "displayName" },
          { title: t("admin.users.role"), render: (_, u) => tc(`roles.${u.role}`) },
          {
            title: t("admin.users.scope"),
            render: (_, u) =>
              u.stationId
                ? (stationName.get(u.stationId) ?? "—")
                : u.regionId
                  ? (regionName.get(u.regionId) ?? "—")
                  : tc("scope.allStations"),
          },
          {
            title: "",
            render: (_, u) =>
              u.active ? <Tag color="green">{t("admin.users.active")}</Tag> : <Tag>{t("admin.users.inactive")}</Tag>,
          },
          {
            title: "",
            render: (_, u) => (
              <Space size="small">
                <Button size="small" icon={<EditOutlined />} onClick={() => setEditing(u)}>
                  {t("admin.users.edit")}
                </Button>
                <Button size="small" icon={<KeyOutlined />} onClick={() => setResetting(u)}>
                  {t("admin.users.resetPassword")}
                </Button>
                {u.id !== myId &&
                  (u.active ? (
                    <Popconfirm
                      title={t("admin.users.deactivateConfirm")}
                      onConfirm={() => setActive(u, false)}
                      okText={t("admin.users.deactivate")}
                      cancelText={t("admin.users.cancel")}
                    >
                      <Button size="small" danger>
                        {t("admin.users.deactivate")}
                      </Button>
                    </Popconfirm>
                  ) : (
                    <Button size="small" onClick={() => void setActive(u, true)}>
                      {t("admin.users.reactivate")}
                    </Button>
                  ))}
              </Space>
            ),
          },
        ]}
      />
      {editing && (
        <UserForm user={editing === "new" ? null : editing} onClose={() => setEditing(null)} onSaved={users.reload} />
      )}
      {resetting && <PasswordForm user={resetting} onClose={() => setResetting(null)} />}
    </Card>
  );
}

/** Add or change one account; the station or region field follows the chosen role. */
function UserForm({ user, onClose, onSaved }: { user: User | null; onClose: () => void; onSaved: () => void }) {
  const { t } = useTranslation("desk");
  const { t: tc } = useTranslation();
  const { message } = App.useApp();
  const { stations, regions } = useStations();
  const [form] = Form.useForm<Values>();
  const { busy, problem, save } = useFormSave(form, FIELDS);
  // Kept across retries: a timeout followed by a retry cannot add the account twice.
  const pendingId = useRef(uuid());
  const role = Form.useWatch("role", form) ?? user?.role;
  const needsStation = !!role && STATION_SCOPED_ROLES.includes(role);
  const needsRegion = role === "supervisor";

  async function submit(v: Values) {
    const r = v.role ?? ("" as Role);
    // The field the role does not use is sent as null, so a change of role clears the old scope.
    const scope = {
      stationId: needsStation ? (v.stationId ?? null) : null,
      regionId: needsRegion ? (v.regionId ?? null) : null,
    };
    if (user) {
      // The version the form was opened with: a change by someone else meanwhile is refused (409
      // VERSION_CONFLICT, shown in the banner) instead of being overwritten.
      const body = { displayName: v.displayName ?? "", role: r, ...scope, version: user.version };
      const p = roleScopeProblem(r, scope.stationId, scope.regionId);
      await save(
        UserUpdate,
        body,
        async () => {
          await call(api.users.update, { params: { id: user.id }, body: body as UserUpdate });
          const scopeChanged =
            r !== user.role || scope.stationId !== user.stationId || scope.regionId !== user.regionId;
          void message.success(scopeChanged ? t("admin.users.sessionsEnded") : t("admin.users.saved"));
          onSaved();
          onClose();
        },
        p ? { [p.field]: p.message } : {},
      );
    } else {
      const body = {
        id: pendingId.current,
        username: v.username ?? "",
        displayName: v.displayName ?? "",
        role: r,
        ...scope,
        password: v.password ?? "",
      };
      await save(UserCreate, body, async () => {
        await call(api.users.create, { body: body as UserCreate });
        void message.success(t("admin.users.saved"));
        onSaved();
        onClose();
      });
    }
  }

  const req = [{ required: true, message: t("admin.users.required") }];
  return (
    <Modal
      open
      title={t(user ? "admin.users.editTitle" : "admin.users.addTitle")}
      okText={t("admin.users.save")}
      cancelText={t("admin.users.cancel")}
      confirmLoading={busy}
      onOk={() => form.submit()}
      onCancel={onClose}
      width={520}
      okButtonProps={{ "data-testid": "user-save" } as Record<string, string>}
    >
      <Form<Values>
        form={form}
        layout="vertical"
        onFinish={submit}
        disabled={busy}
        initialValues={
          user ? { ...user } : { role: "patrol", stationId: stations.length === 1 ? stations[0]!.id : undefined }
        }
      >
        <Form.Item
          name="username"
          label={t("admin.users.username")}
          rules={user ? [] : req}
          extra={user ? undefined : t("admin.users.usernameHint")}
        >
          <Input maxLength={32} disabled={!!user} autoFocus={!user} autoComplete="off" data-testid="user-username" />
        </Form.Item>
        <Form.Item name="displayName" label={t("admin.users.displayName")} rules={req}>
          <Input maxLength={60} data-testid="user-displayName" />
        </Form.Item>
        <Form.Item name="role" label={t("admin.users.role")} rules={req} extra={t("admin.users.scopeHint")}>
          <Select options={ROLES.map((r) => ({ value: r, label: tc(`roles.${r}`) }))} data-testid="user-role" />
        </Form.Item>
        {needsStation && (
          <Form.Item name="stationId" label={t("admin.users.station")} rules={req}>
            <Select
              showSearch={{ optionFilterProp: "label" }}
              options={stations.map((st) => ({ value: st.id, label: `${st.code} ${st.name}` }))}
              data-testid="user-station"
            />
          </Form.Item>
        )}
        {needsRegion && (
          <Form.Item name="regionId" label={t("admin.users.region")} rules={req}>
            <Select
              showSearch={{ optionFilterProp: "label" }}
              options={regions.map((r) => ({ value: r.id, label: r.name }))}
              data-testid="user-region"
            />
          </Form.Item>
        )}
        {!user && (
          <Form.Item
            name="password"
            label={t("admin.users.password")}
            rules={req}
            extra={t("admin.users.passwordHint", { n: PASSWORD_MIN_LENGTH })}
          >
            <Input.Password maxLength={256} autoComplete="new-password" data-testid="user-password" />
          </Form.Item>
        )}
        <FormProblemBanner problem={problem} />
      </Form>
    </Modal>
  );
}

/** Sets a new password; the server ends the user's sessions. */
function PasswordForm({ user, onClose }: { user: User; onClose: () => void }) {
  const { t } = useTranslation("desk");
  const { message } = App.useApp();
  const [form] = Form.useForm<{ password?: string }>();
  const { busy, problem, save } = useFormSave(form, ["password"]);

  async function submit(v: { password?: string }) {
    const body = { password: v.password ?? "" };
    await save(PasswordReset, body, async () => {
      await call(api.users.resetPassword, { params: { id: user.id }, body });
      void message.success(t("admin.users.resetDone", { name: user.displayName }));
      onClose();
    });
  }

  return (
    <Modal
      open
      title={t("admin.users.resetTitle", { name: user.displayName })}
      okText={t("admin.users.save")}
      cancelText={t("admin.users.cancel")}
      confirmLoading={busy}
      onOk={() => form.submit()}
      onCancel={onClose}
      width={420}
    >
      <Form form={form} layout="vertical" onFinish={submit} disabled={busy}>
        <Form.Item
          name="password"
          label={t("admin.users.newPassword")}
          rules={[{ required: true, message: t("admin.users.required") }]}
          extra={t("admin.users.passwordHint", { n: PASSWORD_MIN_LENGTH })}
        >
          <Input.Password maxLength={256} autoComplete="new-password" autoFocus />
        </Form.Item>
        <FormProblemBanner problem={problem} />
      </Form>
    </Modal>
  );
}
