import { KeyPointsAdmin } from "../components/KeyPointsAdmin.js";

/**
 * The station head's key points (重点点位): the same screen as the admin's, fixed to the head's
 * station (the server refuses any other station for a head anyway).
 */
export function KeyPointsTab({ stationId }: { stationId: string }) {
  return <KeyPointsAdmin stationId={stationId} />;
}
