import { invalidParameter } from "./errors";
import { pythonJson } from "./python-json";

/**
 * OTLP/HTTP binary trace export (`ExportTraceServiceRequest`) decoded into spans in
 * the JSON shape MLflow serves them in (`/traces/get`, `batchGet`): proto field names,
 * ids base64, 64-bit integers as exact JSON numbers, enums by name.
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
type Value = string | boolean | bigint | number | Uint8Array | null | Value[] | { [k: string]: Value };

type Field = { no: number; wire: number; varint?: bigint; bytes?: Uint8Array };

/** Reads the fields of one protobuf message. */
function fields(buf: Uint8Array): Field[] {
  const out: Field[] = [];
  let pos = 0;
  const varint = (): bigint => {
    let result = 0n;
    let shift = 0n;
    for (;;) {
      if (pos >= buf.length) throw malformed();
      const b = buf[pos++];
      result |= BigInt(b & 0x7f) << shift;
      if (b < 0x80) return result;
      shift += 7n;
      if (shift > 63n) throw malformed();
    }
  };
  const take = (n: number) => {
    if (pos + n > buf.length) throw malformed();
    const slice = buf.subarray(pos, pos + n);
    pos += n;
    return slice;
  };
  while (pos < buf.length) {
    const key = Number(varint());
    const no = key >>> 3;
    const wire = key & 7;
    if (wire === 0) out.push({ no, wire, varint: varint() });
    else if (wire === 1) out.push({ no, wire, bytes: take(8) });
    else if (wire === 2) out.push({ no, wire, bytes: take(Number(varint())) });
    else if (wire === 5) out.push({ no, wire, bytes: take(4) });
    else throw malformed();
  }
  return out;
}

const malformed = () => invalidParameter("Invalid OpenTelemetry format");
const text = new TextDecoder();
const str = (f: Field) => text.decode(f.bytes);
const fixed64 = (f: Field) => new DataView(f.bytes!.buffer, f.bytes!.byteOffset, 8).getBigUint64(0, true);
const hex = (b: Uint8Array) => [...b].map((x) => x.toString(16).padStart(2, "0")).join("");
const base64 = (b: Uint8Array) => btoa(String.fromCharCode(...b));
const sub = (all: Field[], no: number) => all.filter((f) => f.no === no && f.wire === 2).map((f) => fields(f.bytes!));
const STATUS_CODES = ["STATUS_CODE_UNSET", "STATUS_CODE_OK", "STATUS_CODE_ERROR"];

/** A JSON value whose 64-bit integers are BigInts, written as exact digits by {@link jsonText}. */
type Json = string | number | boolean | bigint | null | Json[] | { [k: string]: Json };

/**
 * Decodes an ExportTraceServiceRequest. Throws 400 INVALID_PARAMETER_VALUE on bytes
 * that are not one, or that hold no spans.
 *
 * @example
 * const spans = decodeExportTraceRequest(new Uint8Array(await c.req.arrayBuffer()));
 */
export function decodeExportTraceRequest(body: Uint8Array): OtlpSpan[] {
  const spans: OtlpSpan[] = [];
  const resourceSpans = sub(fields(body), 1);
  for (const rs of resourceSpans) {
    for (const ss of sub(rs, 2)) for (const span of sub(ss, 2)) spans.push(decodeSpan(span));
  }
  if (!resourceSpans.length) throw invalidParameter("Invalid OpenTelemetry format - no spans found");
  return spans;
}

function decodeSpan(f: Field[]): OtlpSpan {
  const one = (no: number) => f.find((x) => x.no === no);
  const traceId = one(1)?.bytes;
  const spanId = one(2)?.bytes;
  if (!traceId?.length || !spanId?.length) throw invalidParameter("Invalid OpenTelemetry format: span without trace_id or span_id");
  const parent = one(4)?.bytes;
  const start = one(7)?.wire === 1 ? fixed64(one(7)!) : 0n;
  const end = one(8)?.wire === 1 ? fixed64(one(8)!) : 0n;
  const mlflowTraceId = `tr-${hex(traceId)}`;
  const status = sub(f, 15)[0] ?? [];
  const code = Number(status.find((x) => x.no === 3)?.varint ?? 0n);
  const message = status.find((x) => x.no === 2);
  const statusJson: Record<string, Json> = {};
  if (code) statusJson.code = STATUS_CODES[code] ?? code;
  if (message?.bytes?.length) statusJson.message = str(message);

  // MLflow stamps every span with the trace id it belongs to, first among the attributes.
  const attributes = new Map<string, Value>([["mlflow.traceRequestId", mlflowTraceId]]);
  for (const kv of sub(f, 9)) {
    const [key, value] = keyValue(kv);
    attributes.set(key, value);
  }
  const events = sub(f, 11).map(decodeEvent);

  const json: Record<string, Json> = { trace_id: base64(traceId), span_id: base64(spanId) };
  if (parent?.length) json.parent_span_id = base64(parent);
  json.name = one(5) ? str(one(5)!) : "";
  json.start_time_unix_nano = start;
  if (end) json.end_time_unix_nano = end;
  json.attributes = [...attributes].map(([key, value]) => ({ key, value: anyValueJson(value) }));
  if (events.length) {
    json.events = events.map((e) =>
      compactJson({ time_unix_nano: e.time, name: e.name, attributes: e.attributes.size ? [...e.attributes].map(([key, value]) => ({ key, value: anyValueJson(value) })) : undefined }),
    );
  }
  json.status = statusJson;

  const dict = {
    trace_id: base64(traceId),
    span_id: base64(spanId),
    parent_span_id: parent?.length ? base64(parent) : null,
    name: json.name,
    start_time_unix_nano: start,
    end_time_unix_nano: end,
    events: events.map((e) => ({ name: e.name, time_unix_nano: e.time, attributes: Object.fromEntries(e.attributes) })),
    status: { code: STATUS_CODES[code] ?? "STATUS_CODE_UNSET", message: message?.bytes?.length ? str(message) : "" },
    // MLflow keeps attribute values JSON-dumped (non-ASCII left as is) inside traces.json.
    attributes: Object.fromEntries([...attributes].map(([k, v]) => [k, pythonJson(bytesAsText(v), false)])),
  };
  return {
    traceId: mlflowTraceId,
    spanId: hex(spanId),
    parentSpanId: parent?.length ? hex(parent) : undefined,
    startOrder: start.toString().padStart(20, "0"),
    startMs: Number(start / 1_000_000n),
    endMs: end ? Number(end / 1_000_000n) : undefined,
    state: code === 1 ? "OK" : code === 2 ? "ERROR" : undefined,
    json: jsonText(json),
    dictJson: pythonJson(bytesAsText(dict as unknown as Value)),
  };
}

function decodeEvent(f: Field[]): { time: bigint; name: string; attributes: Map<string, Value> } {
  const time = f.find((x) => x.no === 1 && x.wire === 1);
  const name = f.find((x) => x.no === 2);
  return { time: time ? fixed64(time) : 0n, name: name ? str(name) : "", attributes: new Map(sub(f, 3).map(keyValue)) };
}

function keyValue(f: Field[]): [string, Value] {
  const key = f.find((x) => x.no === 1);
  const value = sub(f, 2)[0];
  return [key ? str(key) : "", value ? anyValue(value) : null];
}

/** OTLP AnyValue: one of string, bool, int64, double, array, kvlist, bytes. */
function anyValue(f: Field[]): Value {
  const v = f[f.length - 1];
  if (!v) return null;
  switch (v.no) {
    case 1:
      return str(v);
    case 2:
      return v.varint !== 0n;
    case 3:
      return BigInt.asIntN(64, v.varint ?? 0n);
    case 4:
      return new DataView(v.bytes!.buffer, v.bytes!.byteOffset, 8).getFloat64(0, true);
    case 5:
      return sub(fields(v.bytes!), 1).map(anyValue);
    case 6:
      return Object.fromEntries(sub(fields(v.bytes!), 1).map(keyValue));
    case 7:
      return new Uint8Array(v.bytes!);
    default:
      return null;
  }
}

/** A Python value back in AnyValue JSON, as MLflow re-encodes stored attributes. */
function anyValueJson(v: Value): Json {
  if (v === null) return {};
  if (typeof v === "string") return { string_value: v };
  if (typeof v === "boolean") return { bool_value: v };
  if (typeof v === "bigint") return { int_value: v };
  if (typeof v === "number") return { double_value: doubleJson(v) };
  if (v instanceof Uint8Array) return { bytes_value: base64(v) };
  if (Array.isArray(v)) return { array_value: { values: v.map(anyValueJson) } };
  return { kvlist_value: { values: Object.entries(v).map(([key, value]) => ({ key, value: anyValueJson(value) })) } };
}

/** Bytes have no JSON form in traces.json; they are written as base64 text. */
function bytesAsText(v: Value): Value {
  if (v instanceof Uint8Array) return base64(v);
  if (Array.isArray(v)) return v.map(bytesAsText);
  if (v !== null && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, bytesAsText(x)]));
  return v;
}

function compactJson(o: Record<string, Json | undefined>): Json {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Json;
}

function doubleJson(d: number): Json {
  if (Number.isNaN(d)) return "NaN";
  if (!Number.isFinite(d)) return d > 0 ? "Infinity" : "-Infinity";
  return d;
}

const BIG = "\u0000";

/** JSON.stringify that writes BigInts as exact digits (64-bit OTLP values exceed 2^53). */
export function jsonText(value: unknown): string {
  return JSON.stringify(value, (_k, v) => (typeof v === "bigint" ? `${BIG}${v}${BIG}` : v)).replace(
    /"\\u0000(-?\d+)\\u0000"/g,
    "$1",
  );
}
