import { mapPool } from "../pool";
import { timed } from "../stats";
import { fmt, measuredSequential, notRun, seededRandom, type BenchContext, type WorkloadResult } from "./result";

const FILTER = "metrics.loss < 0.5";
const ORDER_BY = ["metrics.loss ASC"];

/**
 * search-runs over an experiment of `runCount` runs (each with two metrics, three
 * params and a tag, like a small training run): `metrics.loss < 0.5` ordered by
 * `metrics.loss`, read in pages of 100 and in one page. Every read is checked for
 * the right runs in the right order.
 */
export async function searchRuns(ctx: BenchContext, runCount: number): Promise<WorkloadResult[]> {
  const { sizes } = ctx;
  const setupStart = performance.now();
  const { experimentId, expected } = await createRuns(ctx, runCount);
  const setupNote = `setup ${((performance.now() - setupStart) / 1000).toFixed(1)} s`;
  const rows: WorkloadResult[] = [];
  for (const pageSize of [sizes.searchPageSize, runCount]) {
    const how = pageSize === runCount ? "one page" : `pages of ${fmt(pageSize)}`;
    const size = `${fmt(runCount)} runs, ${fmt(expected)} match, ${how}, ${sizes.searchReads} reads`;
    rows.push(await timeSearch(ctx, experimentId, pageSize, expected, size, setupNote, `search-runs ${fmt(runCount)} runs, ${how}`));
  }
  return rows;
}

async function timeSearch(ctx: BenchContext, experimentId: string, pageSize: number, expected: number, size: string, note: string, name: string): Promise<WorkloadResult> {
  const latencies: number[] = [];
  const problem = await ctx.measure(name, async () => {
    for (let i = 0; i < ctx.sizes.searchReads; i++) {
      const { ms, value } = await timed(() => ctx.client.searchRuns(experimentId, FILTER, ORDER_BY, pageSize));
      latencies.push(ms);
      const wrong = checkOrder(value, expected);
      if (wrong) return wrong;
    }
    return undefined;
  });
  if (problem) return notRun("search-runs", size, "failed", problem);
  return measuredSequential("search-runs", size, latencies, expected * latencies.length, "runs/s", note);
}

function checkOrder(runs: any[], expected: number): string | undefined {
  if (runs.length !== expected) return `returned ${fmt(runs.length)} runs, expected ${fmt(expected)}`;
  const losses = runs.map((r) => r.data?.metrics?.find((m: any) => m.key === "loss")?.value);
  for (let i = 0; i < losses.length; i++) {
    if (!(losses[i] < 0.5)) return `run ${i} has loss ${losses[i]}`;
    if (i > 0 && losses[i] < losses[i - 1]) return `not ordered by metrics.loss at ${i}`;
  }
  return undefined;
}

/** An experiment of `count` runs created in parallel; returns how many have loss < 0.5. */
async function createRuns(ctx: BenchContext, count: number): Promise<{ experimentId: string; expected: number }> {
  const { client, sizes } = ctx;
  const experimentId = await client.createExperiment(`${ctx.tag}-search-${count}`);
  // Fail before spending a minute on set-up when the server cannot search at all.
  await client.searchRuns(experimentId, FILTER, ORDER_BY, 1);
  const random = seededRandom(count);
  const losses = Array.from({ length: count }, () => random());
  const t0 = Date.now();
  let done = 0;
  await mapPool(count, sizes.setupConcurrency, async (i) => {
    const run = await client.createRun(experimentId, `run-${i}`);
    await client.logBatch(run.run_id, {
      metrics: [
        { key: "loss", value: losses[i], timestamp: t0 + i, step: 0 },
        { key: "acc", value: 1 - losses[i], timestamp: t0 + i, step: 0 },
      ],
      params: [
        { key: "lr", value: String(10 ** -(1 + (i % 4))) },
        { key: "batch_size", value: String(2 ** (4 + (i % 4))) },
        { key: "model", value: ["cnn", "rnn", "mlp"][i % 3] },
      ],
      tags: [{ key: "team", value: i % 2 ? "vision" : "nlp" }],
    });
    if (++done % 1000 === 0) ctx.progress(`  created ${fmt(done)} / ${fmt(count)} runs`);
  });
  return { experimentId, expected: losses.filter((l) => l < 0.5).length };
}
