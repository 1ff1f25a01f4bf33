import { createHash } from "node:crypto";
import { ApiError, type MlflowClient } from "../client";
import { patternDigest } from "../pattern";
import { mapPool } from "../pool";
import { timed } from "../stats";
import { measured, measuredSequential, notRun, type BenchContext, type WorkloadResult } from "./result";

const MIB = 1024 * 1024;
const PROXY = "/api/2.0/mlflow-artifacts";
/** The stock client uploads parts from a thread pool; 8 at once is what it does on 2 cores. */
const PART_CONCURRENCY = 8;

/**
 * The artifact proxy (§4.7): a single PUT and GET of `artifactBytes`, then a
 * multipart upload of `multipartBytes` the way the client does it. Skipped, with the
 * reason, when the server has no artifact service or no multipart support.
 */
export async function artifactWorkloads(ctx: BenchContext, experimentId: string): Promise<WorkloadResult[]> {
  const { client, sizes } = ctx;
  const putSize = `${sizes.artifactBytes / MIB} MiB, ${sizes.artifactRepeats}×`;
  const mpuSize = `${sizes.multipartBytes / MIB} MiB in ${Math.ceil(sizes.multipartBytes / sizes.partBytes)} parts of ${sizes.partBytes / MIB} MiB`;
  const run = await client.createRun(experimentId, "artifacts");
  const root = proxiedRoot(run.artifact_uri);
  const unavailable = root ? await probe(client, root) : `run artifact_uri ${run.artifact_uri ?? "(none)"} is not served by the proxy`;
  if (unavailable) {
    const note = `artifact service unavailable: ${unavailable}`;
    return [notRun("artifact PUT", putSize, "skipped", note), notRun("artifact GET", putSize, "skipped", note), notRun("artifact multipart upload", mpuSize, "skipped", note)];
  }
  const put = await withPeak(ctx, () => ctx.measure("artifact PUT", () => putArtifact(ctx, root!, putSize)));
  const get = await withPeak(ctx, () => ctx.measure("artifact GET", () => getArtifact(ctx, root!, putSize)));
  const mpu = await withPeak(ctx, () => ctx.measure("artifact multipart upload", () => multipartUpload(ctx, root!, mpuSize)));
  return [put, get, mpu];
}

/** `mlflow-artifacts:/1/<run>/artifacts` → `1/<run>/artifacts`; undefined when not proxied. */
function proxiedRoot(uri: string | undefined): string | undefined {
  const match = uri?.match(/^mlflow-artifacts:\/*(.+)$/) ?? uri?.match(/\/mlflow-artifacts\/artifacts\/(.+)$/);
  return match?.[1].replace(/\/+$/, "");
}

async function probe(client: MlflowClient, root: string): Promise<string | undefined> {
  const res = await client.exchange("PUT", `${PROXY}/artifacts/${root}/bench/probe.txt`, { headers: { "Content-Type": "text/plain" } }, (req) => req.end("probe"));
  return res.status === 200 ? undefined : `PUT answered HTTP ${res.status} ${res.text.slice(0, 80).replace(/\s+/g, " ")}`;
}

async function withPeak(ctx: BenchContext, fn: () => Promise<WorkloadResult>): Promise<WorkloadResult> {
  const mark = ctx.sampler?.mark();
  const result = await fn();
  return ctx.sampler && mark !== undefined ? { ...result, peakRssBytes: ctx.sampler.peakSince(mark) } : result;
}

async function putArtifact(ctx: BenchContext, root: string, size: string): Promise<WorkloadResult> {
  const { sizes } = ctx;
  const latencies: number[] = [];
  for (let i = 0; i < sizes.artifactRepeats; i++) {
    const headers = { "Content-Type": "application/octet-stream" };
    const { ms, value: res } = await timed(() => ctx.client.upload(`${PROXY}/artifacts/${root}/bench/big.bin`, sizes.artifactBytes, { headers }));
    if (res.status !== 200) return notRun("artifact PUT", size, "failed", `HTTP ${res.status} ${res.text.slice(0, 120)}`);
    latencies.push(ms);
  }
  return mibPerSecond("artifact PUT", size, latencies, sizes.artifactBytes);
}

async function getArtifact(ctx: BenchContext, root: string, size: string): Promise<WorkloadResult> {
  const { client, sizes } = ctx;
  const latencies: number[] = [];
  for (let i = 0; i < sizes.artifactRepeats; i++) {
    const { ms, value: received } = await timed(async () => {
      let bytes = 0;
      await download(client, `${PROXY}/artifacts/${root}/bench/big.bin`, (chunk) => (bytes += chunk.byteLength));
      return bytes;
    });
    if (received !== sizes.artifactBytes) return notRun("artifact GET", size, "failed", `received ${received} bytes, expected ${sizes.artifactBytes}`);
    latencies.push(ms);
  }
  return mibPerSecond("artifact GET", size, latencies, sizes.artifactBytes);
}

/** create → part PUTs to the returned URLs (no MLflow credentials, as the client) → complete. */
async function multipartUpload(ctx: BenchContext, root: string, size: string): Promise<WorkloadResult> {
  const { client, sizes } = ctx;
  const name = "multipart.bin";
  const numParts = Math.ceil(sizes.multipartBytes / sizes.partBytes);
  const dir = `${root}/bench`;
  const start = performance.now();
  let created: { upload_id: string; credentials: { url: string; part_number: number; headers?: Record<string, string> }[] };
  try {
    created = await client.json("POST", `${PROXY}/mpu/create/${dir}`, { path: name, num_parts: numParts });
  } catch (err) {
    if (err instanceof ApiError && (err.status === 501 || err.status === 404)) return notRun("artifact multipart upload", size, "skipped", `multipart not supported: ${err.message}`);
    throw err;
  }
  const partLatencies: number[] = [];
  try {
    const parts = await mapPool(created.credentials.length, PART_CONCURRENCY, async (i) => {
      const credential = created.credentials[i];
      const bytes = Math.min(sizes.partBytes, sizes.multipartBytes - i * sizes.partBytes);
      const url = new URL(credential.url, client.baseUrl).toString();
      const options = { headers: credential.headers ?? {}, auth: false, label: "PUT multipart part URL", offset: i * sizes.partBytes };
      const { ms, value: res } = await timed(() => client.upload(url, bytes, options));
      if (res.status !== 200) throw new Error(`part ${credential.part_number}: HTTP ${res.status} ${res.text.slice(0, 120)}`);
      partLatencies.push(ms);
      return { part_number: credential.part_number, etag: String(res.headers.etag ?? ""), url: credential.url };
    });
    parts.sort((a, b) => a.part_number - b.part_number);
    await client.json("POST", `${PROXY}/mpu/complete/${dir}`, { path: name, upload_id: created.upload_id, parts });
  } catch (err) {
    await client.json("POST", `${PROXY}/mpu/abort/${dir}`, { path: name, upload_id: created.upload_id }).catch(() => undefined);
    return notRun("artifact multipart upload", size, "failed", (err as Error).message);
  }
  const wall = performance.now() - start;
  const identical = (await downloadDigest(client, `${PROXY}/artifacts/${dir}/${name}`)) === patternDigest(sizes.multipartBytes);
  const note = `total ${(wall / 1000).toFixed(1)} s; latency = per part; ${identical ? "downloaded back byte-identical" : "DOWNLOAD DIFFERS from what was uploaded"}`;
  const result = measured("artifact multipart upload", size, partLatencies, sizes.multipartBytes / MIB, wall, "MiB/s", note);
  return identical ? result : { ...result, status: "failed" };
}

/** Streams an artifact's body through `onChunk`, never holding it whole. */
async function download(client: MlflowClient, path: string, onChunk: (chunk: Uint8Array) => void): Promise<void> {
  const res = await client.stream(path);
  if (res.status !== 200) throw new ApiError(res.status, undefined, "GET artifact", (await res.text()).slice(0, 120));
  for await (const chunk of res.body!) onChunk(chunk);
}

/** SHA-256 (hex) of a downloaded artifact, streamed. */
async function downloadDigest(client: MlflowClient, path: string): Promise<string> {
  const hash = createHash("sha256");
  await download(client, path, (chunk) => hash.update(chunk));
  return hash.digest("hex");
}

function mibPerSecond(name: string, size: string, latencies: number[], bytes: number): WorkloadResult {
  return measuredSequential(name, size, latencies, (bytes / MIB) * latencies.length, "MiB/s");
}
