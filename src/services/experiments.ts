import { alreadyExists, invalidParameter, MlflowError, notFound } from "../protocol/errors";
import type { Experiment } from "../protocol/experiments";
import { isUniqueViolation, type Database } from "../store/db";
import * as store from "../store/experiments";
import { LIMITS, validateKey } from "./validation";

/** Experiment ids are decimal integers on the wire; anything else is a bad id, not a miss. */
export function parseExperimentId(id: string): number {
  if (!/^\d+$/.test(id)) {
    throw invalidParameter(`Invalid experiment ID '${id}'. Experiment ID must be a valid integer.`);
  }
  return Number(id);
}

export async function getExperiment(db: Database, id: string): Promise<Experiment> {
  const exp = await store.findExperiment(db, { id: parseExperimentId(id) });
  if (!exp) throw experimentNotFound(id);
  return exp;
}

const experimentNotFound = (id: string) => notFound(`No Experiment with id=${id} exists`);

export async function getExperimentByName(db: Database, name: string): Promise<Experiment> {
  const exp = await store.findExperiment(db, { name });
  if (!exp) throw notFound(`Could not find experiment with name '${name}'`);
  return exp;
}

/** The experiment, which must be active for anything to be written under it. */
export async function getActiveExperiment(db: Database, id: string): Promise<Experiment> {
  const exp = await getExperiment(db, id);
  assertExperimentActive(id, exp.lifecycleStage);
  return exp;
}

/** Experiment `id` (as requested) must exist and be active; `lifecycleStage` is undefined when it does not exist. */
export function assertExperimentActive(id: string, lifecycleStage: string | undefined): void {
  if (lifecycleStage === undefined) throw experimentNotFound(id);
  if (lifecycleStage !== "active") {
    // MLflow names the stored id here: experiment "07" answers as 7.
    throw invalidParameter(`The experiment ${Number(id)} must be in the 'active' state. Current state is ${lifecycleStage}.`);
  }
}

export async function createExperiment(
  db: Database,
  req: { name: string; artifact_location?: string; tags?: { key?: string; value?: string }[] },
  now = Date.now(),
): Promise<string> {
  validateExperimentName(req.name);
  if (req.artifact_location) validateArtifactLocation(req.artifact_location);
  // Later tags of the same key win, as in one request's log-batch.
  const tags = [...new Map((req.tags ?? []).map((t) => [validateKey("tag", t.key), validateTagValue(t.value)])).entries()].map(([key, value]) => ({ key, value }));
  try {
    const id = await store.insertExperiment(db, { name: req.name, artifactLocation: req.artifact_location, now, tags });
    return String(id);
  } catch (err) {
    if (isUniqueViolation(err, "experiments.name")) throw alreadyExists(`Experiment(name=${req.name}) already exists.`);
    throw err;
  }
}

export async function renameExperiment(db: Database, id: string, newName: string) {
  const exp = await getExperiment(db, id);
  if (exp.lifecycleStage !== "active") {
    throw invalidParameter("Cannot rename a non-active experiment.");
  }
  validateExperimentName(newName);
  try {
    await store.renameExperiment(db, exp.experimentId, newName, Date.now());
  } catch (err) {
    // MLflow reports a rename collision as BAD_REQUEST (not RESOURCE_ALREADY_EXISTS); clients match on it.
    if (isUniqueViolation(err, "experiments.name")) {
      throw new MlflowError("BAD_REQUEST", `Experiment(name=${newName}) already exists.`);
    }
    throw err;
  }
}

export async function deleteExperiment(db: Database, id: string) {
  const exp = await getExperiment(db, id);
  // MLflow looks deletable experiments up among active ones only: a deleted one is "not found".
  if (exp.lifecycleStage === "deleted") throw experimentNotFound(id);
  await store.setExperimentLifecycle(db, exp.experimentId, "deleted", Date.now());
}

export async function restoreExperiment(db: Database, id: string) {
  const exp = await getExperiment(db, id);
  // MLflow looks restorable experiments up among deleted ones only: an active one is "not found".
  if (exp.lifecycleStage !== "deleted") throw experimentNotFound(id);
  await store.setExperimentLifecycle(db, exp.experimentId, "active", Date.now());
}

export async function setExperimentTag(db: Database, id: string, key: string, value: string | undefined) {
  validateKey("tag", key);
  const exp = await getActiveExperiment(db, id);
  await store.upsertExperimentTag(db, exp.experimentId, key, validateTagValue(value));
}

export async function deleteExperimentTag(db: Database, id: string, key: string) {
  const exp = await getActiveExperiment(db, id);
  if (!(await store.deleteExperimentTag(db, exp.experimentId, key))) {
    throw notFound(`No tag with name: ${key} in experiment with id ${id}`);
  }
}

function validateExperimentName(name: string) {
  if (name.length > LIMITS.experimentName) {
    throw invalidParameter(`Experiment name '${name.slice(0, 20)}...' had length ${name.length}, which exceeded length limit of ${LIMITS.experimentName}`);
  }
}

function validateArtifactLocation(location: string) {
  if (location.startsWith("runs:")) {
    throw invalidParameter(`Artifact location cannot be a runs:/ URI. Given: '${location}'`);
  }
  if (location.length > LIMITS.artifactLocation) {
    throw invalidParameter(`Invalid artifact path length. The length of the artifact path cannot be greater than ${LIMITS.artifactLocation} characters.`);
  }
  if (/[#?;]/.test(location)) {
    throw invalidParameter(`'artifact_location' URL can't include fragments or params. Given: '${location}'`);
  }
}

function validateTagValue(value: string | undefined): string {
  const v = value ?? "";
  if (v.length > LIMITS.experimentTagValue) {
    throw invalidParameter(`Tag value '${v.slice(0, 20)}...' had length ${v.length}, which exceeded length limit of ${LIMITS.experimentTagValue}`);
  }
  return v;
}
