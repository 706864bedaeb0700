import { createServer } from "node:http";
import postgres from "postgres";

/**
 * Baseline for GPS ingest: a raw node:http server with the same group commit as ours. POST
 * /positions with `{ points: [...] }` queues the request; up to two flushes run at once, each
 * writing every queued point in one transaction (one unnest INSERT into a plain table, one UPDATE
 * of the vehicles' last position) and answering each request after COMMIT. No auth, validation,
 * scope check, sortie lookup, dedupe or events: the floor for "HTTP + durable group commit".
 */
const sql = postgres(process.env.DATABASE_URL!, { max: Number(process.env.DB_POOL_SIZE ?? 20), onnotice: () => {} });
await sql`create table if not exists raw_positions (id bigserial primary key, vehicle_id uuid not null, lat float8 not null,
  lng float8 not null, accuracy_m real, recorded_at timestamptz not null, received_at timestamptz not null default now())`;

interface Fix {
  vehicleId: string;
  lat: number;
  lng: number;
  accuracy?: number;
  recordedAt: string;
}
let queue: { points: Fix[]; done: (err?: unknown) => void }[] = [];
let running = 0;

function pump(): void {
  while (running < 2 && queue.length) {
    const group = queue;
    queue = [];
    running++;
    void flush(group.flatMap((g) => g.points))
      .then(
        () => group.forEach((g) => g.done()),
        (err) => group.forEach((g) => g.done(err)),
      )
      .finally(() => {
        running--;
        pump();
      });
  }
}

async function flush(points: Fix[]): Promise<void> {
  const latest = new Map<string, Fix>();
  for (const p of points)
    if (!latest.has(p.vehicleId) || latest.get(p.vehicleId)!.recordedAt < p.recordedAt) latest.set(p.vehicleId, p);
  const last = [...latest.values()].sort((a, b) => a.vehicleId.localeCompare(b.vehicleId));
  await sql.begin(async (tx) => {
    await tx`insert into raw_positions (vehicle_id, lat, lng, accuracy_m, recorded_at)
      select * from unnest(${points.map((p) => p.vehicleId)}::uuid[], ${points.map((p) => p.lat)}::float8[],
        ${points.map((p) => p.lng)}::float8[], ${points.map((p) => p.accuracy ?? null)}::real[],
        ${points.map((p) => p.recordedAt)}::timestamptz[])`;
    await tx`update vehicles v set last_lat = n.lat, last_lng = n.lng, last_position_at = n.at
      from unnest(${last.map((p) => p.vehicleId)}::uuid[], ${last.map((p) => p.lat)}::float8[],
        ${last.map((p) => p.lng)}::float8[], ${last.map((p) => p.recordedAt)}::timestamptz[]) as n(id, lat, lng, at)
      where v.id = n.id`;
  });
}

const server = createServer(async (req, res) => {
  if (req.method !== "POST") {
    res.writeHead(404).end();
    return;
  }
  let text = "";
  for await (const chunk of req) text += chunk;
  const body = JSON.parse(text) as { points: Fix[] };
  const err = await new Promise<unknown>((done) => {
    queue.push({ points: body.points, done });
    pump();
  });
  if (err) res.writeHead(500).end(String(err));
  else res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ stored: body.points.length }));
});
server.listen(Number(process.env.PORT ?? 0), "127.0.0.1", () => {
  console.log(`LISTENING http://127.0.0.1:${(server.address() as { port: number }).port}`);
});
