import { useEffect, useRef, useState } from "react";
import { Alert, App, Button, Card, Checkbox, Form, InputNumber, Space, Tag, Typography } from "antd";
import { useTranslation } from "react-i18next";
import { api, call, ApiError, type CheckInPolicy } from "../../api/client.js";
import { CheckInPolicyInput } from "../../../../shared/api/check-ins.js";
import { CHECK_IN_MINUTES } from "../../../../shared/check-ins.js";
import { ALERT_LEVELS, type AlertLevel } from "../../../../shared/vocab.js";
import { errorText } from "../../i18n/errors.js";
import { FormProblemBanner, useFormSave } from "../components/useFormSave.js";
import { LEVEL_COLORS } from "./AlertPanel.js";
import { useFormTexts } from "./formKit.js";
import { fmt, useLive, useStationTexts } from "./texts.js";

interface Values {
  levels: AlertLevel[];
  intervalMinutes: number | null;
}
const FIELDS = ["levels", "intervalMinutes"] as const;
const { min, max } = CHECK_IN_MINUTES;

const valuesOf = (p: CheckInPolicy): Values => ({
  levels: ALERT_LEVELS.filter((l) => p.levels.includes(l)),
  intervalMinutes: p.intervalMinutes,
});
const sameValues = (a: Partial<Values>, b: Values) =>
  a.intervalMinutes === b.intervalMinutes &&
  (a.levels ?? []).length === b.levels.length &&
  b.levels.every((l) => a.levels?.includes(l));

/**
 * The campaign's crew check-in policy (夜间报平安, issue 19): on which cold-alert levels every open
 * sortie checks in, and how often. Supervisors and admins set it here; everyone else (station
 * heads) sees the policy in force and who may change it. It follows `check_in.policy_changed`.
 */
export function CheckInPolicyCard({ campaignId, canEdit }: { campaignId: string; canEdit: boolean }) {
  const p = useFormTexts().f.policy;
  const { t: tc } = useTranslation();
  const policy = useLive(
    () => call(api.checkIns.policy, { params: { id: campaignId } }),
    [campaignId],
    ["check_in.policy_changed"],
  );
  // What this page just saved, shown until the reload catches up with it.
  const [saved, setSaved] = useState<CheckInPolicy>();
  const [focusTick, setFocusTick] = useState(0);
  const summaryRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (focusTick) summaryRef.current?.focus();
  }, [focusTick]);

  const loaded = policy.data?.campaignId === campaignId ? policy.data : undefined;
  const mine = saved?.campaignId === campaignId ? saved : undefined;
  const current = mine && (!loaded || mine.version > loaded.version) ? mine : loaded;

  return (
    <Card size="small" title={p.title} data-testid="check-in-policy">
      <Space orientation="vertical" style={{ width: "100%" }}>
        {policy.error != null && <Alert type="error" showIcon title={errorText(tc, policy.error)} />}
        {current && (
          <>
            <div ref={summaryRef} tabIndex={-1} data-testid="check-in-policy-current">
              <PolicyLine policy={current} />
            </div>
            <Typography.Text type="secondary" data-testid="check-in-policy-who">
              {canEdit ? p.whoEdit : p.whoMay}
            </Typography.Text>
            {canEdit && (
              <PolicyForm
                key={campaignId}
                policy={current}
                onSaved={(s) => {
                  setSaved(s);
                  setFocusTick((n) => n + 1);
                }}
              />
            )}
          </>
        )}
      </Space>
    </Card>
  );
}

/** "In force: 橙色 红色 · every 30 min (default)". */
function PolicyLine({ policy }: { policy: CheckInPolicy }) {
  const p = useFormTexts().f.policy;
  const t = useStationTexts();
  return (
    <Space wrap size={4}>
      <Typography.Text strong>{p.inForce}:</Typography.Text>
      {policy.levels.length === 0 ? (
        <span>{p.none}</span>
      ) : (
        <>
          {ALERT_LEVELS.filter((l) => policy.levels.includes(l)).map((l) => (
            <Tag key={l} color={LEVEL_COLORS[l]} data-testid={`check-in-policy-level-${l}`}>
              {t.alert.levels[l]}
            </Tag>
          ))}
          <span data-testid="check-in-policy-every">{fmt(p.every, { n: policy.intervalMinutes })}</span>
        </>
      )}
      {policy.isDefault && <Tag>{p.isDefault}</Tag>}
    </Space>
  );
}

/**
 * The editor. An edit is saved with the version it started from: when someone else saved in
 * between, the server refuses it (409 VERSION_CONFLICT) and the form keeps the user's values,
 * showing the ones now in force; saving again then replaces them knowingly. A live change while
 * the form is untouched is simply followed.
 */
function PolicyForm({ policy, onSaved }: { policy: CheckInPolicy; onSaved: (p: CheckInPolicy) => void }) {
  const p = useFormTexts().f.policy;
  const t = useStationTexts();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const { busy, problem, save } = useFormSave(form, FIELDS);
  // The policy the edit started from: a save is checked against its version, not a later read.
  const [base, setBase] = useState(policy);
  const [conflict, setConflict] = useState<CheckInPolicy | null>(null);
  const conflictRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (policy.version <= base.version) return;
    if (sameValues(form.getFieldsValue(), valuesOf(base))) {
      setBase(policy);
      form.setFieldsValue(valuesOf(policy));
    }
  }, [policy, base, form]);
  useEffect(() => {
    if (conflict) conflictRef.current?.focus();
  }, [conflict]);

  function reset() {
    form.setFieldsValue(valuesOf(base));
    form.setFields(FIELDS.map((name) => ({ name, errors: [] })));
    setConflict(null);
  }

  async function submit(v: Values) {
    const body = {
      levels: ALERT_LEVELS.filter((l) => v.levels?.includes(l)),
      intervalMinutes: v.intervalMinutes ?? Number.NaN,
      version: base.version,
    };
    const out: { saved?: CheckInPolicy; fresh?: CheckInPolicy } = {};
    await save(CheckInPolicyInput, body, async () => {
      try {
        out.saved = await call(api.checkIns.setPolicy, { params: { id: policy.campaignId }, body });
      } catch (err) {
        if (!(err instanceof ApiError && err.code === "VERSION_CONFLICT")) throw err;
        out.fresh = await call(api.checkIns.policy, { params: { id: policy.campaignId } });
      }
    });
    if (out.fresh) {
      // Nothing overwritten: the edit stays in the form, against the version now in force.
      setBase(out.fresh);
      setConflict(out.fresh);
    } else if (out.saved) {
      setBase(out.saved);
      setConflict(null);
      form.setFieldsValue(valuesOf(out.saved));
      void message.success(p.saved);
      onSaved(out.saved);
    }
  }

  const intervalRule = {
    validator: (_: unknown, v: unknown) =>
      typeof v === "number" && Number.isInteger(v) && v >= min && v <= max
        ? Promise.resolve()
        : Promise.reject(new Error(fmt(p.intervalError, { min, max }))),
  };

  return (
    <Form<Values>
      form={form}
      name="check-in-policy"
      layout="vertical"
      initialValues={valuesOf(base)}
      onFinish={(v) => void submit(v)}
      scrollToFirstError={{ focus: true }}
      disabled={busy}
      data-testid="check-in-policy-form"
    >
      <Typography.Paragraph type="secondary" style={{ marginBottom: 8 }}>
        {p.hint}
      </Typography.Paragraph>
      {conflict && (
        <div ref={conflictRef} tabIndex={-1} style={{ marginBottom: 12 }}>
          <Alert
            type="warning"
            showIcon
            role="alert"
            data-testid="check-in-policy-conflict"
            title={p.conflict}
            description={
              <Space orientation="vertical">
                <span>
                  {fmt(p.conflictNow, {
                    levels: conflict.levels.length
                      ? ALERT_LEVELS.filter((l) => conflict.levels.includes(l))
                          .map((l) => t.alert.levels[l])
                          .join(p.sep)
                      : p.none,
                    n: conflict.intervalMinutes,
                  })}
                </span>
                <Button size="small" onClick={reset} data-testid="check-in-policy-use-fresh">
                  {p.useFresh}
                </Button>
              </Space>
            }
          />
        </div>
      )}
      <Form.Item name="levels" label={p.levels}>
        <Checkbox.Group
          role="group"
          aria-label={p.levels}
          options={ALERT_LEVELS.map((l) => ({ value: l, label: t.alert.levels[l] }))}
          data-testid="check-in-policy-levels"
        />
      </Form.Item>
      <Form.Item
        name="intervalMinutes"
        label={p.interval}
        extra={fmt(p.intervalHint, { min, max })}
        rules={[intervalRule]}
        validateTrigger="onBlur"
      >
        <InputNumber style={{ width: 140 }} data-testid="check-in-policy-interval" />
      </Form.Item>
      <FormProblemBanner problem={problem} />
      <Space style={{ marginTop: problem ? 8 : 0 }}>
        <Button type="primary" htmlType="submit" loading={busy} data-testid="check-in-policy-save">
          {p.save}
        </Button>
        <Button onClick={reset}>{p.reset}</Button>
      </Space>
    </Form>
  );
}
