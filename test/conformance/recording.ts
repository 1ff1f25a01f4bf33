import { createHash } from "node:crypto";

/**
 * The line format of ../shared/conformance/*.jsonl (see that README): one exchange of the
 * stock client with the stock server per line.
 */
export type BodyKind = "empty" | "json" | "text" | "binary";

export interface Generator {
  algorithm: "sha256-counter-v1";
  seed: string;
  size: number;
}

/** `binary` bodies, and artifact content stored as `text` (which carries size + sha256 too). */
export interface BinaryBody {
  size: number;
  sha256: string;
  b64?: string;
  generator?: Generator;
}

export interface TextBody {
  text: string;
  size?: number;
}

export interface RecordedMessage {
  content_type: string | null;
  headers?: Record<string, string>;
  body_kind: BodyKind;
  body: unknown;
}

export interface RecordedRequest extends RecordedMessage {
  method: string;
  /** Request-target path exactly as sent (not percent-decoded), without the query. */
  path: string;
  /** Decoded (key, value) pairs in order. */
  query: [string, string][];
  /** Raw query string as sent; only when non-empty. */
  query_string?: string;
}

export interface RecordedResponse extends RecordedMessage {
  status: number;
}

export interface Exchange {
  seq: number;
  scenario: string;
  step?: string;
  concurrency_group?: number;
  request: RecordedRequest;
  response: RecordedResponse;
}

/**
 * Parses a recording (JSON lines) into its exchanges in `seq` order.
 *
 * @example parseRecording('{"seq": 2, …}\n{"seq": 1, …}\n').map((e) => e.seq) // [1, 2]
 */
export function parseRecording(jsonl: string): Exchange[] {
  return jsonl
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => JSON.parse(line) as Exchange)
    .sort((a, b) => a.seq - b.seq);
}

/**
 * The README's deterministic generator of large bodies: SHA-256 of seed ‖ counter (u64 BE),
 * concatenated and cut to `size` bytes. node:crypto (nodejs_compat) hashes synchronously,
 * which keeps a 12 MiB body at well under a second.
 *
 * @example sha256CounterV1("noct", 64).length // 64
 */
export function sha256CounterV1(seed: string, size: number): Uint8Array {
  const out = new Uint8Array(size);
  const prefix = new TextEncoder().encode(seed);
  const counter = new Uint8Array(8);
  const view = new DataView(counter.buffer);
  for (let i = 0n, len = 0; len < size; i++, len += 32) {
    view.setBigUint64(0, i);
    out.set(createHash("sha256").update(prefix).update(counter).digest().subarray(0, size - len), len);
  }
  return out;
}

/** Bytes of a recorded binary body: from `b64`, else from its generator. */
export function binaryBytes(body: BinaryBody): Uint8Array {
  if (body.b64 !== undefined) return Uint8Array.from(atob(body.b64), (c) => c.charCodeAt(0));
  if (body.generator?.algorithm === "sha256-counter-v1") return sha256CounterV1(body.generator.seed, body.generator.size);
  throw new Error(`binary body of ${body.size} bytes has neither b64 nor a known generator`);
}

/** Lower-case hex SHA-256, as the recordings note binary bodies. */
export function sha256Hex(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}
