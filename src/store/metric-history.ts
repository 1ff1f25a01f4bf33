import { sql } from "drizzle-orm";
import type { Metric } from "../protocol/runs";
import type { Database } from "./db";
import { toMetric } from "./runs";

type Row = { key: string; value: number; is_nan: number; timestamp: number; step: number; run_id: string };
const point = (r: Row): Metric & { runId: string } => ({
  ...toMetric({ key: r.key, value: r.value, isNan: r.is_nan, timestamp: r.timestamp, step: r.step }),
  runId: r.run_id,
});

/** One page of a metric's history in (timestamp, step, value) order, read off the primary key. */
export async function readHistory(db: Database, runId: string, key: string, page: { offset: number; limit?: number }) {
  const limit = page.limit ?? -1;
  const rows = await db.all<Row>(sql`SELECT run_id, key, value, is_nan, timestamp, step FROM metrics
    WHERE run_id = ${runId} AND key = ${key}
    ORDER BY timestamp, step, value LIMIT ${limit} OFFSET ${page.offset}`);
  return rows.map(point);
}

/** Histories of several runs: runs by id, each in (timestamp, step, value) order. */
export async function readHistories(db: Database, runIds: readonly string[], key: string, limit: number) {
  const rows = await db.all<Row>(sql`SELECT run_id, key, value, is_nan, timestamp, step FROM metrics
    WHERE run_id IN (SELECT value FROM json_each(${JSON.stringify(runIds)})) AND key = ${key}
    ORDER BY run_id, timestamp, step, value LIMIT ${limit}`);
  return rows.map(point);
}

/**
 * MLflow's step sampling for charts, in one statement: of the distinct steps of all
 * runs within [start, end], keep `maxResults` evenly spaced ones (index ⌊i·n/m⌋) plus
 * the last, plus each run's own first and last step in range; return every point at
 * those steps, runs in request order, each by (step, timestamp, value).
 * A step at sorted index j is sampled iff i = ⌈j·m/n⌉ < m and ⌊i·n/m⌋ = j.
 */
export async function readSampledHistories(
  db: Database,
  runIds: readonly string[],
  key: string,
  range: { start?: number; end?: number },
  maxResults: number,
) {
  const runs = JSON.stringify(runIds);
  const query = sql`
    WITH requested AS (SELECT value AS run_id, key AS position FROM json_each(${runs})),
    points AS (
      SELECT m.run_id, m.step FROM metrics m JOIN requested r ON r.run_id = m.run_id WHERE m.key = ${key}),
    bounds AS (SELECT CAST(${range.start ?? 0} AS INTEGER) AS lo,
                      COALESCE(CAST(${range.end ?? null} AS INTEGER), (SELECT MAX(step) FROM points), 0) AS hi,
                      CAST(${maxResults} AS INTEGER) AS m),
    ranked AS (
      SELECT step, ROW_NUMBER() OVER (ORDER BY step) - 1 AS j, COUNT(*) OVER () AS n
      FROM (SELECT DISTINCT step FROM points), bounds WHERE step BETWEEN lo AND hi),
    chosen AS (
      SELECT step FROM ranked, bounds
      WHERE n <= m OR j = n - 1 OR ((j * m + n - 1) / n < m AND ((j * m + n - 1) / n) * n / m = j)
      UNION
      SELECT step FROM (SELECT MIN(step) AS step FROM points GROUP BY run_id UNION SELECT MAX(step) FROM points GROUP BY run_id), bounds
      WHERE step BETWEEN lo AND hi)
    SELECT m.run_id, m.key, m.value, m.is_nan, m.timestamp, m.step
    FROM metrics m JOIN requested r ON r.run_id = m.run_id
    WHERE m.key = ${key} AND m.step IN (SELECT step FROM chosen)
    ORDER BY r.position, m.step, m.timestamp, m.value`;
  return (await db.all<Row>(query)).map(point);
}
