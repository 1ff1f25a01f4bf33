import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { moduleIndex, servedBundle, summarizeProfile, WorkerProfiler, type ModuleIndex, type ProfileSummary } from "./profile";
import { REPO, type LocalServer } from "./server";

/**
 * `--profile <dir>`: one CPU profile of the Worker per measured workload part, saved
 * as `<dir>/<workload>.cpuprofile` and summarised by module for the report.
 *
 * @example
 * const profiling = await Profiling.start(server, "bench/results/profiles");
 * await profiling.measure("log-batch", () => run());
 */
export class Profiling {
  readonly summaries: { workload: string; summary: ProfileSummary }[] = [];

  private constructor(
    private readonly profiler: WorkerProfiler,
    private readonly dir: string,
    private readonly moduleAt: ModuleIndex,
  ) {}

  static async start(server: LocalServer, dir: string): Promise<Profiling> {
    if (server.inspectorPort === undefined) throw new Error("the local server has no inspector port");
    mkdirSync(dir, { recursive: true });
    // start.sh bundles once, before serving: this is the code every profile samples.
    return new Profiling(await WorkerProfiler.connect(server.inspectorPort), dir, moduleIndex(servedBundle(REPO)));
  }

  async measure<T>(workload: string, fn: () => Promise<T>): Promise<T> {
    await this.profiler.start();
    try {
      return await fn();
    } finally {
      const profile = await this.profiler.stop();
      writeFileSync(join(this.dir, `${workload.replace(/[^\w.-]+/g, "_")}.cpuprofile`), JSON.stringify(profile));
      this.summaries.push({ workload, summary: summarizeProfile(profile, this.moduleAt) });
    }
  }

  close(): void {
    this.profiler.close();
  }
}
