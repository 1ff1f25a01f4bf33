import { invalidParameter } from "./errors";
import type { DecodedSpan, Value } from "./otlp";

/**
 * The JSON OTLP encoding of ExportTraceServiceRequest: lowerCamelCase (or proto)
 * field names, trace and span ids in hex, 64-bit integers as strings or numbers.
 */
type Obj = Record<string, unknown>;

const malformed = (why: string) => invalidParameter(`Invalid OpenTelemetry format: ${why}`);
const STATUS_NAMES: Record<string, number> = { STATUS_CODE_UNSET: 0, STATUS_CODE_OK: 1, STATUS_CODE_ERROR: 2 };

/** A field under its JSON name or its proto name. */
function get(o: Obj, camel: string): unknown {
  const snake = camel.replace(/[A-Z]/g, (ch) => `_${ch.toLowerCase()}`);
  return o[camel] ?? o[snake];
}

const objects = (v: unknown): Obj[] => (Array.isArray(v) ? v.filter((x): x is Obj => x !== null && typeof x === "object") : []);

/**
 * The spans of a JSON ExportTraceServiceRequest.
 *
 * @example
 * decodeJsonSpans('{"resourceSpans":[{"scopeSpans":[{"spans":[…]}]}]}')
 */
export function decodeJsonSpans(body: string): { resourceSpans: number; spans: DecodedSpan[] } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    throw malformed("the body is not JSON");
  }
  if (parsed === null || typeof parsed !== "object") throw malformed("expected an object");
  const resourceSpans = objects(get(parsed as Obj, "resourceSpans"));
  const spans = resourceSpans.flatMap((rs) => objects(get(rs, "scopeSpans")).flatMap((ss) => objects(get(ss, "spans")).map(decodeSpan)));
  return { resourceSpans: resourceSpans.length, spans };
}

function decodeSpan(s: Obj): DecodedSpan {
  const status = (get(s, "status") ?? {}) as Obj;
  const code = get(status, "code");
  return {
    traceId: hexBytes(get(s, "traceId")),
    spanId: hexBytes(get(s, "spanId")),
    parentSpanId: get(s, "parentSpanId") ? hexBytes(get(s, "parentSpanId")) : undefined,
    name: String(get(s, "name") ?? ""),
    start: int64(get(s, "startTimeUnixNano")),
    end: int64(get(s, "endTimeUnixNano")),
    attributes: objects(get(s, "attributes")).map(keyValue),
    events: objects(get(s, "events")).map((e) => ({
      time: int64(get(e, "timeUnixNano")),
      name: String(get(e, "name") ?? ""),
      attributes: objects(get(e, "attributes")).map(keyValue),
    })),
    statusCode: typeof code === "string" ? (STATUS_NAMES[code] ?? 0) : Number(code ?? 0),
    statusMessage: String(get(status, "message") ?? ""),
  };
}

function hexBytes(v: unknown): Uint8Array {
  if (typeof v !== "string" || !/^([0-9a-f]{2})*$/i.test(v)) throw malformed(`'${String(v)}' is not a hex id`);
  return new Uint8Array(v.match(/../g)?.map((b) => parseInt(b, 16)) ?? []);
}

function int64(v: unknown): bigint {
  if (v === undefined || v === null || v === "") return 0n;
  if ((typeof v === "string" && /^-?\d+$/.test(v)) || (typeof v === "number" && Number.isInteger(v))) return BigInt(v);
  throw malformed(`'${String(v)}' is not an integer`);
}

function keyValue(kv: Obj): [string, Value] {
  const value = get(kv, "value");
  return [String(get(kv, "key") ?? ""), value && typeof value === "object" ? anyValue(value as Obj) : null];
}

function anyValue(v: Obj): Value {
  if (get(v, "stringValue") !== undefined) return String(get(v, "stringValue"));
  if (get(v, "boolValue") !== undefined) return get(v, "boolValue") === true;
  if (get(v, "intValue") !== undefined) return int64(get(v, "intValue"));
  if (get(v, "doubleValue") !== undefined) return Number(get(v, "doubleValue"));
  const array = get(v, "arrayValue") as Obj | undefined;
  if (array) return objects(get(array, "values")).map(anyValue);
  const kvlist = get(v, "kvlistValue") as Obj | undefined;
  if (kvlist) return Object.fromEntries(objects(get(kvlist, "values")).map(keyValue));
  const bytes = get(v, "bytesValue");
  if (typeof bytes === "string") return Uint8Array.from(atob(bytes), (ch) => ch.charCodeAt(0));
  return null;
}
