import { Outlet, useLocation, useNavigate } from "react-router-dom";
import { App, Button, Layout, Menu, Space, Tag, type MenuProps } from "antd";
import { AlertOutlined, ApartmentOutlined, CarOutlined, LogoutOutlined, SettingOutlined } from "@ant-design/icons";
import { useTranslation } from "react-i18next";
import type { Me } from "../../../shared/api/auth.js";
import { session, useSession } from "../shared-ui/session.js";
import { errorText } from "../i18n/errors.js";
import { useStations } from "./data/stations.js";
import { ConnectionStatus } from "./components/ConnectionStatus.js";
import { LanguageSwitch } from "./components/LanguageSwitch.js";
import { ThemeSwitch } from "./components/ThemeSwitch.js";

/** Where the user works: their station, a supervisor's region, or everything for admins. */
function useScopeLabel(me: Me): string {
  const { t } = useTranslation();
  const { stations, regions } = useStations();
  if (me.stationId) return stations.find((s) => s.id === me.stationId)?.name ?? "…";
  if (me.regionId) return regions.find((r) => r.id === me.regionId)?.name ?? "…";
  return me.role === "admin" ? t("scope.allStations") : t("scope.noStation");
}

/** The signed-in frame: navigation on the left, who/where/connection in the header. */
export function Shell() {
  const s = useSession();
  if (s.status !== "signedIn") return null;
  return <SignedInShell me={s.me} />;
}

function SignedInShell({ me }: { me: Me }) {
  const { t } = useTranslation();
  const { t: td } = useTranslation("desk");
  const { message } = App.useApp();
  const navigate = useNavigate();
  const { pathname } = useLocation();
  const scope = useScopeLabel(me);

  const items: MenuProps["items"] = [
    { key: "/duty", icon: <AlertOutlined />, label: td("nav.duty") },
    // The patrol screen is a separate, light page: a real link, not a client-side route.
    { key: "/m/", icon: <CarOutlined />, label: <a href="/m/">{td("nav.patrol")}</a> },
    { key: "/station", icon: <ApartmentOutlined />, label: td("nav.station") },
    ...(me.role === "admin" ? [{ key: "/admin", icon: <SettingOutlined />, label: td("nav.admin") }] : []),
  ];
  const selected = items.map((i) => String(i?.key)).filter((k) => pathname.startsWith(k));

  async function logout() {
    try {
      await session.logout();
    } catch (err) {
      // Signed out locally anyway; say that the server may not have heard it.
      void message.warning(errorText(t, err));
    }
  }

  return (
    <Layout style={{ minHeight: "100vh" }}>
      <Layout.Sider breakpoint="lg" collapsedWidth={64} theme="light" style={{ borderRight: "1px solid #f0f0f0" }}>
        <div style={{ padding: "16px 20px" }} className="wl-brand">
          {t("app.name")}
        </div>
        <Menu
          mode="inline"
          selectedKeys={selected}
          items={items}
          onClick={({ key }) => {
            if (key !== "/m/") navigate(key);
          }}
        />
      </Layout.Sider>
      <Layout>
        <Layout.Header className="wl-header">
          <div className="wl-header-spacer" />
          <ConnectionStatus />
          <div className="wl-user" data-testid="current-user">
            <strong>{me.displayName}</strong>
            <small>
              <Tag variant="filled" style={{ marginInlineEnd: 6 }}>
                {t(`roles.${me.role}`)}
              </Tag>
              {scope}
            </small>
          </div>
          <Space>
            <LanguageSwitch />
            <ThemeSwitch />
            <Button icon={<LogoutOutlined />} onClick={() => void logout()}>
              {t("actions.logout")}
            </Button>
          </Space>
        </Layout.Header>
        <Layout.Content className="wl-content">
          <Outlet />
        </Layout.Content>
      </Layout>
    </Layout>
  );
}
