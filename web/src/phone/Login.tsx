import { useState, type FormEvent } from "react";
import { useTranslation } from "./i18n.js";
import { session } from "../shared-ui/session.js";
import { errorText } from "../i18n/errors.js";
import { LanguageSwitch } from "./LanguageSwitch.js";
import { ThemeSwitch } from "./ThemeSwitch.js";

type Problem =
  { key: "login.usernameRequired" | "login.passwordRequired" | "errors.UNAUTHENTICATED" } | { err: unknown };

/** Sign-in form sized for gloved thumbs: one column, big fields, Enter or the button submits. */
export function Login({ expired }: { expired: boolean }) {
  const { t } = useTranslation();
  const [username, setUsername] = useState("");
  const [password, setPassword] = useState("");
  const [busy, setBusy] = useState(false);
  // What went wrong, translated on render so switching language re-translates it.
  const [error, setError] = useState<Problem | null>(expired ? { key: "errors.UNAUTHENTICATED" } : null);

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!username.trim()) return setError({ key: "login.usernameRequired" });
    if (!password) return setError({ key: "login.passwordRequired" });
    setBusy(true);
    setError(null);
    try {
      await session.login({ username: username.trim(), password });
    } catch (err) {
      setError({ err });
      setBusy(false);
    }
  }

  return (
    <main className="ph-page">
      <header className="ph-brand">
        <h1>{t("app.name")}</h1>
        <p>{t("app.tagline")}</p>
      </header>
      <form className="ph-card ph-form" onSubmit={submit} noValidate>
        <h2>{t("login.title")}</h2>
        <label className="ph-field">
          <span>{t("login.username")}</span>
          <input
            name="username"
            autoComplete="username"
            autoCapitalize="none"
            autoCorrect="off"
            spellCheck={false}
            value={username}
            onChange={(e) => setUsername(e.target.value)}
            required
          />
        </label>
        <label className="ph-field">
          <span>{t("login.password")}</span>
          <input
            name="password"
            type="password"
            autoComplete="current-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            required
          />
        </label>
        {error && (
          <p className="ph-error" role="alert">
            {"key" in error ? t(error.key) : errorText(t, error.err)}
          </p>
        )}
        <button type="submit" className="ph-btn ph-btn-primary" disabled={busy}>
          {busy ? t("login.submitting") : t("login.submit")}
        </button>
        <p className="ph-hint">{t("login.demoHint")}</p>
      </form>
      <LanguageSwitch />
      <ThemeSwitch />
    </main>
  );
}
