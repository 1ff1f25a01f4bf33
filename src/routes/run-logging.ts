import { decode } from "../protocol/decode";
import { ok } from "../protocol/json";
import * as msg from "../protocol/runs";
import * as logging from "../services/run-logging";
import { runIdOf } from "../services/runs";
import type { Route } from "./route";

const WRITE = { experiment: "EDIT", from: "run_id" } as const;

export const runLoggingRoutes: Route[] = [
  {
    method: "POST",
    api: 2,
    path: "/mlflow/runs/log-metric",
    access: WRITE,
    handler: async (c) => {
      const req = await decode(c, msg.LogMetric);
      await logging.logBatch(c.var.db, runIdOf(req), { metrics: [req] });
      return ok();
    },
  },
  {
    method: "POST",
    api: 2,
    path: "/mlflow/runs/log-parameter",
    access: WRITE,
    handler: async (c) => {
      const req = await decode(c, msg.LogParam);
      await logging.logBatch(c.var.db, runIdOf(req), { params: [req] });
      return ok();
    },
  },
  {
    method: "POST",
    api: 2,
    path: "/mlflow/runs/set-tag",
    access: WRITE,
    handler: async (c) => {
      const req = await decode(c, msg.SetTag);
      await logging.logBatch(c.var.db, runIdOf(req), { tags: [req] });
      return ok();
    },
  },
  {
    method: "POST",
    api: 2,
    path: "/mlflow/runs/delete-tag",
    access: WRITE,
    handler: async (c) => {
      const req = await decode(c, msg.DeleteTag);
      await logging.deleteTag(c.var.db, req.run_id, req.key);
      return ok();
    },
  },
  {
    method: "POST",
    api: 2,
    path: "/mlflow/runs/log-batch",
    access: WRITE,
    handler: async (c) => {
      const req = await decode(c, msg.LogBatch);
      await logging.logBatch(c.var.db, req.run_id, { ...req, metrics: req.metrics?.map(msg.parseMetric) });
      return ok();
    },
  },
];
