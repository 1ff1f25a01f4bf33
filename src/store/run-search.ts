import type { RunInfo } from "../protocol/runs";
import { compileRunSearch, type RunSearch } from "../search/run-sql";
import type { Database } from "./db";
import { withinParameterLimit } from "./search-limits";

/**
 * The runs (info only) of one page of a resolved search, in MLflow's order: one D1 round trip.
 *
 * @example
 * await searchRunInfos(db, { experimentIds: [1], lifecycleStages: ["active"], predicates: [], order: [], offset: 0, limit: 1001 })
 */
export const searchRunInfos = (db: Database, search: RunSearch): Promise<RunInfo[]> =>
  db.all<RunInfo>(withinParameterLimit(compileRunSearch(search)));
