import type { ProfileSummary } from "./profile";
import type { WorkloadResult } from "./workloads/result";

const MIB = 1024 * 1024;

/** Everything one bench run measured; `--json` writes exactly this. */
export interface BenchReport {
  meta: { url: string; mode: "quick" | "full"; localServer: boolean; startedAt: string; durationS: number; node: string; cpus: number };
  workloads: WorkloadResult[];
  /** D1 round trips per request by endpoint; empty unless the server reports them (local mode). */
  d1Calls: { endpoint: string; requests: number; median: number; max: number }[];
  /** workerd RSS in bytes; absent against a remote server or without the artifact workloads. */
  memory?: { idleBaselineBytes: number; artifactBaselineBytes: number; artifactPeakBytes: number };
  /** mlflare against the stock MLflow server's figures quoted in the issue. */
  reference: { figure: string; stock: string; measured: string; speedup: number; target: number }[];
  /** `--profile`: where the Worker's sampled CPU time went during each measured part. */
  profiles?: { workload: string; summary: ProfileSummary }[];
}

/**
 * Stock MLflow 3.11 (sqlite, one uvicorn worker, its own Python client) on a
 * machine like ours, as quoted in issue 6, and the speed-up mlflare must reach.
 */
export function compareWithStock(workloads: WorkloadResult[]): BenchReport["reference"] {
  const find = (name: string, sizeHas: string) => workloads.find((w) => w.status === "ok" && w.name === name && w.size.includes(sizeHas));
  const rows: BenchReport["reference"] = [];
  const logMetric = find("log-metric", "");
  if (logMetric) rows.push({ figure: "log-metric latency", stock: "12.5 ms", measured: `${ms(logMetric.medianMs)} median`, speedup: 12.5 / logMetric.medianMs, target: 1 });
  const logBatch = find("log-batch", "");
  if (logBatch) rows.push({ figure: "log-batch throughput", stock: "7,400 metrics/s", measured: `${rate(logBatch.throughput)} metrics/s`, speedup: logBatch.throughput / 7_400, target: 20 });
  const history = find("get-history", "100,000-point");
  if (history) rows.push({ figure: "100k-point history", stock: "6.6 s", measured: `${ms(history.medianMs)} median`, speedup: 6_600 / history.medianMs, target: 10 });
  const onePage = workloads.find((w) => w.status === "ok" && w.name === "search-runs" && w.size.startsWith("1,000 runs") && w.size.includes("one page"));
  if (onePage) rows.push({ figure: "search over 1,000 runs", stock: "240 ms", measured: `${ms(onePage.medianMs)} median`, speedup: 240 / onePage.medianMs, target: 10 });
  return rows;
}

/** The human-readable tables: workloads, D1 round trips, memory, comparison. */
export function renderText(report: BenchReport): string {
  const { meta } = report;
  const out: string[] = [];
  out.push(`mlflare bench — ${meta.mode} size${meta.mode === "quick" ? " (smaller sizes, see the size column)" : ""} against ${meta.url}${meta.localServer ? " (local npm start server)" : ""}`);
  out.push(`${meta.startedAt}, ${meta.durationS.toFixed(0)} s, node ${meta.node}, ${meta.cpus} CPUs`, "");
  out.push(
    table(
      ["workload", "size", "n", "median", "p95", "throughput", "note"],
      report.workloads.map((w) => [
        w.name,
        w.size,
        w.status === "ok" ? String(w.count) : w.status.toUpperCase(),
        w.status === "ok" ? ms(w.medianMs) : "",
        w.status === "ok" ? ms(w.p95Ms) : "",
        w.status === "ok" ? `${rate(w.throughput)} ${w.unit}` : "",
        oneLine([w.note, w.peakRssBytes ? `workerd peak ${mib(w.peakRssBytes)}` : ""].filter(Boolean).join("; ")),
      ]),
      [false, false, true, true, true, true, false],
    ),
  );
  out.push("", "D1 round trips per request (local mode; a batch() counts as one):");
  out.push(
    report.d1Calls.length
      ? table(["endpoint", "requests", "median", "max"], report.d1Calls.map((d) => [d.endpoint, String(d.requests), String(d.median), String(d.max)]), [false, true, true, true])
      : "  not reported by this server (only mlflare's local mode sets X-Mlflare-D1-Calls)",
  );
  out.push("", "workerd memory (RSS from /proc, Worker plus local D1/R2):");
  const m = report.memory;
  out.push(m ? `  idle after start ${mib(m.idleBaselineBytes)}; before artifacts ${mib(m.artifactBaselineBytes)}; peak during artifacts ${mib(m.artifactPeakBytes)}` : "  not measured (remote server, or no artifact workloads)");
  if (report.reference.length) {
    out.push("", "Against stock MLflow 3.11 (sqlite, 1 uvicorn worker, Python client; figures from issue 6):");
    out.push(
      table(
        ["figure", "stock", "measured", "speed-up", "target", ""],
        report.reference.map((r) => [r.figure, r.stock, r.measured, `${r.speedup.toFixed(1)}×`, `≥ ${r.target}×`, r.speedup >= r.target ? "met" : "MISSED"]),
        [false, true, true, true, true, false],
      ),
    );
  }
  if (report.profiles?.length) {
    out.push("", "Worker CPU profile of each measured part (self time by bundled module; .cpuprofile files open in Chrome DevTools):");
    for (const { workload, summary } of report.profiles) {
      const busy = summary.totalMs - summary.idleMs;
      const parts = summary.top.map((t) => `${t.where} ${pct(t.ms, summary.totalMs)}`).join(", ");
      out.push(`  ${workload}: busy ${pct(busy, summary.totalMs)} of ${(summary.totalMs / 1000).toFixed(1)} s — ${parts}`);
    }
  }
  return out.join("\n");
}

const pct = (part: number, whole: number) => `${whole ? Math.round((100 * part) / whole) : 0}%`;

function table(header: string[], rows: string[][], rightAlign: boolean[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) =>
    "  " + cells.map((c, i) => (rightAlign[i] ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join("  ").trimEnd();
  return [line(header), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n");
}

/** Notes may quote an HTML error page: one line, and short, in the table (JSON keeps it whole). */
const oneLine = (text: string) => {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > 110 ? `${flat.slice(0, 107)}...` : flat;
};
const ms = (v: number) => (v >= 1000 ? `${(v / 1000).toFixed(2)} s` : `${v.toFixed(v < 10 ? 2 : 1)} ms`);
const rate = (v: number) => (v >= 100 ? Math.round(v).toLocaleString("en-US") : v.toFixed(1));
const mib = (bytes: number) => `${(bytes / MIB).toFixed(0)} MiB`;
