import { createServer } from "node:http";
import postgres from "postgres";
import { WebSocketServer, type WebSocket } from "ws";

/**
 * Fair floor for the reconnect storm: a plain `ws` server over a table of events. A client
 * connects with `?after=<last id>`, gets every event after it replayed from the table, then live
 * ones; an event is written to the table (POST /event) and pushed to every socket. No auth, no
 * rooms, no per-role presentation: what reconnecting N dashboards with exactly-once replay costs
 * at least. DATABASE_URL names the table's database (bench_events is created if missing).
 */
const sql = postgres(process.env.DATABASE_URL!, { max: 4, onnotice: () => {} });
await sql`create table if not exists bench_events (id bigserial primary key, body text not null)`;

const server = createServer((req, res) => {
  if (req.method !== "POST" || req.url !== "/event") return void res.writeHead(404).end();
  let body = "";
  req.on("data", (c: Buffer) => (body += c.toString()));
  req.on("end", () => {
    void sql`insert into bench_events (body) values (${body}) returning id`.then(([row]) => {
      const msg = JSON.stringify({ id: Number(row!.id), body });
      for (const c of wss.clients) c.send(msg);
      res.writeHead(201).end();
    });
  });
});
const wss = new WebSocketServer({ server });
wss.on("connection", (ws: WebSocket, req) => {
  const after = Number(new URL(req.url ?? "/", "http://x").searchParams.get("after") ?? 0) || 0;
  void sql`select id, body from bench_events where id > ${after} order by id`.then((rows) => {
    for (const r of rows) ws.send(JSON.stringify({ id: Number(r.id), body: r.body }));
    ws.send(JSON.stringify({ replayDone: true }));
  });
});
server.listen(Number(process.env.PORT ?? 0), "127.0.0.1", () => {
  const a = server.address() as { port: number };
  console.log(`LISTENING http://127.0.0.1:${a.port}`);
});
