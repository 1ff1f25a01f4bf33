import { MlflowError, invalidParameter, notFound } from "../protocol/errors";
import type { DatasetFilter, LoggedModel, LoggedModelOrderBy, LoggedModelStatus } from "../protocol/logged-models";
import { missingParameter } from "../protocol/message";
import { decodePageToken, paginate } from "../protocol/page-token";
import { loggedModelConditions, loggedModelOrder } from "../search/logged-models";
import type { Reader } from "../search/reader";
import type { Database } from "../store/db";
import * as store from "../store/logged-models";
import { artifactPath, artifactRootKey, joinKey } from "./artifact-path";
import { listArtifacts, type FileInfo } from "./artifacts";
import { getActiveExperiment, parseExperimentId } from "./experiments";
import { generateRunName } from "./run-names";
import { validateKey } from "./validation";
import { LIMITS } from "./validation";

type KeyValueIn = { key?: string; value?: string };

const SEARCH_DEFAULT_MAX_RESULTS = 100;
const FORBIDDEN_NAME_CHARS = /[/:.%"']/;

/**
 * Creates a PENDING logged model whose artifacts live under the experiment's
 * artifact location: `<artifact_location>/models/<model_id>/artifacts`.
 */
export async function createLoggedModel(
  db: Database,
  req: { experiment_id: string; name?: string; model_type?: string; source_run_id?: string; params?: KeyValueIn[]; tags?: KeyValueIn[] },
  now = Date.now(),
): Promise<LoggedModel> {
  const exp = await getActiveExperiment(db, req.experiment_id);
  const name = req.name === undefined ? generateRunName() : validateName(req.name);
  const params = keyValues("param", req.params);
  const tags = keyValues("tag", req.tags);
  const modelId = `m-${crypto.randomUUID().replaceAll("-", "")}`;
  const row = {
    modelId,
    experimentId: exp.experimentId,
    name,
    artifactUri: `${exp.artifactLocation.replace(/\/+$/, "")}/models/${modelId}/artifacts`,
    status: "LOGGED_MODEL_PENDING",
    statusMessage: null,
    modelType: req.model_type ?? "",
    sourceRunId: req.source_run_id ?? "",
    creationTimestampMs: now,
    lastUpdatedTimestampMs: now,
    lifecycleStage: "active",
  };
  await store.insertLoggedModel(db, row, params, tags);
  const byKey = (a: { key: string }, b: { key: string }) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
  return { ...row, params: dedupe(params).sort(byKey), tags: dedupe(tags).sort(byKey), metrics: [] };
}

/** A logged model; deleted ones only with `allowDeleted`. */
export async function getLoggedModel(db: Database, modelId: string, allowDeleted = false): Promise<LoggedModel> {
  const model = await store.findLoggedModel(db, modelId);
  if (!model || (model.lifecycleStage === "deleted" && !allowDeleted)) {
    throw notFound(`Logged model with ID '${modelId}' not found.`);
  }
  return model;
}

/** Sets the final status (READY or UPLOAD_FAILED) after the client uploaded the artifacts. */
export async function finalizeLoggedModel(db: Database, modelId: string, status: LoggedModelStatus, now = Date.now()) {
  const model = await getLoggedModel(db, modelId);
  await store.updateLoggedModel(db, modelId, { status, lastUpdatedTimestampMs: now });
  return { ...model, status, lastUpdatedTimestampMs: now };
}

export async function deleteLoggedModel(db: Database, modelId: string, now = Date.now()) {
  await getLoggedModel(db, modelId);
  await store.updateLoggedModel(db, modelId, { lifecycleStage: "deleted", lastUpdatedTimestampMs: now });
}

/** Upserts tags (the client records `mlflow.modelVersions` here after registering). */
export async function setLoggedModelTags(db: Database, modelId: string, tags: KeyValueIn[] | undefined) {
  const rows = keyValues("tag", tags);
  await getLoggedModel(db, modelId);
  await store.setLoggedModelTags(db, modelId, rows);
}

export async function deleteLoggedModelTag(db: Database, modelId: string, key: string) {
  await getLoggedModel(db, modelId);
  if (!(await store.deleteLoggedModelTag(db, modelId, key))) {
    throw notFound(`No tag with key '${key}' found for model with ID '${modelId}'.`);
  }
}

export async function logLoggedModelParams(db: Database, modelId: string, params: KeyValueIn[] | undefined) {
  const rows = keyValues("param", params);
  await getLoggedModel(db, modelId);
  await store.logLoggedModelParams(db, modelId, rows);
}

/**
 * `logged-models/search`: active models of the experiments, filtered and ordered (§7.6);
 * with a reader, only models of experiments it may read.
 */
export async function searchLoggedModels(
  db: Database,
  req: {
    experiment_ids?: string[];
    filter?: string;
    datasets?: DatasetFilter[];
    max_results?: number;
    order_by?: LoggedModelOrderBy[];
    page_token?: string;
  },
  reader?: Reader,
): Promise<{ items: LoggedModel[]; nextPageToken?: string }> {
  if (!req.experiment_ids?.length) throw missingParameter("experiment_ids");
  const experimentIds = req.experiment_ids.map(parseExperimentId);
  // MLflow reads max_results 0 (the proto default) as "use the default".
  const limit = req.max_results || SEARCH_DEFAULT_MAX_RESULTS;
  if (limit < 0 || limit > LIMITS.searchMaxResults) {
    throw invalidParameter(`Invalid value ${limit} for parameter 'max_results' supplied. It must be between 1 and ${LIMITS.searchMaxResults}.`);
  }
  const offset = decodePageToken(req.page_token);
  const conditions = loggedModelConditions(req.filter, req.datasets);
  const order = loggedModelOrder(req.order_by);
  const rows = await store.searchLoggedModels(db, { experimentIds, conditions, order, limit: limit + 1, offset, reader });
  return paginate(rows, offset, limit);
}

function validateName(name: string): string {
  if (name === "" || FORBIDDEN_NAME_CHARS.test(name)) {
    throw invalidParameter(`Invalid model name '${name}': names must be non-empty and may not contain '/', ':', '.', '%', '"' or "'".`);
  }
  return name;
}

function keyValues(kind: "param" | "tag", items: KeyValueIn[] | undefined): { key: string; value: string }[] {
  return (items ?? []).map((i) => ({ key: validateKey(kind, i.key), value: i.value ?? "" }));
}

/** Later entries win, as the upsert makes them. */
function dedupe<T extends { key: string }>(items: T[]): T[] {
  return [...new Map(items.map((i) => [i.key, i])).values()];
}

/** Where a model's artifacts live in the bucket; 400 when its root is not served here. */
async function artifactRoot(db: Database, modelId: string): Promise<{ uri: string; key: string }> {
  const model = await getLoggedModel(db, modelId);
  const key = artifactRootKey(model.artifactUri);
  if (key === undefined) throw invalidParameter(`The artifact root '${model.artifactUri}' of model ${modelId} is not served by this server.`);
  return { uri: model.artifactUri, key };
}

/** The bucket key of one file of a model (the UI's artifact viewer). */
export async function loggedModelFileKey(db: Database, modelId: string, path: string | undefined): Promise<string> {
  if (!path) throw new MlflowError("BAD_REQUEST", 'Request must include the "artifact_file_path" query parameter.');
  const relative = artifactPath(path, { encoded: false, kind: "file" });
  return joinKey((await artifactRoot(db, modelId)).key, relative);
}

/** A directory of a model's artifacts, paths relative to the model's root. */
export async function listLoggedModelArtifacts(
  db: Database,
  bucket: R2Bucket,
  modelId: string,
  dir: string | undefined,
): Promise<{ rootUri: string; files: FileInfo[] }> {
  const relative = artifactPath(dir ?? "", { encoded: false, kind: "dir" });
  const root = await artifactRoot(db, modelId);
  const files = await listArtifacts(bucket, joinKey(root.key, relative), relative ? `${relative}/` : "");
  return { rootUri: root.uri, files };
}
