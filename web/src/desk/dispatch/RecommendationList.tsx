import { Button, List, Space, Tag, Typography } from "antd";
import type { Recommendation } from "../../../../shared/api/dispatch.js";
import { VEHICLE_COLOR } from "../../map/colors.js";
import { fmt, useFleetTexts } from "./texts.js";

/** "3 min", "2 h", "4 d": how old a position fix is, coarse enough to read at a glance. */
function ageText(iso: string, now: number, lang: { min: string; h: string; d: string }): string {
  const s = Math.max(0, (now - new Date(iso).getTime()) / 1000);
  if (s < 3600) return fmt(lang.min, { n: Math.max(1, Math.round(s / 60)) });
  if (s < 86400) return fmt(lang.h, { n: Math.round(s / 3600) });
  return fmt(lang.d, { n: Math.round(s / 86400) });
}

/**
 * Vehicles recommended for a case, nearest first: status, crew on board, distance and ETA, and how
 * old the position is (a fix from yesterday says little about where the vehicle is now).
 */
export function RecommendationList({
  recs,
  busy,
  onAssign,
}: {
  recs: readonly Recommendation[];
  busy: string | null;
  onAssign: (r: Recommendation) => void;
}) {
  const tx = useFleetTexts();
  const now = Date.now();
  return (
    <List
      size="small"
      locale={{ emptyText: tx.dispatch.none }}
      dataSource={recs as Recommendation[]}
      renderItem={(r, i) => (
        <List.Item
          data-testid="recommendation"
          actions={[
            <Button
              key="a"
              type="primary"
              size="small"
              aria-keyshortcuts={i === 0 ? "Alt+D" : undefined}
              loading={busy === r.vehicleId}
              disabled={!!busy}
              onClick={() => onAssign(r)}
            >
              {tx.dispatch.assign}
            </Button>,
          ]}
        >
          <Space wrap size={[6, 2]}>
            <strong>{r.callSign}</strong>
            <Tag color={VEHICLE_COLOR[r.status]}>{tx.vehicleStatus[r.status]}</Tag>
            {r.crewCount > 0 ? (
              <Tag color="green" title={r.crewNames.join("、")}>
                {fmt(tx.dispatch.crew, { n: r.crewCount })}
                {r.crewNames.length ? ` · ${r.crewNames.join("、")}` : ""}
              </Tag>
            ) : (
              <Tag color="red">{tx.dispatch.noCrew}</Tag>
            )}
            {r.distanceM === null ? (
              <Tag>{tx.dispatch.noPosition}</Tag>
            ) : (
              <>
                <span>{fmt(tx.dispatch.distance, { km: (r.distanceM / 1000).toFixed(1) })}</span>
                <Tag color="blue">{fmt(tx.dispatch.eta, { min: r.etaMinutes ?? "?" })}</Tag>
              </>
            )}
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {r.lastPositionAt
                ? fmt(tx.dispatch.fixAge, { age: ageText(r.lastPositionAt, now, tx.dispatch.age) })
                : tx.dispatch.noFix}
            </Typography.Text>
          </Space>
        </List.Item>
      )}
    />
  );
}
