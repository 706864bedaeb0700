import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/** A scripted receiver: records every POST and answers what `respond` says. */
export class Receiver {
  readonly hits: { key: string; body: Record<string, unknown>; raw: string; status: number }[] = [];
  respond: (key: string, n: number) => { status: number; headers?: Record<string, string>; delayMs?: number } = () => ({
    status: 200,
  });
  private server: Server | undefined;
  url = "";

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      let raw = "";
      req.on("data", (c: Buffer) => (raw += c.toString("utf8")));
      req.on("end", () => {
        const key = String(req.headers["idempotency-key"] ?? "");
        const r = this.respond(key, this.hits.filter((h) => h.key === key).length + 1);
        this.hits.push({ key, body: JSON.parse(raw) as Record<string, unknown>, raw, status: r.status });
        setTimeout(() => {
          res.writeHead(r.status, { "content-type": "text/plain", ...r.headers });
          res.end(r.status >= 400 ? `refused ${r.status}` : "ok");
        }, r.delayMs ?? 0);
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hook`;
  }

  close(): Promise<void> {
    return new Promise((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
