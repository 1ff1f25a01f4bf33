import type { AppContext, Route } from "./route";
import { decode } from "../protocol/decode";
import { encodeExperiment } from "../protocol/experiments";
import { compact, jsonResponse } from "../protocol/json";
import { SearchExperiments } from "../protocol/search";
import { searchExperiments } from "../services/experiment-search";
import { searchReader } from "./search-reader";

async function search(c: AppContext) {
  const { experiments, nextPageToken } = await searchExperiments(c.var.db, await decode(c, SearchExperiments), searchReader(c));
  return jsonResponse(
    compact({ experiments: experiments.length ? experiments.map(encodeExperiment) : undefined, next_page_token: nextPageToken }),
  );
}

/** `experiments/search`, which MLflow serves on POST and GET; results are limited to what the caller can read. */
export const experimentSearchRoutes: Route[] = [
  { method: "POST", api: 2, path: "/mlflow/experiments/search", access: "user", handler: search },
  { method: "GET", api: 2, path: "/mlflow/experiments/search", access: "user", handler: search },
];
