import { decode } from "../protocol/decode";
import { list, str } from "../protocol/fields";
import { jsonResponse, ok } from "../protocol/json";
import { message } from "../protocol/message";
import * as msg from "../protocol/runs";
import * as inputs from "../services/run-inputs";
import type { Route } from "./route";

const SearchDatasets = message({ experiment_ids: list(str()) });
const WRITE = { experiment: "EDIT", from: "run_id" } as const;

export const runInputRoutes: Route[] = [
  {
    method: "POST",
    api: 2,
    path: "/mlflow/runs/log-inputs",
    access: WRITE,
    handler: async (c) => {
      const req = await decode(c, msg.LogInputs);
      await inputs.logInputs(c.var.db, req.run_id, req);
      return ok();
    },
  },
  {
    method: "POST",
    api: 2,
    path: "/mlflow/runs/outputs",
    access: WRITE,
    handler: async (c) => {
      const req = await decode(c, msg.LogOutputs);
      await inputs.logOutputs(c.var.db, req.run_id, req.models);
      return ok();
    },
  },
  {
    method: "POST",
    api: 2,
    path: "/mlflow/runs/log-model",
    access: WRITE,
    handler: async (c) => {
      const req = await decode(c, msg.LogModel);
      await inputs.logModel(c.var.db, req.run_id, req.model_json);
      return ok();
    },
  },
  {
    method: "POST",
    api: 2,
    path: "/mlflow/experiments/search-datasets",
    access: "user",
    handler: async (c) => {
      const req = await decode(c, SearchDatasets);
      const summaries = await inputs.searchDatasets(c.var.db, req.experiment_ids ?? []);
      const dataset_summaries = summaries.map((s) => ({
        experiment_id: String(s.experiment_id),
        name: s.name,
        digest: s.digest,
        ...(s.context === null ? {} : { context: s.context }),
      }));
      return jsonResponse(dataset_summaries.length ? { dataset_summaries } : {});
    },
  },
];
