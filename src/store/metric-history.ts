import { sql } from "drizzle-orm";
import type { Metric } from "../protocol/runs";
import type { Database } from "./db";
import { toMetric } from "./runs";
import { inJson } from "./sql";

type Row = { key: string; value: number; isNan: number; timestamp: number; step: number; runId: string };
const point = (r: Row): Metric & { runId: string } => ({ ...toMetric(r), runId: r.runId });
/**
 * A run's points with its run id (metrics name the run by its run key), named as `Row`
 * so rows need no renaming in JavaScript.
 */
const RUN_POINTS = sql.raw("r.run_id AS runId, m.key, m.value, m.is_nan AS isNan, m.timestamp, m.step FROM runs r JOIN metrics m ON m.run_key = r.run_key");

/**
 * One page of a metric's history in (timestamp, step, value) order. The primary key is in
 * (run, key, step) order, so SQLite sorts the metric's points for each page.
 */
export async function readHistory(db: Database, runId: string, key: string, page: { offset: number; limit?: number }) {
  const limit = page.limit ?? -1;
  const rows = await db.all<Row>(sql`SELECT ${RUN_POINTS}
    WHERE r.run_id = ${runId} AND m.key = ${key}
    ORDER BY m.timestamp, m.step, m.value LIMIT ${limit} OFFSET ${page.offset}`);
  return rows.map(point);
}

/** Histories of several runs: runs by id, each in (timestamp, step, value) order. */
export async function readHistories(db: Database, runIds: readonly string[], key: string, limit: number) {
  const rows = await db.all<Row>(sql`SELECT ${RUN_POINTS}
    WHERE ${inJson(sql.raw("r.run_id"), runIds)} AND m.key = ${key}
    ORDER BY r.run_id, m.timestamp, m.step, m.value LIMIT ${limit}`);
  return rows.map(point);
}

/**
 * MLflow's step sampling for charts, in one statement: of the distinct steps of all
 * runs within [start, end], keep `maxResults` evenly spaced ones (index ⌊i·n/m⌋) plus
 * the last, plus each run's own first and last step in range; return every point at
 * those steps, runs in request order, each by (step, timestamp, value).
 * A step at sorted index j is sampled iff i = ⌈j·m/n⌉ < m and ⌊i·n/m⌋ = j.
 *
 * Ranking a million distinct steps is what costs, so it is skipped when the steps in range
 * are provably contiguous: each run has as many distinct steps as its span is wide, and
 * every span but the lowest starts right after a step some run covers. Then the j-th step
 * is simply first + j and only the sampled points are read, by (run, key, step) seeks of
 * the primary key (CROSS JOIN keeps `metrics` the inner loop).
 *
 * @example readSampledHistories(db, ["run1"], "loss", {}, 2500) // ≤ 2,501 points of loss
 */
export async function readSampledHistories(
  db: Database,
  runIds: readonly string[],
  key: string,
  range: { start?: number; end?: number },
  maxResults: number,
) {
  const ids = JSON.stringify(runIds);
  const query = sql`
    WITH requested AS (SELECT r.run_id, r.run_key, j.key AS position FROM json_each(${ids}) j JOIN runs r ON r.run_id = j.value),
    spans AS (
      SELECT run_key,
        (SELECT MIN(step) FROM metrics WHERE run_key = r.run_key AND key = ${key}) AS first,
        (SELECT MAX(step) FROM metrics WHERE run_key = r.run_key AND key = ${key}) AS last
      FROM requested r),
    bounds AS (SELECT CAST(${range.start ?? 0} AS INTEGER) AS lo,
                      COALESCE(CAST(${range.end ?? null} AS INTEGER), (SELECT MAX(last) FROM spans), 0) AS hi,
                      CAST(${maxResults} AS INTEGER) AS m),
    in_range AS (
      SELECT * FROM (SELECT s.run_key,
        (SELECT MIN(step) FROM metrics WHERE run_key = s.run_key AND key = ${key} AND step BETWEEN lo AND hi) AS a,
        (SELECT MAX(step) FROM metrics WHERE run_key = s.run_key AND key = ${key} AND step BETWEEN lo AND hi) AS b
        FROM spans s, bounds) WHERE a IS NOT NULL),
    counted AS MATERIALIZED (
      SELECT i.*, (SELECT COUNT(DISTINCT step) FROM metrics WHERE run_key = i.run_key AND key = ${key} AND step BETWEEN a AND b) AS c
      FROM in_range i),
    stats AS (
      SELECT MIN(a) AS first, MAX(b) - MIN(a) + 1 AS n,
        NOT EXISTS (SELECT 1 FROM counted WHERE c <> b - a + 1)
        AND NOT EXISTS (SELECT 1 FROM counted r WHERE r.a > (SELECT MIN(a) FROM counted)
          AND NOT EXISTS (SELECT 1 FROM counted t WHERE r.a - 1 BETWEEN t.a AND t.b)) AS dense
      FROM counted),
    idx(i) AS (
      SELECT 0 FROM stats WHERE dense AND n > 0
      UNION ALL SELECT i + 1 FROM idx, stats, bounds WHERE i + 1 < MIN(m, n)),
    ranked AS (
      SELECT step, ROW_NUMBER() OVER (ORDER BY step) - 1 AS j, COUNT(*) OVER () AS n
      FROM (SELECT DISTINCT m.step FROM bounds, requested r CROSS JOIN metrics m
            WHERE m.run_key = r.run_key AND m.key = ${key} AND m.step BETWEEN lo AND hi
              AND NOT (SELECT dense FROM stats))),
    chosen AS (
      SELECT first + CASE WHEN n <= m THEN i ELSE i * n / m END AS step FROM idx, stats, bounds
      UNION ALL SELECT first + n - 1 FROM stats WHERE dense
      UNION ALL
      SELECT step FROM ranked, bounds
      WHERE n <= m OR j = n - 1 OR ((j * m + n - 1) / n < m AND ((j * m + n - 1) / n) * n / m = j)
      UNION
      SELECT step FROM (SELECT first AS step FROM spans UNION ALL SELECT last FROM spans), bounds
      WHERE step BETWEEN lo AND hi)
    SELECT r.run_id AS runId, m.key, m.value, m.is_nan AS isNan, m.timestamp, m.step
    FROM requested r CROSS JOIN chosen c CROSS JOIN metrics m
    WHERE m.run_key = r.run_key AND m.key = ${key} AND m.step = c.step
    ORDER BY r.position, m.step, m.timestamp, m.value`;
  return (await db.all<Row>(query)).map(point);
}
