import { sql, type SQLWrapper } from "drizzle-orm";

/**
 * `column IN (values)` with all values bound as one JSON parameter, which keeps any
 * number of values under D1's 100-bound-parameter limit.
 *
 * @example
 * db.select().from(runs).where(inJson(runs.runId, ["a", "b"]))
 */
export const inJson = (column: SQLWrapper, values: readonly (string | number)[]) =>
  sql`${column} IN (SELECT value FROM json_each(${JSON.stringify(values)}))`;

/**
 * The next insertion position of a run's rows in `table`; rows inserted together from
 * `json_each` take `nextPosition(…) + j.key`, so a run's lists keep MLflow's insertion order.
 *
 * @example
 * sql`INSERT INTO params (run_id, key, value, position) SELECT …, ${nextPosition("params", runId)} + j.key FROM json_each(…) j`
 */
export const nextPosition = (table: "params" | "run_tags" | "latest_metrics" | "run_inputs", runId: string) =>
  sql`(SELECT coalesce(max(position), -1) + 1 FROM ${sql.raw(table)} WHERE run_id = ${runId})`;
