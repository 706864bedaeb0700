import { useCallback, useEffect, useRef, useState } from "react";
import { Alert, App, Button, Input, List, Popconfirm, Select, Space, Tag, Typography } from "antd";
import { RecommendationList } from "./RecommendationList.js";
import { useTranslation } from "react-i18next";
import { api, call, ApiError } from "../../api/client.js";
import type { Recommendation, Task } from "../../../../shared/api/dispatch.js";
import { useDomainEvents } from "../../realtime/hooks.js";
import { errorText } from "../../i18n/errors.js";
import { fmt, useFleetTexts } from "./texts.js";

const ACTIVE = new Set(["assigned", "acknowledged", "en_route", "on_scene"]);
const TASK_COLOR: Record<string, string> = {
  assigned: "gold",
  acknowledged: "blue",
  en_route: "geekblue",
  on_scene: "purple",
  cleared: "green",
  cancelled: "default",
};
const time = (iso: string | null) =>
  iso ? new Date(iso).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit", second: "2-digit" }) : "—";

/**
 * Dispatch for one case: available vehicles ranked by distance with ETA, assign with one click,
 * and the case's tasks with their CAD times, reassign and cancel. Refreshes from the event
 * stream, so two dispatchers see each other's moves; a lost race shows the server's reason.
 * Keyboard: `focusFirst` changing puts focus on the first recommended vehicle's Dispatch button
 * (the duty room's Alt+D); after a dispatch, focus moves to the new task, not to the page body.
 */
export function DispatchPanel({
  caseId,
  onRecommendations,
  focusFirst,
}: {
  caseId: string;
  /** The recommended vehicles' ids, best first, each time they are read. */
  onRecommendations?: (vehicleIds: string[]) => void;
  /** A new value asks for focus on the first recommended vehicle's Dispatch button. */
  focusFirst?: number;
}) {
  const tx = useFleetTexts();
  const { t } = useTranslation();
  const { message, modal } = App.useApp();
  const reportRecs = useRef(onRecommendations);
  reportRecs.current = onRecommendations;
  const [recs, setRecs] = useState<Recommendation[]>([]);
  const [speed, setSpeed] = useState(25);
  const [tasks, setTasks] = useState<Task[]>([]);
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [reason, setReason] = useState("");
  const root = useRef<HTMLDivElement>(null);
  // The focus request served last, and the task to focus once it is listed.
  const served = useRef(0);
  const [focusTask, setFocusTask] = useState<string | null>(null);

  const load = useCallback(async () => {
    try {
      const [r, ts] = await Promise.all([
        call(api.dispatch.recommendations, { params: { id: caseId } }),
        call(api.dispatch.list, { query: { caseId, limit: 20 } }),
      ]);
      setRecs(r.items);
      reportRecs.current?.(r.items.map((x) => x.vehicleId));
      setSpeed(r.speedKmh);
      setTasks(ts.items);
    } catch (err) {
      setError(errorText(t, err));
    }
  }, [caseId, t]);
  useEffect(() => {
    void load();
  }, [load]);
  useEffect(() => {
    if (!focusFirst || served.current === focusFirst || !recs.length) return;
    const button = root.current?.querySelector<HTMLElement>('[data-testid="recommendation"] .ant-btn-primary');
    if (!button) return;
    served.current = focusFirst;
    button.focus();
  }, [focusFirst, recs]);
  useEffect(() => {
    if (!focusTask) return;
    const item = root.current?.querySelector<HTMLElement>(`[data-task-id="${focusTask}"]`);
    if (!item) return;
    setFocusTask(null);
    item.focus();
  }, [focusTask, tasks]);
  useDomainEvents((e) => {
    if (e.type.startsWith("assignment.") || e.type === "vehicle.status_changed") void load();
  });

  const run = async (key: string, work: () => Promise<unknown>) => {
    setBusy(key);
    setError(null);
    try {
      await work();
      message.success(tx.dispatch.done);
    } catch (err) {
      setError(
        err instanceof ApiError && err.code === "VERSION_CONFLICT"
          ? `${tx.dispatch.conflict} (${err.message})`
          : errorText(t, err),
      );
    } finally {
      setBusy(null);
      void load();
    }
  };
  /** Sending a vehicle nobody is on would leave the task unseen: ask first. */
  const confirmNoCrew = (r: Recommendation, then: () => void) => {
    if (r.crewCount > 0) return then();
    modal.confirm({
      title: fmt(tx.dispatch.confirmNoCrewTitle, { callSign: r.callSign }),
      content: tx.dispatch.confirmNoCrew,
      okText: tx.dispatch.assign,
      okButtonProps: { danger: true },
      cancelText: tx.dispatch.back,
      // Focus goes to the new task, not back to the button.
      focusable: { focusTriggerAfterClose: false },
      onOk: then,
    });
  };
  const assign = (r: Recommendation) =>
    run(r.vehicleId, async () => {
      const task = await call(api.dispatch.assign, {
        body: { id: crypto.randomUUID(), caseId, vehicleId: r.vehicleId, vehicleVersion: r.vehicleVersion },
      });
      setFocusTask(task.id);
    });
  const reassign = (task: Task, r: Recommendation) =>
    run(task.id, () =>
      call(api.dispatch.reassign, {
        params: { id: task.id },
        body: {
          id: crypto.randomUUID(),
          version: task.version,
          vehicleId: r.vehicleId,
          vehicleVersion: r.vehicleVersion,
        },
      }),
    );
  const cancel = (task: Task) =>
    run(task.id, () => call(api.dispatch.cancel, { params: { id: task.id }, body: { version: task.version, reason } }));

  const active = tasks.filter((x) => ACTIVE.has(x.status));
  return (
    <div className="wl-dispatch" ref={root}>
      <Typography.Title level={5}>{tx.dispatch.recommended}</Typography.Title>
      {error && (
        <Alert
          type="error"
          showIcon
          message={error}
          closable
          onClose={() => setError(null)}
          style={{ marginBottom: 8 }}
        />
      )}
      <RecommendationList recs={recs} busy={busy} onAssign={(r) => confirmNoCrew(r, () => void assign(r))} />
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {fmt(tx.dispatch.speed, { kmh: speed })}
      </Typography.Text>

      <Typography.Title level={5} style={{ marginTop: 16 }}>
        {tx.dispatch.tasks}
      </Typography.Title>
      <List
        size="small"
        dataSource={tasks}
        renderItem={(task) => (
          <List.Item tabIndex={-1} data-task-id={task.id} className="wl-dispatch-task">
            <Space direction="vertical" size={2} style={{ width: "100%" }}>
              <Space wrap>
                <strong>{task.callSign}</strong>
                <Tag color={TASK_COLOR[task.status]}>{tx.taskStatus[task.status]}</Tag>
                {task.cancelReason && <Typography.Text type="secondary">{task.cancelReason}</Typography.Text>}
              </Space>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {tx.taskStatus.assigned} {time(task.dispatchedAt)} · {tx.taskStatus.acknowledged}{" "}
                {time(task.acknowledgedAt)} · {tx.taskStatus.en_route} {time(task.enRouteAt)} · {tx.taskStatus.on_scene}{" "}
                {time(task.onSceneAt)} · {tx.taskStatus.cleared} {time(task.clearedAt)}
              </Typography.Text>
              {active.includes(task) && (
                <Space wrap>
                  <Select
                    size="small"
                    aria-label={`${task.callSign} · ${tx.dispatch.reassignTo}`}
                    style={{ minWidth: 160 }}
                    placeholder={tx.dispatch.reassignTo}
                    disabled={!!busy || !recs.length}
                    options={recs.map((r) => ({
                      value: r.vehicleId,
                      label: `${r.callSign}${r.etaMinutes ? ` · ${fmt(tx.dispatch.eta, { min: r.etaMinutes })}` : ""}`,
                    }))}
                    value={null}
                    onChange={(v: string) => {
                      const r = recs.find((x) => x.vehicleId === v);
                      if (!r) return;
                      modal.confirm({
                        title: fmt(tx.dispatch.confirmReassign, { callSign: r.callSign }),
                        content: r.crewCount > 0 ? undefined : tx.dispatch.confirmNoCrew,
                        okText: tx.dispatch.reassign,
                        cancelText: tx.dispatch.back,
                        onOk: () => void reassign(task, r),
                      });
                    }}
                  />
                  <Popconfirm
                    okText={tx.dispatch.cancel}
                    cancelText={tx.dispatch.back}
                    okButtonProps={{ danger: true }}
                    description={fmt(tx.dispatch.confirmCancel, { callSign: task.callSign })}
                    title={
                      <Input
                        placeholder={tx.dispatch.cancelReason}
                        value={reason}
                        onChange={(e) => setReason(e.target.value)}
                      />
                    }
                    onConfirm={() => void cancel(task)}
                  >
                    <Button size="small" danger loading={busy === task.id}>
                      {tx.dispatch.cancel}
                    </Button>
                  </Popconfirm>
                </Space>
              )}
            </Space>
          </List.Item>
        )}
      />
    </div>
  );
}

export default DispatchPanel;
