import { readdirSync, readFileSync } from "node:fs";

const PAGE_BYTES = 4096;

/**
 * Resident memory of the workerd process that runs the Worker (with the local D1 and
 * R2 simulators), in bytes; 0 when none is found. Reads /proc directly, so Linux only.
 */
export function workerdRss(pgid: number): number {
  let total = 0;
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      // comm may contain spaces and parentheses: fields resume after the last ")".
      const comm = stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")"));
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      if (comm !== "workerd" || Number(fields[2]) !== pgid) continue;
      total += Number(readFileSync(`/proc/${entry}/statm`, "utf8").split(" ")[1]) * PAGE_BYTES;
    } catch {
      // the process went away between listing and reading
    }
  }
  return total;
}

/**
 * Samples workerd's RSS every `intervalMs` until stopped; `peakSince(mark)` gives the
 * peak over samples taken after a mark, so each workload gets its own figure.
 *
 * @example
 * const sampler = new RssSampler(server.pgid);
 * const mark = sampler.mark(); await upload(); sampler.peakSince(mark);
 */
export class RssSampler {
  private readonly samples: number[] = [];
  private readonly timer: NodeJS.Timeout;

  constructor(
    readonly pgid: number,
    intervalMs = 100,
  ) {
    this.sample();
    this.timer = setInterval(() => this.sample(), intervalMs);
  }

  private sample(): void {
    const rss = workerdRss(this.pgid);
    if (rss > 0) this.samples.push(rss);
  }

  /** A position in the sample list. */
  mark(): number {
    this.sample();
    return this.samples.length;
  }

  /** Highest RSS sampled since `mark` (bytes). */
  peakSince(mark: number): number {
    this.sample();
    return Math.max(0, ...this.samples.slice(Math.max(0, mark - 1)));
  }

  stop(): void {
    clearInterval(this.timer);
  }
}
