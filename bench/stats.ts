/** Latency summary of one workload, in milliseconds. */
export interface Summary {
  count: number;
  medianMs: number;
  p95Ms: number;
  maxMs: number;
}

/**
 * Nearest-rank percentile of a sample (p in 0..100); NaN for an empty sample.
 *
 * @example
 * percentile([5, 1, 3], 50) // 3
 */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1];
}

/**
 * Count, median, p95 and max of a list of latencies.
 *
 * @example
 * summarize([10, 12, 50]) // { count: 3, medianMs: 12, p95Ms: 50, maxMs: 50 }
 */
export function summarize(latenciesMs: readonly number[]): Summary {
  return {
    count: latenciesMs.length,
    medianMs: percentile(latenciesMs, 50),
    p95Ms: percentile(latenciesMs, 95),
    maxMs: percentile(latenciesMs, 100),
  };
}

/** Wall-clock time of `fn` in milliseconds, with its result. */
export async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const start = performance.now();
  const value = await fn();
  return { ms: performance.now() - start, value };
}
