import { SELF } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import app from "../../src/index";
import { transferSigner } from "../../src/services/artifacts-signers";
import { call, expectError } from "../helpers/api";
import { BASE, bytes, createRun, getArtifact, PROXY, sha256 } from "../helpers/artifacts";

const MPU = "/api/2.0/mlflow-artifacts/mpu";
const MiB = 1024 * 1024;

const create = (dir: string, body: unknown) => call("POST", `${MPU}/create/${dir}`, body);
const complete = (dir: string, body: unknown) => call("POST", `${MPU}/complete/${dir}`, body);
const abort = (dir: string, body: unknown) => call("POST", `${MPU}/abort/${dir}`, body);
const putPart = (url: string, body: BodyInit | null, headers: HeadersInit = {}) => SELF.fetch(url, { method: "PUT", body, headers });

/** Splits data into the client's parts: `chunk` bytes each, the last shorter. */
const chunks = (data: Uint8Array, chunk: number) =>
  Array.from({ length: Math.ceil(data.byteLength / chunk) }, (_, i) => data.slice(i * chunk, (i + 1) * chunk));

describe("multipart upload (MLFLOW_ENABLE_PROXY_MULTIPART_UPLOAD)", () => {
  it("creates signed part URLs, takes each part, completes, and reads back byte-identical", async () => {
    const run = await createRun();
    const dir = `${run.key}/big`;
    const data = bytes(2 * 5 * MiB + 4321, 11);
    const parts = chunks(data, 5 * MiB);
    const created = await create(dir, { path: "/home/alice/tmp/big12.bin", num_parts: parts.length });
    expect(created.status).toBe(200);
    const { upload_id, credentials } = created.json;
    expect(typeof upload_id).toBe("string");
    expect(credentials.map((c: any) => c.part_number)).toEqual([1, 2, 3]);
    for (const c of credentials) {
      expect(c.headers).toEqual({});
      expect(c.url).toMatch(new RegExp(`^${BASE}/api/2\\.0/mlflare/mpu-part/${dir}/big12\\.bin\\?`));
    }
    const uploaded = [];
    for (const [i, c] of credentials.entries()) {
      const res = await putPart(c.url, parts[i]);
      expect(res.status).toBe(200);
      const etag = res.headers.get("ETag");
      expect(etag).toMatch(/^".+"$/);
      uploaded.push({ part_number: c.part_number, etag, url: c.url });
    }
    const done = await complete(dir, { path: "/home/alice/tmp/big12.bin", upload_id, parts: uploaded });
    expect(done.status).toBe(200);
    expect(done.json).toEqual({});
    const back = await getArtifact(`${dir}/big12.bin`);
    expect(await sha256(await back.arrayBuffer())).toBe(await sha256(data));
    const listed = await call("GET", PROXY, { path: dir });
    expect(listed.json).toEqual({ files: [{ path: "big12.bin", is_dir: false, file_size: data.byteLength }] });
  });

  it("uses only the basename of the client's local path, Windows paths included", async () => {
    const run = await createRun();
    const created = await create(`${run.key}/w`, { path: "C:\\Users\\alice\\model.bin", num_parts: 1 });
    expect(created.json.credentials[0].url).toContain(`/mlflare/mpu-part/${run.key}/w/model.bin?`);
    await abort(`${run.key}/w`, { path: "C:\\Users\\alice\\model.bin", upload_id: created.json.upload_id });
  });

  it("refuses a wrong ETag and a part never uploaded (400), then still completes correctly", async () => {
    const run = await createRun();
    const dir = `${run.key}/m`;
    const data = bytes(5 * MiB + 10, 12);
    const parts = chunks(data, 5 * MiB);
    const { upload_id, credentials } = (await create(dir, { path: "f.bin", num_parts: 2 })).json;
    const etag1 = (await putPart(credentials[0].url, parts[0])).headers.get("ETag");
    const missing = await complete(dir, { path: "f.bin", upload_id, parts: [{ part_number: 1, etag: etag1 }, { part_number: 2, etag: "0123abcd" }] });
    expectError(missing, 400, "INVALID_PARAMETER_VALUE");
    const etag2 = (await putPart(credentials[1].url, parts[1])).headers.get("ETag");
    const wrong = await complete(dir, { path: "f.bin", upload_id, parts: [{ part_number: 1, etag: '"deadbeef"' }, { part_number: 2, etag: etag2 }] });
    expectError(wrong, 400, "INVALID_PARAMETER_VALUE");
    expect((await getArtifact(`${dir}/f.bin`)).status).toBe(404);
    const ok = await complete(dir, { path: "f.bin", upload_id, parts: [{ part_number: 1, etag: etag1 }, { part_number: 2, etag: etag2 }] });
    expect(ok.status).toBe(200);
    expect(await sha256(await (await getArtifact(`${dir}/f.bin`)).arrayBuffer())).toBe(await sha256(data));
  });

  it("aborts; the aborted upload then takes no parts and cannot complete (404)", async () => {
    const run = await createRun();
    const dir = `${run.key}/a`;
    const { upload_id, credentials } = (await create(dir, { path: "f.bin", num_parts: 1 })).json;
    const aborted = await abort(dir, { path: "f.bin", upload_id });
    expect(aborted.status).toBe(200);
    expect(aborted.json).toEqual({});
    const part = await putPart(credentials[0].url, "late");
    expect(part.status).toBe(404);
    expectError(await complete(dir, { path: "f.bin", upload_id, parts: [{ part_number: 1, etag: "x" }] }), 404, "RESOURCE_DOES_NOT_EXIST");
    expectError(await abort(dir, { path: "f.bin", upload_id: "fake-upload-id" }), 404, "RESOURCE_DOES_NOT_EXIST");
  });

  it("validates create, complete and abort requests", async () => {
    const run = await createRun();
    const dir = `${run.key}/v`;
    expectError(await create(dir, { num_parts: 2 }), 400, "INVALID_PARAMETER_VALUE");
    expectError(await create(dir, { path: "f.bin", num_parts: 0 }), 400, "INVALID_PARAMETER_VALUE");
    expectError(await create(dir, { path: "f.bin", num_parts: 10_001 }), 400, "INVALID_PARAMETER_VALUE");
    expectError(await create(dir, { path: "..", num_parts: 1 }), 400, "INVALID_PARAMETER_VALUE");
    expectError(await create(`${dir}/..%2f..%2fx`, { path: "f.bin", num_parts: 1 }), 400, "INVALID_PARAMETER_VALUE");
    expectError(await complete(dir, { path: "f.bin", upload_id: "u" }), 400, "INVALID_PARAMETER_VALUE");
    expectError(await complete(dir, { path: "f.bin", upload_id: "u", parts: [{ etag: "x" }] }), 400, "INVALID_PARAMETER_VALUE");
    expectError(await abort(dir, { path: "f.bin" }), 400, "INVALID_PARAMETER_VALUE");
  });
});

describe("signed part URLs", () => {
  async function oneUrl() {
    const run = await createRun();
    const { upload_id, credentials } = (await create(`${run.key}/s`, { path: "f.bin", num_parts: 2 })).json;
    return { run, upload_id, url: new URL(credentials[0].url) };
  }

  it("are refused (403) when their part, upload, key or signature is altered", async () => {
    const { url } = await oneUrl();
    const variants: [string, (u: URL) => void][] = [
      ["other part", (u) => u.searchParams.set("part_number", "2")],
      ["other upload", (u) => u.searchParams.set("upload_id", "someone-elses")],
      ["other key", (u) => (u.pathname = u.pathname.replace("/s/f.bin", "/s/g.bin"))],
      ["later expiry", (u) => u.searchParams.set("expires", String(Number(u.searchParams.get("expires")) + 60))],
      ["flipped signature", (u) => u.searchParams.set("sig", flip(u.searchParams.get("sig")!))],
      ["no signature", (u) => u.searchParams.delete("sig")],
    ];
    for (const [why, alter] of variants) {
      const u = new URL(url);
      alter(u);
      const res = await putPart(u.toString(), "data");
      expect(res.status, why).toBe(403);
      expect((await res.json<any>()).error_code, why).toBe("PERMISSION_DENIED");
    }
  });

  it("are refused for GET (405: parts are PUT-only) and need a Content-Length", async () => {
    const { url } = await oneUrl();
    expect((await SELF.fetch(url.toString())).status).toBe(405);
    const res = await putPart(url.toString(), new ReadableStream({ start: (c) => (c.enqueue(new Uint8Array(3)), c.close()) }));
    expectError({ status: res.status, json: await res.json() }, 400, "INVALID_PARAMETER_VALUE");
  });
});

describe("without a signing secret or with R2 S3 credentials", () => {
  const fetchWith = (path: string, init: RequestInit, overrides: Record<string, unknown>) =>
    app.fetch(new Request(`${BASE}${path}`, init), { ...env, ...overrides }, { waitUntil() {}, passThroughOnException() {} } as any);

  it("answers mpu/create and presigned with MLflow's 501 messages, so the client falls back", async () => {
    const run = await createRun();
    const body = JSON.stringify({ path: "f.bin", num_parts: 1 });
    const res = await fetchWith(`${MPU}/create/${run.key}`, { method: "POST", body, headers: { "Content-Type": "application/json" } }, { MLFLARE_SIGNING_SECRET: undefined });
    expect(res.status).toBe(501);
    expect(await res.json()).toEqual({ error_code: "NOT_IMPLEMENTED", message: "Multipart upload is not supported for the current artifact repository" });
    await env.ARTIFACTS.put(`${run.key}/p.txt`, "p");
    const pre = await fetchWith(`/api/2.0/mlflow-artifacts/presigned/${run.key}/p.txt`, {}, { MLFLARE_SIGNING_SECRET: "too-short" });
    expect(pre.status).toBe(501);
    expect((await pre.json<any>()).message).toMatch(/^Multipart download is not supported/);
  });

  it("hands out R2 presigned S3 URLs for parts and downloads when credentials are configured", async () => {
    const s3 = { R2_ACCESS_KEY_ID: "AKIDEXAMPLE", R2_SECRET_ACCESS_KEY: "secret", R2_ACCOUNT_ID: "acc123", R2_BUCKET_NAME: "mlflare-artifacts" };
    const run = await createRun();
    const body = JSON.stringify({ path: "f.bin", num_parts: 2 });
    const res = await fetchWith(`${MPU}/create/${run.key}/d`, { method: "POST", body, headers: { "Content-Type": "application/json" } }, s3);
    const { upload_id, credentials } = await res.json<any>();
    const u = new URL(credentials[1].url);
    expect(u.origin).toBe("https://acc123.r2.cloudflarestorage.com");
    expect(u.pathname).toBe(`/mlflare-artifacts/${run.key}/d/f.bin`);
    expect(u.searchParams.get("partNumber")).toBe("2");
    expect(u.searchParams.get("uploadId")).toBe(upload_id);
    expect(u.searchParams.get("X-Amz-Signature")).toMatch(/^[0-9a-f]{64}$/);
    expect(u.searchParams.get("X-Amz-Credential")).toMatch(/^AKIDEXAMPLE\/\d{8}\/auto\/s3\/aws4_request$/);
    const dl = await transferSigner({ ...env, ...s3 }, BASE)!.download(`${run.key}/d/f.bin`, 60);
    expect(new URL(dl.url).searchParams.get("X-Amz-Expires")).toBe("60");
    await env.ARTIFACTS.resumeMultipartUpload(`${run.key}/d/f.bin`, upload_id).abort();
  });
});

describe("presigned download (MLFLOW_ENABLE_PROXY_MULTIPART_DOWNLOAD)", () => {
  it("returns {url, headers, file_size}; the URL serves byte ranges without credentials", async () => {
    const run = await createRun();
    const data = bytes(300_000, 13);
    await env.ARTIFACTS.put(`${run.key}/big/x.bin`, data);
    const pre = await call("GET", `/api/2.0/mlflow-artifacts/presigned/${run.key}/big/x.bin`);
    expect(pre.status).toBe(200);
    expect(pre.json.file_size).toBe(300_000);
    expect(pre.json.headers).toEqual({});
    const chunk = await SELF.fetch(pre.json.url, { headers: { Range: "bytes=100000-199999" } });
    expect(chunk.status).toBe(206);
    expect(new Uint8Array(await chunk.arrayBuffer())).toEqual(data.slice(100_000, 200_000));
    expectError(await call("GET", `/api/2.0/mlflow-artifacts/presigned/${run.key}/nope.bin`), 404, "RESOURCE_DOES_NOT_EXIST");
  });
});

function flip(sig: string): string {
  return (sig[0] === "A" ? "B" : "A") + sig.slice(1);
}
