import { invalidParameter } from "../protocol/errors";
import { decodePageToken, paginate } from "../protocol/page-token";
import type { Database } from "../store/db";
import * as store from "../store/metric-history";

const MAX_RUNS_PER_HISTORY_REQUEST = 100;
const MAX_SAMPLED_POINTS = 2500;
const MAX_BULK_POINTS = 25000;

/**
 * get-history: all points when `max_results` is absent or 0 (no token), otherwise pages
 * of `max_results` with an offset token that never appears on the last page.
 */
export async function getMetricHistory(db: Database, runId: string, key: string, maxResults?: number, pageToken?: string) {
  const offset = decodePageToken(pageToken);
  if (!maxResults) return { items: await store.readHistory(db, runId, key, { offset }) };
  if (maxResults < 0) throw invalidParameter(`Invalid value ${maxResults} for parameter 'max_results' supplied.`);
  const rows = await store.readHistory(db, runId, key, { offset, limit: maxResults + 1 });
  return paginate(rows, offset, maxResults);
}

export async function getMetricHistoryBulkInterval(
  db: Database,
  req: { run_ids: string[]; metric_key: string; start_step?: number; end_step?: number; max_results?: number },
) {
  checkRunCount(req.run_ids, "GetMetricHistoryBulkInterval");
  const maxResults = req.max_results ?? MAX_SAMPLED_POINTS;
  if (maxResults < 1 || maxResults > MAX_SAMPLED_POINTS) {
    throw invalidParameter(`max_results must be between 1 and ${MAX_SAMPLED_POINTS}.`);
  }
  const { start_step: start, end_step: end } = req;
  if ((start === undefined) !== (end === undefined)) {
    throw invalidParameter("If either start step or end step are specified, both must be specified.");
  }
  if (start !== undefined && end !== undefined && start > end) {
    throw invalidParameter(`end_step must be greater than start_step. Found start_step=${start} and end_step=${end}.`);
  }
  return store.readSampledHistories(db, unique(req.run_ids), req.metric_key, { start, end }, maxResults);
}

export async function getMetricHistoryBulk(db: Database, runIds: string[], key: string, maxResults?: number) {
  checkRunCount(runIds, "GetMetricHistoryBulk");
  if (maxResults !== undefined && maxResults < 1) throw invalidParameter("max_results must be a positive integer.");
  const limit = Math.min(maxResults ?? MAX_BULK_POINTS, MAX_BULK_POINTS);
  return store.readHistories(db, unique(runIds), key, limit);
}

function checkRunCount(runIds: string[], request: string) {
  if (runIds.length === 0) throw invalidParameter(`${request} request must specify at least one run_id.`);
  if (runIds.length > MAX_RUNS_PER_HISTORY_REQUEST) {
    throw invalidParameter(
      `${request} request must specify at most ${MAX_RUNS_PER_HISTORY_REQUEST} run_ids. Received ${runIds.length} run_ids.`,
    );
  }
}

const unique = (ids: string[]) => [...new Set(ids)];
