import type { MlflowClient } from "../client";
import type { RssSampler } from "../memory";
import { summarize } from "../stats";
import type { Sizes } from "../sizes";

/**
 * Untimed calls before each timed series, so connection set-up and the Worker's first
 * (not yet optimised) runs of the code path are not measured.
 */
export const WARMUP = 10;

/** One row of the report. */
export interface WorkloadResult {
  name: string;
  /** What was measured, in words (sizes differ between --quick and full). */
  size: string;
  status: "ok" | "skipped" | "failed";
  count: number;
  medianMs: number;
  p95Ms: number;
  maxMs: number;
  throughput: number;
  unit: string;
  note?: string;
  /** workerd's peak RSS during this workload, bytes (artifact workloads, local mode). */
  peakRssBytes?: number;
}

/** What every workload gets: the client, the sizes, a progress line and the memory sampler. */
export interface BenchContext {
  client: MlflowClient;
  sizes: Sizes;
  /** Prefix making experiment names unique per bench run. */
  tag: string;
  progress(line: string): void;
  sampler?: RssSampler;
  /**
   * Wraps the measured part of a workload (not its set-up), so `--profile` can take
   * the Worker's CPU profile of exactly that part.
   */
  measure<T>(name: string, fn: () => Promise<T>): Promise<T>;
}

/**
 * Builds a row from per-operation latencies: throughput is `items` over `wallMs`.
 *
 * @example
 * measured("log-batch", "100 × 1,000 metrics", latencies, 100_000, wallMs, "metrics/s")
 */
export function measured(
  name: string,
  size: string,
  latenciesMs: number[],
  items: number,
  wallMs: number,
  unit: string,
  note?: string,
): WorkloadResult {
  return { name, size, status: "ok", ...summarize(latenciesMs), throughput: items / (wallMs / 1000), unit, note };
}

/**
 * `measured` for operations run one at a time: the wall time is the sum of their
 * latencies, so the checks and bookkeeping between them do not dilute the throughput.
 */
export function measuredSequential(name: string, size: string, latenciesMs: number[], items: number, unit: string, note?: string): WorkloadResult {
  return measured(name, size, latenciesMs, items, latenciesMs.reduce((a, b) => a + b, 0), unit, note);
}

/** A row for a workload that did not run. */
export function notRun(name: string, size: string, status: "skipped" | "failed", note: string): WorkloadResult {
  return { name, size, status, count: 0, medianMs: Number.NaN, p95Ms: Number.NaN, maxMs: Number.NaN, throughput: Number.NaN, unit: "", note };
}

/** Deterministic pseudo-random numbers in [0, 1), so every run logs the same data. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

/** "100,000" */
export const fmt = (n: number) => n.toLocaleString("en-US");
