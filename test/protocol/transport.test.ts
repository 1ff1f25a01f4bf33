import { SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { createExperiment, unique } from "../helpers/api";

const send = (path: string, init: RequestInit) => SELF.fetch(`http://mlflare.test${path}`, init);

describe("transport rules", () => {
  it("reads repeated query keys for repeated fields", async () => {
    const a = await createExperiment();
    const r = await send(`/api/2.0/mlflow/metrics/get-history-bulk-interval?run_ids=x&run_ids=y&metric_key=m`, { method: "GET" });
    expect(r.status).toBe(200);
    expect(a).toMatch(/^\d+$/);
  });

  it("requires application/json on POST, parameters allowed", async () => {
    const body = JSON.stringify({ name: unique("ct") });
    expect((await send("/api/2.0/mlflow/experiments/create", { method: "POST", body })).status).toBe(400);
    const plain = await send("/api/2.0/mlflow/experiments/create", { method: "POST", body, headers: { "Content-Type": "text/plain" } });
    expect(plain.status).toBe(400);
    expect((await plain.json<any>()).error_code).toBe("INVALID_PARAMETER_VALUE");
    const charset = await send("/api/2.0/mlflow/experiments/create", { method: "POST", body, headers: { "Content-Type": "application/json; charset=utf-8" } });
    expect(charset.status).toBe(200);
  });

  it("decodes a double-encoded JSON body and treats malformed JSON as empty", async () => {
    const name = unique("double");
    const twice = await send("/api/2.0/mlflow/experiments/create", {
      method: "POST",
      body: JSON.stringify(JSON.stringify({ name })),
      headers: { "Content-Type": "application/json" },
    });
    expect(twice.status).toBe(200);
    const malformed = await send("/api/2.0/mlflow/experiments/create", { method: "POST", body: '{"name": ', headers: { "Content-Type": "application/json" } });
    expect(malformed.status).toBe(400);
    expect((await malformed.json<any>()).message).toContain("Missing value for required parameter 'name'");
    const array = await send("/api/2.0/mlflow/experiments/create", { method: "POST", body: "[1, 2]", headers: { "Content-Type": "application/json" } });
    expect(array.status).toBe(400);
  });

  it("answers unknown routes with a plain 404 and wrong methods with 405 + Allow", async () => {
    const unknown = await send("/api/2.0/mlflow/does-not-exist", { method: "GET" });
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get("Content-Type")).toContain("text/html");
    const wrong = await send("/api/2.0/mlflow/experiments/create", { method: "GET" });
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get("Allow")).toBe("POST, OPTIONS");
    const options = await send("/ajax-api/2.0/mlflow/experiments/get", { method: "OPTIONS" });
    expect(options.status).toBe(204);
    expect(options.headers.get("Allow")).toBe("GET, OPTIONS, HEAD");
  });

  it("serves every API route under /ajax-api too", async () => {
    const r = await send("/ajax-api/2.0/mlflow/experiments/get?experiment_id=0", { method: "GET" });
    expect(r.status).toBe(200);
    expect(((await r.json()) as any).experiment.name).toBe("Default");
  });

  it("emits i64 as JSON numbers", async () => {
    const r = await send("/api/2.0/mlflow/experiments/get?experiment_id=0", { method: "GET" });
    const text = await r.text();
    expect(text).toMatch(/"creation_time":\d+/);
  });
});
