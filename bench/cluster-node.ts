import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";

/** The repository root, where server/index.ts lives. */
const ROOT = fileURLToPath(new URL("../", import.meta.url));

/** A Warmline server running as its own OS process, as one node of a cluster. */
export interface ClusterNode {
  name: string;
  url: string;
  port: number;
  child: ChildProcess;
  /** What the process wrote to stderr (errors), for failure messages. */
  stderr(): string;
  /** Resolves with the exit code or signal once the process has ended. */
  exited: Promise<number | string | null>;
  /** SIGKILL: no shutdown, no cleanup, like a crashed machine. */
  kill(): Promise<void>;
  /** SIGTERM and wait: the graceful path. */
  stop(): Promise<void>;
}

/**
 * Starts `server/index.ts` in a new process on a free port (PORT=0) and resolves when it listens.
 * Runs node with `--import tsx` rather than `npx tsx`, because the tsx CLI forks a second
 * process: killing the CLI would orphan the real server instead of killing it.
 */
export async function spawnNode(name: string, env: Record<string, string>, timeoutMs = 60_000): Promise<ClusterNode> {
  const child = spawn(process.execPath, ["--import", "tsx", "server/index.ts"], {
    cwd: ROOT,
    env: { ...process.env, PORT: "0", HOST: "127.0.0.1", NODE_ENV: "test", LOG_LEVEL: "error", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  let err = "";
  child.stderr!.on("data", (d: Buffer) => {
    err = (err + d.toString()).slice(-20_000);
  });
  const exited = new Promise<number | string | null>((resolve) =>
    child.once("exit", (code, signal) => resolve(signal ?? code)),
  );
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`node ${name} did not start within ${timeoutMs} ms:\n${err}`)),
      timeoutMs,
    );
    child.stdout!.on("data", (d: Buffer) => {
      out += d.toString();
      const m = /running on http:\/\/[^:\s]+:(\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`node ${name} exited (${code}) before listening:\n${err}`));
    });
  });
  const signalAndWait = async (sig: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(sig);
    await exited;
  };
  return {
    name,
    port,
    child,
    exited,
    url: `http://127.0.0.1:${port}`,
    stderr: () => err,
    kill: () => signalAndWait("SIGKILL"),
    stop: () => signalAndWait("SIGTERM"),
  };
}
