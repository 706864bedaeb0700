import { useEffect, useState, useSyncExternalStore } from "react";
import { useTranslation } from "./i18n.js";
import type { Me } from "../../../shared/api/auth.js";
import { call } from "../api/http.js";
import { routes } from "../shared-ui/routes.js";
import { session } from "../shared-ui/session.js";
import { useEventStream, useResync } from "../realtime/hooks.js";
import { errorText } from "../i18n/errors.js";
import { LanguageSwitch } from "./LanguageSwitch.js";
import { ThemeSwitch } from "./ThemeSwitch.js";
import { Patrol } from "./Patrol.js";
import { outbox } from "./outbox.js";

/** The patrol's home screen: who and where I am, whether I am connected, and my current task. */
export function Home({ me }: { me: Me }) {
  const { t } = useTranslation();
  const { t: tp } = useTranslation("phone");
  const { status } = useEventStream();
  const [stationName, setStationName] = useState<string | null>(null);
  const [reload, setReload] = useState(0);
  const [error, setError] = useState<unknown>(null);
  // Actions recorded on this phone and not yet confirmed by the server.
  const queued = useSyncExternalStore(outbox.subscribe, outbox.get, outbox.get).waiting.length;

  useEffect(() => {
    if (!me.stationId) return;
    const ctl = new AbortController();
    call(routes.stations, { signal: ctl.signal })
      .then((r) => setStationName(r.items.find((s) => s.id === me.stationId)?.name ?? null))
      .catch((err: unknown) => {
        if (!ctl.signal.aborted) setError(err);
      });
    return () => ctl.abort();
  }, [me.stationId, reload]);

  // Too long offline: whatever this screen shows must be reloaded from the server.
  useResync(() => setReload((n) => n + 1));

  async function logout() {
    try {
      await session.logout();
    } catch {
      /* already signed out locally; the server session expires on its own */
    }
  }

  const station = me.stationId ? (stationName ?? "…") : t("scope.allStations");

  return (
    <main className="ph-page">
      <header className="ph-top">
        <div className="ph-who">
          <strong>{me.displayName}</strong>
          <span>{t(`roles.${me.role}`)}</span>
          <span>
            {tp("station")}: {station}
          </span>
        </div>
        <div className={`ph-status ph-status-${status}`} role="status" aria-live="polite" title={t("stream.title")}>
          <span className="ph-dot" aria-hidden="true" />
          <span>{t(`stream.${status}`)}</span>
          <span className="ph-queued">{tp("queued", { count: queued })}</span>
        </div>
      </header>

      {error != null && (
        <p className="ph-error" role="alert">
          {errorText(t, error)}
        </p>
      )}

      {me.role === "patrol" || me.role === "head" || me.role === "admin" ? (
        <Patrol me={me} />
      ) : (
        <section className="ph-card ph-task" aria-labelledby="task-title">
          <h2 id="task-title">{tp("task.title")}</h2>
          <p className="ph-task-none">{tp("task.none")}</p>
          <p className="ph-hint">{tp("task.hint")}</p>
        </section>
      )}

      {me.role !== "patrol" && (
        <a className="ph-btn ph-btn-secondary" href="/">
          {tp("openDesk")}
        </a>
      )}
      <LanguageSwitch />
      <ThemeSwitch />
      <button type="button" className="ph-btn ph-btn-secondary" onClick={() => void logout()}>
        {t("actions.logout")}
      </button>
    </main>
  );
}
