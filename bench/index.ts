/**
 * `npm run bench [-- --quick] [--url <base> [--token <t>]] [--json <file>] [--only <groups>]`
 *
 * Measures an MLflow-compatible server over the REST API. Without `--url` it starts
 * the local `npm start` server itself and stops it afterwards.
 */
import { spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { parseArgs } from "node:util";
import { MlflowClient } from "./client";
import { RssSampler, workerdRss } from "./memory";
import { compareWithStock, renderText, type BenchReport } from "./report";
import { Profiling } from "./profiling";
import { freePort, startLocalServer, type LocalServer } from "./server";
import { FULL, QUICK } from "./sizes";
import { percentile } from "./stats";
import { artifactWorkloads } from "./workloads/artifacts";
import { concurrentWriters } from "./workloads/concurrent";
import { httpFloor } from "./workloads/floor";
import { bulkInterval, getHistory, writeMetric } from "./workloads/history";
import { logBatchSequential, logMetricSequential } from "./workloads/logging";
import { notRun, type BenchContext, type WorkloadResult } from "./workloads/result";
import { searchRuns } from "./workloads/search";

/** Workload groups, in running order; `--only` picks some (get-history reads log-batch's data). */
const GROUPS = ["health", "log-metric", "log-batch", "get-history", "bulk-interval", "writers", "search", "artifacts"] as const;
type Group = (typeof GROUPS)[number];

const USAGE = `usage: npm run bench -- [--quick] [--url <base url>] [--token <bearer token>] [--json <file>] [--only <groups>]
                         [--profile <dir>]
  --quick   smaller sizes (under 2 minutes on 2 cores); the table says which
  --url     any MLflow-compatible server (default: start the local npm start server)
  --token   sent as "Authorization: Bearer <token>"
  --json    also write the figures as JSON to <file>
  --only    comma-separated subset of: ${GROUPS.join(", ")}
  --profile write the Worker's CPU profile of each workload's measured part to <dir>/*.cpuprofile
            (open in Chrome DevTools) and print where its time went (local server only)`;

interface Options {
  quick: boolean;
  url?: string;
  token?: string;
  json?: string;
  only: Set<Group>;
  profile?: string;
}

/** The command line, checked before anything starts; undefined after printing help. */
function parseOptions(): Options | undefined {
  const { values } = parseArgs({
    options: { quick: { type: "boolean" }, url: { type: "string" }, token: { type: "string" }, json: { type: "string" }, only: { type: "string" }, profile: { type: "string" }, help: { type: "boolean" } },
  });
  if (values.help) {
    console.log(USAGE);
    return undefined;
  }
  const only = new Set(values.only ? values.only.split(",").map((g) => g.trim()) : GROUPS);
  const unknown = [...only].filter((g) => !(GROUPS as readonly string[]).includes(g));
  if (unknown.length) throw new Error(`unknown workload group(s) ${unknown.join(", ")}\n${USAGE}`);
  if (only.has("get-history")) only.add("log-batch");
  if (values.profile && values.url) throw new Error("--profile needs the local server (no --url)");
  return { quick: !!values.quick, url: values.url?.replace(/\/+$/, ""), token: values.token, json: values.json, only: only as Set<Group>, profile: values.profile };
}

async function main(): Promise<number> {
  const options = parseOptions();
  if (!options) return 0;
  if (options.profile && !("WebSocket" in globalThis)) return rerunWithWebSocket();
  const startedAt = new Date();
  const progress = (line: string) => console.error(`[${((Date.now() - startedAt.getTime()) / 1000).toFixed(0).padStart(4)} s] ${line}`);
  let server: LocalServer | undefined;
  if (!options.url) {
    progress("starting the local server (scripts/start.sh)…");
    server = await startLocalServer({ inspectorPort: options.profile ? await freePort() : undefined });
    progress(`server up at ${server.url}, log in ${server.logFile}`);
  }
  let profiler: Profiling | undefined;
  const stopServer = () => {
    profiler?.close();
    return server?.stop();
  };
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.once(signal, () => void Promise.resolve(stopServer()).finally(() => process.exit(128 + (signal === "SIGINT" ? 2 : 15))));
  }
  try {
    if (options.profile && server) profiler = await Profiling.start(server, options.profile);
    const url = options.url ?? server!.url;
    const sizes = options.quick ? QUICK : FULL;
    const ctx: BenchContext = {
      client: new MlflowClient(url, options.token),
      sizes,
      tag: `bench-${startedAt.getTime().toString(36)}`,
      progress,
      sampler: server ? new RssSampler(server.pgid) : undefined,
      measure: (name, fn) => (profiler ? profiler.measure(name, fn) : fn()),
    };
    const idle = server ? workerdRss(server.pgid) : 0;
    const { workloads, artifactBaseline, artifactMark } = await runAll(ctx, options.only);
    ctx.sampler?.stop();
    const measuredMemory = ctx.sampler && options.only.has("artifacts");
    const report: BenchReport = {
      meta: { url, mode: sizes.quick ? "quick" : "full", localServer: !!server, startedAt: startedAt.toISOString(), durationS: (Date.now() - startedAt.getTime()) / 1000, node: process.version, cpus: availableParallelism() },
      workloads,
      d1Calls: d1Table(ctx.client),
      memory: measuredMemory ? { idleBaselineBytes: idle, artifactBaselineBytes: artifactBaseline, artifactPeakBytes: ctx.sampler!.peakSince(artifactMark) } : undefined,
      reference: compareWithStock(workloads),
      profiles: profiler?.summaries,
    };
    console.log(renderText(report));
    if (options.json) writeFileSync(options.json, JSON.stringify(report, null, 2) + "\n");
    return workloads.some((w) => w.status === "failed") ? 1 : 0;
  } finally {
    await stopServer();
  }
}

/** Node 20 has WebSocket (needed to talk to the inspector) behind a flag: run again with it. */
function rerunWithWebSocket(): Promise<number> {
  const child = spawn(process.execPath, ["--experimental-websocket", ...process.execArgv, ...process.argv.slice(1)], { stdio: "inherit" });
  return new Promise((ok) => child.on("exit", (code) => ok(code ?? 1)));
}

/** Every workload in order; one that fails becomes a FAILED row and the rest still run. */
async function runAll(ctx: BenchContext, only: Set<Group>): Promise<{ workloads: WorkloadResult[]; artifactBaseline: number; artifactMark: number }> {
  const { sizes } = ctx;
  const workloads: WorkloadResult[] = [];
  const step = async (group: Group, name: string, fn: () => Promise<WorkloadResult | WorkloadResult[]>) => {
    if (!only.has(group)) return;
    ctx.progress(name);
    try {
      const rows = await fn();
      workloads.push(...(Array.isArray(rows) ? rows : [rows]));
    } catch (err) {
      workloads.push(notRun(name, "", "failed", (err as Error).message));
    }
  };
  const experimentId = await ctx.client.createExperiment(ctx.tag);
  await step("health", "health", () => httpFloor(ctx));
  await step("log-metric", "log-metric", () => logMetricSequential(ctx, experimentId));
  let history: { runId: string; key: string } | undefined;
  await step("log-batch", "log-batch", async () => {
    const { result, ...rest } = await logBatchSequential(ctx, experimentId);
    history = rest;
    return result;
  });
  const historyPoints = sizes.logBatchCalls * sizes.batchSize;
  await step("get-history", "get-history", () => (history ? getHistory(ctx, history.runId, history.key, historyPoints) : Promise.reject(new Error("log-batch failed"))));
  await step("bulk-interval", "get-history-bulk-interval", async () => {
    if (sizes.bulkPoints === historyPoints && history) return bulkInterval(ctx, history.runId, history.key, historyPoints);
    const run = await ctx.client.createRun(experimentId, "bulk-interval");
    ctx.progress(`  setup: ${sizes.bulkPoints.toLocaleString("en-US")} points`);
    await writeMetric(ctx, run.run_id, "loss", sizes.bulkPoints);
    return bulkInterval(ctx, run.run_id, "loss", sizes.bulkPoints);
  });
  for (const writers of sizes.writerCounts) await step("writers", `${writers} concurrent writers`, () => concurrentWriters(ctx, experimentId, writers));
  for (const runs of sizes.searchRunCounts) await step("search", `search-runs over ${runs} runs`, () => searchRuns(ctx, runs));
  const artifactBaseline = ctx.sampler ? workerdRss(ctx.sampler.pgid) : 0;
  const artifactMark = ctx.sampler?.mark() ?? 0;
  await step("artifacts", "artifacts", () => artifactWorkloads(ctx, experimentId));
  return { workloads, artifactBaseline, artifactMark };
}

function d1Table(client: MlflowClient): BenchReport["d1Calls"] {
  return [...client.d1Calls.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([endpoint, calls]) => ({ endpoint, requests: calls.length, median: percentile(calls, 50), max: percentile(calls, 100) }));
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  },
);
