import { invalidParameter } from "./errors";
import { decodeJsonSpans } from "./otlp-json";
import { decodeProtobufSpans } from "./otlp-protobuf";
import { pythonJson } from "./python-json";

/**
 * OTLP/HTTP trace export (`ExportTraceServiceRequest`, binary or JSON) turned into
 * spans in the two shapes MLflow serves them in: OTel proto JSON for `/traces/get`
 * and `batchGet` (proto field names, ids base64, 64-bit integers as exact JSON
 * numbers), and MLflow's span dict for `traces.json`.
 */
export interface OtlpSpan {
  /** `tr-` + the 32 hex digits of the OTel trace id: MLflow's trace id. */
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  /** Start time in ns as decimal digits, zero-padded to 20 so text order is time order. */
  startOrder: string;
  startMs: number;
  endMs?: number;
  /** OK / ERROR from the span status, undefined when unset. */
  state?: "OK" | "ERROR";
  /** The span's JSON text, as `/traces/get` serves it (OTel proto JSON). */
  json: string;
  /** The span as MLflow writes it into `traces.json` (Python `json.dumps` text). */
  dictJson: string;
}

/** A decoded OTLP AnyValue, as MLflow holds it in Python. */
export type Value = string | boolean | bigint | number | Uint8Array | null | Value[] | { [k: string]: Value };

/** The span fields MLflow keeps, whichever encoding they arrived in. */
export interface DecodedSpan {
  traceId: Uint8Array;
  spanId: Uint8Array;
  parentSpanId?: Uint8Array;
  name: string;
  start: bigint;
  end: bigint;
  attributes: [string, Value][];
  events: { time: bigint; name: string; attributes: [string, Value][] }[];
  statusCode: number;
  statusMessage: string;
}

/** A JSON value whose 64-bit integers are BigInts, written as exact digits by {@link jsonText}. */
type Json = string | number | boolean | bigint | null | Json[] | { [k: string]: Json };

const STATUS_CODES = ["STATUS_CODE_UNSET", "STATUS_CODE_OK", "STATUS_CODE_ERROR"];
const hex = (b: Uint8Array) => [...b].map((x) => x.toString(16).padStart(2, "0")).join("");
const base64 = (b: Uint8Array) => btoa(String.fromCharCode(...b));

/**
 * Decodes an export request of media type `application/x-protobuf` or
 * `application/json`. Throws 400 INVALID_PARAMETER_VALUE on anything else, on a body
 * that is not one, or on one that holds no spans.
 *
 * @example
 * const spans = decodeExportTraceRequest(bytes, "application/x-protobuf");
 */
export function decodeExportTraceRequest(body: Uint8Array, mediaType: string): OtlpSpan[] {
  const decoded =
    mediaType === "application/json"
      ? decodeJsonSpans(new TextDecoder().decode(body))
      : mediaType === "application/x-protobuf"
        ? decodeProtobufSpans(body)
        : undefined;
  if (!decoded) throw invalidParameter(`Invalid Content-Type: ${mediaType || "(none)"}. Expected: application/x-protobuf or application/json`);
  if (!decoded.resourceSpans) throw invalidParameter("Invalid OpenTelemetry format - no spans found");
  return decoded.spans.map(toOtlpSpan);
}

function toOtlpSpan(span: DecodedSpan): OtlpSpan {
  if (!span.traceId.length || !span.spanId.length) {
    throw invalidParameter("Invalid OpenTelemetry format: span without trace_id or span_id");
  }
  const traceId = `tr-${hex(span.traceId)}`;
  const parent = span.parentSpanId?.length ? span.parentSpanId : undefined;
  // MLflow stamps every span with the trace id it belongs to, first among the attributes.
  const attributes = new Map<string, Value>([["mlflow.traceRequestId", traceId], ...span.attributes]);
  const code = span.statusCode;
  return {
    traceId,
    spanId: hex(span.spanId),
    parentSpanId: parent && hex(parent),
    startOrder: span.start.toString().padStart(20, "0"),
    startMs: Number(span.start / 1_000_000n),
    endMs: span.end ? Number(span.end / 1_000_000n) : undefined,
    state: code === 1 ? "OK" : code === 2 ? "ERROR" : undefined,
    json: jsonText(protoJson(span, parent, attributes)),
    dictJson: pythonJson(bytesAsText(mlflowDict(span, parent, attributes) as Value)),
  };
}

/** The span as MLflow re-encodes a stored span to OTel proto JSON. */
function protoJson(span: DecodedSpan, parent: Uint8Array | undefined, attributes: Map<string, Value>): Json {
  const json: Record<string, Json> = { trace_id: base64(span.traceId), span_id: base64(span.spanId) };
  if (parent) json.parent_span_id = base64(parent);
  json.name = span.name;
  json.start_time_unix_nano = span.start;
  if (span.end) json.end_time_unix_nano = span.end;
  json.attributes = keyValuesJson([...attributes]);
  if (span.events.length) {
    json.events = span.events.map((e) => {
      const event: Record<string, Json> = { time_unix_nano: e.time, name: e.name };
      if (e.attributes.length) event.attributes = keyValuesJson(e.attributes);
      return event;
    });
  }
  const status: Record<string, Json> = {};
  if (span.statusCode) status.code = STATUS_CODES[span.statusCode] ?? span.statusCode;
  if (span.statusMessage) status.message = span.statusMessage;
  json.status = status;
  return json;
}

/** MLflow's `Span.to_dict()`: attribute values kept JSON-dumped (non-ASCII as is). */
function mlflowDict(span: DecodedSpan, parent: Uint8Array | undefined, attributes: Map<string, Value>) {
  return {
    trace_id: base64(span.traceId),
    span_id: base64(span.spanId),
    parent_span_id: parent ? base64(parent) : null,
    name: span.name,
    start_time_unix_nano: span.start,
    end_time_unix_nano: span.end,
    events: span.events.map((e) => ({ name: e.name, time_unix_nano: e.time, attributes: Object.fromEntries(e.attributes) })),
    status: { code: STATUS_CODES[span.statusCode] ?? "STATUS_CODE_UNSET", message: span.statusMessage },
    attributes: Object.fromEntries([...attributes].map(([k, v]) => [k, pythonJson(bytesAsText(v), false)])),
  };
}

const keyValuesJson = (kvs: [string, Value][]): Json => kvs.map(([key, value]) => ({ key, value: anyValueJson(value) }));

/** A Python value back in AnyValue JSON, as MLflow re-encodes stored attributes. */
function anyValueJson(v: Value): Json {
  if (v === null) return {};
  if (typeof v === "string") return { string_value: v };
  if (typeof v === "boolean") return { bool_value: v };
  if (typeof v === "bigint") return { int_value: v };
  if (typeof v === "number") return { double_value: Number.isFinite(v) ? v : String(v) };
  if (v instanceof Uint8Array) return { bytes_value: base64(v) };
  if (Array.isArray(v)) return { array_value: { values: v.map(anyValueJson) } };
  return { kvlist_value: { values: keyValuesJson(Object.entries(v)) } };
}

/** Bytes have no JSON form in traces.json; they are written as base64 text. */
function bytesAsText(v: Value): Value {
  if (v instanceof Uint8Array) return base64(v);
  if (Array.isArray(v)) return v.map(bytesAsText);
  if (v !== null && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, bytesAsText(x)]));
  return v;
}

const BIG = "\u0000";

/** JSON.stringify that writes BigInts as exact digits (64-bit OTLP values exceed 2^53). */
function jsonText(value: unknown): string {
  return JSON.stringify(value, (_k, v) => (typeof v === "bigint" ? `${BIG}${v}${BIG}` : v)).replace(
    /"\\u0000(-?\d+)\\u0000"/g,
    "$1",
  );
}
