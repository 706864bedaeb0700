import { useEffect, useMemo, useRef, useState } from "react";
import { App, Button, Card, Checkbox, Form, Input, InputNumber, Select, Space, Tag, Typography } from "antd";
import { useTranslation } from "react-i18next";
import { api, call } from "../../api/client.js";
import type { DuplicateCandidate, SightingCreate } from "../../../../shared/api/cases.js";
import type { KeyPointMapItem } from "../../../../shared/api/keypoints.js";
import type { LatLng } from "../../../../shared/geo.js";
import {
  CONDITION_FLAGS,
  SOURCE_CHANNELS,
  type AlertLevel,
  type ConditionFlag,
  type SourceChannel,
} from "../../../../shared/vocab.js";
import { computeUrgency, describeUrgency } from "../../../../shared/urgency.js";
import { errorText } from "../../i18n/errors.js";
import { uuid } from "../../shared-ui/uuid.js";
import { URGENCY_TAG } from "../../map/colors.js";
import { fmt, useDutyTexts, useReasonLang } from "./texts.js";
import { upsertCase } from "./cases-store.js";
import { DuplicatesPanel, type DuplicateChoice } from "./DuplicatesPanel.js";
import { PlaceSearch } from "./PlaceSearch.js";

interface Values {
  source: SourceChannel;
  callerName?: string;
  callerPhone?: string;
  callerWantsOutcome?: boolean;
  keyPointId?: string;
  placeText?: string;
  peopleCount?: number;
  temperatureC?: number | null;
  flags: ConditionFlag[];
  description?: string;
  notes?: string;
}

const INITIAL: Values = { source: "public_hotline", flags: [], peopleCount: 1 };
/** Operators pick these by hand; partner systems report through Open311. */
const OPERATOR_SOURCES = SOURCE_CHANNELS.filter((s) => s !== "partner_system");

interface IntakeFormProps {
  /** Position of the call (map click or key point), WGS-84. */
  picked: LatLng | null;
  onPick: (p: LatLng | null) => void;
  /** Centre the map here (a place found by name or a key point chosen). */
  onFocus?: (p: LatLng) => void;
  keyPoints: readonly KeyPointMapItem[];
  alertLevel: AlertLevel | null;
  /** A case the call was filed into or opened, to highlight it. */
  onFiled: (caseId: string) => void;
}

/**
 * The call-taking form, keyboard first: the source field has focus on load; Enter submits (Ctrl+Enter
 * from a text area or a picker); Alt+K jumps to the key point, Alt+L to the place (a name or typed
 * coordinates); Alt+1..9 toggle the condition flags; Alt+N or Esc start a fresh call. After filing,
 * a live region says what happened and that Alt+D (the duty room's) opens the case to dispatch. Duplicates
 * are looked up as soon as there is a position, and the expected urgency is previewed with the same
 * rule the server applies. The client id is kept until the server answers, so a retry after a
 * network failure cannot file the call twice.
 */
export function IntakeForm({ picked, onPick, onFocus, keyPoints, alertLevel, onFiled }: IntakeFormProps) {
  const tx = useDutyTexts();
  const lang = useReasonLang();
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const [id, setId] = useState(uuid);
  // The call the form holds now: a filing answered after the operator began the next call (Alt+N)
  // must not clear the new one.
  const idNow = useRef(id);
  idNow.current = id;
  const [busy, setBusy] = useState(false);
  const [dups, setDups] = useState<DuplicateCandidate[]>([]);
  const [choice, setChoice] = useState<DuplicateChoice>(null);
  const sourceRef = useRef<{ focus: () => void } | null>(null);
  const keyPointRef = useRef<{ focus: () => void } | null>(null);
  const placeBox = useRef<HTMLDivElement>(null);
  // What the last filing did, said in a live region beside the buttons (and how to dispatch it).
  const [filed, setFiled] = useState("");
  const flags = Form.useWatch("flags", form) ?? [];
  const temperatureC = Form.useWatch("temperatureC", form);

  const reset = () => {
    form.resetFields();
    setId(uuid());
    setChoice(null);
    setDups([]);
    onPick(null);
    // After the form has redrawn; not if the operator has already moved on (Alt+K, Alt+L, a click).
    const before = document.activeElement;
    setTimeout(() => {
      if (document.activeElement === before || document.activeElement === document.body) sourceRef.current?.focus();
    }, 0);
  };

  // Duplicates while typing: as soon as there is a position (debounced).
  useEffect(() => {
    setChoice(null);
    if (!picked) {
      setDups([]);
      return;
    }
    const ctl = new AbortController();
    const timer = setTimeout(() => {
      call(api.cases.duplicates, { query: { lat: picked.lat, lng: picked.lng }, signal: ctl.signal })
        .then((r) => setDups(r.items))
        .catch(() => {
          /* offered again on the next change */
        });
    }, 250);
    return () => {
      clearTimeout(timer);
      ctl.abort();
    };
  }, [picked]);

  // Alt+N / Alt+1..9 anywhere on the page.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (!e.altKey || e.ctrlKey || e.metaKey) return;
      if (e.code === "KeyN") {
        e.preventDefault();
        reset();
        return;
      }
      if (e.code === "KeyK") {
        e.preventDefault();
        keyPointRef.current?.focus();
        return;
      }
      if (e.code === "KeyL") {
        e.preventDefault();
        placeBox.current?.querySelector("input")?.focus();
        return;
      }
      const n = /^Digit([1-9])$/.exec(e.code)?.[1];
      if (n) {
        e.preventDefault();
        const f = CONDITION_FLAGS[Number(n) - 1]!;
        const cur = (form.getFieldValue("flags") as ConditionFlag[]) ?? [];
        form.setFieldValue("flags", cur.includes(f) ? cur.filter((x) => x !== f) : [...cur, f]);
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  const preview = useMemo(
    () => computeUrgency({ flags, temperatureC: temperatureC ?? null, alertLevel }),
    [flags, temperatureC, alertLevel],
  );

  const submit = async (v: Values) => {
    if (!picked) {
      message.warning(tx.intake.needPosition);
      return;
    }
    const body: SightingCreate = {
      id,
      source: v.source as Exclude<SourceChannel, "partner_system">,
      callerName: v.callerName || null,
      callerPhone: v.callerPhone || null,
      callerWantsOutcome: !!v.callerPhone && !!v.callerWantsOutcome,
      lat: picked.lat,
      lng: picked.lng,
      placeText: v.placeText ?? "",
      keyPointId: v.keyPointId ?? null,
      peopleCount: v.peopleCount ?? 1,
      description: v.description ?? "",
      flags: v.flags ?? [],
      temperatureC: v.temperatureC ?? null,
      notes: v.notes ?? "",
      ...(choice && "mergeInto" in choice ? { mergeInto: choice.mergeInto, newCase: false } : { newCase: !!choice }),
    };
    setBusy(true);
    try {
      const r = await call(api.cases.createSighting, { body });
      const { calls: _calls, ...kase } = r.case;
      upsertCase(kase);
      const what = r.outcome === "created" ? tx.intake.created : fmt(tx.intake.merged, { count: r.case.callerCount });
      message.success(what);
      setFiled(fmt(tx.intake.filedHint, { what }));
      onFiled(r.case.id);
      if (idNow.current === body.id) reset();
    } catch (err) {
      message.error(errorText(t, err));
    } finally {
      setBusy(false);
    }
  };

  const pickKeyPoint = (kpId: string | undefined) => {
    const kp = keyPoints.find((k) => k.id === kpId);
    if (!kp) return;
    onPick({ lat: kp.lat, lng: kp.lng });
    onFocus?.({ lat: kp.lat, lng: kp.lng });
    if (!form.getFieldValue("placeText")) form.setFieldValue("placeText", kp.name);
  };

  return (
    <Card size="small" title={tx.intake.title} extra={<kbd className="wl-kbd">Alt+N</kbd>}>
      <Form<Values>
        form={form}
        layout="vertical"
        size="small"
        initialValues={INITIAL}
        onFinish={submit}
        requiredMark={false}
        onKeyDown={(e) => {
          if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) {
            e.preventDefault();
            form.submit();
          }
          if (e.key === "Escape") {
            e.preventDefault();
            reset();
          }
        }}
        data-testid="intake-form"
      >
        <Space.Compact block>
          <Form.Item name="source" label={tx.intake.source} style={{ width: "50%" }}>
            <Select
              ref={(r) => {
                sourceRef.current = r;
              }}
              autoFocus
              aria-describedby="wl-intake-keys"
              showSearch
              optionFilterProp="label"
              options={OPERATOR_SOURCES.map((s) => ({ value: s, label: tx.source[s] }))}
            />
          </Form.Item>
          <Form.Item name="peopleCount" label={tx.intake.peopleCount} style={{ width: "25%" }}>
            <InputNumber min={1} max={100} style={{ width: "100%" }} />
          </Form.Item>
          <Form.Item name="temperatureC" label={tx.intake.temperature} style={{ width: "25%" }}>
            <InputNumber min={-70} max={50} style={{ width: "100%" }} />
          </Form.Item>
        </Space.Compact>
        <Space.Compact block>
          <Form.Item name="callerName" label={tx.intake.callerName} style={{ width: "50%" }}>
            <Input placeholder={tx.intake.anonymous} maxLength={64} />
          </Form.Item>
          <Form.Item
            name="callerPhone"
            label={tx.intake.callerPhone}
            style={{ width: "50%" }}
            rules={[{ pattern: /^[0-9+\-() ]*$/, message: "0-9 + - ( )" }]}
          >
            <Input placeholder={tx.intake.anonymous} maxLength={32} inputMode="tel" />
          </Form.Item>
        </Space.Compact>
        <Form.Item noStyle shouldUpdate={(a: Values, b: Values) => a.callerPhone !== b.callerPhone}>
          {({ getFieldValue }) =>
            getFieldValue("callerPhone") ? (
              <Form.Item name="callerWantsOutcome" valuePropName="checked">
                <Checkbox>{tx.intake.callerWantsOutcome}</Checkbox>
              </Form.Item>
            ) : null
          }
        </Form.Item>
        <Form.Item name="keyPointId" label={tx.intake.keyPoint}>
          <Select
            ref={(r) => {
              keyPointRef.current = r;
            }}
            aria-keyshortcuts="Alt+K"
            allowClear
            showSearch
            optionFilterProp="label"
            placeholder={tx.intake.keyPointPh}
            onChange={pickKeyPoint}
            options={keyPoints.map((k) => ({ value: k.id, label: k.name }))}
          />
        </Form.Item>
        <div ref={placeBox}>
          <Form.Item
            name="placeText"
            label={tx.intake.place}
            extra={
              <span data-testid="intake-position">
                {picked ? `${picked.lat.toFixed(5)}, ${picked.lng.toFixed(5)}` : tx.intake.pickOnMap}
              </span>
            }
          >
            <PlaceSearch
              placeholder={tx.intake.placePh}
              keyShortcuts="Alt+L"
              onChoose={(hit) => {
                const at = { lat: hit.lat, lng: hit.lng };
                onPick(at);
                onFocus?.(at);
              }}
            />
          </Form.Item>
        </div>
        <Form.Item name="flags" label={tx.intake.flags}>
          <Checkbox.Group>
            <Space size={[4, 2]} wrap>
              {CONDITION_FLAGS.map((f, i) => (
                <Checkbox key={f} value={f}>
                  <span title={`Alt+${i + 1}`}>
                    {tx.flag[f]}
                    <sup style={{ opacity: 0.5 }}>{i + 1}</sup>
                  </span>
                </Checkbox>
              ))}
            </Space>
          </Checkbox.Group>
        </Form.Item>
        <Form.Item name="description" label={tx.intake.description}>
          <Input.TextArea autoSize={{ minRows: 2, maxRows: 4 }} maxLength={2000} />
        </Form.Item>
        <Form.Item name="notes" label={tx.intake.notes}>
          <Input maxLength={2000} />
        </Form.Item>
        <div className="wl-duty-preview" data-testid="urgency-preview">
          {tx.intake.urgencyPreview}: <Tag color={URGENCY_TAG[preview.urgency]}>{tx.urgency[preview.urgency]}</Tag>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {describeUrgency(preview.reasons, lang)}
          </Typography.Text>
        </div>
        {picked && <DuplicatesPanel dups={dups} choice={choice} onChoose={setChoice} />}
        <Space style={{ marginTop: 8 }}>
          <Button type="primary" htmlType="submit" loading={busy} data-testid="intake-submit">
            {tx.intake.submit} ⏎
          </Button>
          <Button onClick={reset}>{tx.intake.clear} (Esc)</Button>
        </Space>
        <div className="wl-duty-filed" role="status" aria-live="polite" data-testid="intake-status">
          {filed}
        </div>
        <Typography.Paragraph className="wl-duty-keys" id="wl-intake-keys">
          {tx.intake.shortcuts}
        </Typography.Paragraph>
      </Form>
    </Card>
  );
}
