import type { RunInfo } from "../protocol/runs";
import { compileRunSearch, type RunSearch } from "../search/run-sql";
import type { Database } from "./db";
import { withinParameterLimit } from "./search-limits";

interface Row {
  run_id: string;
  experiment_id: number;
  name: string;
  user_id: string;
  status: string;
  start_time: number | null;
  end_time: number | null;
  artifact_uri: string;
  lifecycle_stage: string;
}

/**
 * The runs (info only) of one page of a resolved search, in MLflow's order: one D1 round trip.
 *
 * @example
 * await searchRunInfos(db, { experimentIds: [1], lifecycleStages: ["active"], predicates: [], order: [], offset: 0, limit: 1001 })
 */
export async function searchRunInfos(db: Database, search: RunSearch): Promise<RunInfo[]> {
  const rows = await db.all<Row>(withinParameterLimit(compileRunSearch(search)));
  return rows.map((r) => ({
    runId: r.run_id,
    experimentId: r.experiment_id,
    name: r.name,
    userId: r.user_id,
    status: r.status,
    startTime: r.start_time,
    endTime: r.end_time,
    artifactUri: r.artifact_uri,
    lifecycleStage: r.lifecycle_stage,
  }));
}
