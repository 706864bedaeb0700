import { Suspense, lazy, useCallback, useEffect, useMemo, useState, type ComponentType } from "react";
import { Alert, App, Descriptions, Divider, Drawer, Space, Spin, Tag, Typography } from "antd";
import { useTranslation } from "react-i18next";
import { api, call } from "../../api/client.js";
import type { Case, CaseDetail } from "../../../../shared/api/cases.js";
import { haversineMeters } from "../../../../shared/geo.js";
import { describeUrgency } from "../../../../shared/urgency.js";
import { useDomainEvents } from "../../realtime/hooks.js";
import { errorText } from "../../i18n/errors.js";
import { useSession } from "../../shared-ui/session.js";
import { URGENCY_TAG } from "../../map/colors.js";
import { fmt, useDutyTexts, useReasonLang } from "./texts.js";
import { upsertCase } from "./cases-store.js";
import { CallsTimeline } from "./CallsTimeline.js";
import { CaseActions, type Override } from "./CaseActions.js";

/**
 * The dispatch panel is built by the dispatch module in web/src/desk/dispatch. It is
 * picked up at build time if the file exists; until then a marked placeholder stands in its slot.
 */
const dispatchModules = import.meta.glob("../dispatch/DispatchPanel.tsx");
const loadDispatch = dispatchModules["../dispatch/DispatchPanel.tsx"];
const DispatchPanel = loadDispatch
  ? lazy(async () => ({
      default: (
        (await loadDispatch()) as {
          DispatchPanel: ComponentType<{
            caseId: string;
            onRecommendations?: (vehicleIds: string[]) => void;
            focusFirst?: number;
          }>;
        }
      ).DispatchPanel,
    }))
  : null;

const WRITERS = ["operator", "head"];

/** Case details beside the map: calls, triage override, merge and un-merge, and the dispatch slot. */
export function CaseDrawer({
  caseId,
  queue,
  onClose,
  container,
  onRecommendations,
  focusFirstRecommendation,
}: {
  caseId: string | null;
  queue: readonly Case[];
  onClose: () => void;
  /** Element the drawer opens in (the queue's column), so the map and the intake form stay usable. */
  container?: HTMLElement | null;
  /** The vehicles recommended for the case, best first (the page fits the map to them). */
  onRecommendations?: (caseId: string, vehicleIds: string[]) => void;
  /** Changes (Alt+D) when focus should go to the first recommended vehicle's Dispatch button. */
  focusFirstRecommendation?: number;
}) {
  const tx = useDutyTexts();
  const lang = useReasonLang();
  const { t } = useTranslation();
  const { message } = App.useApp();
  const s = useSession();
  const canWrite = s.status === "signedIn" && WRITERS.includes(s.me.role);
  const [detail, setDetail] = useState<CaseDetail | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [override, setOverride] = useState<Override>({ reason: "" });
  const [mergeInto, setMergeInto] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);

  const load = useCallback(async (id: string) => {
    try {
      setDetail(await call(api.cases.get, { params: { id } }));
      setError(null);
    } catch (err) {
      setError(err);
    }
  }, []);

  useEffect(() => {
    setDetail(null);
    setOverride({ reason: "" });
    setMergeInto(undefined);
    if (caseId) void load(caseId);
  }, [caseId, load]);

  // Anyone's change to this case re-reads it (calls added, merged, un-merged, dispatched...).
  useDomainEvents((e) => {
    if (!caseId) return;
    if (JSON.stringify(e.payload).includes(caseId)) void load(caseId);
  });

  const mergeOptions = useMemo(() => {
    if (!detail) return [];
    return queue
      .filter((c) => c.id !== detail.id && c.stationId === detail.stationId)
      .map((c) => ({ c, d: haversineMeters(c, detail) }))
      .sort((a, b) => a.d - b.d)
      .slice(0, 30)
      .map(({ c, d }) => ({
        value: c.id,
        label: `${tx.urgency[c.urgency]} · ${c.placeText || c.description || c.id.slice(0, 8)} · ${Math.round(d)} m`,
      }));
  }, [queue, detail, tx]);

  const act = async (fn: () => Promise<void>) => {
    setBusy(true);
    try {
      await fn();
    } catch (err) {
      message.error(errorText(t, err));
      if (caseId) void load(caseId);
    } finally {
      setBusy(false);
    }
  };

  const saveOverride = () =>
    act(async () => {
      if (!detail || !override.urgency || !override.reason.trim()) return;
      const c = await call(api.cases.overrideUrgency, {
        params: { id: detail.id },
        body: { urgency: override.urgency, reason: override.reason, version: detail.version },
      });
      upsertCase(c);
      setOverride({ reason: "" });
      await load(detail.id);
    });
  const doMerge = () =>
    act(async () => {
      if (!detail || !mergeInto) return;
      const r = await call(api.cases.merge, {
        params: { id: detail.id },
        body: { intoId: mergeInto, version: detail.version },
      });
      upsertCase(r.from);
      const { calls: _c, ...into } = r.into;
      upsertCase(into);
      message.success(tx.detail.mergedOk);
      onClose();
    });
  const unmerge = (callId: string) =>
    act(async () => {
      const r = await call(api.cases.unmerge, { params: { id: callId } });
      for (const d of [r.from, r.to]) {
        const { calls: _c, ...c } = d;
        upsertCase(c);
      }
      message.success(tx.detail.unmerged);
      if (detail) await load(detail.id);
    });

  const d = detail;
  return (
    <Drawer
      open={!!caseId}
      onClose={onClose}
      size="100%"
      title={tx.detail.title}
      mask={false}
      destroyOnHidden
      getContainer={container ?? undefined}
      rootStyle={container ? { position: "absolute" } : undefined}
      data-testid="case-drawer"
    >
      {!!error && <Alert type="error" showIcon title={errorText(t, error)} />}
      {!d && !error && <Spin />}
      {d && (
        <>
          <Space wrap style={{ marginBottom: 8 }}>
            <Tag color={URGENCY_TAG[d.urgency]}>{tx.urgency[d.urgency]}</Tag>
            <Tag>{tx.status[d.status]}</Tag>
            <Typography.Text type="secondary">{tx.source[d.source]}</Typography.Text>
          </Space>
          <Descriptions
            size="small"
            column={1}
            bordered
            // A fixed, unwrapped label column: a narrow drawer must not break 依据 into 依/据.
            styles={{ label: { width: "6.5em", whiteSpace: "nowrap" } }}
            items={[
              {
                key: "reason",
                label: tx.detail.reason,
                children: (
                  <>
                    {describeUrgency(d.urgencyReasons, lang)}
                    {d.urgencyOverridden && (
                      <div>
                        <Typography.Text type="warning">
                          {fmt(tx.detail.overridden, {
                            reason: d.urgencyOverrideReason ?? "",
                            computed: tx.urgency[d.computedUrgency],
                          })}
                        </Typography.Text>
                      </div>
                    )}
                  </>
                ),
              },
              {
                key: "place",
                label: tx.detail.place,
                children: `${d.placeText || "—"} (${d.lat.toFixed(5)}, ${d.lng.toFixed(5)})`,
              },
              { key: "people", label: tx.detail.people, children: d.peopleCount },
              { key: "flags", label: tx.detail.flags, children: d.flags.map((f) => <Tag key={f}>{tx.flag[f]}</Tag>) },
              { key: "temp", label: tx.detail.temp, children: d.temperatureC === null ? "—" : `${d.temperatureC} °C` },
              { key: "received", label: tx.detail.received, children: new Date(d.receivedAt).toLocaleString() },
              ...(d.notes ? [{ key: "notes", label: tx.detail.notes, children: d.notes }] : []),
            ]}
          />

          <Divider titlePlacement="start">{tx.detail.dispatch}</Divider>
          <div data-testid="dispatch-slot">
            {DispatchPanel ? (
              <Suspense fallback={<Spin size="small" />}>
                <DispatchPanel
                  caseId={d.id}
                  onRecommendations={(ids) => onRecommendations?.(d.id, ids)}
                  focusFirst={focusFirstRecommendation}
                />
              </Suspense>
            ) : (
              // PLACEHOLDER: replaced automatically by web/src/desk/dispatch/DispatchPanel.tsx once it exists.
              <Alert type="info" title={tx.detail.dispatchPending} />
            )}
          </div>

          <Divider titlePlacement="start">{fmt(tx.detail.calls, { count: d.calls.length })}</Divider>
          <CallsTimeline detail={d} canUnmerge={canWrite} busy={busy} onUnmerge={unmerge} />

          {canWrite && (d.status === "open" || d.status === "dispatched" || d.status === "on_scene") && (
            <CaseActions
              detail={d}
              busy={busy}
              override={override}
              setOverride={setOverride}
              onSaveOverride={saveOverride}
              mergeOptions={mergeOptions}
              mergeInto={mergeInto}
              setMergeInto={setMergeInto}
              onMerge={doMerge}
            />
          )}
        </>
      )}
    </Drawer>
  );
}
