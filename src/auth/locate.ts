import { invalidParameter } from "../protocol/errors";
import type { ExperimentLocator } from "../routes/route";
import type { ExperimentRefs } from "../store/permissions";
import type { RequestFields } from "./request-fields";

/** The experiments a request touches, or "unlocatable" when it names none we can check. */
export type Located = ExperimentRefs | "unlocatable";

const FIELDS: Record<Exclude<ExperimentLocator, "artifact_path">, { key: keyof ExperimentRefs; names: string[] }> = {
  experiment_id: { key: "experimentIds", names: ["experiment_id", "experiment_ids"] },
  experiment_name: { key: "experimentNames", names: ["experiment_name"] },
  run_id: { key: "runIds", names: ["run_id", "run_uuid", "run_ids"] },
  model_id: { key: "modelIds", names: ["model_id"] },
  trace_id: { key: "traceIds", names: ["trace_id", "request_id", "trace_ids", "request_ids"] },
};

/**
 * Collects what the locators name. Experiment ids must be integers (else 400, as MLflow);
 * an artifact path must start with an experiment id and stay inside it.
 *
 * @example
 * locate(["run_id"], fields) // { runIds: ["5f0c…"], experimentIds: [], … }
 */
export function locate(locators: ExperimentLocator[], fields: RequestFields): Located {
  const refs: ExperimentRefs = { experimentIds: [], experimentNames: [], runIds: [], modelIds: [], traceIds: [] };
  for (const locator of locators) {
    if (locator === "artifact_path") {
      const ids = fields.values("path").map(artifactExperiment);
      if (ids.length === 0 || ids.includes(undefined)) return "unlocatable";
      refs.experimentIds.push(...(ids as number[]));
      continue;
    }
    const { key, names } = FIELDS[locator];
    const values = names.flatMap((n) => fields.values(n)).filter((v) => v !== "");
    // runs/create files a run without an experiment id under the default experiment "0".
    if (locator === "experiment_id" && values.length === 0) values.push("0");
    if (key === "experimentIds") refs.experimentIds.push(...values.map(experimentId));
    else (refs[key] as string[]).push(...values);
  }
  return refs;
}

function experimentId(value: string): number {
  if (!/^\d+$/.test(value)) throw invalidParameter(`Invalid experiment ID '${value}'. Experiment ID must be a valid integer.`);
  return Number(value);
}

/** The experiment id an artifact path (already percent-decoded) is under, if it has one and no `..` escapes it. */
function artifactExperiment(path: string): number | undefined {
  const segments = path.split("/");
  if (path.includes("\\") || segments.includes("..") || !/^\d+$/.test(segments[0])) return undefined;
  return Number(segments[0]);
}
