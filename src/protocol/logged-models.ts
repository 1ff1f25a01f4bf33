import { z } from "zod";
import { bool, i64, keyValue, list, protoEnum, str } from "./fields";
import { compact, encodeDouble } from "./json";
import { message } from "./message";

/** LoggedModelStatus without UNSPECIFIED (proto number 0), so names map to numbers 1..3. */
const LOGGED_MODEL_STATUSES = ["LOGGED_MODEL_PENDING", "LOGGED_MODEL_READY", "LOGGED_MODEL_UPLOAD_FAILED"] as const;
export type LoggedModelStatus = (typeof LOGGED_MODEL_STATUSES)[number];

export const CreateLoggedModel = message(
  {
    experiment_id: str(),
    name: str(),
    model_type: str(),
    source_run_id: str(),
    params: list(keyValue()),
    tags: list(keyValue()),
  },
  ["experiment_id"],
);
export const GetLoggedModel = message({ allow_deleted: bool() });
export const FinalizeLoggedModel = message(
  { model_id: str(), status: protoEnum(LOGGED_MODEL_STATUSES) },
  ["model_id", "status"],
);
export const ListLoggedModelArtifacts = message({ artifact_directory_path: str() });
export const SetLoggedModelTags = message({ tags: list(keyValue()) });
export const LogLoggedModelParams = message({ model_id: str(), params: list(keyValue()) }, ["model_id"]);

const datasetFilter = z.object({ dataset_name: str().optional(), dataset_digest: str().optional() });
const orderBy = z.object({
  field_name: str().optional(),
  ascending: bool().optional(),
  dataset_name: str().optional(),
  dataset_digest: str().optional(),
});
export const SearchLoggedModels = message({
  experiment_ids: list(str()),
  filter: str(),
  datasets: list(datasetFilter),
  max_results: i64(),
  order_by: list(orderBy),
  page_token: str(),
});
export type LoggedModelOrderBy = z.output<typeof orderBy>;
export type DatasetFilter = z.output<typeof datasetFilter>;

export interface LoggedModelMetric {
  key: string;
  value: number;
  timestamp: number;
  step: number;
  runId: string;
  datasetName: string | null;
  datasetDigest: string | null;
}

export interface LoggedModel {
  modelId: string;
  experimentId: number;
  name: string;
  artifactUri: string;
  status: string;
  statusMessage: string | null;
  modelType: string | null;
  sourceRunId: string | null;
  creationTimestampMs: number;
  lastUpdatedTimestampMs: number;
  lifecycleStage: string;
  tags: { key: string; value: string }[];
  params: { key: string; value: string }[];
  metrics: LoggedModelMetric[];
}

/**
 * MLflow's LoggedModel message. `model_type` and `source_run_id` are emitted even
 * when empty, as the reference server does; `status` is always emitted because an
 * omitted enum reads as LOGGED_MODEL_STATUS_UNSPECIFIED.
 */
export function encodeLoggedModel(m: LoggedModel) {
  const info = compact({
    model_id: m.modelId,
    experiment_id: String(m.experimentId),
    name: m.name,
    creation_timestamp_ms: m.creationTimestampMs,
    last_updated_timestamp_ms: m.lastUpdatedTimestampMs,
    artifact_uri: m.artifactUri,
    status: m.status,
    status_message: m.statusMessage ?? undefined,
    model_type: m.modelType ?? "",
    source_run_id: m.sourceRunId ?? "",
    tags: m.tags.length ? m.tags : undefined,
  });
  const data = compact({
    params: m.params.length ? m.params : undefined,
    metrics: m.metrics.length ? m.metrics.map((x) => encodeMetric(m.modelId, x)) : undefined,
  });
  return { info, data };
}

function encodeMetric(modelId: string, m: LoggedModelMetric) {
  return compact({
    key: m.key,
    value: encodeDouble(m.value),
    timestamp: m.timestamp,
    step: m.step,
    dataset_name: m.datasetName ?? undefined,
    dataset_digest: m.datasetDigest ?? undefined,
    model_id: modelId,
    run_id: m.runId,
  });
}
