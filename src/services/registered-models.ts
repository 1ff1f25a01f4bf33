import { alreadyExists, invalidParameter, notFound } from "../protocol/errors";
import { decodePageToken, paginate } from "../protocol/page-token";
import type { KeyValue, ModelVersion, RegisteredModel } from "../protocol/registry";
import { registeredModelFilter, registeredModelOrder } from "../search/registry";
import type { Reader } from "../search/reader";
import { isUniqueViolation, type Database } from "../store/db";
import * as store from "../store/registered-models";
import { normpath, validateKey } from "./validation";
import { missingParameter } from "../protocol/message";

/** MLflow's registry limits (mlflow/utils/validation.py, model_registry store). */
const REGISTRY_LIMITS = { tagValue: 100_000, aliasLength: 255, searchModelsDefault: 100, searchModelsMax: 1000 } as const;

/** The four stages a version can be in, as MLflow spells them on the wire. */
const STAGES = ["None", "Staging", "Production", "Archived"] as const;
export type Stage = (typeof STAGES)[number];

/**
 * A stage named in any case, in MLflow's canonical spelling.
 *
 * @example
 * canonicalStage("production") // "Production"
 */
export function canonicalStage(stage: string): Stage {
  const found = STAGES.find((s) => s.toLowerCase() === stage.toLowerCase());
  if (!found) throw invalidParameter(`Invalid Model Version stage: ${stage}. Value must be one of ${STAGES.join(", ")}.`);
  return found;
}

/**
 * Registered model names: not blank, no `/` or `:`, and a normalised relative path
 * (they become parts of `models:/` URIs).
 */
export function validateModelName(name: string, field = "name"): string {
  if (name.trim() === "") {
    throw missingParameter(field);
  }
  if (name.includes("/") || name.includes(":")) {
    throw invalidParameter(`Invalid model name '${name}'. Names cannot contain '/' or ':'.`);
  }
  const norm = normpath(name);
  if (norm !== name || norm === "." || norm.startsWith("..")) {
    throw invalidParameter(`Invalid value '${name}' for parameter '${field}' supplied: Names may be treated as files in certain cases, and must not resolve to other names when treated as such. This name would resolve to '${norm}'`);
  }
  return name;
}

/** Registry tag keys follow the tracking key rules; values may be up to 100 000 characters. */
export function validateRegistryTag(key: string | undefined, value: string | undefined): KeyValue {
  validateKey("tag", key);
  const v = value ?? "";
  if (v.length > REGISTRY_LIMITS.tagValue) {
    throw invalidParameter(`Tag value '${v.slice(0, 20)}...' had length ${v.length}, which exceeded length limit of ${REGISTRY_LIMITS.tagValue}`);
  }
  return { key: key as string, value: v };
}

/** Tags as MLflow stores them from a request: validated, the last value of a repeated key winning in its first position. */
export function registryTags(tags: { key?: string; value?: string }[] | undefined): KeyValue[] {
  const byKey = new Map<string, string>();
  for (const t of tags ?? []) {
    const tag = validateRegistryTag(t.key, t.value);
    byKey.set(tag.key, tag.value);
  }
  return [...byKey].map(([key, value]) => ({ key, value }));
}

export async function createRegisteredModel(
  db: Database,
  req: { name: string; tags?: { key?: string; value?: string }[]; description?: string },
  now = Date.now(),
): Promise<RegisteredModel> {
  validateModelName(req.name);
  const tags = registryTags(req.tags);
  const description = req.description ?? null;
  try {
    await store.insertRegisteredModel(db, { name: req.name, description, tags, now });
  } catch (err) {
    if (isUniqueViolation(err, "registered_models.name")) throw alreadyExists(`Registered Model (name=${req.name}) already exists.`);
    throw err;
  }
  return { name: req.name, creationTime: now, lastUpdatedTime: now, description, latestVersions: [], tags, aliases: [] };
}

export async function getRegisteredModel(db: Database, name: string): Promise<RegisteredModel> {
  validateModelName(name);
  return found(await store.findRegisteredModel(db, name), name);
}

export async function renameRegisteredModel(db: Database, name: string, newName: string, now = Date.now()): Promise<RegisteredModel> {
  validateModelName(newName, "new_name");
  validateModelName(name);
  try {
    return found(await store.renameRegisteredModel(db, name, newName, now), name);
  } catch (err) {
    if (isUniqueViolation(err, "registered_models.name")) throw alreadyExists(`Registered Model (name=${newName}) already exists.`);
    throw err;
  }
}

export async function updateRegisteredModel(db: Database, name: string, description: string | undefined, now = Date.now()) {
  validateModelName(name);
  return found(await store.updateRegisteredModel(db, name, description ?? "", now), name);
}

export async function deleteRegisteredModel(db: Database, name: string) {
  validateModelName(name);
  if (!(await store.deleteRegisteredModel(db, name))) throw modelNotFound(name);
}

/**
 * One page of registered models. Prompts are left out unless the filter asks for them,
 * so the stock client's appended ``tag.`mlflow.prompt.is_prompt` != 'true'`` matches
 * models without that tag.
 */
export async function searchRegisteredModels(
  db: Database,
  req: { filter?: string; max_results?: number; order_by?: string[]; page_token?: string },
  reader?: Reader,
): Promise<{ items: RegisteredModel[]; nextPageToken?: string }> {
  const limit = req.max_results ?? REGISTRY_LIMITS.searchModelsDefault;
  if (limit > REGISTRY_LIMITS.searchModelsMax) {
    throw invalidParameter(`Invalid value for request parameter max_results. It must be at most ${REGISTRY_LIMITS.searchModelsMax}, but got value ${limit}`);
  }
  // MLflow accepts max_results=0 here (an empty page); a negative count is no page size at all.
  if (limit < 0) throw invalidParameter(`Invalid value ${limit} for parameter 'max_results' supplied. It must be a non-negative integer`);
  const predicates = registeredModelFilter(req.filter);
  const orderBy = registeredModelOrder(req.order_by);
  const offset = decodePageToken(req.page_token);
  const names = await store.searchRegisteredModelNames(db, { predicates, orderBy, offset, limit, reader });
  const page = paginate(names, offset, limit);
  return { items: await store.loadRegisteredModels(db, page.items, "stage"), nextPageToken: page.nextPageToken };
}

/** The newest live version in each requested stage (all four when none are named), with aliases. */
export async function getLatestVersions(db: Database, name: string, stages: string[] | undefined): Promise<ModelVersion[]> {
  const wanted = new Set<string>(stages?.length ? stages.map(canonicalStage) : STAGES);
  const rm = await getRegisteredModel(db, name);
  return rm.latestVersions
    .filter((v) => wanted.has(v.currentStage))
    .map((v) => ({ ...v, aliases: rm.aliases.filter((a) => a.version === v.version).map((a) => a.alias) }));
}

export async function setRegisteredModelTag(db: Database, name: string, key: string, value: string | undefined) {
  validateModelName(name);
  const tag = validateRegistryTag(key, value);
  if (!(await store.upsertRegisteredModelTag(db, name, tag.key, tag.value))) throw modelNotFound(name);
}

/** Deleting a tag the model does not have is not an error (MLflow's behaviour). */
export async function deleteRegisteredModelTag(db: Database, name: string, key: string) {
  validateModelName(name);
  validateKey("tag", key);
  if (!(await store.deleteRegisteredModelTag(db, name, key))) throw modelNotFound(name);
}

/**
 * Alias names: word characters and `-`, at most 255; on set, `latest` (any case) and
 * `v<digits>` are reserved because `models:/name@…` would be ambiguous.
 */
export function validateAliasName(alias: string, forSet: boolean): string {
  if (!/^[\w-]*$/u.test(alias)) {
    throw invalidParameter(`Invalid alias name: '${alias}'. Names may only contain alphanumerics, underscores (_), and dashes (-).`);
  }
  if (alias.length > REGISTRY_LIMITS.aliasLength) {
    throw invalidParameter(`Registered model alias name '${alias.slice(0, 20)}...' had length ${alias.length}, which exceeded length limit of ${REGISTRY_LIMITS.aliasLength}`);
  }
  if (forSet && alias.toLowerCase() === "latest") throw invalidParameter("'latest' alias name (case insensitive) is reserved.");
  if (forSet && /^[vV]\d+$/.test(alias)) throw invalidParameter(`Version alias name '${alias}' is reserved.`);
  return alias;
}

/**
 * A version number as sent on the wire (a string); it must parse as an integer.
 *
 * @example
 * parseVersion("3") // 3
 */
export function parseVersion(version: string): number {
  const text = version.trim();
  if (!/^[-+]?\d+$/.test(text)) throw invalidParameter(`Parameter 'version' must be an integer, got '${version}'.`);
  return Number(text);
}

export async function setRegisteredModelAlias(db: Database, name: string, alias: string, version: string) {
  validateModelName(name);
  validateAliasName(alias, true);
  const number = parseVersion(version);
  if (!(await store.setRegisteredModelAlias(db, name, alias, number))) {
    throw versionNotFound(name, version);
  }
}

export async function deleteRegisteredModelAlias(db: Database, name: string, alias: string) {
  validateModelName(name);
  validateAliasName(alias, false);
  if (!(await store.deleteRegisteredModelAlias(db, name, alias))) throw modelNotFound(name);
}

export function modelNotFound(name: string) {
  return notFound(`Registered Model with name=${name} not found`);
}

export function versionNotFound(name: string, version: string) {
  return notFound(`Model Version (name=${name}, version=${version}) not found`);
}

function found(rm: RegisteredModel | undefined, name: string): RegisteredModel {
  if (!rm) throw modelNotFound(name);
  return rm;
}
