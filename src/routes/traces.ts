import { decode, mediaType } from "../protocol/decode";
import { invalidParameter } from "../protocol/errors";
import { jsonResponse, ok } from "../protocol/json";
import { decodeExportTraceRequest } from "../protocol/otlp";
import * as msg from "../protocol/traces";
import * as assessments from "../services/assessments";
import * as traces from "../services/traces";
import { attachmentHeaders, contentLength } from "./artifact-responses";
import type { AppContext, Route } from "./route";
import { searchReader } from "./search-reader";

const traceId = (c: AppContext) => c.req.param("trace_id") ?? "";
const assessmentId = (c: AppContext) => c.req.param("assessment_id") ?? "";
const nonEmpty = <T>(items: T[]) => (items.length ? items : undefined);
/** OTLP payloads are decoded whole, so they are capped (the client sends one trace per request). */
const MAX_OTLP_BYTES = 16 * 1024 * 1024;

/** `{trace_info, spans}` with the stored span JSON spliced in verbatim (exact 64-bit numbers). */
function tracesBody(wrap: (items: unknown[]) => unknown, items: traces.TraceWithSpans[]): Response {
  const parts: string[] = [];
  const encoded = items.map((t) => ({
    trace_info: msg.encodeTraceInfo(t.info),
    spans: nonEmpty(t.spans.map((s) => msg.raw(parts.push(s) - 1))),
  }));
  return new Response(msg.jsonWithRawParts(wrap(encoded), parts), { headers: { "Content-Type": "application/json" } });
}

/** Both API versions, for the RPCs MLflow mounts under /api/2.0 and /api/3.0 alike. */
const bothVersions = (route: Omit<Route, "api">): Route[] => [
  { ...route, api: 2 },
  { ...route, api: 3 },
];

/**
 * Traces v3 (§4.10). Fixed paths come before `/mlflow/traces/:trace_id`, which
 * would otherwise take `get`, `batchGet`… as trace ids.
 */
export const traceRoutes: Route[] = [
  {
    method: "POST",
    api: 3,
    path: "/mlflow/traces",
    access: { experiment: "EDIT", from: "experiment_id" },
    handler: async (c) => {
      const { trace } = await decode(c, msg.StartTraceV3);
      const info = await traces.startTrace(c.var.db, trace.trace_info);
      return jsonResponse({ trace: { trace_info: msg.encodeTraceInfo(info) } });
    },
  },
  {
    method: "GET",
    api: 3,
    path: "/mlflow/traces/get",
    access: { experiment: "READ", from: "trace_id" },
    handler: async (c) => {
      const req = await decode(c, msg.GetTrace);
      const trace = await traces.getTrace(c.var.db, req.trace_id, req.allow_partial);
      return tracesBody(([t]) => ({ trace: t }), [trace]);
    },
  },
  {
    method: "GET",
    api: 3,
    path: "/mlflow/traces/batchGet",
    access: { experiment: "READ", from: "trace_id" },
    handler: async (c) => {
      const { trace_ids } = await decode(c, msg.TraceIds);
      return tracesBody((items) => ({ traces: nonEmpty(items) }), await traces.batchGetTraces(c.var.db, trace_ids));
    },
  },
  {
    method: "POST",
    api: 3,
    path: "/mlflow/traces/batchGetInfos",
    access: { experiment: "READ", from: "trace_id" },
    handler: async (c) => {
      const { trace_ids } = await decode(c, msg.TraceIds);
      const infos = await traces.batchGetTraceInfos(c.var.db, trace_ids);
      return jsonResponse({ trace_infos: nonEmpty(infos.map(msg.encodeTraceInfo)) });
    },
  },
  {
    method: "POST",
    api: 3,
    path: "/mlflow/traces/search",
    // Any caller may search; results are limited to the experiments they can read.
    access: "user",
    handler: async (c) => {
      const page = await traces.searchTraces(c.var.db, await decode(c, msg.SearchTracesV3), searchReader(c));
      return jsonResponse({ traces: nonEmpty(page.items.map(msg.encodeTraceInfo)), next_page_token: page.nextPageToken });
    },
  },
  ...bothVersions({
    method: "POST",
    path: "/mlflow/traces/delete-traces",
    access: { experiment: "EDIT", from: "experiment_id" },
    handler: async (c) => jsonResponse({ traces_deleted: await traces.deleteTraces(c.var.db, await decode(c, msg.DeleteTraces)) }),
  }),
  ...bothVersions({
    method: "POST",
    path: "/mlflow/traces/link-to-run",
    access: { experiment: "EDIT", from: ["run_id", "trace_id"] },
    handler: async (c) => {
      const req = await decode(c, msg.LinkTracesToRun);
      await traces.linkTracesToRun(c.var.db, req.trace_ids, req.run_id);
      return ok();
    },
  }),
  ...bothVersions({
    method: "PATCH",
    path: "/mlflow/traces/:trace_id/tags",
    access: { experiment: "EDIT", from: "trace_id" },
    handler: async (c) => {
      const req = await decode(c, msg.SetTraceTag);
      await traces.setTraceTag(c.var.db, traceId(c), req.key, req.value);
      return ok();
    },
  }),
  ...bothVersions({
    method: "DELETE",
    path: "/mlflow/traces/:trace_id/tags",
    access: { experiment: "EDIT", from: "trace_id" },
    handler: async (c) => {
      const req = await decode(c, msg.DeleteTraceTag);
      await traces.deleteTraceTag(c.var.db, traceId(c), req.key);
      return ok();
    },
  }),
  {
    method: "POST",
    api: 3,
    path: "/mlflow/traces/:trace_id/assessments",
    access: { experiment: "EDIT", from: "trace_id" },
    handler: async (c) => {
      const { assessment } = await decode(c, msg.CreateAssessment);
      const created = await assessments.createAssessment(c.var.db, traceId(c), assessment);
      return jsonResponse({ assessment: msg.encodeAssessment(created) });
    },
  },
  {
    method: "GET",
    api: 3,
    path: "/mlflow/traces/:trace_id/assessments/:assessment_id",
    access: { experiment: "READ", from: "trace_id" },
    handler: async (c) => {
      const found = await assessments.getAssessment(c.var.db, traceId(c), assessmentId(c));
      return jsonResponse({ assessment: msg.encodeAssessment(found) });
    },
  },
  {
    method: "PATCH",
    api: 3,
    path: "/mlflow/traces/:trace_id/assessments/:assessment_id",
    access: { experiment: "EDIT", from: "trace_id" },
    handler: async (c) => {
      const req = await decode(c, msg.UpdateAssessment);
      const updated = await assessments.updateAssessment(c.var.db, traceId(c), assessmentId(c), req.assessment, req.update_mask);
      return jsonResponse({ assessment: msg.encodeAssessment(updated) });
    },
  },
  {
    method: "DELETE",
    api: 3,
    path: "/mlflow/traces/:trace_id/assessments/:assessment_id",
    access: { experiment: "EDIT", from: "trace_id" },
    handler: async (c) => {
      await assessments.deleteAssessment(c.var.db, traceId(c), assessmentId(c));
      return ok();
    },
  },
  {
    method: "GET",
    api: 3,
    path: "/mlflow/traces/:trace_id",
    access: { experiment: "READ", from: "trace_id" },
    handler: async (c) => jsonResponse({ trace: { trace_info: msg.encodeTraceInfo(await traces.getTraceInfo(c.var.db, traceId(c))) } }),
  },
  ...bothVersions({
    method: "GET",
    path: "/mlflow/get-trace-artifact",
    access: { experiment: "READ", from: "trace_id" },
    handler: async (c) => {
      const file = await traces.traceArtifact(c.var.db, c.env.ARTIFACTS, c.req.query("request_id"), c.req.query("path"));
      return new Response(file.body, { headers: attachmentHeaders(file.name) });
    },
  }),
  {
    // OTLP/HTTP span export: the experiment travels in the X-Mlflow-Experiment-Id header.
    method: "POST",
    api: null,
    path: "/v1/traces",
    access: { experiment: "EDIT", from: "experiment_id" },
    handler: async (c) => {
      const spans = decodeExportTraceRequest(await readOtlpBody(c), mediaType(c.req.header("Content-Type")));
      await traces.logSpans(c.var.db, c.req.header("X-Mlflow-Experiment-Id"), spans);
      // An empty ExportTraceServiceResponse serialises to zero bytes.
      return new Response(null, { status: 200, headers: { "Content-Type": "application/x-protobuf" } });
    },
  },
];

async function readOtlpBody(c: AppContext): Promise<Uint8Array> {
  // A declared length over the limit is refused before reading; an absent or false one is
  // caught by the check of what was read (decompressed) below.
  if ((contentLength(c) ?? 0) > MAX_OTLP_BYTES) throw otlpTooLarge();
  const encoding = (c.req.header("Content-Encoding") ?? "").toLowerCase();
  let body: ReadableStream<Uint8Array> | null = c.req.raw.body;
  if (body && (encoding === "gzip" || encoding === "deflate")) body = body.pipeThrough(new DecompressionStream(encoding));
  else if (body && encoding && encoding !== "identity") throw invalidParameter(`Unsupported Content-Encoding: ${encoding}`);
  const bytes = new Uint8Array(await new Response(body).arrayBuffer());
  if (bytes.length > MAX_OTLP_BYTES) throw otlpTooLarge();
  return bytes;
}

const otlpTooLarge = () => invalidParameter(`OTLP payload larger than ${MAX_OTLP_BYTES} bytes.`);
