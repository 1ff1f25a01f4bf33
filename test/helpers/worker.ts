import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";
import worker from "../../src/index";

/**
 * Hands a request to the Worker's fetch handler in this isolate, with the real D1, R2
 * and rate-limit bindings, and waits for its `waitUntil` work.
 *
 * For tests that send thousands of requests from one file: in vitest-pool-workers 0.15
 * every `SELF.fetch` gets slower the more were made before it (measured on /health:
 * ≈25 ms per request over the first 500, ≈160 ms over the next 500), while this path
 * stays flat (≈0.1 ms).
 *
 * @example
 * const res = await dispatch("http://mlflare.test/health");
 */
export async function dispatch(input: string | URL, init?: RequestInit): Promise<Response> {
  const ctx = createExecutionContext();
  const res = await worker.fetch(new Request(input, init), env, ctx);
  await waitOnExecutionContext(ctx);
  return res;
}
