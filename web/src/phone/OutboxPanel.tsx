import { useSyncExternalStore } from "react";
import { useTranslation } from "./i18n.js";
import { outbox } from "./outbox.js";
import { errorKey } from "../../../shared/error-messages.js";

/** What waits in the outbox, and what the server confirmed or rejected lately. */
export function OutboxPanel() {
  const { t } = useTranslation("fleet");
  const { t: tc } = useTranslation();
  const box = useSyncExternalStore(outbox.subscribe, outbox.get, outbox.get);
  return (
    <section className="ph-card ph-outbox" aria-label={t("phone.waiting")}>
      <h2>
        {t("phone.waiting")} {box.waiting.length}
        {box.sending ? ` · ${t("phone.sending")}` : ""}
      </h2>
      <ul>
        {box.waiting.map((w) => (
          <li key={w.seq} className="ph-wait">
            ⏳ {w.label}
          </li>
        ))}
        {box.done.slice(0, 8).map((d) => (
          <li key={`${d.seq}-${d.at}`} className={d.result === "confirmed" ? "ph-ok" : "ph-bad"}>
            {d.result === "confirmed" ? `✓ ${t("phone.confirmed")}` : `✗ ${t("phone.rejected")}`} · {d.label}
            {d.result === "rejected" && (
              <span className="ph-reason" data-code={errorKey(d.code)} title={d.error}>
                {" — "}
                {tc(`errors.${errorKey(d.code)}`)} · {tc(`errorsNext.${errorKey(d.code)}`)}
              </span>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
