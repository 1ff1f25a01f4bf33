import { compileRunSearch, type RunSearch } from "../search/run-sql";
import type { Database } from "./db";
import { withinParameterLimit } from "./search-limits";

/**
 * Ids of one page of runs matching a resolved search, in MLflow's order: one D1 round trip.
 *
 * @example
 * await searchRunIds(db, { experimentIds: [1], lifecycleStages: ["active"], predicates: [], order: [], offset: 0, limit: 1001 })
 */
export async function searchRunIds(db: Database, search: RunSearch): Promise<string[]> {
  const rows = await db.all<{ run_id: string }>(withinParameterLimit(compileRunSearch(search)));
  return rows.map((r) => r.run_id);
}
