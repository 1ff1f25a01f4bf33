import { MlflowError, invalidParameter, notFound } from "../protocol/errors";
import type { OtlpSpan } from "../protocol/otlp";
import { missingParameter } from "../protocol/message";
import { decodePageToken, paginate } from "../protocol/page-token";
import { parseDuration, parseTimestamp, type TraceInfo, type TraceInfoIn } from "../protocol/traces";
import { traceConditions, traceOrder } from "../search/traces";
import type { Reader } from "../search/reader";
import type { Database } from "../store/db";
import * as store from "../store/traces";
import { newAssessment } from "./assessments";
import { getActiveExperiment, parseExperimentId } from "./experiments";
import { artifactPath, artifactRootKey, basename, joinKey } from "./artifact-path";
import { readFile } from "./artifacts";
import { getActiveRunInfo } from "./runs";
import { LIMITS, truncate, validateKey, validateMaxResults } from "./validation";

const SEARCH_DEFAULT_MAX_RESULTS = 100;
const SEARCH_MAX_RESULTS = 500;
const MAX_LINKED_TRACES = 100;

const traceNotFound = (traceId: string) => notFound(`Trace with ID '${traceId}' not found.`);

/**
 * StartTraceV3: stores the trace info the client sends when a trace ends. The
 * server adds the artifact location where the client then uploads `traces.json`,
 * and marks the info as final so later spans do not overwrite its times.
 */
export async function startTrace(db: Database, info: TraceInfoIn | undefined, now = Date.now()): Promise<TraceInfo> {
  const traceId = info?.trace_id;
  if (!traceId) throw invalidParameter("Missing value for required parameter 'trace.trace_info.trace_id'.");
  const experimentId = info.trace_location?.mlflow_experiment?.experiment_id;
  if (!experimentId) throw invalidParameter("A trace location of type MLFLOW_EXPERIMENT with an experiment_id is required.");
  const exp = await getActiveExperiment(db, experimentId);
  const row = {
    traceId,
    experimentId: exp.experimentId,
    requestTime: info.request_time ? parseTimestamp("request_time", info.request_time) : 0,
    executionDuration: info.execution_duration ? parseDuration("execution_duration", info.execution_duration) : null,
    state: info.state ?? "STATE_UNSPECIFIED",
    clientRequestId: info.client_request_id ?? null,
    requestPreview: info.request_preview ?? null,
    responsePreview: info.response_preview ?? null,
  };
  const tags = { ...info.tags, [store.ARTIFACT_LOCATION_TAG]: artifactLocation(exp.artifactLocation, traceId) };
  const metadata = { ...info.trace_metadata, [store.INFO_FINALIZED]: "true" };
  const assessments = (info.assessments ?? []).map((a) => newAssessment(traceId, a, now));
  return store.upsertTraceInfo(db, row, tags, metadata, assessments);
}

/** `<experiment artifact_location>/traces/`, under which each trace has `<trace_id>/artifacts`. */
const tracesRoot = (experimentLocation: string) => `${experimentLocation.replace(/\/+$/, "")}/traces/`;
const artifactLocation = (experimentLocation: string, traceId: string) => `${tracesRoot(experimentLocation)}${traceId}/artifacts`;

export async function getTraceInfo(db: Database, traceId: string): Promise<TraceInfo> {
  const [info] = await store.findTraceInfos(db, [traceId]);
  if (!info) throw traceNotFound(traceId);
  return info;
}

export async function batchGetTraceInfos(db: Database, traceIds: string[]): Promise<TraceInfo[]> {
  if (!traceIds.length) throw missingParameter("trace_ids");
  return store.findTraceInfos(db, traceIds);
}

export interface TraceWithSpans {
  info: TraceInfo;
  spans: string[];
}

/**
 * A trace with the spans kept in the tracking store (received over OTLP). Without
 * `allowPartial` a trace whose root span has not arrived is "not fully exported".
 */
export async function getTrace(db: Database, traceId: string, allowPartial = false): Promise<TraceWithSpans> {
  const [info, spansById] = await Promise.all([getTraceInfo(db, traceId), store.findSpans(db, [traceId])]);
  const spans = spansById.get(traceId) ?? [];
  if (!allowPartial && !spans.some((s) => s.root)) {
    throw notFound(`Trace with ID ${traceId} is not fully exported yet, please try again later.`);
  }
  return { info, spans: spans.map((s) => s.json) };
}

/** Complete traces (root span stored) among the ids, in the order asked. */
export async function batchGetTraces(db: Database, traceIds: string[]): Promise<TraceWithSpans[]> {
  if (!traceIds.length) throw missingParameter("trace_ids");
  const [infos, spans] = await Promise.all([store.findTraceInfos(db, traceIds), store.findSpans(db, traceIds)]);
  return infos.flatMap((info) => {
    const found = spans.get(info.traceId) ?? [];
    return found.some((s) => s.root) ? [{ info, spans: found.map((s) => s.json) }] : [];
  });
}

/** `traces/search` over MLflow-experiment locations (§4.10); with a reader, only experiments it may read. */
export async function searchTraces(
  db: Database,
  req: {
    locations: { type?: string; mlflow_experiment?: { experiment_id?: string } }[];
    filter?: string;
    max_results?: number;
    order_by?: string[];
    page_token?: string;
  },
  reader?: Reader,
): Promise<{ items: TraceInfo[]; nextPageToken?: string }> {
  if (!req.locations.length) throw missingParameter("locations");
  const experimentIds = req.locations.map((l) => {
    const id = l.mlflow_experiment?.experiment_id;
    if (!id) throw invalidParameter("Only trace locations of type MLFLOW_EXPERIMENT with an experiment_id are supported.");
    return parseExperimentId(id);
  });
  const limit = validateMaxResults(req.max_results, SEARCH_DEFAULT_MAX_RESULTS, SEARCH_MAX_RESULTS);
  const offset = decodePageToken(req.page_token);
  const conditions = traceConditions(req.filter);
  const order = traceOrder(req.order_by);
  const ids = await store.searchTraceIds(db, { experimentIds, conditions, order, limit: limit + 1, offset, reader });
  const page = paginate(ids, offset, limit);
  return { items: await store.findTraceInfos(db, page.items), nextPageToken: page.nextPageToken };
}

export async function setTraceTag(db: Database, traceId: string, key: string, value: string | undefined) {
  validateKey("tag", key);
  if (!(await store.setTraceTag(db, traceId, key, truncate(value ?? "", LIMITS.runTagValue)))) throw traceNotFound(traceId);
}

export async function deleteTraceTag(db: Database, traceId: string, key: string) {
  if (await store.deleteTraceTag(db, traceId, key)) return;
  if (!(await store.traceExists(db, traceId))) throw traceNotFound(traceId);
  throw notFound(`No trace tag with key '${key}' for trace with ID '${traceId}'`);
}

/** Deletes an experiment's traces by id, or the oldest up to a time (at most `max_traces`). */
export async function deleteTraces(
  db: Database,
  req: { experiment_id: string; max_timestamp_millis?: number; max_traces?: number; request_ids?: string[] },
): Promise<number> {
  const experimentId = parseExperimentId(req.experiment_id);
  const byIds = req.request_ids !== undefined && req.request_ids.length > 0;
  const byAge = req.max_timestamp_millis !== undefined;
  if (byIds === byAge) {
    throw invalidParameter("Exactly one of 'max_timestamp_millis' and 'request_ids' must be specified.");
  }
  if (byIds && req.max_traces !== undefined) {
    throw invalidParameter("'max_traces' can't be specified if 'request_ids' is specified.");
  }
  if (req.max_traces !== undefined && req.max_traces <= 0) {
    throw invalidParameter(`'max_traces' must be a positive integer, got ${req.max_traces}.`);
  }
  return store.deleteTraces(
    db,
    experimentId,
    byIds ? { ids: req.request_ids! } : { maxTimestampMillis: req.max_timestamp_millis!, maxTraces: req.max_traces },
  );
}

/** Links traces to a run; ids of traces that do not exist are ignored, as in MLflow. */
export async function linkTracesToRun(db: Database, traceIds: string[], runId: string) {
  if (!traceIds.length) throw missingParameter("trace_ids");
  if (traceIds.length > MAX_LINKED_TRACES) {
    throw invalidParameter(`Cannot link more than ${MAX_LINKED_TRACES} traces to a run in a single request. Provided ${traceIds.length} traces.`);
  }
  await getActiveRunInfo(db, runId);
  await store.linkTracesToRun(db, traceIds, runId);
}

/** A stored span's two encodings must fit one D1 row (2 MB). */
const MAX_SPAN_CHARS = 1_800_000;

/**
 * OTLP span ingestion: spans of an active experiment, stored for `/traces/get`. A span
 * too large to store is refused; the client then keeps the trace in `traces.json`.
 */
export async function logSpans(db: Database, experimentId: string | undefined, spans: OtlpSpan[]) {
  if (!experimentId) throw invalidParameter("Missing header 'X-Mlflow-Experiment-Id'.");
  const huge = spans.find((s) => s.json.length + s.dictJson.length > MAX_SPAN_CHARS);
  if (huge) throw invalidParameter(`Span ${huge.spanId} of trace ${huge.traceId} is too large to store (limit ${MAX_SPAN_CHARS} characters).`);
  const exp = await getActiveExperiment(db, experimentId);
  if (spans.length) await store.logSpans(db, exp.experimentId, tracesRoot(exp.artifactLocation), spans);
}

const TRACE_DATA_FILE = "traces.json";

/**
 * What the UI's get-trace-artifact serves: `traces.json` built from the spans kept
 * in the tracking store (byte for byte as MLflow writes it), else the file the
 * client uploaded; with `path`, an attachment under `attachments/`.
 */
export async function traceArtifact(
  db: Database,
  bucket: R2Bucket,
  requestId: string | undefined,
  path: string | undefined,
): Promise<{ name: string; body: ReadableStream | string }> {
  if (!requestId) throw new MlflowError("BAD_REQUEST", 'Request must include the "request_id" query parameter.');
  const attachment = path ? artifactPath(path, { encoded: false, kind: "file" }) : undefined;
  const info = await getTraceInfo(db, requestId);
  if (!attachment && info.tags[store.SPANS_LOCATION_TAG] === "TRACKING_STORE") {
    const spans = (await store.findSpans(db, [requestId])).get(requestId) ?? [];
    return { name: TRACE_DATA_FILE, body: `{"spans": [${spans.map((s) => s.dictJson).join(", ")}]}` };
  }
  const root = artifactRootKey(info.tags[store.ARTIFACT_LOCATION_TAG] ?? "");
  if (root === undefined) throw notFound(`Trace data of trace '${requestId}' is not stored on this server.`);
  const key = attachment ? joinKey(root, "attachments", attachment) : joinKey(root, TRACE_DATA_FILE);
  const file = await readFile(bucket, key);
  return { name: attachment ? basename(attachment) : TRACE_DATA_FILE, body: file.body };
}
