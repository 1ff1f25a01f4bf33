import { mapPool } from "../pool";
import { timed } from "../stats";
import { metricPoints } from "./logging";
import { fmt, measuredSequential, notRun, type BenchContext, type WorkloadResult } from "./result";

/**
 * get-history of the log-batch metric, paged by 25,000 as the client does; each read
 * is checked to return every point in order.
 */
export async function getHistory(ctx: BenchContext, runId: string, key: string, points: number): Promise<WorkloadResult> {
  const { client, sizes } = ctx;
  const size = `${fmt(points)}-point metric, pages of ${fmt(sizes.historyPageSize)}, ${sizes.historyReads} reads`;
  const latencies: number[] = [];
  const problem = await ctx.measure("get-history", async () => {
    for (let i = 0; i < sizes.historyReads; i++) {
      const { ms, value } = await timed(() => client.getHistory(runId, key, sizes.historyPageSize));
      latencies.push(ms);
      const wrong = checkHistory(value, points);
      if (wrong) return wrong;
    }
    return undefined;
  });
  if (problem) return notRun("get-history", size, "failed", problem);
  return measuredSequential("get-history", size, latencies, points * latencies.length, "points/s");
}

function checkHistory(history: { step: number; timestamp: number }[], expected: number): string | undefined {
  if (history.length !== expected) return `returned ${fmt(history.length)} points, expected ${fmt(expected)}`;
  for (let i = 1; i < history.length; i++) {
    if (history[i].timestamp < history[i - 1].timestamp) return `points out of order at index ${i}`;
  }
  return undefined;
}

/** Writes a metric of `points` points with full batches, several in flight. */
export async function writeMetric(ctx: BenchContext, runId: string, key: string, points: number): Promise<void> {
  const { client, sizes } = ctx;
  const t0 = Date.now();
  const batches = Math.ceil(points / sizes.batchSize);
  let done = 0;
  await mapPool(batches, Math.min(4, sizes.setupConcurrency), async (b) => {
    const from = b * sizes.batchSize;
    await client.logBatch(runId, { metrics: metricPoints(key, from, Math.min(sizes.batchSize, points - from), t0) });
    if (++done % 100 === 0) ctx.progress(`  wrote ${fmt(done * sizes.batchSize)} / ${fmt(points)} points`);
  });
}

/**
 * get-history-bulk-interval (the UI's chart query) over one long metric: the whole
 * range, then a zoomed window of a tenth of it, each sampled to `max_results` points.
 */
export async function bulkInterval(ctx: BenchContext, runId: string, key: string, points: number): Promise<WorkloadResult[]> {
  const whole = await bulkReads(ctx, runId, key, `${fmt(points)}-point metric, whole range`);
  const from = Math.floor(points / 2);
  const window = await bulkReads(ctx, runId, key, `${fmt(points)}-point metric, steps ${fmt(from)}…+${fmt(points / 10)}`, {
    start_step: from,
    end_step: from + points / 10 - 1,
  });
  return [whole, window];
}

async function bulkReads(ctx: BenchContext, runId: string, key: string, what: string, range: { start_step?: number; end_step?: number } = {}): Promise<WorkloadResult> {
  const { client, sizes } = ctx;
  const size = `${what}, ${fmt(sizes.bulkMaxResults)} back, ${sizes.bulkReads} reads`;
  const latencies: number[] = [];
  let returned = 0;
  const query = { run_ids: [runId], metric_key: key, max_results: sizes.bulkMaxResults, ...range };
  await ctx.measure(`get-history-bulk-interval${range.start_step === undefined ? "" : " (window)"}`, async () => {
    for (let i = 0; i < sizes.bulkReads; i++) {
      const { ms, value } = await timed(() => client.ajaxGet("/metrics/get-history-bulk-interval", query));
      returned = value.metrics?.length ?? 0;
      latencies.push(ms);
    }
  });
  const note = returned >= sizes.bulkMaxResults - 1 && returned <= sizes.bulkMaxResults + 2 ? undefined : `returned ${fmt(returned)} points`;
  return measuredSequential("get-history-bulk-interval", size, latencies, returned * latencies.length, "points/s", note);
}
