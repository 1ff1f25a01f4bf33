import type { Experiment } from "../protocol/experiments";
import { compileExperimentSearch, type ExperimentSearch } from "../search/experiment-sql";
import type { Database } from "./db";
import { withinParameterLimit } from "./search-limits";

type Row = Omit<Experiment, "tags"> & { tags: string };

/**
 * A page of experiments (with tags) matching a resolved search, in one D1 round trip.
 *
 * @example
 * await searchExperiments(db, { lifecycleStages: ["active"], predicates: [], order, offset: 0, limit: 1001 })
 */
export async function searchExperiments(db: Database, search: ExperimentSearch): Promise<Experiment[]> {
  const rows = await db.all<Row>(withinParameterLimit(compileExperimentSearch(search)));
  return rows.map((r) => ({ ...r, tags: JSON.parse(r.tags) }));
}
