import type { Run } from "../protocol/runs";
import { compileRunSearch, type RunSearch } from "../search/run-sql";
import type { Database } from "./db";
import { readRuns } from "./runs";
import { withinParameterLimit } from "./search-limits";

/**
 * The whole runs of one page of a resolved search, in MLflow's order: one D1 round trip.
 *
 * @example
 * await searchRunPage(db, { experimentIds: [1], lifecycleStages: ["active"], predicates: [], order: [], offset: 0, limit: 1001 })
 */
export const searchRunPage = (db: Database, search: RunSearch): Promise<Run[]> => readRuns(db, withinParameterLimit(compileRunSearch(search)));
