import { z } from "zod";
import { i64, list, str, VIEW_TYPES, type ViewType } from "./fields";
import { message } from "./message";

/**
 * A ViewType as MLflow's server reads it: a name or a proto number, where an unknown
 * number is dropped by the proto parser and so means the default, ACTIVE_ONLY.
 * `runs/search` also lets unknown names through to the default (recorded behaviour);
 * `experiments/search` refuses them.
 */
const viewType = (unknownNames: "default" | "refuse") =>
  z.preprocess((v) => {
    const n = typeof v === "string" && /^\d+$/.test(v) ? Number(v) : v;
    if (typeof n === "number" && Number.isInteger(n)) return VIEW_TYPES[n - 1] ?? "ACTIVE_ONLY";
    if (unknownNames === "default" && typeof n === "string" && !VIEW_TYPES.includes(n as ViewType)) return "ACTIVE_ONLY";
    return n;
  }, z.enum(VIEW_TYPES));

export const SearchExperiments = message({
  max_results: i64(),
  page_token: str(),
  filter: str(),
  order_by: list(str()),
  view_type: viewType("refuse"),
});

export const SearchRuns = message({
  experiment_ids: list(str()),
  filter: str(),
  run_view_type: viewType("default"),
  max_results: i64(),
  order_by: list(str()),
  page_token: str(),
});
