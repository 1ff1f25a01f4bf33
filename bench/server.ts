import { spawn, type ChildProcess } from "node:child_process";
import { createWriteStream } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

/** The repository the bench belongs to (scripts/start.sh, .wrangler). */
export const REPO = resolve(import.meta.dirname, "..");

/** A local `npm start` server the bench started, in its own process group. */
export interface LocalServer {
  url: string;
  port: number;
  /** workerd's inspector, when one was asked for. */
  inspectorPort?: number;
  /** Process group id (= pid of the session leader): workerd is found inside it. */
  pgid: number;
  logFile: string;
  stop(): Promise<void>;
}

/**
 * Starts `scripts/start.sh` (what `npm start` runs; it turns local mode on, so the
 * Worker reports D1 round trips) on a free port under a new session, and waits for
 * `/health`. `inspectorPort` opens workerd's inspector for the profiler.
 *
 * @example
 * const server = await startLocalServer();
 * try { … } finally { await server.stop(); }
 */
export async function startLocalServer(options: { inspectorPort?: number; timeoutMs?: number } = {}): Promise<LocalServer> {
  const { inspectorPort, timeoutMs = 180_000 } = options;
  const port = await freePort();
  const logFile = join(tmpdir(), `mlflare-bench-server-${process.pid}.log`);
  const log = createWriteStream(logFile);
  await new Promise((ok) => log.once("open", ok));
  // detached: Node calls setsid(), so the Node/workerd tree shares one process group.
  const env = { ...process.env, PORT: String(port), ...(inspectorPort ? { INSPECTOR_PORT: String(inspectorPort) } : {}) };
  const child = spawn("bash", ["scripts/start.sh"], { cwd: REPO, detached: true, stdio: ["ignore", log, log], env });
  const url = `http://127.0.0.1:${port}`;
  const server: LocalServer = { url, port, inspectorPort, pgid: child.pid!, logFile, stop: () => stopGroup(child) };
  try {
    await waitHealthy(url, child, timeoutMs);
  } catch (err) {
    await server.stop();
    throw new Error(`${(err as Error).message} (server log: ${logFile})`);
  }
  return server;
}

/** A TCP port nobody listens on right now. */
export async function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const probe = createServer();
    probe.once("error", fail);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => ok(port));
    });
  });
}

async function waitHealthy(url: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`local server exited with code ${child.exitCode}`);
    try {
      const res = await fetch(`${url}/health`, { signal: AbortSignal.timeout(2_000) });
      await res.body?.cancel();
      if (res.status === 200) return;
    } catch {
      // not listening yet
    }
    await sleep(250);
  }
  throw new Error(`local server not healthy after ${timeoutMs / 1000} s`);
}

/** SIGTERM to the whole group, SIGKILL if it lingers. */
async function stopGroup(child: ChildProcess): Promise<void> {
  const pgid = child.pid!;
  if (!signalGroup(pgid, "SIGTERM")) return;
  for (let i = 0; i < 50 && groupAlive(pgid); i++) await sleep(100);
  signalGroup(pgid, "SIGKILL");
}

function signalGroup(pgid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch {
    return false;
  }
}

function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

const sleep = (ms: number) => new Promise((ok) => setTimeout(ok, ms));
