import { decode } from "../protocol/decode";
import { jsonResponse, ok } from "../protocol/json";
import * as msg from "../protocol/runs";
import * as runs from "../services/runs";
import type { Route } from "./route";

export const runRoutes: Route[] = [
  {
    method: "POST",
    api: 2,
    path: "/mlflow/runs/create",
    access: { experiment: "EDIT", from: "experiment_id" },
    handler: async (c) => {
      const run = await runs.createRun(c.var.db, await decode(c, msg.CreateRun));
      const { info, data, inputs } = msg.encodeRun(run);
      // The reference server answers create without `outputs`.
      return jsonResponse({ run: { info, data, inputs } });
    },
  },
  {
    method: "GET",
    api: 2,
    path: "/mlflow/runs/get",
    access: { experiment: "READ", from: "run_id" },
    handler: async (c) => {
      const runId = runs.runIdOf(await decode(c, msg.RunRef));
      return jsonResponse({ run: msg.encodeRun(await runs.getRun(c.var.db, runId)) });
    },
  },
  {
    method: "POST",
    api: 2,
    path: "/mlflow/runs/update",
    access: { experiment: "EDIT", from: "run_id" },
    handler: async (c) => {
      const req = await decode(c, msg.UpdateRun);
      const info = await runs.updateRun(c.var.db, runs.runIdOf(req), req);
      return jsonResponse({ run_info: msg.encodeRunInfo(info) });
    },
  },
  {
    method: "POST",
    api: 2,
    path: "/mlflow/runs/delete",
    access: { experiment: "MANAGE", from: "run_id" },
    handler: async (c) => {
      await runs.deleteRun(c.var.db, runs.runIdOf(await decode(c, msg.RunRef)));
      return ok();
    },
  },
  {
    method: "POST",
    api: 2,
    path: "/mlflow/runs/restore",
    access: { experiment: "MANAGE", from: "run_id" },
    handler: async (c) => {
      await runs.restoreRun(c.var.db, runs.runIdOf(await decode(c, msg.RunRef)));
      return ok();
    },
  },
];
