import { createServer } from "node:http";
import { WebSocketServer } from "ws";
import postgres from "postgres";

/**
 * Baseline for intake: a raw http + ws server. POST /intake inserts the call and an event row in
 * one postgres.js transaction (the same durable work our server does at minimum) and broadcasts
 * the JSON to every ws client. No auth, validation, presenters, rooms or replay: the floor.
 */
const sql = postgres(process.env.DATABASE_URL!, { max: Number(process.env.DB_POOL_SIZE ?? 20), onnotice: () => {} });
await sql`create table if not exists raw_calls (id uuid primary key, body jsonb not null, received_at timestamptz not null default now())`;
await sql`create table if not exists raw_events (id bigserial primary key, payload jsonb not null)`;

const server = createServer(async (req, res) => {
  if (req.method !== "POST") {
    res.writeHead(404).end();
    return;
  }
  let text = "";
  for await (const chunk of req) text += chunk;
  const body = JSON.parse(text) as { id: string };
  const [ev] = await sql.begin(async (tx) => {
    await tx`insert into raw_calls (id, body) values (${body.id}, ${sql.json(body)})`;
    return tx`insert into raw_events (payload) values (${sql.json(body)}) returning id`;
  });
  const msg = JSON.stringify({ id: Number(ev!.id), type: "case.created", payload: body });
  for (const c of wss.clients) c.send(msg);
  res.writeHead(201, { "content-type": "application/json" }).end(JSON.stringify(body));
});
const wss = new WebSocketServer({ server });
server.listen(Number(process.env.PORT ?? 0), "127.0.0.1", () => {
  console.log(`LISTENING http://127.0.0.1:${(server.address() as { port: number }).port}`);
});
