import { timed } from "../stats";
import { fmt, measured, type BenchContext, type WorkloadResult } from "./result";

const KEY = "concurrent";

/**
 * `writers` clients logging single points to the same metric of one run at once;
 * afterwards get-history must hold every step exactly once.
 */
export async function concurrentWriters(ctx: BenchContext, experimentId: string, writers: number): Promise<WorkloadResult> {
  const { client, sizes } = ctx;
  const perWriter = sizes.pointsPerWriter;
  const run = await client.createRun(experimentId, `writers-${writers}`);
  const latencies: number[] = [];
  const start = performance.now();
  await ctx.measure(`${writers} concurrent writers`, () =>
    Promise.all(
      Array.from({ length: writers }, async (_, w) => {
        for (let j = 0; j < perWriter; j++) {
          const step = w * perWriter + j;
          latencies.push((await timed(() => client.logMetric(run.run_id, KEY, step / 1000, step))).ms);
        }
      }),
    ),
  );
  const wall = performance.now() - start;
  const total = writers * perWriter;
  const history = await client.getHistory(run.run_id, KEY);
  const steps = new Set(history.map((m) => m.step));
  const missing = total - Array.from({ length: total }, (_, s) => s).filter((s) => steps.has(s)).length;
  const ok = missing === 0 && history.length === total;
  const note = ok ? `all ${fmt(total)} points arrived` : `MISSING ${fmt(missing)} of ${fmt(total)} points (history has ${fmt(history.length)})`;
  const result = measured(`${writers} concurrent writers`, `${writers} × ${fmt(perWriter)} log-metric calls, one run`, latencies, total, wall, "points/s", note);
  return ok ? result : { ...result, status: "failed" };
}
