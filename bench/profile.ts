import { readFileSync } from "node:fs";
import { join } from "node:path";

/** The part of the WHATWG WebSocket the profiler uses (Node 20: behind --experimental-websocket). */
interface Socket {
  addEventListener(type: "open" | "error" | "message", listener: (event: { data?: unknown }) => void, options?: { once: boolean }): void;
  send(data: string): void;
  close(): void;
}
/** Node's (undici's) WebSocket also takes request headers (an Origin for the inspector). */
declare const WebSocket: new (url: string, init: { headers: Record<string, string> }) => Socket;

/** A V8 CPU profile as the DevTools protocol returns it (also the `.cpuprofile` file format). */
export interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number } }[];
  samples: number[];
  timeDeltas: number[];
}

/** Where the Worker's samples fell, by bundled module (or V8 category), in ms. */
export interface ProfileSummary {
  totalMs: number;
  idleMs: number;
  top: { where: string; ms: number }[];
}

/**
 * The Worker isolate's sampling profiler, through workerd's inspector (INSPECTOR_PORT of
 * scripts/serve.ts), over the Chrome DevTools Protocol.
 *
 * @example
 * const profiler = await WorkerProfiler.connect(9229);
 * await profiler.start(); await work(); const profile = await profiler.stop();
 */
export class WorkerProfiler {
  private nextId = 0;
  private readonly pending = new Map<number, { ok: (v: any) => void; fail: (e: Error) => void }>();

  private constructor(private readonly socket: Socket) {
    socket.addEventListener("message", (event) => {
      const msg = JSON.parse(String(event.data));
      const waiter = msg.id === undefined ? undefined : this.pending.get(msg.id);
      if (!waiter) return;
      this.pending.delete(msg.id);
      if (msg.error) waiter.fail(new Error(`inspector: ${msg.error.message}`));
      else waiter.ok(msg.result);
    });
  }

  static async connect(inspectorPort: number): Promise<WorkerProfiler> {
    const targets = (await (await fetch(`http://127.0.0.1:${inspectorPort}/json`)).json()) as { webSocketDebuggerUrl: string }[];
    if (!targets.length) throw new Error("the inspector lists no Worker");
    const socket = new WebSocket(targets[0].webSocketDebuggerUrl, { headers: { Origin: "http://127.0.0.1" } });
    await new Promise((ok, fail) => {
      socket.addEventListener("open", ok, { once: true });
      socket.addEventListener("error", () => fail(new Error("cannot connect to the Worker's inspector")), { once: true });
    });
    const profiler = new WorkerProfiler(socket);
    await profiler.send("Profiler.enable");
    await profiler.send("Profiler.setSamplingInterval", { interval: 200 });
    return profiler;
  }

  private send(method: string, params: object = {}): Promise<any> {
    const id = ++this.nextId;
    return new Promise((ok, fail) => {
      this.pending.set(id, { ok, fail });
      this.socket.send(JSON.stringify({ id, method, params }));
    });
  }

  start(): Promise<void> {
    return this.send("Profiler.start");
  }

  async stop(): Promise<CpuProfile> {
    return (await this.send("Profiler.stop")).profile;
  }

  close(): void {
    this.socket.close();
  }
}

/** Names the bundled module that a line of the served bundle belongs to. */
export type ModuleIndex = (line: number) => string;

/** Places listed in a profile's summary. */
const TOP_PLACES = 8;

/** Self time by bundled module (see `moduleIndex`) or, outside the bundle, by function. */
export function summarizeProfile(profile: CpuProfile, moduleAt: ModuleIndex): ProfileSummary {
  const nodes = new Map(profile.nodes.map((n) => [n.id, n.callFrame]));
  const byWhere = new Map<string, number>();
  let totalMs = 0;
  profile.samples.forEach((id, i) => {
    const frame = nodes.get(id)!;
    const ms = profile.timeDeltas[i] / 1000;
    totalMs += ms;
    const where = frame.url.endsWith("index.js") ? moduleAt(frame.lineNumber) : frame.functionName || frame.url || "(native)";
    byWhere.set(where, (byWhere.get(where) ?? 0) + ms);
  });
  const idleMs = byWhere.get("(idle)") ?? 0;
  byWhere.delete("(idle)");
  const top = [...byWhere.entries()].sort((a, b) => b[1] - a[1]).slice(0, TOP_PLACES).map(([where, ms]) => ({ where, ms }));
  return { totalMs, idleMs, top };
}

/**
 * esbuild marks each module of wrangler's bundle with a `// path/to/module` comment, so
 * a sample's line number names its module; `node_modules/<pkg>/…` collapses to
 * `npm:<pkg>`. Without a bundle every line is `(bundle)`.
 */
export function moduleIndex(bundle: string | undefined): ModuleIndex {
  const starts: [number, string][] = [];
  bundle?.split("\n").forEach((text, line) => {
    const m = text.match(/^\/\/ (?:[^ ]*?\/)??((?:src|node_modules)\/[^ ]*)$/);
    if (m) starts.push([line, m[1].replace(/^node_modules\/((?:@[^/]+\/)?[^/]+)\/.*$/, "npm:$1")]);
  });
  return (line) => {
    let lo = 0;
    let hi = starts.length - 1;
    let found = "(bundle)";
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (starts[mid][0] <= line) {
        found = starts[mid][1];
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found;
  };
}

/** The bundle scripts/start.sh serves, if it was built. */
export function servedBundle(repo: string): string | undefined {
  try {
    return readFileSync(join(repo, ".wrangler", "bundle", "index.js"), "utf8");
  } catch {
    return undefined;
  }
}
