import { describe, expect, it } from "vitest";
import { call, createExperiment, createModelVersion, createRegisteredModel, del, expectError, get, patch, post, unique } from "../helpers/api";

async function createLoggedModel() {
  const experimentId = await createExperiment();
  const run = await post("/runs/create", { experiment_id: experimentId, start_time: 1 });
  const runId = run.json.run.info.run_id;
  const lm = await post("/logged-models", { experiment_id: experimentId, name: "model", source_run_id: runId });
  if (lm.status !== 200) throw new Error(`create logged model failed: ${JSON.stringify(lm.json)}`);
  return { runId, modelId: lm.json.model.info.model_id as string, artifactUri: lm.json.model.info.artifact_uri as string };
}

describe("model versions", () => {
  it("creates READY versions numbered 1, 2, … with MLflow's exact shape, bumping the model", async () => {
    const name = await createRegisteredModel();
    const before = (await get("/registered-models/get", { name })).json.registered_model.last_updated_timestamp;
    await new Promise((r) => setTimeout(r, 5));
    const r = await post("/model-versions/create", { name, source: "mlflow-artifacts:/some/where/model" });
    expect(r.status).toBe(200);
    expect(r.json.model_version).toEqual({
      name,
      version: "1",
      creation_timestamp: expect.any(Number),
      last_updated_timestamp: r.json.model_version.creation_timestamp,
      current_stage: "None",
      description: "",
      source: "mlflow-artifacts:/some/where/model",
      run_id: "",
      status: "READY",
      run_link: "",
    });
    const after = (await get("/registered-models/get", { name })).json.registered_model;
    expect(after.last_updated_timestamp).toBeGreaterThan(before);
    expect(after.latest_versions).toEqual([r.json.model_version]);
    const second = await createModelVersion(name, { tags: [{ key: "origin", value: "x" }], description: "d", run_link: "http://l" });
    expect(second).toMatchObject({ version: "2", tags: [{ key: "origin", value: "x" }], description: "d", run_link: "http://l" });
  });

  it("never reuses the number of a deleted version", async () => {
    const name = await createRegisteredModel();
    await createModelVersion(name);
    await createModelVersion(name);
    expect((await del("/model-versions/delete", { name, version: "2" })).json).toEqual({});
    expect((await createModelVersion(name)).version).toBe("3");
  });

  it("refuses a missing model, missing fields and bad tags", async () => {
    expectError(await post("/model-versions/create", { name: "no-such-model", source: "mlflow-artifacts:/x" }), 404, "RESOURCE_DOES_NOT_EXIST");
    expectError(await post("/model-versions/create", { name: "x" }), 400, "INVALID_PARAMETER_VALUE");
    expectError(await post("/model-versions/create", { source: "mlflow-artifacts:/x" }), 400, "INVALID_PARAMETER_VALUE");
    const name = await createRegisteredModel();
    expectError(await post("/model-versions/create", { name, source: "mlflow-artifacts:/x", tags: [{ key: "/abs", value: "v" }] }), 400, "INVALID_PARAMETER_VALUE");
    expectError(await post("/model-versions/create", { name, source: "mlflow-artifacts:/x", tags: [{ key: "k", value: "v".repeat(100_001) }] }), 400, "INVALID_PARAMETER_VALUE");
    // Nothing was written by the refused requests.
    expect((await get("/registered-models/get", { name })).json.registered_model.latest_versions).toBeUndefined();
  });

  it("refuses local, file:, traversal, fragment and param sources with 400", async () => {
    const name = await createRegisteredModel();
    const bad = [
      "/etc/passwd",
      "relative/path",
      "file:///etc/passwd",
      "FILE:/etc/passwd",
      "file%3A%2F%2F%2Fetc%2Fpasswd",
      "C:\\Windows\\system32",
      "mlflow-artifacts:/../../../../etc",
      "mlflow-artifacts://host:5000/..%2f..%2f..%2fetc",
      "mlflow-artifacts:/%252e%252e/%252e%252e/etc",
      "http://host/api/2.0/mlflow-artifacts/artifacts/%2E%2E/%2E%2E/x",
      "https://host/a/%00",
      "s3://bucket/models/path/../../other",
      "mlflow-artifacts:/a/..\\..\\b",
      "mlflow-artifacts:/a/./b",
      "http://host/model#/../../etc",
      "http://host/model?x=../../etc",
      "http://host/model;param",
      "models:/name/Production",
      "models:/name@champion",
      "models:/",
    ];
    for (const source of bad) {
      const r = await post("/model-versions/create", { name, source });
      if (r.status !== 400 || r.json.error_code !== "INVALID_PARAMETER_VALUE") throw new Error(`source ${source} gave ${r.status} ${JSON.stringify(r.json)}`);
    }
    expect((await get("/registered-models/get", { name })).json.registered_model.latest_versions).toBeUndefined();
    for (const source of ["s3://bucket/models/m", "https://host/models/m", "gs://b/p", "runs:/0123456789abcdef0123456789abcdef/model"]) {
      expect((await post("/model-versions/create", { name, source })).status).toBe(200);
    }
  });

  it("resolves models:/<model_id> to the logged model's artifacts, fills run_id, tags the logged model", async () => {
    const { runId, modelId, artifactUri } = await createLoggedModel();
    const name = await createRegisteredModel();
    const r = await post("/model-versions/create", { name, source: `models:/${modelId}`, model_id: modelId });
    expect(r.status).toBe(200);
    expect(r.json.model_version).toMatchObject({ source: `models:/${modelId}`, run_id: runId, status: "READY" });
    expect(r.json.model_version.model_id).toBeUndefined();
    const uri = await get("/model-versions/get-download-uri", { name, version: "1" });
    expect(uri.json).toEqual({ artifact_uri: artifactUri });
    await post("/model-versions/create", { name, source: `models:/${modelId}`, model_id: modelId, run_id: "explicit" });
    const lm = await get(`/logged-models/${modelId}`);
    const tag = lm.json.model.info.tags.find((t: any) => t.key === "mlflow.modelVersions");
    expect(tag.value).toBe(`[{"name": "${name}", "version": 1}, {"name": "${name}", "version": 2}]`);
    expect((await get("/model-versions/get", { name, version: "2" })).json.model_version.run_id).toBe("explicit");
  });

  it("records a version on the logged model once, atomically, in two D1 round trips", async () => {
    const { modelId } = await createLoggedModel();
    const name = await createRegisteredModel();
    const r = await post("/model-versions/create", { name, source: `models:/${modelId}`, model_id: modelId });
    expect(Number(r.res.headers.get("X-Mlflare-D1-Calls"))).toBe(2);
    // A model deleted and re-created under the same name numbers from 1 again: listed once.
    await del("/registered-models/delete", { name });
    await createRegisteredModel(name);
    await post("/model-versions/create", { name, source: `models:/${modelId}`, model_id: modelId });
    const other = await createRegisteredModel(unique("ünï"));
    await post("/model-versions/create", { name: other, source: `models:/${modelId}`, model_id: modelId });
    const tags = (await get(`/logged-models/${modelId}`)).json.model.info.tags;
    const escaped = other.replace("ü", "\\u00fc").replace("ï", "\\u00ef");
    expect(tags.find((t: any) => t.key === "mlflow.modelVersions").value).toBe(`[{"name": "${name}", "version": 1}, {"name": "${escaped}", "version": 1}]`);
    // Creating a version for a missing model writes nothing to the logged model.
    await post("/model-versions/create", { name: "missing-model", source: `models:/${modelId}`, model_id: modelId });
    const after = (await get(`/logged-models/${modelId}`)).json.model.info.tags;
    expect(after).toEqual(tags);
  });

  it("resolves models:/<name>/<version> to that version's location; keeps runs:/ and URIs as given", async () => {
    const { modelId, artifactUri } = await createLoggedModel();
    const name = await createRegisteredModel();
    await post("/model-versions/create", { name, source: `models:/${modelId}` });
    await post("/model-versions/create", { name, source: `models:/${name}/1` });
    expect((await get("/model-versions/get-download-uri", { name, version: "2" })).json.artifact_uri).toBe(artifactUri);
    await post("/model-versions/create", { name, source: "runs:/0123456789abcdef0123456789abcdef/model" });
    expect((await get("/model-versions/get-download-uri", { name, version: "3" })).json.artifact_uri).toBe("runs:/0123456789abcdef0123456789abcdef/model");
    expectError(await post("/model-versions/create", { name, source: `models:/${name}/99` }), 400, "INVALID_PARAMETER_VALUE");
    expectError(await post("/model-versions/create", { name, source: "models:/m-00000000000000000000000000000000" }), 400, "INVALID_PARAMETER_VALUE");
    expectError(await post("/model-versions/create", { name, source: "mlflow-artifacts:/x", model_id: "m-00000000000000000000000000000000" }), 404, "RESOURCE_DOES_NOT_EXIST");
    expectError(await get("/model-versions/get-download-uri", { name, version: "42" }), 404, "RESOURCE_DOES_NOT_EXIST");
  });

  it("lets prompt versions use placeholder sources but not local paths", async () => {
    const name = unique("prompt");
    await post("/registered-models/create", { name, tags: [{ key: "mlflow.prompt.is_prompt", value: "true" }] });
    const tags = [{ key: "mlflow.prompt.is_prompt", value: "true" }];
    expect((await post("/model-versions/create", { name, source: "dummy-source", tags })).status).toBe(200);
    expectError(await post("/model-versions/create", { name, source: "/etc/passwd", tags }), 400, "INVALID_PARAMETER_VALUE");
    expectError(await post("/model-versions/create", { name, source: "file:///etc/passwd", tags }), 400, "INVALID_PARAMETER_VALUE");
  });

  it("gets, updates (without bumping the model) and validates versions", async () => {
    const name = await createRegisteredModel();
    await createModelVersion(name, { description: "v1" });
    const g = await get("/model-versions/get", { name, version: "1" });
    expect(g.json.model_version).toMatchObject({ name, version: "1", description: "v1", status: "READY" });
    const rmBefore = (await get("/registered-models/get", { name })).json.registered_model.last_updated_timestamp;
    await new Promise((r) => setTimeout(r, 5));
    const u = await patch("/model-versions/update", { name, version: "1", description: "v1 updated" });
    expect(u.json.model_version.description).toBe("v1 updated");
    expect(u.json.model_version.last_updated_timestamp).toBeGreaterThan(g.json.model_version.last_updated_timestamp);
    expect((await get("/registered-models/get", { name })).json.registered_model.last_updated_timestamp).toBe(rmBefore);
    expectError(await get("/model-versions/get", { name, version: "abc" }), 400, "INVALID_PARAMETER_VALUE");
    expectError(await get("/model-versions/get", { name, version: "42" }), 404, "RESOURCE_DOES_NOT_EXIST");
    expectError(await get("/model-versions/get", { name: "nope", version: "1" }), 404, "RESOURCE_DOES_NOT_EXIST");
    expectError(await patch("/model-versions/update", { name, version: "42", description: "x" }), 404, "RESOURCE_DOES_NOT_EXIST");
    expectError(await get("/model-versions/get", { name }), 400, "INVALID_PARAMETER_VALUE");
  });

  it("transitions stages case-insensitively and archives existing versions on request", async () => {
    const name = await createRegisteredModel();
    for (let i = 0; i < 3; i++) await createModelVersion(name);
    const t1 = await post("/model-versions/transition-stage", { name, version: "1", stage: "staging", archive_existing_versions: false });
    expect(t1.json.model_version.current_stage).toBe("Staging");
    await post("/model-versions/transition-stage", { name, version: "2", stage: "Production", archive_existing_versions: false });
    const t3 = await post("/model-versions/transition-stage", { name, version: "3", stage: "PRODUCTION", archive_existing_versions: true });
    expect(t3.json.model_version.current_stage).toBe("Production");
    expect((await get("/model-versions/get", { name, version: "2" })).json.model_version.current_stage).toBe("Archived");
    expect((await get("/model-versions/get", { name, version: "1" })).json.model_version.current_stage).toBe("Staging");
    const rm = (await get("/registered-models/get", { name })).json.registered_model;
    expect(rm.last_updated_timestamp).toBe(t3.json.model_version.last_updated_timestamp);
    expect(rm.latest_versions.map((v: any) => [v.version, v.current_stage])).toEqual([["1", "Staging"], ["2", "Archived"], ["3", "Production"]]);
  });

  it("refuses bad stages and archiving into inactive stages, changing nothing", async () => {
    const name = await createRegisteredModel();
    await createModelVersion(name);
    await createModelVersion(name);
    await post("/model-versions/transition-stage", { name, version: "1", stage: "Production" });
    expectError(await post("/model-versions/transition-stage", { name, version: "1", stage: "Bogus" }), 400, "INVALID_PARAMETER_VALUE");
    expectError(await post("/model-versions/transition-stage", { name, version: "2", stage: "Archived", archive_existing_versions: true }), 400, "INVALID_PARAMETER_VALUE");
    expectError(await post("/model-versions/transition-stage", { name, version: "2" }), 400, "INVALID_PARAMETER_VALUE");
    expectError(await post("/model-versions/transition-stage", { name, version: "9", stage: "Production", archive_existing_versions: true }), 404, "RESOURCE_DOES_NOT_EXIST");
    expect((await get("/model-versions/get", { name, version: "1" })).json.model_version.current_stage).toBe("Production");
  });

  it("soft-deletes versions: invisible everywhere, aliases dropped, model bumped", async () => {
    const name = await createRegisteredModel();
    await createModelVersion(name, { tags: [{ key: "k", value: "v" }] });
    await createModelVersion(name);
    await post("/registered-models/alias", { name, alias: "champ", version: "2" });
    const before = (await get("/registered-models/get", { name })).json.registered_model.last_updated_timestamp;
    await new Promise((r) => setTimeout(r, 5));
    expect((await del("/model-versions/delete", { name, version: "2" })).status).toBe(200);
    expectError(await get("/model-versions/get", { name, version: "2" }), 404, "RESOURCE_DOES_NOT_EXIST");
    expectError(await get("/model-versions/get-download-uri", { name, version: "2" }), 404, "RESOURCE_DOES_NOT_EXIST");
    expectError(await del("/model-versions/delete", { name, version: "2" }), 404, "RESOURCE_DOES_NOT_EXIST");
    expectError(await post("/model-versions/set-tag", { name, version: "2", key: "k", value: "v" }), 404, "RESOURCE_DOES_NOT_EXIST");
    expectError(await post("/registered-models/alias", { name, alias: "champ", version: "2" }), 404, "RESOURCE_DOES_NOT_EXIST");
    const rm = (await get("/registered-models/get", { name })).json.registered_model;
    expect(rm.aliases).toBeUndefined();
    expect(rm.latest_versions.map((v: any) => v.version)).toEqual(["1"]);
    expect(rm.last_updated_timestamp).toBeGreaterThan(before);
    const search = await get("/model-versions/search", { filter: `name = '${name}'` });
    expect(search.json.model_versions.map((v: any) => v.version)).toEqual(["1"]);
    expectError(await get("/registered-models/alias", { name, alias: "champ" }), 400, "INVALID_PARAMETER_VALUE");
  });

  it("sets, overwrites and deletes version tags", async () => {
    const name = await createRegisteredModel();
    await createModelVersion(name, { tags: [{ key: "a", value: "1" }] });
    expect((await post("/model-versions/set-tag", { name, version: "1", key: "b", value: "2" })).json).toEqual({});
    await post("/model-versions/set-tag", { name, version: "1", key: "a", value: "one" });
    expect((await get("/model-versions/get", { name, version: "1" })).json.model_version.tags).toEqual([{ key: "a", value: "one" }, { key: "b", value: "2" }]);
    expect((await del("/model-versions/delete-tag", { name, version: "1", key: "a" })).json).toEqual({});
    expect((await del("/model-versions/delete-tag", { name, version: "1", key: "never" })).status).toBe(200);
    expect((await get("/model-versions/get", { name, version: "1" })).json.model_version.tags).toEqual([{ key: "b", value: "2" }]);
    expectError(await post("/model-versions/set-tag", { name, version: "9", key: "k", value: "v" }), 404, "RESOURCE_DOES_NOT_EXIST");
    expectError(await del("/model-versions/delete-tag", { name, version: "9", key: "k" }), 404, "RESOURCE_DOES_NOT_EXIST");
    expectError(await post("/model-versions/set-tag", { name, version: "1", key: "..", value: "v" }), 400, "INVALID_PARAMETER_VALUE");
    expectError(await post("/model-versions/set-tag", { name, version: "x", key: "k", value: "v" }), 400, "INVALID_PARAMETER_VALUE");
    expectError(await post("/model-versions/set-tag", { name, version: "1", key: "k", value: "v".repeat(100_001) }), 400, "INVALID_PARAMETER_VALUE");
  });
});

describe("model version artifacts (web UI get-artifact)", () => {
  const upload = async (artifactUri: string, path: string, text: string) => {
    const key = artifactUri.replace(/^mlflow-artifacts:\//, "");
    const { SELF } = await import("cloudflare:test");
    const r = await SELF.fetch(`http://mlflare.test/api/2.0/mlflow-artifacts/artifacts/${key}/${path}`, { method: "PUT", body: text });
    if (r.status !== 200) throw new Error(`upload failed: ${r.status}`);
  };
  const artifact = (query: Record<string, string>) => call("GET", `/model-versions/get-artifact?${new URLSearchParams(query)}`);

  it("serves files of a models:/ version from the logged model's artifacts", async () => {
    const { modelId, artifactUri } = await createLoggedModel();
    await upload(artifactUri, "MLmodel", "flavors: {}");
    const name = await createRegisteredModel();
    await post("/model-versions/create", { name, source: `models:/${modelId}`, model_id: modelId });
    const { SELF } = await import("cloudflare:test");
    const r = await SELF.fetch(`http://mlflare.test/model-versions/get-artifact?name=${name}&version=1&path=MLmodel`);
    expect(r.status).toBe(200);
    expect(r.headers.get("Content-Disposition")).toContain("MLmodel");
    expect(await r.text()).toBe("flavors: {}");
  });

  it("resolves a runs:/ source through the run's artifact root", async () => {
    const experimentId = await createExperiment();
    const run = (await post("/runs/create", { experiment_id: experimentId, start_time: 1 })).json.run.info;
    await upload(run.artifact_uri, "model/MLmodel", "run model");
    const name = await createRegisteredModel();
    await post("/model-versions/create", { name, source: `runs:/${run.run_id}/model`, run_id: run.run_id });
    const { SELF } = await import("cloudflare:test");
    const r = await SELF.fetch(`http://mlflare.test/model-versions/get-artifact?name=${name}&version=1&path=MLmodel`);
    expect(r.status).toBe(200);
    expect(await r.text()).toBe("run model");
    expectError(await artifact({ name, version: "1", path: "nope.txt" }), 404, "RESOURCE_DOES_NOT_EXIST");
  });

  it("refuses traversal, missing parameters, unserved locations and unknown versions", async () => {
    const name = await createRegisteredModel();
    await post("/model-versions/create", { name, source: "s3://bucket/model" });
    await post("/model-versions/create", { name, source: "mlflow-artifacts:/1/x" });
    expectError(await artifact({ name, version: "1", path: "MLmodel" }), 400, "INVALID_PARAMETER_VALUE");
    expectError(await artifact({ name, version: "2", path: "../../etc/passwd" }), 400, "INVALID_PARAMETER_VALUE");
    expectError(await artifact({ name, version: "2", path: "/etc/passwd" }), 400, "INVALID_PARAMETER_VALUE");
    expectError(await artifact({ name, version: "2" }), 400, "INVALID_PARAMETER_VALUE");
    expectError(await artifact({ name, version: "9", path: "MLmodel" }), 404, "RESOURCE_DOES_NOT_EXIST");
  });
});

describe("model versions search", () => {
  const prefix = unique("mvs");
  const m1 = `${prefix}-one`;
  const m2 = `${prefix}-two`;
  const runA = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
  const versions = (r: any) => (r.json.model_versions ?? []).map((v: any) => `${v.name.slice(prefix.length + 1)}/${v.version}`);

  it("sets up", async () => {
    await createRegisteredModel(m1);
    await createRegisteredModel(m2);
    await createModelVersion(m1, { run_id: runA, tags: [{ key: "validated", value: "yes" }] });
    await createModelVersion(m1, { source: "runs:/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/model", run_id: runA });
    await createModelVersion(m1);
    await createModelVersion(m2, { run_id: "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb" });
    await post("/model-versions/transition-stage", { name: m1, version: "1", stage: "Staging" });
  });

  it("defaults to last_updated DESC, name ASC, version DESC", async () => {
    const r = await get("/model-versions/search", { filter: `name LIKE '${prefix}%'` });
    expect(versions(r)).toEqual(["one/1", "two/1", "one/3", "one/2"]);
    expect(r.json.model_versions[0].aliases).toBeUndefined();
    expect(r.json.model_versions[0].tags).toEqual([{ key: "validated", value: "yes" }]);
  });

  it("filters by name, run_id (incl. IN), source_path, version_number and tags", async () => {
    expect(versions(await get("/model-versions/search", { filter: `name = '${m1}'`, order_by: ["version_number ASC"] }))).toEqual(["one/1", "one/2", "one/3"]);
    expect(versions(await get("/model-versions/search", { filter: `run_id = '${runA}'`, order_by: ["version_number DESC"] }))).toEqual(["one/2", "one/1"]);
    expect(versions(await get("/model-versions/search", { filter: `run_id IN ('${runA}', 'bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb') AND name LIKE '${prefix}%'`, order_by: ["name", "version_number"] }))).toEqual(["one/1", "one/2", "two/1"]);
    expect(versions(await get("/model-versions/search", { filter: `name LIKE '${prefix}%' AND source_path LIKE 'runs:/%'` }))).toEqual(["one/2"]);
    expect(versions(await get("/model-versions/search", { filter: `name = '${m1}' AND version_number > 1`, order_by: ["version_number"] }))).toEqual(["one/2", "one/3"]);
    expect(versions(await get("/model-versions/search", { filter: `name = '${m1}' AND version_number <= 1` }))).toEqual(["one/1"]);
    expect(versions(await get("/model-versions/search", { filter: `name LIKE '${prefix}%' AND tags.validated = 'yes'` }))).toEqual(["one/1"]);
    expect(versions(await get("/model-versions/search", { filter: `name ILIKE '${prefix.toUpperCase()}-TWO'` }))).toEqual(["two/1"]);
  });

  it("pages with max_results", async () => {
    const q = { filter: `name LIKE '${prefix}%'`, order_by: ["name ASC", "version_number ASC"], max_results: 2 };
    const first = await get("/model-versions/search", q);
    expect(versions(first)).toEqual(["one/1", "one/2"]);
    const second = await get("/model-versions/search", { ...q, page_token: first.json.next_page_token });
    expect(versions(second)).toEqual(["one/3", "two/1"]);
    expect(second.json.next_page_token).toBeUndefined();
  });

  it("hides prompt versions unless asked for", async () => {
    const prompt = `${prefix}-prompt`;
    await post("/registered-models/create", { name: prompt, tags: [{ key: "mlflow.prompt.is_prompt", value: "true" }] });
    await post("/model-versions/create", { name: prompt, source: "dummy-source", tags: [{ key: "mlflow.prompt.is_prompt", value: "true" }] });
    expect(versions(await get("/model-versions/search", { filter: `name = '${prompt}'` }))).toEqual([]);
    expect(versions(await get("/model-versions/search", { filter: `name = '${prompt}' AND tags.\`mlflow.prompt.is_prompt\` = 'true'` }))).toEqual(["prompt/1"]);
  });

  it("refuses bad filters, orders, tokens and page sizes", async () => {
    for (const filter of ["name = 'a' OR name = 'b'", "name IN ('a')", "version_number LIKE '1'", "bogus = 'x'", "name > 'a'", "version_number = 'abc'", "params.x = 'y'"]) {
      expectError(await get("/model-versions/search", { filter }), 400, "INVALID_PARAMETER_VALUE");
    }
    expectError(await get("/model-versions/search", { order_by: ["run_id"] }), 400, "INVALID_PARAMETER_VALUE");
    expectError(await get("/model-versions/search", { order_by: ["name", "name DESC"] }), 400, "INVALID_PARAMETER_VALUE");
    expectError(await get("/model-versions/search", { page_token: "xyz" }), 400, "INVALID_PARAMETER_VALUE");
    expectError(await get("/model-versions/search", { max_results: 0 }), 400, "INVALID_PARAMETER_VALUE");
    expectError(await get("/model-versions/search", { max_results: 200_001 }), 400, "INVALID_PARAMETER_VALUE");
    expect((await get("/model-versions/search", { max_results: 200_000, filter: `name = '${m2}'` })).status).toBe(200);
  });
});
