import { asDouble, asI64, double, i64, keyValue, list, protoEnum, RUN_STATUSES, str, type RunStatus } from "./fields";
import { invalidParameter } from "./errors";
import { compact, encodeDouble } from "./json";
import { message } from "./message";
import { z } from "zod";

/** The tag MLflow keeps a run's name in. */
export const RUN_NAME_TAG = "mlflow.runName";
/** The input tag naming a dataset's role (training, eval, …). */
export const DATASET_CONTEXT_TAG = "mlflow.data.context";

export const CreateRun = message({
  experiment_id: str(),
  user_id: str(),
  run_name: str(),
  start_time: i64(),
  tags: list(keyValue()),
});
/** The client sends both `run_id` and `run_uuid`; `run_id` wins. */
const runRef = { run_id: str(), run_uuid: str() };
export const RunRef = message(runRef);
export const UpdateRun = message({ ...runRef, status: protoEnum(RUN_STATUSES), end_time: i64(), run_name: str() });

const metricFields = {
  key: str(),
  value: double(),
  timestamp: i64(),
  step: i64(),
  model_id: str(),
  dataset_name: str(),
  dataset_digest: str(),
};
export const LogMetric = message({ ...runRef, ...metricFields }, ["key", "value", "timestamp"]);
export const LogParam = message({ ...runRef, key: str(), value: str() }, ["key"]);
export const SetTag = message({ ...runRef, key: str(), value: str() }, ["key"]);
export const DeleteTag = message({ run_id: str(), key: str() }, ["run_id", "key"]);
export const LogBatch = message({
  run_id: str(),
  // Up to 1,000 items: checked by parseMetric, which costs a fraction of a zod object per item.
  metrics: list(z.unknown()),
  params: list(keyValue()),
  tags: list(keyValue()),
}, ["run_id"]);
/** A log-batch metric, typed as `LogMetric`'s fields are; a wrong type is a 400 naming the field. */
export function parseMetric(raw: unknown, index: number): MetricInput {
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) badMetricField(index, "", raw);
  const m = raw as Record<string, unknown>;
  const out: MetricInput = {};
  for (const field of ["key", "model_id", "dataset_name", "dataset_digest"] as const) {
    const v = m[field];
    if (v === undefined || v === null) continue;
    if (typeof v !== "string") badMetricField(index, field, v);
    out[field] = v;
  }
  if (m.value !== undefined && m.value !== null) out.value = asDouble(m.value) ?? badMetricField(index, "value", m.value);
  for (const field of ["timestamp", "step"] as const) {
    if (m[field] !== undefined && m[field] !== null) out[field] = asI64(m[field]) ?? badMetricField(index, field, m[field]);
  }
  return out;
}

export interface MetricInput {
  key?: string;
  value?: number;
  timestamp?: number;
  step?: number;
  model_id?: string;
  dataset_name?: string;
  dataset_digest?: string;
}

function badMetricField(index: number, field: string, value: unknown): never {
  throw invalidParameter(
    `Invalid value ${JSON.stringify(value)} for parameter 'metrics[${index}]${field ? `.${field}` : ""}' supplied. See the API docs for more information about request parameters.`,
  );
}

export const LogModel = message({ run_id: str(), model_json: str() }, ["run_id", "model_json"]);

const dataset = z
  .object({ name: str(), digest: str(), source_type: str(), source: str(), schema: str(), profile: str() })
  .partial();
export const LogInputs = message(
  {
    run_id: str(),
    datasets: list(z.object({ tags: list(keyValue()).optional(), dataset: dataset.optional() })),
    models: list(z.object({ model_id: str().optional() })),
  },
  ["run_id"],
);
export const LogOutputs = message(
  { run_id: str(), models: list(z.object({ model_id: str().optional(), step: i64().optional() })) },
  ["run_id", "models"],
);

export interface KeyValue {
  key: string;
  value: string;
}

export interface RunInfo {
  runId: string;
  experimentId: number;
  name: string;
  userId: string;
  status: string;
  startTime: number | null;
  endTime: number | null;
  artifactUri: string;
  lifecycleStage: string;
}

export interface Metric {
  key: string;
  value: number;
  timestamp: number;
  step: number;
}

export interface DatasetInput {
  tags: KeyValue[];
  dataset: { name: string; digest: string; source_type: string; source: string; schema?: string; profile?: string };
}

export interface Run {
  info: RunInfo;
  metrics: Metric[];
  params: KeyValue[];
  tags: KeyValue[];
  datasetInputs: DatasetInput[];
  modelInputs: string[];
  modelOutputs: { modelId: string; step: number }[];
}

export function encodeRunInfo(info: RunInfo) {
  return compact({
    run_uuid: info.runId,
    experiment_id: String(info.experimentId),
    run_name: info.name,
    user_id: info.userId,
    status: info.status as RunStatus,
    start_time: info.startTime ?? undefined,
    end_time: info.endTime || undefined,
    artifact_uri: info.artifactUri,
    lifecycle_stage: info.lifecycleStage,
    run_id: info.runId,
  });
}

export function encodeMetric(m: Metric) {
  return { key: m.key, value: encodeDouble(m.value), timestamp: m.timestamp, step: m.step };
}

const nonEmpty = <T>(items: T[]) => (items.length ? items : undefined);

/**
 * MLflow's Run message as get-run and search-runs return it: `inputs` and `outputs`
 * are always present (possibly empty), empty lists are omitted.
 */
export function encodeRun(run: Run) {
  return {
    info: encodeRunInfo(run.info),
    data: compact({
      metrics: nonEmpty(run.metrics.map(encodeMetric)),
      params: nonEmpty(run.params),
      tags: nonEmpty(run.tags),
    }),
    inputs: compact({
      dataset_inputs: nonEmpty(run.datasetInputs.map((d) => ({ ...(d.tags.length ? { tags: d.tags } : {}), dataset: d.dataset }))),
      model_inputs: nonEmpty(run.modelInputs.map((model_id) => ({ model_id }))),
    }),
    outputs: compact({
      model_outputs: nonEmpty(run.modelOutputs.map((o) => ({ model_id: o.modelId, step: o.step }))),
    }),
  };
}
