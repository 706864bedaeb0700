/**
 * The one same-origin rule, for HTTP writes and for the Socket.IO handshake alike.
 *
 * A browser names the page's origin in `Origin` on every cross-origin request and on every WebSocket
 * handshake; a request without it is not a browser acting for another site (curl, partners' servers,
 * a same-origin GET), so it passes. Otherwise the origin must be this server as the browser reached
 * it: the `Host` header, or `X-Forwarded-Host` / `X-Forwarded-Proto` when proxies are trusted
 * (TRUST_PROXY > 0). With TRUST_PROXY=0 nothing a client writes in `X-Forwarded-*` counts: a client
 * that can reach the server directly could otherwise name any host it likes and pass.
 */

/** Reads one request header by lower-case name. */
type HeaderReader = (name: string) => string | undefined;

/** The value a trusted proxy set: with several proxies appending, the one nearest to us (rightmost). */
function forwarded(read: HeaderReader, name: string, trustedHops: number): string | undefined {
  if (trustedHops <= 0) return undefined;
  const parts = (read(name) ?? "")
    .split(",")
    .map((p) => p.trim())
    .filter(Boolean);
  return parts.length ? parts[parts.length - 1] : undefined;
}

/**
 * Why a request must be refused as cross-origin, or undefined when it may pass.
 * `trustedHops` is TRUST_PROXY.
 */
export function crossOriginReason(read: HeaderReader, trustedHops: number): string | undefined {
  const origin = read("origin");
  if (origin === undefined || origin === "") return undefined;
  // "null" is what sandboxed frames, file: pages and some redirects send: never our own page.
  if (origin === "null") return "Origin is null";
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return "Origin is not a URL";
  }
  const host = (forwarded(read, "x-forwarded-host", trustedHops) ?? read("host") ?? "").toLowerCase();
  if (!host || url.host.toLowerCase() !== host) return `Origin ${url.host} is not this server`;
  // The scheme is known only when a trusted proxy says it (the server itself speaks plain HTTP);
  // then an http: page may not write to the https: site, or the other way round.
  const proto = forwarded(read, "x-forwarded-proto", trustedHops)?.toLowerCase();
  if (proto && url.protocol !== `${proto}:`) return `Origin scheme ${url.protocol} is not this server's`;
  return undefined;
}
