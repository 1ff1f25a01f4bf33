import type { Metric } from "../client";
import { timed } from "../stats";
import { fmt, measured, WARMUP, type BenchContext, type WorkloadResult } from "./result";

/** log-metric, one call at a time: latency of the call the client makes per `log_metric`. */
export async function logMetricSequential(ctx: BenchContext, experimentId: string): Promise<WorkloadResult> {
  const { client, sizes } = ctx;
  const run = await client.createRun(experimentId, "log-metric");
  for (let i = 0; i < WARMUP; i++) await client.logMetric(run.run_id, "warmup", i, i);
  const latencies: number[] = [];
  const start = performance.now();
  await ctx.measure("log-metric", async () => {
    for (let step = 0; step < sizes.logMetricCalls; step++) {
      latencies.push((await timed(() => client.logMetric(run.run_id, "loss", 1 / (step + 1), step))).ms);
    }
  });
  const wall = performance.now() - start;
  return measured("log-metric", `${fmt(sizes.logMetricCalls)} calls, sequential`, latencies, latencies.length, wall, "calls/s");
}

/** `count` points of one metric with steps `from`…, timestamps one ms apart. */
export function metricPoints(key: string, from: number, count: number, t0: number): Metric[] {
  return Array.from({ length: count }, (_, i) => ({
    key,
    value: Math.sin((from + i) / 1000),
    timestamp: t0 + from + i,
    step: from + i,
  }));
}

/**
 * log-batch of full batches, sequential. The points all belong to one metric, which
 * then serves as the get-history workload's data; returns its run id.
 */
export async function logBatchSequential(ctx: BenchContext, experimentId: string): Promise<{ result: WorkloadResult; runId: string; key: string }> {
  const { client, sizes } = ctx;
  const key = "loss";
  const t0 = Date.now();
  const warmup = await client.createRun(experimentId, "log-batch warm-up");
  for (let b = 0; b < WARMUP; b++) await client.logBatch(warmup.run_id, { metrics: metricPoints(key, b * sizes.batchSize, sizes.batchSize, t0) });
  const run = await client.createRun(experimentId, "log-batch");
  const latencies: number[] = [];
  const start = performance.now();
  await ctx.measure("log-batch", async () => {
    for (let b = 0; b < sizes.logBatchCalls; b++) {
      const metrics = metricPoints(key, b * sizes.batchSize, sizes.batchSize, t0);
      latencies.push((await timed(() => client.logBatch(run.run_id, { metrics }))).ms);
    }
  });
  const wall = performance.now() - start;
  const points = sizes.logBatchCalls * sizes.batchSize;
  const size = `${fmt(sizes.logBatchCalls)} × ${fmt(sizes.batchSize)} metrics, sequential`;
  return { result: measured("log-batch", size, latencies, points, wall, "metrics/s"), runId: run.run_id, key };
}
