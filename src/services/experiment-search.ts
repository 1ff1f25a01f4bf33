import type { Experiment } from "../protocol/experiments";
import type { ViewType } from "../protocol/fields";
import { decodePageToken, paginate } from "../protocol/page-token";
import { experimentFilter, experimentOrder } from "../search/experiments";
import type { Reader } from "../search/reader";
import { lifecycleStages } from "../search/view-type";
import type { Database } from "../store/db";
import * as store from "../store/experiment-search";
import { LIMITS, validateMaxResults } from "./validation";

interface SearchExperimentsRequest {
  max_results?: number;
  page_token?: string;
  filter?: string;
  order_by?: string[];
  view_type?: ViewType;
}

/**
 * MLflow's search-experiments: validated in MLflow's order (max_results, filter,
 * order_by, page token), then one page fetched with one extra row; with a reader,
 * only experiments it may read.
 *
 * @example
 * await searchExperiments(db, { filter: "name LIKE 'exp-%'", max_results: 10 })
 */
export async function searchExperiments(
  db: Database,
  req: SearchExperimentsRequest,
  reader?: Reader,
): Promise<{ experiments: Experiment[]; nextPageToken?: string }> {
  const maxResults = validateMaxResults(req.max_results, 1000, LIMITS.searchMaxResults);
  const predicates = experimentFilter(req.filter);
  const order = experimentOrder(req.order_by);
  const offset = decodePageToken(req.page_token);
  const rows = await store.searchExperiments(db, {
    lifecycleStages: lifecycleStages(req.view_type),
    predicates,
    order,
    offset,
    limit: maxResults + 1,
    reader,
  });
  const page = paginate(rows, offset, maxResults);
  return { experiments: page.items, nextPageToken: page.nextPageToken };
}
