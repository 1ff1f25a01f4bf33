import type { SQL } from "drizzle-orm";
import { SQLiteAsyncDialect } from "drizzle-orm/sqlite-core";
import { invalidParameter } from "../protocol/errors";

/** D1 refuses statements with more bound parameters than this. */
const D1_MAX_BOUND_PARAMETERS = 100;
const dialect = new SQLiteAsyncDialect();

/**
 * Refuses, as a user error, a search whose filter and order_by need more bound
 * parameters than D1 allows (about 45 clauses), instead of letting D1 fail with a 500.
 */
export function withinParameterLimit(query: SQL): SQL {
  const count = dialect.sqlToQuery(query).params.length;
  if (count > D1_MAX_BOUND_PARAMETERS) {
    throw invalidParameter(`Search is too complex: it needs ${count} bound parameters, at most ${D1_MAX_BOUND_PARAMETERS} are supported. Use fewer clauses.`);
  }
  return query;
}
