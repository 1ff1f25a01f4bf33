import type { ViewType } from "../protocol/fields";
import { decodePageToken, paginate } from "../protocol/page-token";
import type { Run } from "../protocol/runs";
import { runFilter, runOrder } from "../search/runs";
import type { Reader } from "../search/reader";
import { lifecycleStages } from "../search/view-type";
import type { Database } from "../store/db";
import { searchRunPage } from "../store/run-search";
import { parseExperimentId } from "./experiments";
import { LIMITS, validateMaxResults } from "./validation";

interface SearchRunsRequest {
  experiment_ids?: string[];
  filter?: string;
  run_view_type?: ViewType;
  max_results?: number;
  order_by?: string[];
  page_token?: string;
}

/**
 * MLflow's search-runs: the filter and order compile to one SELECT of a page of runs
 * (plus one, to know whether another page follows) which also reads their data: one
 * D1 round trip. Without experiment ids nothing matches, as in MLflow;
 * with a reader, only runs of experiments it may read do.
 *
 * @example
 * await searchRuns(db, { experiment_ids: ["1"], filter: "metrics.acc > 0.9", order_by: ["metrics.acc DESC"] })
 */
export async function searchRuns(db: Database, req: SearchRunsRequest, reader?: Reader): Promise<{ runs: Run[]; nextPageToken?: string }> {
  const maxResults = validateMaxResults(req.max_results, 1000, LIMITS.searchMaxResults);
  const predicates = runFilter(req.filter);
  const order = runOrder(req.order_by);
  const offset = decodePageToken(req.page_token);
  const experimentIds = (req.experiment_ids ?? []).map(parseExperimentId);
  if (experimentIds.length === 0) return { runs: [] };
  const runs = await searchRunPage(db, {
    experimentIds,
    lifecycleStages: lifecycleStages(req.run_view_type),
    predicates,
    order,
    offset,
    limit: maxResults + 1,
    reader,
  });
  const page = paginate(runs, offset, maxResults);
  return { runs: page.items, nextPageToken: page.nextPageToken };
}
