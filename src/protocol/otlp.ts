import { invalidParameter } from "./errors";

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
  /** The span's JSON text. */
  json: string;
}

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

  const json: Record<string, Json> = { trace_id: base64(traceId), span_id: base64(spanId) };
  if (parent?.length) json.parent_span_id = base64(parent);
  json.name = one(5) ? str(one(5)!) : "";
  json.start_time_unix_nano = start;
  if (end) json.end_time_unix_nano = end;
  // MLflow stamps every span with the trace id it belongs to, first among the attributes.
  const attributes = new Map<string, Json>([["mlflow.traceRequestId", { string_value: mlflowTraceId }]]);
  for (const kv of sub(f, 9)) {
    const [key, value] = keyValue(kv);
    attributes.set(key, value);
  }
  json.attributes = [...attributes].map(([key, value]) => ({ key, value }));
  const events = sub(f, 11).map(decodeEvent);
  if (events.length) json.events = events;
  json.status = statusJson;
  return {
    traceId: mlflowTraceId,
    spanId: hex(spanId),
    parentSpanId: parent?.length ? hex(parent) : undefined,
    startOrder: start.toString().padStart(20, "0"),
    startMs: Number(start / 1_000_000n),
    endMs: end ? Number(end / 1_000_000n) : undefined,
    state: code === 1 ? "OK" : code === 2 ? "ERROR" : undefined,
    json: jsonText(json),
  };
}

function decodeEvent(f: Field[]): Json {
  const out: Record<string, Json> = {};
  const time = f.find((x) => x.no === 1 && x.wire === 1);
  if (time) out.time_unix_nano = fixed64(time);
  const name = f.find((x) => x.no === 2);
  if (name) out.name = str(name);
  const attributes = sub(f, 3).map(keyValue).map(([key, value]) => ({ key, value }));
  if (attributes.length) out.attributes = attributes;
  return out;
}

function keyValue(f: Field[]): [string, Json] {
  const key = f.find((x) => x.no === 1);
  const value = sub(f, 2)[0];
  return [key ? str(key) : "", value ? anyValue(value) : {}];
}

/** OTLP AnyValue: one of string, bool, int64, double, array, kvlist, bytes. */
function anyValue(f: Field[]): Json {
  const v = f[f.length - 1];
  if (!v) return {};
  switch (v.no) {
    case 1:
      return { string_value: str(v) };
    case 2:
      return { bool_value: v.varint !== 0n };
    case 3:
      return { int_value: BigInt.asIntN(64, v.varint ?? 0n) };
    case 4:
      return { double_value: doubleJson(new DataView(v.bytes!.buffer, v.bytes!.byteOffset, 8).getFloat64(0, true)) };
    case 5:
      return { array_value: { values: sub(fields(v.bytes!), 1).map(anyValue) } };
    case 6:
      return { kvlist_value: { values: sub(fields(v.bytes!), 1).map(keyValue).map(([key, value]) => ({ key, value })) } };
    case 7:
      return { bytes_value: base64(v.bytes!) };
    default:
      return {};
  }
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
