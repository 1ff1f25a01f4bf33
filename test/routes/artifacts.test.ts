import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { listDirectory } from "../../src/store/blobs";
import { call, expectError, get, post } from "../helpers/api";
import { encodeKey } from "../../src/services/artifacts-signers";
import { bytes, createRun, getArtifact, PROXY, putArtifact, raw, sha256, streamOf } from "../helpers/artifacts";

const list = (path?: string) => call("GET", PROXY, path === undefined ? undefined : { path });

describe("mlflow-artifacts proxy: upload and download", () => {
  it("round-trips a small text file with MLflow's download headers", async () => {
    const run = await createRun();
    const put = await putArtifact(`${run.key}/hello.txt`, "hello mlflow\n", { "Content-Type": "text/plain" });
    expect(put.status).toBe(200);
    expect(await put.json()).toEqual({});
    const res = await getArtifact(`${run.key}/hello.txt`);
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toBe("text/plain");
    expect(res.headers.get("Content-Disposition")).toBe("attachment; filename=hello.txt");
    expect(res.headers.get("X-Content-Type-Options")).toBe("nosniff");
    expect(res.headers.get("ETag")).toMatch(/^".+"$/);
    expect(await res.text()).toBe("hello mlflow\n");
  });

  it("answers on the /ajax-api mount too, and HEAD with the headers only", async () => {
    const run = await createRun();
    await putArtifact(`${run.key}/h.txt`, "head me");
    const ajax = await raw("GET", `/ajax-api/2.0/mlflow-artifacts/artifacts/${run.key}/h.txt`);
    expect(await ajax.text()).toBe("head me");
    const head = await raw("HEAD", `${PROXY}/${run.key}/h.txt`);
    expect(head.status).toBe(200);
    expect(head.headers.get("Content-Disposition")).toBe("attachment; filename=h.txt");
    expect(await head.text()).toBe("");
  });

  it("round-trips an empty file", async () => {
    const run = await createRun();
    expect((await putArtifact(`${run.key}/raw/empty.dat`, null)).status).toBe(200);
    const res = await getArtifact(`${run.key}/raw/empty.dat`);
    expect(res.status).toBe(200);
    expect((await res.arrayBuffer()).byteLength).toBe(0);
    expect((await list(`${run.key}/raw`)).json).toEqual({ files: [{ path: "empty.dat", is_dir: false }] });
  });

  it("round-trips a multi-MB binary with a Content-Length, byte for byte", async () => {
    const run = await createRun();
    const data = bytes(12 * 1024 * 1024 + 123, 7);
    expect((await putArtifact(`${run.key}/big/data.bin`, data)).status).toBe(200);
    const res = await getArtifact(`${run.key}/big/data.bin`);
    expect(res.headers.get("Content-Type")).toBe("application/octet-stream");
    expect(await sha256(await res.arrayBuffer())).toBe(await sha256(data));
  });

  it("takes a chunked body without Content-Length, small or spanning several parts", async () => {
    const run = await createRun();
    const small = bytes(1000, 3);
    const big = bytes(17 * 1024 * 1024 + 5, 4);
    for (const [name, data] of [["small.bin", small], ["big.bin", big]] as const) {
      const res = await putArtifact(`${run.key}/chunked/${name}`, streamOf(data));
      expect(res.status).toBe(200);
      const back = await getArtifact(`${run.key}/chunked/${name}`);
      expect(await sha256(await back.arrayBuffer())).toBe(await sha256(data));
    }
    // Only a body of unknown length goes up as an R2 multipart upload, whose ETag says so.
    expect((await env.ARTIFACTS.head(`${run.key}/chunked/big.bin`))?.etag).toMatch(/-3$/);
    expect((await env.ARTIFACTS.head(`${run.key}/chunked/small.bin`))?.etag).not.toMatch(/-\d+$/);
    expect((await putArtifact(`${run.key}/chunked/none.bin`, streamOf(new Uint8Array(0)))).status).toBe(200);
    expect((await getArtifact(`${run.key}/chunked/none.bin`)).status).toBe(200);
  });

  it("overwrites a file at the same path", async () => {
    const run = await createRun();
    await putArtifact(`${run.key}/raw/put.txt`, "put via raw\n");
    await putArtifact(`${run.key}/raw/put.txt`, "overwritten\n");
    expect(await (await getArtifact(`${run.key}/raw/put.txt`)).text()).toBe("overwritten\n");
  });

  it("serves byte ranges (206), suffix and open ranges, and 416 past the end", async () => {
    const run = await createRun();
    const data = bytes(5000, 9);
    await putArtifact(`${run.key}/r.bin`, data);
    const part = await getArtifact(`${run.key}/r.bin`, { Range: "bytes=100-1099" });
    expect(part.status).toBe(206);
    expect(part.headers.get("Content-Range")).toBe("bytes 100-1099/5000");
    expect(new Uint8Array(await part.arrayBuffer())).toEqual(data.slice(100, 1100));
    const suffix = await getArtifact(`${run.key}/r.bin`, { Range: "bytes=-10" });
    expect(new Uint8Array(await suffix.arrayBuffer())).toEqual(data.slice(4990));
    const open = await getArtifact(`${run.key}/r.bin`, { Range: "bytes=4990-" });
    expect(open.headers.get("Content-Range")).toBe("bytes 4990-4999/5000");
    expect((await open.arrayBuffer()).byteLength).toBe(10);
    const beyond = await getArtifact(`${run.key}/r.bin`, { Range: "bytes=6000-7000" });
    expect(beyond.status).toBe(416);
    expect(beyond.headers.get("Content-Range")).toBe("bytes */5000");
    const multi = await getArtifact(`${run.key}/r.bin`, { Range: "bytes=0-1,5-6" });
    expect(multi.status).toBe(200);
    expect((await multi.arrayBuffer()).byteLength).toBe(5000);
  });

  it("guesses content types as MLflow does and names non-ASCII files per RFC 5987", async () => {
    const run = await createRun();
    for (const name of ["MLmodel", "c.csv", "conf.yaml", "plot.png", "model.pkl", "with space.txt", "ünïcødé.txt"]) {
      await putArtifact(`${run.key}/t/${name}`, "x");
    }
    const type = async (n: string) => (await getArtifact(`${run.key}/t/${n}`)).headers.get("Content-Type");
    expect(await type("MLmodel")).toBe("text/plain");
    expect(await type("c.csv")).toBe("text/plain");
    expect(await type("conf.yaml")).toBe("text/plain");
    expect(await type("plot.png")).toBe("image/png");
    expect(await type("model.pkl")).toBe("application/octet-stream");
    expect((await getArtifact(`${run.key}/t/with space.txt`)).headers.get("Content-Disposition")).toBe("attachment; filename=with space.txt");
    const uni = await getArtifact(`${run.key}/t/ünïcødé.txt`);
    expect(uni.status).toBe(200);
    expect(uni.headers.get("Content-Disposition")).toBe(`attachment; filename="_n_c_d_.txt"; filename*=UTF-8''%C3%BCn%C3%AFc%C3%B8d%C3%A9.txt`);
    expect(await uni.text()).toBe("x");
  });

  it("answers a missing file with 404 and a directory with 400, never a 5xx", async () => {
    const run = await createRun();
    await putArtifact(`${run.key}/tree/a.txt`, "a");
    const missing = await getArtifact(`${run.key}/missing.txt`);
    expectError({ status: missing.status, json: await missing.json() }, 404, "RESOURCE_DOES_NOT_EXIST");
    const dir = await getArtifact(`${run.key}/tree`);
    expectError({ status: dir.status, json: await dir.json() }, 400, "INVALID_PARAMETER_VALUE");
  });
});

describe("mlflow-artifacts proxy: listing and deletion", () => {
  it("lists basenames, directories first-class, sorted, sizes omitted for dirs and empty files", async () => {
    const run = await createRun();
    for (const [p, body] of [["hello.txt", "hello mlflow\n"], ["tree/a.txt", "file a\n"], ["tree/sub/b.json", "{}"], ["tree/sub/deeper/e.txt", ""], ["bin/data.bin", "0123"]]) {
      await putArtifact(`${run.key}/${p}`, body);
    }
    expect((await list(run.key)).json).toEqual({
      files: [
        { path: "bin", is_dir: true },
        { path: "hello.txt", is_dir: false, file_size: 13 },
        { path: "tree", is_dir: true },
      ],
    });
    expect((await list(`${run.key}/tree/sub`)).json).toEqual({ files: [{ path: "b.json", is_dir: false, file_size: 2 }, { path: "deeper", is_dir: true }] });
    expect((await list(`${run.key}/hello.txt`)).json).toEqual({});
    expect((await list(`${run.key}/nope`)).json).toEqual({});
  });

  it("lists the bucket root without a path or with an empty one", async () => {
    const run = await createRun();
    await putArtifact(`${run.key}/x.txt`, "x");
    for (const r of [await list(), await list("")]) {
      expect(r.status).toBe(200);
      expect(r.json.files).toContainEqual({ path: run.experimentId, is_dir: true });
    }
  });

  it("follows R2 listing cursors past one page", async () => {
    const run = await createRun();
    const names = Array.from({ length: 7 }, (_, i) => `f${i}.txt`);
    await Promise.all(names.map((n) => putArtifact(`${run.key}/many/${n}`, n)));
    await Promise.all(["d1", "d2", "d3"].map((d) => putArtifact(`${run.key}/many/${d}/x`, "x")));
    const listed = await listDirectory(env.ARTIFACTS, `${run.key}/many`, 2);
    expect(listed.files.map((f) => f.name).sort()).toEqual(names);
    expect(listed.dirs.sort()).toEqual(["d1", "d2", "d3"]);
    expect((await list(`${run.key}/many`)).json.files).toHaveLength(10);
  });

  it("lists past R2's own 1000-entry page through the API", async () => {
    const run = await createRun();
    const n = 1005;
    for (let i = 0; i < n; i += 100) {
      await Promise.all(Array.from({ length: Math.min(100, n - i) }, (_, j) => env.ARTIFACTS.put(`${run.key}/wide/${String(i + j).padStart(4, "0")}`, "")));
    }
    const r = await list(`${run.key}/wide`);
    expect(r.json.files).toHaveLength(n);
    expect(r.json.files[n - 1]).toEqual({ path: "1004", is_dir: false });
  });

  it("deletes a file, a directory tree, and a missing path (200)", async () => {
    const run = await createRun();
    await putArtifact(`${run.key}/raw/put.txt`, "p");
    await putArtifact(`${run.key}/raw/sub/q.txt`, "q");
    await putArtifact(`${run.key}/rawish.txt`, "keep");
    expect((await raw("DELETE", `${PROXY}/${run.key}/raw/put.txt`)).status).toBe(200);
    expect((await getArtifact(`${run.key}/raw/put.txt`)).status).toBe(404);
    expect((await raw("DELETE", `${PROXY}/${run.key}/raw`)).status).toBe(200);
    expect((await list(`${run.key}/raw`)).json).toEqual({});
    expect((await getArtifact(`${run.key}/rawish.txt`)).status).toBe(200);
    const missing = await raw("DELETE", `${PROXY}/${run.key}/does/not/exist.txt`);
    expect(missing.status).toBe(200);
    expect(await missing.json()).toEqual({});
  });
});

describe("run-level artifact routes", () => {
  it("lists with run-relative paths and root_uri, by run_id or run_uuid", async () => {
    const run = await createRun();
    await putArtifact(`${run.key}/hello.txt`, "hello");
    await putArtifact(`${run.key}/tree/a.txt`, "a");
    await putArtifact(`${run.key}/tree/sub/deeper/c.csv`, "x,y\n");
    const root = await get("/artifacts/list", { run_id: run.runId });
    expect(root.json).toEqual({ root_uri: run.uri, files: [{ path: "hello.txt", is_dir: false, file_size: 5 }, { path: "tree", is_dir: true }] });
    expect((await get("/artifacts/list", { run_uuid: run.runId })).json).toEqual(root.json);
    const deep = await get("/artifacts/list", { run_id: run.runId, path: "tree/sub/deeper" });
    expect(deep.json.files).toEqual([{ path: "tree/sub/deeper/c.csv", is_dir: false, file_size: 4 }]);
    expect((await get("/artifacts/list", { run_id: run.runId, path: "hello.txt" })).json).toEqual({ root_uri: run.uri });
  });

  it("refuses unknown runs (404) and missing or unsafe parameters (400)", async () => {
    const run = await createRun();
    expectError(await get("/artifacts/list", { run_id: "f".repeat(32) }), 404, "RESOURCE_DOES_NOT_EXIST");
    expectError(await get("/artifacts/list", { path: "x" }), 400, "INVALID_PARAMETER_VALUE");
    expectError(await get("/artifacts/list", { run_id: run.runId, path: "../../.." }), 400, "INVALID_PARAMETER_VALUE");
    expectError(await get("/artifacts/list", { run_id: run.runId, path: "/etc" }), 400, "INVALID_PARAMETER_VALUE");
  });

  it("serves /get-artifact by run and path, with ETag", async () => {
    const run = await createRun();
    await putArtifact(`${run.key}/tree/sub/b.json`, '{"k": 1}');
    const res = await raw("GET", `/get-artifact?path=${encodeURIComponent("tree/sub/b.json")}&run_uuid=${run.runId}`);
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Disposition")).toBe("attachment; filename=b.json");
    expect(res.headers.get("ETag")).toBeTruthy();
    expect(await res.text()).toBe('{"k": 1}');
    const miss = await call("GET", "/get-artifact", { path: "missing.txt", run_id: run.runId });
    expectError(miss, 404, "RESOURCE_DOES_NOT_EXIST");
    expectError(await call("GET", "/get-artifact", { path: "../../../meta.yaml", run_uuid: run.runId }), 400, "INVALID_PARAMETER_VALUE");
    expectError(await call("GET", "/get-artifact", { path: "/etc/passwd", run_uuid: run.runId }), 400, "INVALID_PARAMETER_VALUE");
  });

  it("confines a run's paths to its own root", async () => {
    const a = await createRun();
    const b = await createRun();
    await putArtifact(`${b.key}/secret.txt`, "b's");
    const rel = `../../../${b.key}/secret.txt`;
    expectError(await call("GET", "/get-artifact", { path: rel, run_id: a.runId }), 400, "INVALID_PARAMETER_VALUE");
    expectError(await get("/artifacts/list", { run_id: a.runId, path: `../../${b.experimentId}` }), 400, "INVALID_PARAMETER_VALUE");
  });

  it("refuses presigned-upload-url for proxied roots, as MLflow (400), after checking the run", async () => {
    const run = await createRun();
    expectError(await post("/artifacts/presigned-upload-url", { run_id: run.runId, path: "x.txt" }), 400, "INVALID_PARAMETER_VALUE");
    expectError(await post("/artifacts/presigned-upload-url", { run_id: "0".repeat(32), path: "x.txt" }), 404, "RESOURCE_DOES_NOT_EXIST");
    expectError(await post("/artifacts/presigned-upload-url", { run_id: run.runId }), 400, "INVALID_PARAMETER_VALUE");
  });
});

describe("the proxy's key mapping", () => {
  it("stores mlflow-artifacts:/X under the R2 key X", async () => {
    const run = await createRun();
    await putArtifact(`${run.key}/dir/k.txt`, "k");
    const obj = await env.ARTIFACTS.get(`${run.key}/dir/k.txt`);
    expect(await obj?.text()).toBe("k");
    expect(encodeKey("a b/c")).toBe("a%20b/c");
  });
});
