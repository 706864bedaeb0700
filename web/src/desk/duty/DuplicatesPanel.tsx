import { Button, Space, Tag, Typography } from "antd";
import type { DuplicateCandidate } from "../../../../shared/api/cases.js";
import { URGENCY_TAG } from "../../map/colors.js";
import { fmt, useDutyTexts } from "./texts.js";

/** The operator's answer to the duplicates offered: file into one, or a new case on purpose (null: decide by the rule). */
export type DuplicateChoice = { mergeInto: string } | { newCase: true } | null;

/** Open cases near the call's position, each with "same case"; and "different" to open a new one. */
export function DuplicatesPanel({
  dups,
  choice,
  onChoose,
}: {
  dups: readonly DuplicateCandidate[];
  choice: DuplicateChoice;
  onChoose: (c: DuplicateChoice) => void;
}) {
  const tx = useDutyTexts();
  return (
    <div className="wl-duty-dups" data-testid="duplicates">
      {dups.length === 0 ? (
        <Typography.Text type="secondary">{tx.dup.none}</Typography.Text>
      ) : (
        <>
          <Typography.Text strong>{fmt(tx.dup.title, { count: dups.length })}</Typography.Text>
          {dups.map((d) => {
            const chosen = choice && "mergeInto" in choice && choice.mergeInto === d.case.id;
            return (
              <div key={d.case.id} className={`wl-duty-dup${chosen ? " is-chosen" : ""}`}>
                <Tag color={URGENCY_TAG[d.case.urgency]}>{tx.urgency[d.case.urgency]}</Tag>
                <span className="wl-duty-dup-text">
                  {d.case.placeText || d.case.description || d.case.id.slice(0, 8)}
                </span>
                <Typography.Text type="secondary">
                  {fmt(tx.dup.distance, { m: d.distanceM })} · {fmt(tx.dup.minutes, { min: d.minutesApart })}
                </Typography.Text>
                <Button
                  size="small"
                  type={chosen ? "primary" : "default"}
                  onClick={() => onChoose({ mergeInto: d.case.id })}
                >
                  {tx.dup.same}
                </Button>
              </div>
            );
          })}
          <Space>
            <Button
              size="small"
              type={choice && "newCase" in choice ? "primary" : "default"}
              onClick={() => onChoose({ newCase: true })}
            >
              {tx.dup.different}
            </Button>
            <Typography.Text type="secondary" style={{ fontSize: 11 }}>
              {choice ? ("mergeInto" in choice ? tx.dup.chosenMerge : tx.dup.chosenNew) : tx.dup.auto}
            </Typography.Text>
          </Space>
        </>
      )}
    </div>
  );
}
