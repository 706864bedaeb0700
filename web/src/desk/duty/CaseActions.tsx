import type { Dispatch, SetStateAction } from "react";
import { Button, Divider, Input, Select, Space } from "antd";
import type { CaseDetail } from "../../../../shared/api/cases.js";
import { URGENCIES, type Urgency } from "../../../../shared/vocab.js";
import { useDutyTexts } from "./texts.js";

export type Override = { urgency?: Urgency; reason: string };

/** Writers' actions on an active case: urgency override with a reason, and merge into a nearby case. */
export function CaseActions({
  detail,
  busy,
  override,
  setOverride,
  onSaveOverride,
  mergeOptions,
  mergeInto,
  setMergeInto,
  onMerge,
}: {
  detail: CaseDetail;
  busy: boolean;
  override: Override;
  setOverride: Dispatch<SetStateAction<Override>>;
  onSaveOverride: () => void;
  mergeOptions: { value: string; label: string }[];
  mergeInto: string | undefined;
  setMergeInto: (id: string | undefined) => void;
  onMerge: () => void;
}) {
  const tx = useDutyTexts();
  return (
    <>
      <Divider titlePlacement="start">{tx.detail.override}</Divider>
      <Space.Compact block>
        <Select<Urgency>
          aria-label={tx.detail.override}
          style={{ width: 120 }}
          value={override.urgency}
          onChange={(u) => setOverride((o) => ({ ...o, urgency: u }))}
          options={URGENCIES.map((u) => ({ value: u, label: tx.urgency[u] }))}
        />
        <Input
          aria-label={tx.detail.overrideReason}
          placeholder={tx.detail.overrideReason}
          value={override.reason}
          maxLength={500}
          onChange={(e) => setOverride((o) => ({ ...o, reason: e.target.value }))}
          onPressEnter={onSaveOverride}
        />
        <Button type="primary" disabled={busy || !override.urgency || !override.reason.trim()} onClick={onSaveOverride}>
          {tx.detail.save}
        </Button>
      </Space.Compact>
      {detail.status !== "on_scene" && mergeOptions.length > 0 && (
        <>
          <Divider titlePlacement="start">{tx.detail.mergeTitle}</Divider>
          <Space.Compact block>
            <Select
              aria-label={tx.detail.mergeInto}
              style={{ flex: 1 }}
              placeholder={tx.detail.mergeInto}
              value={mergeInto}
              onChange={setMergeInto}
              options={mergeOptions}
              showSearch
              optionFilterProp="label"
            />
            <Button danger disabled={busy || !mergeInto} onClick={onMerge}>
              {tx.detail.mergeDo}
            </Button>
          </Space.Compact>
        </>
      )}
    </>
  );
}
