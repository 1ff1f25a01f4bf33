import { invalidParameter } from "./errors";
import type { DecodedSpan, Value } from "./otlp";

/**
 * The binary OTLP encoding of ExportTraceServiceRequest (protobuf wire format), read
 * without generated code: only the fields MLflow keeps of a span.
 */
type Field = { no: number; wire: number; varint?: bigint; bytes?: Uint8Array };

const malformed = () => invalidParameter("Invalid OpenTelemetry format");
const text = new TextDecoder();

/** Reads the fields of one protobuf message. */
function fields(buf: Uint8Array): Field[] {
  const out: Field[] = [];
  let pos = 0;
  const varint = (): bigint => {
    let result = 0n;
    for (let shift = 0n; shift <= 63n; shift += 7n) {
      if (pos >= buf.length) throw malformed();
      const b = buf[pos++];
      result |= BigInt(b & 0x7f) << shift;
      if (b < 0x80) return result;
    }
    throw malformed();
  };
  const take = (n: number) => {
    if (pos + n > buf.length) throw malformed();
    return buf.subarray(pos, (pos += n));
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

const str = (f: Field | undefined) => (f?.bytes ? text.decode(f.bytes) : "");
const view = (f: Field) => new DataView(f.bytes!.buffer, f.bytes!.byteOffset, 8);
const fixed64 = (f: Field | undefined) => (f?.wire === 1 ? view(f).getBigUint64(0, true) : 0n);
const sub = (all: Field[], no: number) => all.filter((f) => f.no === no && f.wire === 2).map((f) => fields(f.bytes!));
const field = (all: Field[], no: number) => all.find((f) => f.no === no);

/**
 * The spans of a binary ExportTraceServiceRequest (resource_spans → scope_spans → spans).
 *
 * @example
 * decodeProtobufSpans(new Uint8Array(await request.arrayBuffer()))
 */
export function decodeProtobufSpans(body: Uint8Array): { resourceSpans: number; spans: DecodedSpan[] } {
  const resourceSpans = sub(fields(body), 1);
  const spans = resourceSpans.flatMap((rs) => sub(rs, 2).flatMap((ss) => sub(ss, 2).map(decodeSpan)));
  return { resourceSpans: resourceSpans.length, spans };
}

function decodeSpan(f: Field[]): DecodedSpan {
  const status = sub(f, 15)[0] ?? [];
  return {
    traceId: field(f, 1)?.bytes ?? new Uint8Array(),
    spanId: field(f, 2)?.bytes ?? new Uint8Array(),
    parentSpanId: field(f, 4)?.bytes,
    name: str(field(f, 5)),
    start: fixed64(field(f, 7)),
    end: fixed64(field(f, 8)),
    attributes: sub(f, 9).map(keyValue),
    events: sub(f, 11).map((e) => ({ time: fixed64(field(e, 1)), name: str(field(e, 2)), attributes: sub(e, 3).map(keyValue) })),
    statusCode: Number(field(status, 3)?.varint ?? 0n),
    statusMessage: str(field(status, 2)),
  };
}

function keyValue(f: Field[]): [string, Value] {
  const value = sub(f, 2)[0];
  return [str(field(f, 1)), value ? anyValue(value) : null];
}

/** AnyValue: one of string, bool, int64, double, array, kvlist, bytes. */
function anyValue(f: Field[]): Value {
  const v = f[f.length - 1];
  switch (v?.no) {
    case 1:
      return str(v);
    case 2:
      return v.varint !== 0n;
    case 3:
      return BigInt.asIntN(64, v.varint ?? 0n);
    case 4:
      return v.wire === 1 ? view(v).getFloat64(0, true) : null;
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
