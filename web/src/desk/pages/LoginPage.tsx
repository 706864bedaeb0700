import { useState } from "react";
import { useLocation, useNavigate } from "react-router-dom";
import { Alert, Button, Card, Form, Input, Space, Spin, Typography } from "antd";
import { LockOutlined, UserOutlined } from "@ant-design/icons";
import { useTranslation } from "react-i18next";
import type { LoginInput } from "../../../../shared/api/auth.js";
import { session, useSession } from "../../shared-ui/session.js";
import { isPhonePath, landingPath } from "../../shared-ui/landing.js";
import { errorText } from "../../i18n/errors.js";
import { ApiError } from "../../api/http.js";
import { LanguageSwitch } from "../components/LanguageSwitch.js";
import { ThemeSwitch } from "../components/ThemeSwitch.js";
import { Landing } from "../Landing.js";

interface FromState {
  from?: string;
  expired?: boolean;
}

/** Username and password; Enter submits (antd Form submits on Enter in any field). */
export function LoginPage() {
  const { t } = useTranslation();
  const s = useSession();
  const navigate = useNavigate();
  const location = useLocation();
  const from = (location.state as FromState | null)?.from;
  // The failure itself, translated on render so switching language re-translates it.
  const [error, setError] = useState<unknown>(
    (location.state as FromState | null)?.expired ? new ApiError(401, "UNAUTHENTICATED", "expired") : null,
  );
  const [busy, setBusy] = useState(false);

  // Already signed in (e.g. opened /login in a second tab): go to work.
  if (s.status === "signedIn" && !busy) return <Landing role={s.me.role} />;

  async function submit(values: LoginInput) {
    setBusy(true);
    setError(null);
    let leaving = false;
    try {
      const me = await session.login({ username: values.username.trim(), password: values.password });
      // Back to the page that sent us here, else the role's start page.
      const to = from && from !== "/login" && from !== "/" ? from : landingPath(me.role);
      // The phone page is another HTML entry: a full page load. Stay busy until it unloads, or the
      // signed-in render below would start a second navigation that aborts this one.
      leaving = isPhonePath(to);
      if (leaving) window.location.assign(to);
      else navigate(to, { replace: true });
    } catch (err) {
      setError(err);
    } finally {
      if (!leaving) setBusy(false);
    }
  }

  if (s.status === "signedIn" && busy) return null;
  if (s.status === "loading") return <Spin fullscreen />;

  return (
    <main className="wl-login">
      <Card
        className="wl-login-card"
        title={<span className="wl-brand">{t("app.name")}</span>}
        extra={
          <Space wrap>
            <LanguageSwitch />
            <ThemeSwitch />
          </Space>
        }
      >
        <Typography.Paragraph type="secondary">{t("app.tagline")}</Typography.Paragraph>
        <Form<LoginInput> layout="vertical" requiredMark={false} onFinish={submit} disabled={busy}>
          <Form.Item
            name="username"
            label={t("login.username")}
            rules={[{ required: true, whitespace: true, message: t("login.usernameRequired") }]}
          >
            <Input prefix={<UserOutlined />} autoComplete="username" autoFocus size="large" />
          </Form.Item>
          <Form.Item
            name="password"
            label={t("login.password")}
            rules={[{ required: true, message: t("login.passwordRequired") }]}
          >
            <Input.Password prefix={<LockOutlined />} autoComplete="current-password" size="large" />
          </Form.Item>
          <Space orientation="vertical" style={{ width: "100%" }}>
            {error != null && <Alert type="error" showIcon title={errorText(t, error)} role="alert" />}
            <Button type="primary" htmlType="submit" block size="large" loading={busy}>
              {busy ? t("login.submitting") : t("login.submit")}
            </Button>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {t("login.demoHint")}
            </Typography.Text>
          </Space>
        </Form>
      </Card>
    </main>
  );
}
