import { useEffect, useState } from "react";
import type { CrewTaskStatus } from "../../../shared/api/dispatch.js";
import { useTranslation } from "./i18n.js";

/** The next step a crew sees for a task status (the big button), and a further one it may take. */
const NEXT: Record<string, { main: CrewTaskStatus; also?: CrewTaskStatus }> = {
  assigned: { main: "acknowledged" },
  acknowledged: { main: "en_route", also: "on_scene" },
  en_route: { main: "on_scene" },
  on_scene: { main: "cleared" },
};
const STEP_LABEL = { acknowledged: "ack", en_route: "enRoute", on_scene: "onScene", cleared: "clear" } as const;

/** Repeats of a tap within this time are a gloved double tap, not a second step. */
const TAP_LOCK_MS = 600;

/** A step the crew may still take back: its label and until when. */
export interface UndoableStep {
  status: CrewTaskStatus;
  until: number;
}

/**
 * The task's step buttons, built so a double tap cannot skip a step: after each step every step
 * button is disabled for TAP_LOCK_MS and the big button changes (new label, a short
 * fade-in; 完成 is a small button below 记录人员), so a second tap lands on nothing. The
 * last step can be undone for a few seconds. 完成 with nobody recorded asks first.
 */
export function StepButtons({
  status,
  onStep,
  onRecord,
  undo,
  onUndo,
  nobodyRecorded,
}: {
  status: string;
  onStep: (s: CrewTaskStatus) => void;
  onRecord: () => void;
  undo: UndoableStep | null;
  onUndo: () => void;
  nobodyRecorded: boolean;
}) {
  const { t } = useTranslation("fleet");
  const [lockedFor, setLockedFor] = useState<string | null>(null);
  const [confirming, setConfirming] = useState(false);
  const next = NEXT[status];
  // The lock starts with every change of status (ours or the duty room's) and ends after TAP_LOCK_MS.
  useEffect(() => {
    setLockedFor(status);
    setConfirming(false);
    const timer = setTimeout(() => setLockedFor(null), TAP_LOCK_MS);
    return () => clearTimeout(timer);
  }, [status]);
  const locked = lockedFor === status;
  const [, tick] = useState(0);
  useEffect(() => {
    if (!undo) return;
    const timer = setTimeout(() => tick((n) => n + 1), Math.max(0, undo.until - Date.now()));
    return () => clearTimeout(timer);
  }, [undo]);
  const undoShown = undo && undo.until > Date.now();

  const stepButton = (s: CrewTaskStatus, big: boolean, label = t(`phone.${STEP_LABEL[s]}`)) => (
    <button
      key={`${status}-${s}`}
      type="button"
      className={`ph-btn ${big ? "ph-btn-primary ph-btn-big" : "ph-btn-secondary"}`}
      disabled={locked}
      data-step={s}
      onClick={() => {
        if (s === "cleared" && nobodyRecorded && !confirming) setConfirming(true);
        else onStep(s);
      }}
    >
      {label}
    </button>
  );

  const rows: React.ReactNode[] = [];
  if (next && next.main !== "cleared") {
    rows.push(stepButton(next.main, true));
    if (next.also) rows.push(stepButton(next.also, false, t("phone.alsoOnScene")));
  }
  if (status === "on_scene") {
    rows.push(
      <button key="record" type="button" className="ph-btn ph-btn-primary ph-btn-big" onClick={onRecord}>
        {t("phone.record")}
      </button>,
    );
    if (confirming) {
      rows.push(
        <div key="confirm" className="ph-confirm" role="alertdialog" aria-label={t("phone.clearNobody")}>
          <p>{t("phone.clearNobody")}</p>
          <button type="button" className="ph-btn ph-btn-danger" onClick={() => onStep("cleared")}>
            {t("phone.clearAnyway")}
          </button>
          <button type="button" className="ph-btn ph-btn-secondary" onClick={() => setConfirming(false)}>
            {t("phone.back")}
          </button>
        </div>,
      );
    } else rows.push(stepButton("cleared", false));
  }
  return (
    <div className="ph-steps" data-testid="task-steps" data-locked={locked ? "true" : "false"}>
      {rows}
      {undoShown && (
        <button type="button" className="ph-btn ph-btn-undo" onClick={onUndo}>
          {t("phone.undo", { s: t(`phone.${STEP_LABEL[undo.status]}`) })}
        </button>
      )}
    </div>
  );
}
