import { invalidParameter } from "../protocol/errors";
import type { Database } from "../store/db";
import * as store from "../store/run-inputs";
import { parseExperimentId } from "./experiments";
import { getActiveRunInfo } from "./runs";

/** MLflow's dataset and input-tag limits (mlflow/utils/validation.py). */
const DATASET_LIMITS = { name: 500, digest: 36, source: 65535, schema: 1048575, profile: 16777215 } as const;
const INPUT_TAG_LIMITS = { key: 255, value: 500 } as const;
const MAX_EXPERIMENTS_PER_DATASET_SEARCH = 20;

type DatasetIn = { name?: string; digest?: string; source_type?: string; source?: string; schema?: string; profile?: string };

export async function logInputs(
  db: Database,
  runId: string,
  req: { datasets?: { tags?: { key?: string; value?: string }[]; dataset?: DatasetIn }[]; models?: { model_id?: string }[] },
) {
  const datasets = (req.datasets ?? []).map((d) => ({ dataset: validDataset(d.dataset), tags: (d.tags ?? []).map(validInputTag) }));
  const modelIds = (req.models ?? []).map((m) => {
    if (!m.model_id) throw invalidParameter("Model input must specify a model_id.");
    return m.model_id;
  });
  const run = await getActiveRunInfo(db, runId);
  await store.insertRunInputs(db, run, datasets, modelIds);
}

export async function logOutputs(db: Database, runId: string, models: { model_id?: string; step?: number }[]) {
  const outputs = models.map((m) => {
    if (!m.model_id) throw invalidParameter("Model output must specify a model_id.");
    return { modelId: m.model_id, step: m.step ?? 0 };
  });
  await getActiveRunInfo(db, runId);
  await store.insertRunOutputs(db, runId, outputs);
}

const MLMODEL_KEYS = ["artifact_path", "flavors", "utc_time_created", "run_id"] as const;

/** The legacy log-model call: the MLmodel dict is appended to a run tag. */
export async function logModel(db: Database, runId: string, modelJson: string) {
  let model: unknown;
  try {
    model = JSON.parse(modelJson);
  } catch {
    throw invalidParameter(`Malformed model info. \n ${modelJson} \n is not a valid JSON.`);
  }
  const missing = MLMODEL_KEYS.filter((k) => typeof model !== "object" || model === null || !(k in model));
  if (missing.length) throw invalidParameter(`Model json is missing mandatory fields: [${missing.map((k) => `'${k}'`).join(", ")}]`);
  await getActiveRunInfo(db, runId);
  await store.appendLoggedModelHistory(db, runId, JSON.stringify(model));
}

export async function searchDatasets(db: Database, experimentIds: string[]) {
  if (experimentIds.length === 0) throw invalidParameter("SearchDatasets request must specify at least one experiment_id.");
  if (experimentIds.length > MAX_EXPERIMENTS_PER_DATASET_SEARCH) {
    throw invalidParameter(
      `SearchDatasets request cannot specify more than ${MAX_EXPERIMENTS_PER_DATASET_SEARCH} experiment_ids. Received ${experimentIds.length} experiment_ids.`,
    );
  }
  return store.searchDatasetSummaries(db, experimentIds.map(parseExperimentId));
}

function validDataset(d: DatasetIn | undefined): store.DatasetInputWrite["dataset"] {
  const required = (field: keyof DatasetIn) => {
    const value = d?.[field];
    if (!value) throw invalidParameter(`Dataset ${field} is required.`);
    return value;
  };
  const dataset = {
    name: required("name"),
    digest: required("digest"),
    sourceType: required("source_type"),
    source: required("source"),
    schema: d?.schema,
    profile: d?.profile,
  };
  for (const field of ["name", "digest", "source", "schema", "profile"] as const) {
    const value = dataset[field];
    if (value && value.length > DATASET_LIMITS[field]) {
      throw invalidParameter(`Dataset ${field} exceeds the maximum length of ${DATASET_LIMITS[field]} characters.`);
    }
  }
  return dataset;
}

function validInputTag(t: { key?: string; value?: string }) {
  if (!t.key) throw invalidParameter("Input tag key is required.");
  if (t.value === undefined) throw invalidParameter("Input tag value is required.");
  if (t.key.length > INPUT_TAG_LIMITS.key) throw invalidParameter(`Input tag key exceeds the maximum length of ${INPUT_TAG_LIMITS.key} characters.`);
  if (t.value.length > INPUT_TAG_LIMITS.value) throw invalidParameter(`Input tag value exceeds the maximum length of ${INPUT_TAG_LIMITS.value} characters.`);
  return { key: t.key, value: t.value };
}
