import { describe, expect, it } from "vitest";
import { call, createExperiment, expectError, get, post, unique } from "../helpers/api";
import { putArtifact } from "../helpers/artifacts";

const base = "/api/2.0/mlflow/logged-models";
const create = (body: Record<string, unknown>) => post("/logged-models", body);
const patch = (path: string, body: unknown) => call("PATCH", `${base}${path}`, body);
const del = (path: string, body?: unknown) => call("DELETE", `${base}${path}`, body);
const search = (body: Record<string, unknown>) => post("/logged-models/search", body);
const names = (r: { json: any }) => (r.json.models ?? []).map((m: any) => m.info.name);
const newRun = async (experimentId: string): Promise<string> => (await post("/runs/create", { experiment_id: experimentId, start_time: 1 })).json.run.info.run_id;

async function newModel(experimentId: string, body: Record<string, unknown> = {}) {
  const r = await create({ experiment_id: experimentId, ...body });
  expect(r.status).toBe(200);
  return r.json.model;
}

describe("create / get", () => {
  it("creates a pending model under the experiment's artifact location", async () => {
    const exp = await createExperiment();
    const r = await create({
      experiment_id: exp,
      name: "echo",
      model_type: "toy",
      source_run_id: "abc",
      params: [{ key: "beta", value: "2" }, { key: "alpha", value: "0.5" }],
      tags: [{ key: "owner", value: "alice" }, { key: "flavor", value: "pyfunc" }],
    });
    expect(r.status).toBe(200);
    const { info, data } = r.json.model;
    expect(info.model_id).toMatch(/^m-[0-9a-f]{32}$/);
    expect(info).toMatchObject({
      experiment_id: exp,
      name: "echo",
      status: "LOGGED_MODEL_PENDING",
      model_type: "toy",
      source_run_id: "abc",
      artifact_uri: `mlflow-artifacts:/${exp}/models/${info.model_id}/artifacts`,
      tags: [{ key: "flavor", value: "pyfunc" }, { key: "owner", value: "alice" }],
    });
    expect(data).toEqual({ params: [{ key: "alpha", value: "0.5" }, { key: "beta", value: "2" }] });
    const got = await get(`/logged-models/${info.model_id}`);
    expect(got.json.model).toEqual(r.json.model);
  });

  it("generates a name and emits empty model_type/source_run_id", async () => {
    const m = await newModel(await createExperiment());
    expect(m.info.name).toMatch(/^[a-z]+-[a-z]+-\d+$/);
    expect(m.info.model_type).toBe("");
    expect(m.info.source_run_id).toBe("");
    expect(m.data).toEqual({});
  });

  it("refuses a missing experiment id, an unknown or deleted experiment and bad names", async () => {
    expectError(await create({}), 400, "INVALID_PARAMETER_VALUE");
    expectError(await create({ experiment_id: "424242" }), 404, "RESOURCE_DOES_NOT_EXIST");
    const exp = await createExperiment();
    for (const name of ["a/b", "a:b", "a.b", "a%b", 'a"b', "a'b", ""]) {
      expectError(await create({ experiment_id: exp, name }), 400, "INVALID_PARAMETER_VALUE");
    }
    expectError(await create({ experiment_id: exp, tags: [{ key: "../x", value: "1" }] }), 400, "INVALID_PARAMETER_VALUE");
    await post("/experiments/delete", { experiment_id: exp });
    expectError(await create({ experiment_id: exp }), 400, "INVALID_PARAMETER_VALUE");
  });

  it("answers 404 for an unknown model", async () => {
    expectError(await get("/logged-models/m-00000000000000000000000000000000"), 404, "RESOURCE_DOES_NOT_EXIST");
  });

  it("lists metrics logged with the model id, with their run", async () => {
    const exp = await createExperiment();
    const m = await newModel(exp);
    const run = await newRun(exp);
    for (const [value, step] of [[0.91, 0], [0.93, 1]]) {
      const r = await post("/runs/log-metric", { run_id: run, key: "accuracy", value, timestamp: 1700000000000 + step, step, model_id: m.info.model_id });
      expect(r.status).toBe(200);
    }
    const got = await get(`/logged-models/${m.info.model_id}`);
    expect(got.json.model.data.metrics).toEqual([
      { key: "accuracy", value: 0.91, timestamp: 1700000000000, step: 0, model_id: m.info.model_id, run_id: run },
      { key: "accuracy", value: 0.93, timestamp: 1700000000001, step: 1, model_id: m.info.model_id, run_id: run },
    ]);
  });

  it("links only the points of a log-batch that name the model", async () => {
    const exp = await createExperiment();
    const m = await newModel(exp);
    const run = await newRun(exp);
    const metrics = [
      { key: "loss", value: 0.5, timestamp: 10, step: 0 },
      { key: "eval_loss", value: 0.4, timestamp: 11, step: 0, model_id: m.info.model_id, dataset_name: "val", dataset_digest: "d" },
      { key: "loss", value: 0.3, timestamp: 12, step: 1 },
    ];
    expect((await post("/runs/log-batch", { run_id: run, metrics })).status).toBe(200);
    const got = await get(`/logged-models/${m.info.model_id}`);
    expect(got.json.model.data.metrics).toEqual([
      { key: "eval_loss", value: 0.4, timestamp: 11, step: 0, model_id: m.info.model_id, dataset_name: "val", dataset_digest: "d", run_id: run },
    ]);
    const history = await get("/metrics/get-history", { run_id: run, metric_key: "loss" });
    expect(history.json.metrics.map((p: { value: number }) => p.value)).toEqual([0.5, 0.3]);
  });
});

describe("finalize / delete", () => {
  it("sets READY or UPLOAD_FAILED and bumps last_updated", async () => {
    const m = await newModel(await createExperiment());
    const id = m.info.model_id;
    const r = await patch(`/${id}`, { model_id: id, status: "LOGGED_MODEL_READY" });
    expect(r.status).toBe(200);
    expect(r.json.model.info.status).toBe("LOGGED_MODEL_READY");
    expect(r.json.model.info.last_updated_timestamp_ms).toBeGreaterThanOrEqual(m.info.last_updated_timestamp_ms);
    expect((await patch(`/${id}`, { model_id: id, status: 3 })).json.model.info.status).toBe("LOGGED_MODEL_UPLOAD_FAILED");
  });

  it("refuses a bad or missing status and an unknown model", async () => {
    const m = await newModel(await createExperiment());
    expectError(await patch(`/${m.info.model_id}`, { model_id: m.info.model_id, status: "NOT_A_STATUS" }), 400, "INVALID_PARAMETER_VALUE");
    expectError(await patch(`/${m.info.model_id}`, { model_id: m.info.model_id }), 400, "INVALID_PARAMETER_VALUE");
    expectError(await patch(`/${m.info.model_id}`, { status: "LOGGED_MODEL_READY" }), 400, "INVALID_PARAMETER_VALUE");
    expectError(await patch("/m-nope", { model_id: "m-nope", status: "LOGGED_MODEL_READY" }), 404, "RESOURCE_DOES_NOT_EXIST");
  });

  it("soft-deletes: gone from get and search, visible with allow_deleted", async () => {
    const exp = await createExperiment();
    const m = await newModel(exp, { name: "gone" });
    const id = m.info.model_id;
    expect((await del(`/${id}`, { model_id: id })).status).toBe(200);
    expectError(await get(`/logged-models/${id}`), 404, "RESOURCE_DOES_NOT_EXIST");
    const allowed = await get(`/logged-models/${id}`, { allow_deleted: "True" });
    expect(allowed.status).toBe(200);
    expect(allowed.json.model.info.model_id).toBe(id);
    expect(names(await search({ experiment_ids: [exp] }))).toEqual([]);
    expectError(await del(`/${id}`), 404, "RESOURCE_DOES_NOT_EXIST");
  });
});

describe("tags and params", () => {
  it("upserts and deletes tags without touching last_updated", async () => {
    const m = await newModel(await createExperiment(), { tags: [{ key: "a", value: "1" }] });
    const id = m.info.model_id;
    expect((await patch(`/${id}/tags`, { tags: [{ key: "a", value: "2" }, { key: "mlflow.x", value: "y" }] })).json).toEqual({});
    expect((await del(`/${id}/tags/mlflow.x`)).status).toBe(200);
    const got = (await get(`/logged-models/${id}`)).json.model.info;
    expect(got.tags).toEqual([{ key: "a", value: "2" }]);
    expect(got.last_updated_timestamp_ms).toBe(m.info.last_updated_timestamp_ms);
  });

  it("answers 404 for a missing tag or model and 400 for a bad key", async () => {
    const m = await newModel(await createExperiment());
    expectError(await del(`/${m.info.model_id}/tags/never-set`), 404, "RESOURCE_DOES_NOT_EXIST");
    expectError(await patch("/m-nope/tags", { tags: [{ key: "a", value: "1" }] }), 404, "RESOURCE_DOES_NOT_EXIST");
    expectError(await patch(`/${m.info.model_id}/tags`, { tags: [{ key: "/abs", value: "1" }] }), 400, "INVALID_PARAMETER_VALUE");
  });

  it("logs params", async () => {
    const m = await newModel(await createExperiment(), { params: [{ key: "p", value: "1" }] });
    const id = m.info.model_id;
    const r = await post(`/logged-models/${id}/params`, { model_id: id, params: [{ key: "r", value: "three" }, { key: "q", value: "2" }] });
    expect(r.json).toEqual({});
    expect((await get(`/logged-models/${id}`)).json.model.data.params).toEqual([
      { key: "p", value: "1" },
      { key: "q", value: "2" },
      { key: "r", value: "three" },
    ]);
    expectError(await post("/logged-models/m-nope/params", { model_id: "m-nope", params: [] }), 404, "RESOURCE_DOES_NOT_EXIST");
    expectError(await post(`/logged-models/${id}/params`, { params: [] }), 400, "INVALID_PARAMETER_VALUE");
  });
});

describe("search", () => {
  async function fixture() {
    const exp = await createExperiment(unique("search"));
    const run = await newRun(exp);
    const echo = await newModel(exp, { name: "echo", model_type: "toy", params: [{ key: "alpha", value: "0.5" }] });
    const ext = await newModel(exp, { name: "external", model_type: "external", tags: [{ key: "kind", value: "external" }] });
    const failed = await newModel(exp, { name: "failed" });
    await patch(`/${echo.info.model_id}`, { model_id: echo.info.model_id, status: "LOGGED_MODEL_READY" });
    const metric = (model: any, value: number, timestamp: number, dataset?: string) =>
      post("/runs/log-batch", {
        run_id: run,
        metrics: [{ key: "acc", value, timestamp, step: 0, model_id: model.info.model_id, dataset_name: dataset, dataset_digest: dataset && "d1" }],
      });
    await metric(echo, 0.95, 1, "eval");
    await metric(ext, 0.5, 1);
    await metric(ext, 0.99, 2);
    return { exp, echo, ext, failed };
  }

  it("defaults to creation time descending and pages without a token on the last page", async () => {
    const { exp } = await fixture();
    expect(names(await search({ experiment_ids: [exp] }))).toEqual(["failed", "external", "echo"]);
    const p1 = await search({ experiment_ids: [exp], max_results: 2, order_by: [{ field_name: "name" }] });
    expect(names(p1)).toEqual(["echo", "external"]);
    const p2 = await search({ experiment_ids: [exp], max_results: 2, order_by: [{ field_name: "name" }], page_token: p1.json.next_page_token });
    expect(names(p2)).toEqual(["failed"]);
    expect(p2.json.next_page_token).toBeUndefined();
    expect(names(await search({ experiment_ids: [exp], max_results: 0 }))).toHaveLength(3);
  });

  it("filters on attributes, params, tags and metrics", async () => {
    const { exp } = await fixture();
    const f = async (filter: string) => names(await search({ experiment_ids: [exp], filter }));
    expect(await f("name = 'echo'")).toEqual(["echo"]);
    expect(await f("attributes.model_type != 'toy'")).toEqual(["failed", "external"]);
    expect(await f("name LIKE 'e%'")).toEqual(["external", "echo"]);
    expect(await f("name LIKE 'E%'")).toEqual([]);
    expect(await f("name ILIKE 'E%'")).toEqual(["external", "echo"]);
    expect(await f("name IN ('echo', 'failed')")).toEqual(["failed", "echo"]);
    expect(await f("status = 'LOGGED_MODEL_READY'")).toEqual(["echo"]);
    expect(await f("status = 'READY'")).toEqual([]);
    expect(await f("params.alpha = '0.5'")).toEqual(["echo"]);
    expect(await f("tags.kind = 'external'")).toEqual(["external"]);
    expect(await f("metrics.acc > 0.9")).toEqual(["external", "echo"]);
    expect(await f("metrics.acc > 0.9 AND tags.`kind` = 'external'")).toEqual(["external"]);
    expect(await f("creation_timestamp > 0")).toHaveLength(3);
  });

  it("restricts metrics to datasets", async () => {
    const { exp } = await fixture();
    const r = await search({ experiment_ids: [exp], datasets: [{ dataset_name: "eval" }] });
    expect(names(r)).toEqual(["echo"]);
    const m = await search({ experiment_ids: [exp], filter: "metrics.acc > 0.1", datasets: [{ dataset_name: "eval", dataset_digest: "d1" }] });
    expect(names(m)).toEqual(["echo"]);
    expectError(await search({ experiment_ids: [exp], datasets: [{ dataset_digest: "d1" }] }), 400, "INVALID_PARAMETER_VALUE");
  });

  it("orders by the latest metric value, missing values last", async () => {
    const { exp } = await fixture();
    const asc = await search({ experiment_ids: [exp], order_by: [{ field_name: "metrics.acc", ascending: true }] });
    expect(names(asc)).toEqual(["echo", "external", "failed"]);
    const desc = await search({ experiment_ids: [exp], order_by: [{ field_name: "metrics.acc", ascending: false }] });
    expect(names(desc)).toEqual(["external", "echo", "failed"]);
  });

  it("refuses bad filters, order fields and page tokens with 400", async () => {
    const { exp } = await fixture();
    for (const filter of ["foo.bar = 1", "name = 'a' OR name = 'b'", "metrics.acc > 'x'", "name > 'a'", "nope = 'x'", "name ="]) {
      expectError(await search({ experiment_ids: [exp], filter }), 400, "INVALID_PARAMETER_VALUE");
    }
    expectError(await search({ experiment_ids: [exp], order_by: [{ field_name: "nope" }] }), 400, "INVALID_PARAMETER_VALUE");
    expectError(await search({ experiment_ids: [exp], order_by: [{ field_name: "params.a" }] }), 400, "INVALID_PARAMETER_VALUE");
    expectError(await search({ experiment_ids: [exp], page_token: "garbage" }), 400, "INVALID_PARAMETER_VALUE");
    expectError(await search({ experiment_ids: [exp], max_results: -1 }), 400, "INVALID_PARAMETER_VALUE");
    expectError(await search({ experiment_ids: ["abc"] }), 400, "INVALID_PARAMETER_VALUE");
    expectError(await search({ experiment_ids: [] }), 400, "INVALID_PARAMETER_VALUE");
    expectError(await search({}), 400, "INVALID_PARAMETER_VALUE");
  });
});

describe("artifacts (UI)", () => {
  it("serves one file and lists directories relative to the model's root", async () => {
    const m = await newModel(await createExperiment());
    const id = m.info.model_id;
    const root = m.info.artifact_uri.replace("mlflow-artifacts:/", "");
    expect((await putArtifact(`${root}/MLmodel`, "flavors: {}\n")).status).toBe(200);
    expect((await putArtifact(`${root}/data/weights.bin`, "abc")).status).toBe(200);

    const file = await call("GET", `/ajax-api/2.0/mlflow/logged-models/${id}/artifacts/files?artifact_file_path=MLmodel`);
    expect(file.status).toBe(200);
    expect(file.res.headers.get("Content-Disposition")).toBe("attachment; filename=MLmodel");
    expect(file.res.headers.get("Content-Type")).toMatch(/^text\/plain/);

    const top = await get(`/logged-models/${id}/artifacts/directories`);
    expect(top.json).toEqual({
      root_uri: m.info.artifact_uri,
      files: [
        { path: "MLmodel", is_dir: false, file_size: 12 },
        { path: "data", is_dir: true },
      ],
    });
    const sub = await get(`/logged-models/${id}/artifacts/directories`, { artifact_directory_path: "data" });
    expect(sub.json.files).toEqual([{ path: "data/weights.bin", is_dir: false, file_size: 3 }]);
  });

  it("refuses missing, unsafe and absent paths", async () => {
    const m = await newModel(await createExperiment());
    const id = m.info.model_id;
    const files = (q: string) => call("GET", `/ajax-api/2.0/mlflow/logged-models/${id}/artifacts/files${q}`);
    expectError(await files(""), 400, "BAD_REQUEST");
    expectError(await files("?artifact_file_path=../../etc/passwd"), 400, "INVALID_PARAMETER_VALUE");
    expectError(await files("?artifact_file_path=nope.txt"), 404, "RESOURCE_DOES_NOT_EXIST");
    expectError(await get(`/logged-models/${id}/artifacts/directories`, { artifact_directory_path: "/etc" }), 400, "INVALID_PARAMETER_VALUE");
    expectError(await get("/logged-models/m-nope/artifacts/directories"), 404, "RESOURCE_DOES_NOT_EXIST");
  });
});

describe("D1 round trips", () => {
  const trips = (r: { res: Response }) => Number(r.res.headers.get("X-Mlflare-D1-Calls"));

  it("stays at two or fewer per request", async () => {
    const exp = await createExperiment();
    const tags = Array.from({ length: 100 }, (_, i) => ({ key: `t${i}`, value: "v" }));
    const created = await create({ experiment_id: exp, params: tags, tags });
    expect(trips(created)).toBeLessThanOrEqual(2);
    const id = created.json.model.info.model_id;
    expect(trips(await get(`/logged-models/${id}`))).toBe(1);
    expect(trips(await patch(`/${id}`, { model_id: id, status: "LOGGED_MODEL_READY" }))).toBeLessThanOrEqual(2);
    expect(trips(await patch(`/${id}/tags`, { tags }))).toBeLessThanOrEqual(2);
    expect(trips(await search({ experiment_ids: [exp], filter: "metrics.a > 1 AND params.t1 = 'v'" }))).toBeLessThanOrEqual(2);
  });
});
