import { invalidParameter, notFound } from "../protocol/errors";
import { missingParameter } from "../protocol/message";
import { RUN_NAME_TAG, type KeyValue, type MetricInput } from "../protocol/runs";
import type { Database } from "../store/db";
import { deleteRunTag, writeRunData, type MetricPoint } from "../store/run-data";
import { assertActive, runNameOf, runNotFound, runTag } from "./runs";
import { LIMITS, truncate, validateKey } from "./validation";

interface BatchInput {
  metrics?: MetricInput[];
  params?: { key?: string; value?: string }[];
  tags?: { key?: string; value?: string }[];
}

const RUN_ID = /^[a-zA-Z0-9][\w-]{0,255}$/;

/**
 * log-batch (and the single log-metric/param/set-tag, which are batches of one): the
 * whole request is validated first, then written in one atomic D1 batch.
 */
export async function logBatch(db: Database, runId: string, batch: BatchInput) {
  if (!RUN_ID.test(runId)) throw invalidParameter(`Invalid run ID: '${runId}'`);
  const metrics = batch.metrics ?? [];
  const params = batch.params ?? [];
  const tags = batch.tags ?? [];
  checkBatchLimits(metrics.length, params.length, tags.length);
  // Validated in MLflow's order (metrics, params, tags), so the first error is MLflow's.
  const validKeys = new Set<string>();
  const points = metrics.map((m) => metricPoint(m, validKeys));
  const validParams = uniqueParams(params.map((p) => ({ key: validateKey("param", p.key), value: truncate(p.value ?? "", LIMITS.paramValue) })));
  const runTags = tags.map((t) => runTag(t.key, t.value));
  const rename = runNameOf(runTags);
  const outcome = await writeRunData(db, runId, {
    metrics: points,
    params: validParams,
    // An empty mlflow.runName leaves the name (and the tag) alone.
    tags: rename === undefined ? runTags.filter((t) => t.key !== RUN_NAME_TAG) : runTags,
    rename,
  });
  if (outcome.lifecycleStage === undefined) throw runNotFound(runId);
  assertActive(runId, outcome.lifecycleStage);
  if (outcome.paramConflicts.length) throw paramChanged(runId, outcome.paramConflicts);
}

export async function deleteTag(db: Database, runId: string, key: string) {
  const { lifecycleStage, existed } = await deleteRunTag(db, runId, key);
  assertActive(runId, lifecycleStage);
  if (!existed) throw runTagNotFound(runId, key);
}

const runTagNotFound = (runId: string, key: string) => notFound(`No tag with name: ${key} in run with id ${runId}`);

function checkBatchLimits(metrics: number, params: number, tags: number) {
  const over = (kind: string, n: number, limit: number) =>
    invalidParameter(
      `A batch logging request can contain at most ${limit} ${kind}. Got ${n} ${kind}. Please split up ${kind} across multiple requests and try again.`,
    );
  if (metrics > LIMITS.batchMetrics) throw over("metrics", metrics, LIMITS.batchMetrics);
  if (params > LIMITS.batchParams) throw over("params", params, LIMITS.batchParams);
  if (tags > LIMITS.batchTags) throw over("tags", tags, LIMITS.batchTags);
  const total = metrics + params + tags;
  if (total > LIMITS.batchTotal) {
    throw invalidParameter(
      `A batch logging request can contain at most ${LIMITS.batchTotal} total entities (metrics, params and tags). Got ${total} entities.`,
    );
  }
}

/**
 * SQL keeps no infinities here: like MLflow's SQL store, ±∞ is stored as ±max double.
 * `validKeys` remembers keys already validated in this request (a batch repeats a few keys).
 */
function metricPoint(m: MetricInput, validKeys: Set<string>): MetricPoint {
  const key = m.key !== undefined && validKeys.has(m.key) ? m.key : validateKey("metric", m.key);
  validKeys.add(key);
  if (m.value === undefined) throw missingParameter("value");
  if (m.timestamp === undefined) throw missingParameter("timestamp");
  if (m.timestamp < 0) throw invalidParameter(`Timestamp must be a nonnegative long (64-bit integer). Got ${m.timestamp}`);
  const isNan = Number.isNaN(m.value);
  const value = isNan ? 0 : Math.max(-Number.MAX_VALUE, Math.min(Number.MAX_VALUE, m.value));
  return {
    key,
    value,
    isNan,
    timestamp: m.timestamp,
    step: m.step ?? 0,
    modelId: m.model_id || undefined,
    datasetName: m.dataset_name || undefined,
    datasetDigest: m.dataset_digest || undefined,
  };
}

function uniqueParams(params: KeyValue[]): KeyValue[] {
  const seen = new Set<string>();
  for (const p of params) {
    if (seen.has(p.key)) {
      throw invalidParameter(`Duplicate parameter keys have been submitted: ['${p.key}']. Please ensure the request contains only one param value per param key.`);
    }
    seen.add(p.key);
  }
  return params;
}

function paramChanged(runId: string, conflicts: { key: string; oldValue: string; newValue: string }[]) {
  const list = conflicts.map((c) => `{'key': '${c.key}', 'old_value': '${c.oldValue}', 'new_value': '${c.newValue}'}`).join(", ");
  return invalidParameter(
    `Changing param values is not allowed. Params were already logged='[${list}]' for run ID='${runId}'.`,
  );
}
