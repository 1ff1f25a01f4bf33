import { SELF } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { SHARED_PATH, workerSignedUrl } from "../../src/services/artifacts-signers";
import { call, expectError } from "../helpers/api";
import { BASE, bytes, createRun, getArtifact, putArtifact, sha256 } from "../helpers/artifacts";

const SHARE = "/api/2.0/mlflare/artifacts/share";
const SHARE_UPLOAD = "/api/2.0/mlflare/artifacts/share-upload";

/** The test Worker's signing secret (vitest.config.ts bindings). */
const SECRET = (env as unknown as { MLFLARE_SIGNING_SECRET: string }).MLFLARE_SIGNING_SECRET;

const json = async (res: Response) => ({ status: res.status, json: await res.json<any>() });

describe("shared links", () => {
  it("give anyone an expiring GET of exactly one artifact, ranged or whole", async () => {
    const run = await createRun();
    const data = bytes(70_000, 21);
    await putArtifact(`${run.key}/model/model.pkl`, data);
    const before = Date.now();
    const r = await call("POST", SHARE, { run_id: run.runId, path: "model/model.pkl", expires_in: 600 });
    expect(r.status).toBe(200);
    expect(r.json.method).toBe("GET");
    expect(r.json.expires_at).toBeGreaterThanOrEqual(before + 599_000);
    expect(r.json.expires_at).toBeLessThanOrEqual(Date.now() + 601_000);
    expect(r.json.url).toMatch(new RegExp(`^${BASE}/api/2\\.0/mlflare/shared/${run.key}/model/model\\.pkl\\?expires=\\d+&sig=`));
    const res = await SELF.fetch(r.json.url);
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Disposition")).toBe("attachment; filename=model.pkl");
    expect(await sha256(await res.arrayBuffer())).toBe(await sha256(data));
    const part = await SELF.fetch(r.json.url, { headers: { Range: "bytes=0-9" } });
    expect(part.status).toBe(206);
    expect(new Uint8Array(await part.arrayBuffer())).toEqual(data.slice(0, 10));
  });

  it("reach files whose names need escaping in a URL", async () => {
    const run = await createRun();
    for (const name of ["a b.txt", "100%.txt", "a%41.txt", "ünï.txt"]) {
      await putArtifact(`${run.key}/odd/${name}`, name);
      const url = (await call("POST", SHARE, { run_id: run.runId, path: `odd/${name}` })).json.url;
      expect(await (await SELF.fetch(url)).text(), name).toBe(name);
    }
  });

  it("give an expiring single-file PUT that writes inside the run's root", async () => {
    const run = await createRun();
    const r = await call("POST", SHARE_UPLOAD, { run_id: run.runId, path: "incoming/data.csv" });
    expect(r.json.method).toBe("PUT");
    const put = await SELF.fetch(r.json.url, { method: "PUT", body: "a,b\n1,2\n" });
    expect(put.status).toBe(200);
    expect(await (await getArtifact(`${run.key}/incoming/data.csv`)).text()).toBe("a,b\n1,2\n");
  });

  it("are refused (403) with another method, another key, a changed expiry or a bad signature", async () => {
    const run = await createRun();
    await putArtifact(`${run.key}/a.txt`, "a");
    await putArtifact(`${run.key}/b.txt`, "b");
    const getUrl = new URL((await call("POST", SHARE, { run_id: run.runId, path: "a.txt" })).json.url);
    const putUrl = new URL((await call("POST", SHARE_UPLOAD, { run_id: run.runId, path: "a.txt" })).json.url);
    const attempts: [string, string, URL][] = [
      ["GET link used to PUT", "PUT", getUrl],
      ["PUT link used to GET", "GET", putUrl],
      ["other key", "GET", alter(getUrl, (u) => (u.pathname = u.pathname.replace("a.txt", "b.txt")))],
      ["longer expiry", "GET", alter(getUrl, (u) => u.searchParams.set("expires", String(Number(u.searchParams.get("expires")) + 1)))],
      ["bad signature", "GET", alter(getUrl, (u) => u.searchParams.set("sig", "A".repeat(43)))],
      ["malformed signature", "GET", alter(getUrl, (u) => u.searchParams.set("sig", "not base64!"))],
      ["no signature", "GET", alter(getUrl, (u) => u.searchParams.delete("sig"))],
      ["no expiry", "GET", alter(getUrl, (u) => u.searchParams.delete("expires"))],
    ];
    for (const [why, method, url] of attempts) {
      const res = await SELF.fetch(url.toString(), { method, body: method === "PUT" ? "evil" : undefined });
      const r = await json(res);
      expect(r.status, why).toBe(403);
      expect(r.json.error_code, why).toBe("PERMISSION_DENIED");
    }
    expect(await (await getArtifact(`${run.key}/a.txt`)).text()).toBe("a");
  });

  it("are refused (403) once expired, and never signed for longer than 7 days", async () => {
    const run = await createRun();
    await putArtifact(`${run.key}/a.txt`, "a");
    const key = `${run.key}/a.txt`;
    const expired = await workerSignedUrl(SECRET, BASE, SHARED_PATH, { method: "GET", key, expires: Math.floor(Date.now() / 1000) - 1 });
    const r = await json(await SELF.fetch(expired));
    expect(r.status).toBe(403);
    expect(r.json).toMatchObject({ error_code: "PERMISSION_DENIED", message: "This URL has expired." });
    const tooLong = await workerSignedUrl(SECRET, BASE, SHARED_PATH, { method: "GET", key, expires: Math.floor(Date.now() / 1000) + 8 * 24 * 3600 });
    expect((await SELF.fetch(tooLong)).status).toBe(403);
    const forged = await workerSignedUrl("another-secret-of-32-characters-or-more!", BASE, SHARED_PATH, { method: "GET", key, expires: Math.floor(Date.now() / 1000) + 60 });
    expect((await SELF.fetch(forged)).status).toBe(403);
    expectError(await call("POST", SHARE, { run_id: run.runId, path: "a.txt", expires_in: 7 * 24 * 3600 + 1 }), 400, "INVALID_PARAMETER_VALUE");
    expectError(await call("POST", SHARE, { run_id: run.runId, path: "a.txt", expires_in: 0 }), 400, "INVALID_PARAMETER_VALUE");
    expect((await call("POST", SHARE, { run_id: run.runId, path: "a.txt", expires_in: 7 * 24 * 3600 })).status).toBe(200);
  });

  it("expire in real time", async () => {
    const run = await createRun();
    await putArtifact(`${run.key}/a.txt`, "a");
    const { url } = (await call("POST", SHARE, { run_id: run.runId, path: "a.txt", expires_in: 1 })).json;
    expect((await SELF.fetch(url)).status).toBe(200);
    await new Promise((r) => setTimeout(r, 2100));
    expect((await SELF.fetch(url)).status).toBe(403);
  });

  it("validate the request: run, path, missing file", async () => {
    const run = await createRun();
    expectError(await call("POST", SHARE, { path: "a.txt" }), 400, "INVALID_PARAMETER_VALUE");
    expectError(await call("POST", SHARE, { run_id: run.runId }), 400, "INVALID_PARAMETER_VALUE");
    expectError(await call("POST", SHARE, { run_id: "0".repeat(32), path: "a.txt" }), 404, "RESOURCE_DOES_NOT_EXIST");
    expectError(await call("POST", SHARE, { run_id: run.runId, path: "missing.txt" }), 404, "RESOURCE_DOES_NOT_EXIST");
    expectError(await call("POST", SHARE, { run_id: run.runId, path: "../../other/a.txt" }), 400, "INVALID_PARAMETER_VALUE");
    expectError(await call("POST", SHARE_UPLOAD, { run_id: run.runId, path: "/etc/cron.d/x" }), 400, "INVALID_PARAMETER_VALUE");
  });
});

function alter(url: URL, change: (u: URL) => void): URL {
  const u = new URL(url);
  change(u);
  return u;
}
