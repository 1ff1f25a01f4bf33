import { invalidParameter, notFound } from "../protocol/errors";
import { missingParameter } from "../protocol/message";
import { RUN_NAME_TAG, type KeyValue, type Run, type RunInfo } from "../protocol/runs";
import type { RunStatus } from "../protocol/fields";
import type { Database } from "../store/db";
import * as store from "../store/runs";
import { assertExperimentActive, getActiveExperiment, parseExperimentId } from "./experiments";
import { generateRunName } from "./run-names";
import { LIMITS, truncate, validateKey } from "./validation";

/** The run id of a request: `run_id`, else the deprecated `run_uuid`. */
export function runIdOf(req: { run_id?: string; run_uuid?: string }): string {
  const id = req.run_id || req.run_uuid;
  if (!id) throw missingParameter("run_id");
  return id;
}

export async function getRun(db: Database, runId: string): Promise<Run> {
  const [run] = await store.loadRuns(db, [runId]);
  if (!run) throw runNotFound(runId);
  return run;
}

async function getRunInfo(db: Database, runId: string): Promise<RunInfo> {
  const info = await store.findRunInfo(db, runId);
  if (!info) throw runNotFound(runId);
  return info;
}

export async function getActiveRunInfo(db: Database, runId: string): Promise<RunInfo> {
  const info = await getRunInfo(db, runId);
  assertActive(runId, info.lifecycleStage);
  return info;
}

export function assertActive(runId: string, lifecycleStage: string | undefined) {
  if (lifecycleStage === undefined) throw runNotFound(runId);
  if (lifecycleStage !== "active") {
    throw invalidParameter(`The run ${runId} must be in the 'active' state. Current state is ${lifecycleStage}.`);
  }
}

export const runNotFound = (runId: string) => notFound(`Run with id=${runId} not found`);

/** The run name the tags set: the last `mlflow.runName`, an empty one counting as none (as in MLflow's run info update). */
export const runNameOf = (tags: KeyValue[]) => tags.findLast((t) => t.key === RUN_NAME_TAG)?.value || undefined;

/**
 * Creates a run in an active experiment, in one D1 round trip (the store writes the run
 * only while the experiment is active). Its name comes from `run_name`, else the
 * `mlflow.runName` tag, else is generated; the tag always ends up holding it.
 */
export async function createRun(
  db: Database,
  req: { experiment_id?: string; user_id?: string; run_name?: string; start_time?: number; tags?: { key?: string; value?: string }[] },
): Promise<Run> {
  const tags = (req.tags ?? []).map((t) => runTag(t.key, t.value));
  const nameTag = runNameOf(tags);
  const experimentId = req.experiment_id || "0";
  if (req.run_name && nameTag !== undefined && req.run_name !== nameTag) {
    // MLflow checks the experiment first, so a missing or deleted one is the error.
    await getActiveExperiment(db, experimentId);
    throw invalidParameter(
      `Both 'run_name' argument and 'mlflow.runName' tag are specified, but with different values (run_name='${req.run_name}', mlflow.runName='${nameTag}').`,
    );
  }
  const name = req.run_name || nameTag || generateRunName();
  if (nameTag === undefined) tags.push({ key: RUN_NAME_TAG, value: name });
  const stored = dedupeLastWins(tags);
  const run = {
    runId: crypto.randomUUID().replaceAll("-", ""),
    experimentId: parseExperimentId(experimentId),
    name,
    userId: req.user_id ?? "",
    status: "RUNNING",
    startTime: req.start_time ?? Date.now(),
    endTime: null,
    lifecycleStage: "active",
  };
  const outcome = await store.insertRun(db, run, stored);
  assertExperimentActive(experimentId, outcome.experimentStage);
  // One transaction read the stage and wrote the run: an active experiment got the run.
  const info: RunInfo = { ...run, artifactUri: outcome.artifactUri! };
  return { info, metrics: [], params: [], tags: stored, datasetInputs: [], modelInputs: [], modelOutputs: [] };
}

export async function updateRun(
  db: Database,
  runId: string,
  req: { status?: RunStatus; end_time?: number; run_name?: string },
): Promise<RunInfo> {
  const info = await getActiveRunInfo(db, runId);
  const changes = { status: req.status, endTime: req.end_time, name: req.run_name || undefined };
  if (Object.values(changes).every((v) => v === undefined)) return info;
  return store.updateRun(db, runId, changes);
}

export async function deleteRun(db: Database, runId: string) {
  await getRunInfo(db, runId);
  await store.setRunLifecycle(db, runId, "deleted", Date.now());
}

export async function restoreRun(db: Database, runId: string) {
  await getRunInfo(db, runId);
  await store.setRunLifecycle(db, runId, "active", Date.now());
}

/** A validated run tag; long values are truncated as MLflow does by default. */
export function runTag(key: string | undefined, value: string | undefined): KeyValue {
  return { key: validateKey("tag", key), value: truncate(value ?? "", LIMITS.runTagValue) };
}

function dedupeLastWins(tags: KeyValue[]): KeyValue[] {
  const byKey = new Map<string, string>();
  for (const t of tags) {
    byKey.delete(t.key);
    byKey.set(t.key, t.value);
  }
  return [...byKey].map(([key, value]) => ({ key, value }));
}
