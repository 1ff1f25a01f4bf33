import { decode } from "../protocol/decode";
import { compact, jsonResponse } from "../protocol/json";
import { encodeRun } from "../protocol/runs";
import { SearchRuns } from "../protocol/search";
import { searchRuns } from "../services/run-search";
import type { Route } from "./route";
import { searchReader } from "./search-reader";

export const runSearchRoutes: Route[] = [
  {
    method: "POST",
    api: 2,
    path: "/mlflow/runs/search",
    // Any caller may search; results are limited to the experiments they can read.
    access: "user",
    handler: async (c) => {
      const { runs, nextPageToken } = await searchRuns(c.var.db, await decode(c, SearchRuns), searchReader(c));
      return jsonResponse(compact({ runs: runs.length ? runs.map(encodeRun) : undefined, next_page_token: nextPageToken }));
    },
  },
];
