import { timed } from "../stats";
import { fmt, measured, WARMUP, type BenchContext, type WorkloadResult } from "./result";

/**
 * `GET /health`, sequential: the cost of an HTTP exchange with no storage behind it,
 * so the other latencies can be split into transport and work.
 */
export async function httpFloor(ctx: BenchContext): Promise<WorkloadResult> {
  const calls = ctx.sizes.logMetricCalls;
  const health = async () => {
    const res = await ctx.client.exchange("GET", "/health");
    if (res.status !== 200) throw new Error(`GET /health: HTTP ${res.status}`);
  };
  for (let i = 0; i < WARMUP; i++) await health();
  const latencies: number[] = [];
  const start = performance.now();
  await ctx.measure("health", async () => {
    for (let i = 0; i < calls; i++) latencies.push((await timed(health)).ms);
  });
  return measured("health (HTTP floor)", `${fmt(calls)} calls, sequential`, latencies, calls, performance.now() - start, "calls/s");
}
