import { decode } from "../protocol/decode";
import { i64, list, str } from "../protocol/fields";
import { compact, jsonResponse } from "../protocol/json";
import { message } from "../protocol/message";
import { encodeMetric, type Metric } from "../protocol/runs";
import * as history from "../services/metric-history";
import { runIdOf } from "../services/runs";
import type { Route } from "./route";

const GetHistory = message(
  { run_id: str(), run_uuid: str(), metric_key: str(), max_results: i64(), page_token: str() },
  ["metric_key"],
);
const GetHistoryBulkInterval = message(
  { run_ids: list(str()), metric_key: str(), start_step: i64(), end_step: i64(), max_results: i64() },
  ["run_ids", "metric_key"],
);
const GetHistoryBulk = message({ run_id: list(str()), metric_key: str(), max_results: i64() }, ["metric_key"]);

const withRunId = (m: Metric & { runId: string }) => ({ ...encodeMetric(m), run_id: m.runId });
const metricsBody = (metrics: object[]) => (metrics.length ? { metrics } : {});

export const metricHistoryRoutes: Route[] = [
  {
    method: "GET",
    api: 2,
    path: "/mlflow/metrics/get-history",
    access: { experiment: "READ", from: "run_id" },
    handler: async (c) => {
      const req = await decode(c, GetHistory);
      const page = await history.getMetricHistory(c.var.db, runIdOf(req), req.metric_key, req.max_results, req.page_token);
      return jsonResponse(compact({ ...metricsBody(page.items.map(encodeMetric)), next_page_token: page.nextPageToken }));
    },
  },
  {
    method: "GET",
    api: 2,
    path: "/mlflow/metrics/get-history-bulk-interval",
    access: { experiment: "READ", from: "run_id" },
    handler: async (c) => {
      const req = await decode(c, GetHistoryBulkInterval);
      return jsonResponse(metricsBody((await history.getMetricHistoryBulkInterval(c.var.db, req)).map(withRunId)));
    },
  },
  {
    method: "GET",
    api: 2,
    path: "/mlflow/metrics/get-history-bulk",
    access: { experiment: "READ", from: "run_id" },
    handler: async (c) => {
      const req = await decode(c, GetHistoryBulk);
      const points = await history.getMetricHistoryBulk(c.var.db, req.run_id ?? [], req.metric_key, req.max_results);
      return jsonResponse(metricsBody(points.map(withRunId)));
    },
  },
];
