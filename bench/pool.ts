/**
 * Runs `task(i)` for i in 0..count-1 with at most `concurrency` in flight, and
 * returns the results in index order. The first failure rejects the whole pool.
 *
 * @example
 * const runs = await mapPool(1000, 16, (i) => client.createRun(exp, `run-${i}`));
 */
export async function mapPool<T>(count: number, concurrency: number, task: (i: number) => Promise<T>): Promise<T[]> {
  const results = new Array<T>(count);
  let next = 0;
  let failed = false;
  const worker = async () => {
    while (!failed && next < count) {
      const i = next++;
      try {
        results[i] = await task(i);
      } catch (err) {
        failed = true;
        throw err;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  return results;
}
