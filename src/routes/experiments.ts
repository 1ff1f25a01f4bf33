import { decode } from "../protocol/decode";
import * as msg from "../protocol/experiments";
import { jsonResponse, ok } from "../protocol/json";
import * as experiments from "../services/experiments";
import { experimentSearchRoutes } from "./experiment-search";
import type { Route } from "./route";


export const experimentRoutes: Route[] = [
  {
    method: "POST",
    api: 2,
    path: "/mlflow/experiments/create",
    access: { create: "experiment" },
    handler: async (c) => {
      const req = await decode(c, msg.CreateExperiment);
      return jsonResponse({ experiment_id: await experiments.createExperiment(c.var.db, req) });
    },
  },
  {
    method: "GET",
    api: 2,
    path: "/mlflow/experiments/get",
    access: { experiment: "READ", from: "experiment_id" },
    handler: async (c) => {
      const { experiment_id } = await decode(c, msg.GetExperiment);
      return jsonResponse({ experiment: msg.encodeExperiment(await experiments.getExperiment(c.var.db, experiment_id)) });
    },
  },
  {
    method: "GET",
    api: 2,
    path: "/mlflow/experiments/get-by-name",
    access: { experiment: "READ", from: "experiment_name" },
    handler: async (c) => {
      const { experiment_name } = await decode(c, msg.GetExperimentByName);
      const exp = await experiments.getExperimentByName(c.var.db, experiment_name);
      return jsonResponse({ experiment: msg.encodeExperiment(exp) });
    },
  },
  {
    method: "POST",
    api: 2,
    path: "/mlflow/experiments/update",
    access: { experiment: "EDIT", from: "experiment_id" },
    handler: async (c) => {
      const req = await decode(c, msg.UpdateExperiment);
      await experiments.renameExperiment(c.var.db, req.experiment_id, req.new_name);
      return ok();
    },
  },
  {
    method: "POST",
    api: 2,
    path: "/mlflow/experiments/delete",
    access: { experiment: "MANAGE", from: "experiment_id" },
    handler: async (c) => {
      await experiments.deleteExperiment(c.var.db, (await decode(c, msg.ExperimentId)).experiment_id);
      return ok();
    },
  },
  {
    method: "POST",
    api: 2,
    path: "/mlflow/experiments/restore",
    access: { experiment: "MANAGE", from: "experiment_id" },
    handler: async (c) => {
      await experiments.restoreExperiment(c.var.db, (await decode(c, msg.ExperimentId)).experiment_id);
      return ok();
    },
  },
  {
    method: "POST",
    api: 2,
    path: "/mlflow/experiments/set-experiment-tag",
    access: { experiment: "EDIT", from: "experiment_id" },
    handler: async (c) => {
      const req = await decode(c, msg.SetExperimentTag);
      await experiments.setExperimentTag(c.var.db, req.experiment_id, req.key, req.value);
      return ok();
    },
  },
  {
    method: "POST",
    api: 2,
    path: "/mlflow/experiments/delete-experiment-tag",
    access: { experiment: "EDIT", from: "experiment_id" },
    handler: async (c) => {
      const req = await decode(c, msg.DeleteExperimentTag);
      await experiments.deleteExperimentTag(c.var.db, req.experiment_id, req.key);
      return ok();
    },
  },
  ...experimentSearchRoutes,
];
