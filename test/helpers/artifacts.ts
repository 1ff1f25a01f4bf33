import { SELF } from "cloudflare:test";
import { createExperiment, post } from "./api";

/** Percent-encodes each segment, as the stock client builds URLs: independent of the server's encoder. */
export const encodeKey = (key: string) => key.split("/").map(encodeURIComponent).join("/");

export const BASE = "http://mlflare.test";
export const PROXY = "/api/2.0/mlflow-artifacts/artifacts";

export interface TestRun {
  runId: string;
  experimentId: string;
  /** The run's artifact_uri. */
  uri: string;
  /** Its R2 key prefix, `<exp>/<run>/artifacts`. */
  key: string;
}

/** A fresh run in a fresh experiment, created through the API. */
export async function createRun(): Promise<TestRun> {
  const experimentId = await createExperiment();
  const r = await post("/runs/create", { experiment_id: experimentId, start_time: Date.now() });
  if (r.status !== 200) throw new Error(`create run failed: ${JSON.stringify(r.json)}`);
  const { run_id: runId, artifact_uri: uri } = r.json.run.info;
  return { runId, experimentId, uri, key: uri.replace(/^mlflow-artifacts:\//, "") };
}

export function raw(method: string, path: string, init: RequestInit = {}): Promise<Response> {
  return SELF.fetch(`${BASE}${path}`, { method, ...init });
}

export const putArtifact = (key: string, body: BodyInit | null, headers: HeadersInit = {}) =>
  raw("PUT", `${PROXY}/${encodeKey(key)}`, { body, headers });

export const getArtifact = (key: string, headers: HeadersInit = {}) => raw("GET", `${PROXY}/${encodeKey(key)}`, { headers });

/** Deterministic pseudo-random bytes (xorshift), so sizes of many MB cost no memory churn. */
export function bytes(size: number, seed = 1): Uint8Array {
  const out = new Uint8Array(size);
  let x = seed * 2654435761 || 1;
  for (let i = 0; i < size; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

export async function sha256(data: ArrayBuffer | Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", data);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** A body stream that announces no length, as a chunked upload. */
export function streamOf(data: Uint8Array, chunk = 64 * 1024): ReadableStream<Uint8Array> {
  let offset = 0;
  return new ReadableStream({
    pull(controller) {
      if (offset >= data.byteLength) return controller.close();
      controller.enqueue(data.slice(offset, offset + chunk));
      offset += chunk;
    },
  });
}
