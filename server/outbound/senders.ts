import type { OutcomeMessageBody, ReporterOutcome } from "../../shared/reporter-outcome.js";
import type { Logger } from "../logger.js";

/** Where a message goes: the caller's own number, or the partner system that filed the report. */
export type Recipient =
  | { channel: "caller"; phone: string }
  | { channel: "partner"; partnerId: string; partnerName: string; serviceRequestId: string };

/** One message handed to a sender. */
export interface OutgoingMessage {
  id: string;
  /** Stable across redeliveries: a receiver drops a message whose key it has seen. */
  idempotencyKey: string;
  category: ReporterOutcome;
  to: Recipient;
  body: OutcomeMessageBody;
}

/** What a send attempt came to; `permanent` failures are not retried. */
export type SendResult =
  | { ok: true }
  | { ok: false; permanent: boolean; error: string; /** the receiver asked to wait this long */ retryAfterMs?: number };

/**
 * A way of delivering outgoing messages (an SMS gateway, a partner's webhook, ...). The queue calls
 * `send` once per attempt and keeps the retries, attempts and errors itself (server/outbound).
 */
export interface Sender {
  readonly kind: string;
  send(message: OutgoingMessage): Promise<SendResult>;
}

/** A phone number for logs and lists: the first three and last two digits, e.g. 138******78. */
export function maskPhone(phone: string): string {
  const digits = phone.replace(/\D/g, "");
  if (digits.length <= 5) return "*".repeat(digits.length);
  return `${digits.slice(0, 3)}${"*".repeat(digits.length - 5)}${digits.slice(-2)}`;
}

/** Any run of seven or more digits (a number a receiver echoed in an error) masked the same way. */
export function maskNumbers(text: string): string {
  return text.replace(/\+?\d[\d -]{5,}\d/g, (m) => maskPhone(m));
}

/** The recipient as logs and lists show it. */
function recipientLabel(to: Recipient): string {
  return to.channel === "caller" ? maskPhone(to.phone) : to.partnerName;
}

/** The default sender: writes each message to the log (the number masked) and calls it delivered. */
export class LoggingSender implements Sender {
  readonly kind = "log";
  constructor(private readonly log: Logger) {}

  async send(m: OutgoingMessage): Promise<SendResult> {
    this.log.info("outgoing message", {
      id: m.id,
      key: m.idempotencyKey,
      channel: m.to.channel,
      to: recipientLabel(m.to),
      category: m.category,
      reference: m.body.reference,
    });
    return { ok: true };
  }
}

/** Retry-After in ms (seconds or an HTTP date), if the receiver sent one. */
function retryAfterMs(header: string | null): number | undefined {
  if (!header) return undefined;
  const s = Number(header);
  if (Number.isFinite(s)) return Math.max(0, s * 1000);
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}

/**
 * The example sender: POSTs each message as JSON to one configured URL (an SMS gateway or a
 * partner's receiver), with the idempotency key also in an `Idempotency-Key` header. 2xx is
 * delivered; 429, 5xx, a timeout or a refused connection are retried by the queue with back-off; any
 * other 4xx means the receiver will never take this message, so it fails at once.
 */
export class WebhookSender implements Sender {
  readonly kind = "webhook";
  constructor(
    private readonly url: string,
    private readonly timeoutMs: number,
  ) {}

  async send(m: OutgoingMessage): Promise<SendResult> {
    let res: Response;
    try {
      res = await fetch(this.url, {
        method: "POST",
        headers: { "content-type": "application/json", "idempotency-key": m.idempotencyKey },
        body: JSON.stringify({
          id: m.id,
          idempotencyKey: m.idempotencyKey,
          category: m.category,
          to: m.to,
          body: m.body,
        }),
        signal: AbortSignal.timeout(this.timeoutMs),
        redirect: "error",
      });
    } catch (err) {
      const cause = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
      return { ok: false, permanent: false, error: maskNumbers(`request failed (${cause})`.slice(0, 300)) };
    }
    const text = await res.text().catch(() => "");
    if (res.ok) return { ok: true };
    const error = maskNumbers(`HTTP ${res.status}${text ? `: ${text.slice(0, 200)}` : ""}`);
    const retryable = res.status === 429 || res.status >= 500;
    return { ok: false, permanent: !retryable, error, retryAfterMs: retryAfterMs(res.headers.get("retry-after")) };
  }
}
