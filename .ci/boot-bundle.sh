#!/usr/bin/env bash
# Builds the server bundle (dist/server.js) and boots it as the image does (node, no tsx) on
# embedded PGlite with SEED=none on a free port; passes when /api/ready answers 200.
set -euo pipefail
cd "$(dirname "$0")/.."
npm run build:server >/dev/null
data=$(mktemp -d)
port=$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
PORT=$port HOST=127.0.0.1 SEED=none DATA_DIR="$data" LOG_LEVEL=warn node dist/server.js &
pid=$!
trap 'kill $pid 2>/dev/null || true; wait $pid 2>/dev/null || true; rm -rf "$data"' EXIT
for _ in $(seq 1 240); do
  if curl -fsS "http://127.0.0.1:$port/api/ready" 2>/dev/null; then echo; echo "bundle ready on :$port"; exit 0; fi
  kill -0 $pid 2>/dev/null || { echo "bundle exited before ready" >&2; exit 1; }
  sleep 0.5
done
echo "bundle not ready after 120 s" >&2
exit 1
