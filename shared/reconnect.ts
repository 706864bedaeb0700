/**
 * How a dashboard's event stream retries after losing its server (socket.io client options), used
 * by the desk app and by the reconnect-storm benchmark so the bench measures what ships.
 *
 * A restarted node is usually back within a second or two; the first retry comes after ~¼ s and the
 * wait grows to at most 1.5 s, so every dashboard is back within about 2 s of the node (issue 17:
 * 500 dashboards back in < 3 s). The ±50 % jitter spreads the storm of handshakes over that window
 * instead of a thundering herd at each step. While a node stays down, 500 dashboards retrying every
 * 1.5 s are ~330 refused connects per second: cheap for the proxy in front.
 */
export const RECONNECT = {
  reconnectionDelay: 250,
  reconnectionDelayMax: 1500,
  randomizationFactor: 0.5,
} as const;
