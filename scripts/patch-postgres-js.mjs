// Patches postgres.js 3.4.x after install (run by npm's postinstall): a small write is flushed on a
// setImmediate, and when the connection closes before it fires, nextWrite() calls write on a null
// socket and throws from the immediate, an uncaught exception that ends the process; the teardown
// also leaves nextWriteTimer set, so a reconnected connection never flushes small writes again.
// A failover closes every connection at once, so every node of a deployment would crash together.
// Upstream: porsager/postgres#1154, #1208 (fix PRs #1168, #1209, not released as of 3.4.9).
// Done here rather than with patch-package to avoid a dependency for three lines; idempotent, and it
// refuses loudly when the source no longer looks as expected (then drop it if upstream fixed it).
import { readFileSync, writeFileSync, existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../node_modules/postgres/", import.meta.url));
const MARK = "/* warmline: null-socket guard */";
const edits = [
  [
    "  function nextWrite(fn) {\n    const x = socket.write(chunk, fn)",
    `  function nextWrite(fn) {\n    ${MARK}\n    if (!socket) {\n      nextWriteTimer !== null && clearImmediate(nextWriteTimer)\n      chunk = nextWriteTimer = null\n      error(Errors.connection('CONNECTION_CLOSED', options, socket))\n      return false\n    }\n    const x = socket.write(chunk, fn)`,
  ],
  // Both teardowns cancel the pending flush: forget it too, or write() never schedules one again.
  ["    clearImmediate(nextWriteTimer)\n", "    clearImmediate(nextWriteTimer)\n    chunk = nextWriteTimer = null\n"],
];

for (const file of ["src/connection.js", "cjs/src/connection.js"]) {
  const path = root + file;
  if (!existsSync(path)) continue;
  let text = readFileSync(path, "utf8");
  if (text.includes(MARK)) continue;
  for (const [from, to] of edits) {
    if (!text.includes(from))
      throw new Error(`patch-postgres-js: ${file} does not contain the expected code; review the patch`);
    text = text.split(from).join(to);
  }
  writeFileSync(path, text);
  console.log(`patch-postgres-js: patched ${file}`);
}
