import { invalidParameter, notFound } from "../protocol/errors";
import type { LoggedModel } from "../protocol/logged-models";
import { decodePageToken, paginate } from "../protocol/page-token";
import type { ModelVersion } from "../protocol/registry";
import { IS_PROMPT_TAG, modelVersionFilter, modelVersionOrder } from "../search/registry";
import type { Reader } from "../search/reader";
import type { Database } from "../store/db";
import { findLoggedModel } from "../store/logged-models";
import * as store from "../store/model-versions";
import { findRunArtifactUri } from "../store/artifact-roots";
import { artifactPath, artifactRootKey, joinKey } from "./artifact-path";
import { parseModelSource, runArtifactLocation, type ModelSource } from "./model-source";
import { canonicalStage, modelNotFound, parseVersion, registryTags, validateAliasName, validateModelName, validateRegistryTag, versionNotFound } from "./registered-models";
import { runNotFound } from "./runs";
import { validateKey } from "./validation";

/** MLflow's model-version search page sizes (the proto default is also the maximum). */
const SEARCH_VERSIONS_MAX = 200_000;

/** The logged-model tag listing the registry versions made from a model, as MLflow keeps it. */
const MODEL_VERSIONS_TAG = "mlflow.modelVersions";

const ACTIVE_STAGES = ["Staging", "Production"];

/**
 * Registers a new version. Its source is validated and resolved to where the artifacts
 * really are (a logged model's artifact root for `models:/m-…`, that version's location for
 * `models:/<name>/<version>`, the source itself otherwise); the version is READY at once.
 * With `model_id`, the logged model's `mlflow.modelVersions` tag records the new version.
 */
export async function createModelVersion(
  db: Database,
  req: { name: string; source: string; run_id?: string; tags?: { key?: string; value?: string }[]; run_link?: string; description?: string; model_id?: string },
  now = Date.now(),
): Promise<ModelVersion> {
  validateModelName(req.name);
  const tags = registryTags(req.tags);
  const isPrompt = tags.some((t) => t.key === IS_PROMPT_TAG);
  const source = parseModelSource(req.source, { isPrompt });
  const resolved = await resolveSource(db, req.source, source);
  const linked = req.model_id && !isPrompt ? await loggedModel(db, req.model_id, resolved.model) : undefined;
  const runId = req.run_id || resolved.runId || linked?.sourceRunId || "";
  const created = await store.insertModelVersion(
    db,
    { name: req.name, source: req.source, storageLocation: resolved.storageLocation, runId, runLink: req.run_link ?? "", description: req.description ?? "", tags, now },
    linked && versionListTag(linked, req.name),
  );
  if (!created) throw modelNotFound(req.name);
  return created;
}

async function resolveSource(db: Database, text: string, source: ModelSource): Promise<{ storageLocation: string; runId?: string; model?: LoggedModel }> {
  const unresolvable = (why: string) =>
    invalidParameter(`Unable to fetch model from model URI source artifact location '${text}'. Error: ${why}`);
  if (source.kind === "logged-model") {
    const model = await findLoggedModel(db, source.modelId);
    if (!model || model.lifecycleStage !== "active") throw unresolvable(`Logged model with ID '${source.modelId}' not found.`);
    return { storageLocation: model.artifactUri, runId: model.sourceRunId ?? undefined, model };
  }
  if (source.kind === "model-version") {
    const location = await store.findDownloadLocation(db, source.name, source.version);
    if (!location) throw unresolvable(`Model Version (name=${source.name}, version=${source.version}) not found`);
    return { storageLocation: location };
  }
  // runs:/ and artifact URIs are handed to the client as they are; it resolves runs:/ itself.
  return { storageLocation: text };
}

/** The logged model `model_id` names (reusing the one the source resolved to); it must exist. */
async function loggedModel(db: Database, modelId: string, resolved: LoggedModel | undefined): Promise<LoggedModel> {
  const model = resolved?.modelId === modelId ? resolved : await findLoggedModel(db, modelId);
  if (!model || model.lifecycleStage !== "active") throw notFound(`Logged model with ID '${modelId}' not found.`);
  return model;
}

/**
 * The logged model's `mlflow.modelVersions` JSON list with `{name, version}` appended once
 * the version number is known, written as Python's json.dumps writes it (MLflow's
 * `set_model_versions_tags`; the client re-reads and extends this text).
 */
function versionListTag(model: LoggedModel, name: string): store.VersionListTag {
  const list = parseJsonList(model.tags.find((t) => t.key === MODEL_VERSIONS_TAG)?.value);
  const unchanged = pythonJson(list);
  const listed = list.flatMap((e) => {
    const entry = e as { name?: unknown; version?: unknown } | null;
    return entry?.name === name && typeof entry.version === "number" ? [entry.version] : [];
  });
  const before = `${unchanged.slice(0, -1)}${list.length ? ", " : ""}{"name": ${pythonJson(name)}, "version": `;
  return { modelId: model.modelId, key: MODEL_VERSIONS_TAG, unchanged, before, after: "}]", listed };
}

function parseJsonList(text: string | undefined): unknown[] {
  try {
    const value: unknown = JSON.parse(text ?? "[]");
    return Array.isArray(value) ? value : [];
  } catch {
    return [];
  }
}

/**
 * JSON as Python's `json.dumps` writes it (`", "` and `": "` separators, non-ASCII
 * escaped), since clients compare and re-read this tag's text.
 *
 * @example
 * pythonJson([{ name: "m", version: 1 }]) // '[{"name": "m", "version": 1}]'
 */
export function pythonJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(pythonJson).join(", ")}]`;
  if (value !== null && typeof value === "object") {
    return `{${Object.entries(value).map(([k, v]) => `${pythonJson(k)}: ${pythonJson(v)}`).join(", ")}}`;
  }
  const text = JSON.stringify(value) ?? "null";
  return text.replace(/[\u0080-\uffff]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

export async function getModelVersion(db: Database, name: string, version: string): Promise<ModelVersion> {
  validateModelName(name);
  return found(await store.findModelVersion(db, name, parseVersion(version)), name, version);
}

export async function updateModelVersion(db: Database, name: string, version: string, description: string | undefined, now = Date.now()) {
  validateModelName(name);
  return found(await store.updateModelVersion(db, name, parseVersion(version), description ?? "", now), name, version);
}

/** Moves a version to a stage; `archive_existing_versions` is only meaningful for Staging and Production. */
export async function transitionModelVersionStage(
  db: Database,
  req: { name: string; version: string; stage: string; archive_existing_versions?: boolean },
  now = Date.now(),
): Promise<ModelVersion> {
  validateModelName(req.name);
  const stage = canonicalStage(req.stage);
  const archiveExisting = req.archive_existing_versions ?? false;
  if (archiveExisting && !ACTIVE_STAGES.includes(stage)) {
    throw invalidParameter(
      `Model version transition cannot archive existing model versions because '${req.stage}' is not an Active stage. Valid stages are ['Staging', 'Production']`,
    );
  }
  const version = parseVersion(req.version);
  const moved = await store.transitionModelVersionStage(db, { name: req.name, version, stage, archiveExisting, now });
  return found(moved, req.name, req.version);
}

export async function deleteModelVersion(db: Database, name: string, version: string, now = Date.now()) {
  validateModelName(name);
  if (!(await store.deleteModelVersion(db, name, parseVersion(version), now))) throw versionNotFound(name, version);
}

/** One page of live versions; prompt versions are left out unless the filter asks for them. */
export async function searchModelVersions(
  db: Database,
  req: { filter?: string; max_results?: number; order_by?: string[]; page_token?: string },
  reader?: Reader,
): Promise<{ items: ModelVersion[]; nextPageToken?: string }> {
  const limit = req.max_results ?? SEARCH_VERSIONS_MAX;
  if (limit < 1) throw invalidParameter(`Invalid value for max_results. It must be a positive integer, but got ${limit}`);
  if (limit > SEARCH_VERSIONS_MAX) {
    throw invalidParameter(`Invalid value for request parameter max_results. It must be at most ${SEARCH_VERSIONS_MAX}, but got value ${limit}`);
  }
  const predicates = modelVersionFilter(req.filter);
  const orderBy = modelVersionOrder(req.order_by);
  const offset = decodePageToken(req.page_token);
  return paginate(await store.searchModelVersions(db, { predicates, orderBy, offset, limit, reader }), offset, limit);
}

/** Where the client downloads a version from: its resolved storage location, else its source. */
export async function getModelVersionDownloadUri(db: Database, name: string, version: string): Promise<string> {
  validateModelName(name);
  const location = await store.findDownloadLocation(db, name, parseVersion(version));
  if (!location) throw versionNotFound(name, version);
  return location;
}

/**
 * The bucket key of one file of a version's artifacts (the web UI's
 * `/model-versions/get-artifact`). A `runs:/` location is resolved through the run's
 * artifact root here, where MLflow's server fails with a 500.
 */
export async function modelVersionArtifactKey(db: Database, name: string, version: string, path: string): Promise<string> {
  let location = await getModelVersionDownloadUri(db, name, version);
  const source = location.startsWith("runs:") ? parseModelSource(location) : undefined;
  if (source?.kind === "run") {
    const runRoot = await findRunArtifactUri(db, source.runId);
    if (runRoot === undefined) throw runNotFound(source.runId);
    location = runArtifactLocation(runRoot, source.path);
  }
  const root = artifactRootKey(location);
  if (root === undefined) throw invalidParameter(`The artifact location '${location}' of model version ${name}/${version} is not served by this server.`);
  return joinKey(root, artifactPath(path, { encoded: false, kind: "file" }));
}

/**
 * The version an alias points at. `latest` is the newest live version. An unknown alias
 * is a 400 (INVALID_PARAMETER_VALUE), not a 404, as in MLflow.
 */
export async function getModelVersionByAlias(db: Database, name: string, alias: string): Promise<ModelVersion> {
  validateModelName(name);
  validateAliasName(alias, false);
  const { modelExists, version } = await store.findModelVersionByAlias(db, name, alias);
  if (!modelExists) throw modelNotFound(name);
  if (version) return version;
  if (alias.toLowerCase() === "latest") throw notFound(`Latest version not found for model ${name}.`);
  throw invalidParameter(`Registered model alias ${alias} not found.`);
}

export async function setModelVersionTag(db: Database, name: string, version: string, key: string, value: string | undefined) {
  validateModelName(name);
  const number = parseVersion(version);
  const tag = validateRegistryTag(key, value);
  if (!(await store.upsertModelVersionTag(db, name, number, tag.key, tag.value))) throw versionNotFound(name, version);
}

/** Deleting a tag the version does not have is not an error (MLflow's behaviour). */
export async function deleteModelVersionTag(db: Database, name: string, version: string, key: string) {
  validateModelName(name);
  const number = parseVersion(version);
  validateKey("tag", key);
  if (!(await store.deleteModelVersionTag(db, name, number, key))) throw versionNotFound(name, version);
}

function found(mv: ModelVersion | undefined, name: string, version: string): ModelVersion {
  if (!mv) throw versionNotFound(name, version);
  return mv;
}
