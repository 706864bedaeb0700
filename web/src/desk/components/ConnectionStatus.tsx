import { Badge, Tooltip } from "antd";
import { useTranslation } from "react-i18next";
import { useEventStream } from "../../realtime/hooks.js";
import type { StreamStatus } from "../../realtime/socket.js";

const BADGE: Record<StreamStatus, "success" | "processing" | "error"> = {
  connected: "success",
  reconnecting: "processing",
  offline: "error",
};

/**
 * The live-stream state in the header. A duty room must know when the map may be stale, so this
 * is always visible, in words as well as colour.
 */
export function ConnectionStatus() {
  const { t } = useTranslation();
  const { status } = useEventStream();
  return (
    <Tooltip title={t("stream.title")}>
      <span role="status" aria-live="polite" data-status={status} style={{ whiteSpace: "nowrap" }}>
        <Badge status={BADGE[status]} text={t(`stream.${status}`)} />
      </span>
    </Tooltip>
  );
}
