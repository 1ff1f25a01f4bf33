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
