import { WebSocketServer } from "ws";
import { createServer } from "node:http";

/** Baseline: a plain `ws` server that does nothing but hold connections and fan out messages. */
const server = createServer();
const wss = new WebSocketServer({ server });
wss.on("connection", (ws) => {
  ws.on("message", (data) => {
    for (const c of wss.clients) c.send(data);
  });
});
server.listen(Number(process.env.PORT ?? 0), "127.0.0.1", () => {
  const a = server.address() as { port: number };
  console.log(`LISTENING http://127.0.0.1:${a.port}`);
});
