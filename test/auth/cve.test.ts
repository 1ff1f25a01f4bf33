import { describe, expect, it } from "vitest";
import { adminToken, asAdmin, basic, bearer, createUser, send, uniqueName } from "./helpers";

/**
 * Permission gaps MLflow's basic-auth app shipped (and fixed as CVEs), each checked here
 * against our enforcement: unauthenticated user creation, EDIT deleting artifacts,
 * multipart and ajax routes without resource checks, searches leaking unreadable items.
 */

const admin = () => bearer(adminToken());

async function experimentWithRun() {
  const { experiment_id } = await asAdmin("POST", "/mlflow/experiments/create", { name: uniqueName("cve") });
  const { run } = await asAdmin("POST", "/mlflow/runs/create", { experiment_id });
  return { experimentId: experiment_id as string, runId: run.info.run_id as string };
}

const grant = (experiment_id: string, username: string, permission: string) =>
  asAdmin("POST", "/mlflow/experiments/permissions/create", { experiment_id, username, permission });

describe("user creation", () => {
  it("needs an administrator on every mount", async () => {
    const u = await createUser();
    for (const prefix of ["/api/2.0", "/ajax-api/2.0"]) {
      const body = { username: uniqueName("intruder"), password: "pw" };
      expect((await send("POST", `${prefix}/mlflow/users/create`, { json: body })).status).toBe(401);
      expect((await send("POST", `${prefix}/mlflow/users/create`, { json: body, auth: bearer(u.token) })).status).toBe(403);
      expect((await send("PATCH", `${prefix}/mlflow/users/update-admin`, { json: { username: u.username, is_admin: true }, auth: bearer(u.token) })).status).toBe(403);
    }
    // MLflow's signup form is not served at all.
    expect((await send("GET", "/signup")).status).toBe(401);
    expect((await send("GET", "/signup", { auth: admin() })).status).toBe(404);
    expect((await send("POST", "/api/2.0/mlflow/users/create-ui", { auth: admin(), json: {} })).status).toBe(404);
  });
});

describe("artifacts", () => {
  it("EDIT may upload but not delete; MANAGE may delete", async () => {
    const { experimentId, runId } = await experimentWithRun();
    const editor = await createUser("editor");
    const manager = await createUser("manager");
    await grant(experimentId, editor.username, "EDIT");
    await grant(experimentId, manager.username, "MANAGE");
    const file = `/api/2.0/mlflow-artifacts/artifacts/${experimentId}/${runId}/artifacts/model.txt`;
    const put = await send("PUT", file, { auth: bearer(editor.token), body: "weights", headers: { "Content-Type": "text/plain" } });
    expect(put.status).toBe(200);
    expect((await send("DELETE", file, { auth: bearer(editor.token) })).status).toBe(403);
    expect((await send("DELETE", file.replace("/api/", "/ajax-api/"), { auth: bearer(editor.token) })).status).toBe(403);
    expect((await send("DELETE", file, { auth: bearer(manager.token) })).status).toBe(200);
  });

  it("checks the experiment a path really lands in, however it is encoded", async () => {
    const mine = await experimentWithRun();
    const theirs = await experimentWithRun();
    const u = await createUser();
    await grant(mine.experimentId, u.username, "MANAGE");
    const auth = bearer(u.token);
    const escapes = [
      `${mine.experimentId}/../${theirs.experimentId}/${theirs.runId}/artifacts/x`,
      `${mine.experimentId}%2F..%2F${theirs.experimentId}/${theirs.runId}/artifacts/x`,
      `${mine.experimentId}/%2E%2E/${theirs.experimentId}/${theirs.runId}/artifacts/x`,
      `${theirs.experimentId}/${theirs.runId}/artifacts/x`,
    ];
    for (const path of escapes) {
      const r = await send("DELETE", `/api/2.0/mlflow-artifacts/artifacts/${path}`, { auth });
      expect([400, 403, 404], path).toContain(r.status);
      expect(r.status, path).not.toBe(200);
    }
    const list = await send("GET", "/api/2.0/mlflow-artifacts/artifacts", { auth, query: { path: `${theirs.experimentId}/${theirs.runId}/artifacts` } });
    expect(list.status).toBe(403);
    // Listing the root spans every experiment: administrators only.
    expect((await send("GET", "/api/2.0/mlflow-artifacts/artifacts", { auth })).status).toBe(403);
  });

  it("multipart uploads check the experiment on every mount", async () => {
    const { experimentId, runId } = await experimentWithRun();
    const reader = await createUser("reader");
    await grant(experimentId, reader.username, "READ");
    const outsider = await createUser("outsider");
    for (const prefix of ["/api/2.0", "/ajax-api/2.0"]) {
      for (const step of ["create", "complete", "abort"]) {
        const url = `${prefix}/mlflow-artifacts/mpu/${step}/${experimentId}/${runId}/artifacts`;
        const json = { path: "big.bin", num_parts: 2, upload_id: "u", parts: [] };
        expect((await send("POST", url, { auth: bearer(reader.token), json })).status, `${url} as READ`).toBe(403);
        expect((await send("POST", url, { auth: bearer(outsider.token), json })).status, `${url} as outsider`).toBe(403);
      }
    }
  });
});

describe("ajax routes", () => {
  it("check the run's experiment like their /api twins", async () => {
    const { runId } = await experimentWithRun();
    const u = await createUser();
    const auth = bearer(u.token);
    const checks = [
      send("GET", "/ajax-api/2.0/mlflow/metrics/get-history-bulk", { auth, query: { run_id: runId, metric_key: "loss" } }),
      send("GET", "/ajax-api/2.0/mlflow/metrics/get-history-bulk-interval", { auth, query: { run_ids: runId, metric_key: "loss" } }),
      send("GET", "/ajax-api/2.0/mlflow/runs/get", { auth, query: { run_id: runId } }),
      send("POST", "/ajax-api/2.0/mlflow/runs/log-metric", { auth, json: { run_id: runId, key: "loss", value: 1, timestamp: 1 } }),
      send("GET", "/get-artifact", { auth, query: { run_id: runId, path: "x" } }),
    ];
    for (const r of await Promise.all(checks)) expect(r.status).toBe(403);
  });

  it("check every run a bulk request names, not only the first", async () => {
    const readable = await experimentWithRun();
    const hidden = await experimentWithRun();
    const u = await createUser();
    await grant(readable.experimentId, u.username, "READ");
    const r = await send("GET", "/ajax-api/2.0/mlflow/metrics/get-history-bulk", {
      auth: bearer(u.token),
      query: { run_id: [readable.runId, hidden.runId], metric_key: "loss" },
    });
    expect(r.status).toBe(403);
  });
});

describe("searches", () => {
  it("experiments/search and runs/search return only readable items", async () => {
    const readable = await experimentWithRun();
    const hidden = await experimentWithRun();
    const u = await createUser();
    await grant(readable.experimentId, u.username, "READ");
    const auth = bearer(u.token);
    const exps = await send("POST", "/api/2.0/mlflow/experiments/search", { auth, json: { max_results: 1000 } });
    expect(exps.status).toBe(200);
    const ids = exps.json.experiments.map((e: any) => e.experiment_id);
    expect(ids).toContain(readable.experimentId);
    expect(ids).not.toContain(hidden.experimentId);
    const runs = await send("POST", "/api/2.0/mlflow/runs/search", { auth, json: { experiment_ids: [readable.experimentId, hidden.experimentId] } });
    const runIds = (runs.json?.runs ?? []).map((r: any) => r.info.run_id);
    expect(runIds).not.toContain(hidden.runId);
  });

  it("model-version search leaves out versions of unreadable models", async () => {
    const visible = uniqueName("visible-model");
    const hidden = uniqueName("hidden-model");
    for (const name of [visible, hidden]) {
      await asAdmin("POST", "/mlflow/registered-models/create", { name });
      await asAdmin("POST", "/mlflow/model-versions/create", { name, source: "mlflow-artifacts:/0/x/artifacts/model" });
    }
    const u = await createUser();
    await asAdmin("POST", "/mlflow/registered-models/permissions/create", { name: visible, username: u.username, permission: "READ" });
    const auth = bearer(u.token);
    const versions = await send("GET", "/api/2.0/mlflow/model-versions/search", { auth, query: { max_results: "10000" } });
    expect(versions.status).toBe(200);
    const names = (versions.json.model_versions ?? []).map((v: any) => v.name);
    expect(names).toContain(visible);
    expect(names).not.toContain(hidden);
    const models = await send("GET", "/api/2.0/mlflow/registered-models/search", { auth, query: { max_results: "1000" } });
    const modelNames = (models.json.registered_models ?? []).map((m: any) => m.name);
    expect(modelNames).toContain(visible);
    expect(modelNames).not.toContain(hidden);
  });

  it("trace search and batch gets leave out traces of unreadable experiments", async () => {
    const readable = await experimentWithRun();
    const hidden = await experimentWithRun();
    const u = await createUser();
    await grant(readable.experimentId, u.username, "READ");
    const traceIds: Record<string, string> = {};
    for (const { experimentId } of [readable, hidden]) {
      const trace_id = `tr-${crypto.randomUUID().replace(/-/g, "")}`;
      const trace_info = { trace_id, trace_location: { type: "MLFLOW_EXPERIMENT", mlflow_experiment: { experiment_id: experimentId } }, request_time: new Date().toISOString(), state: "OK" };
      const r = await send("POST", "/api/3.0/mlflow/traces", { auth: admin(), json: { trace: { trace_info } } });
      expect(r.status).toBe(200);
      traceIds[experimentId] = trace_id;
    }
    const auth = bearer(u.token);
    const locations = [readable, hidden].map((e) => ({ type: "MLFLOW_EXPERIMENT", mlflow_experiment: { experiment_id: e.experimentId } }));
    const search = await send("POST", "/api/3.0/mlflow/traces/search", { auth, json: { locations } });
    const found = (search.json?.traces ?? []).map((t: any) => t.trace_id);
    expect(found).not.toContain(traceIds[hidden.experimentId]);
    const batch = await send("POST", "/api/3.0/mlflow/traces/batchGetInfos", { auth, json: { trace_ids: Object.values(traceIds) } });
    expect(batch.status).toBe(403);
    // Writing a trace into an experiment one cannot edit, named only deep in the body, is refused.
    const sneaky = { trace_id: `tr-${crypto.randomUUID().replace(/-/g, "")}`, trace_location: locations[1], request_time: new Date().toISOString(), state: "OK" };
    expect((await send("POST", "/api/3.0/mlflow/traces", { auth, json: { trace: { trace_info: sneaky } } })).status).toBe(403);
  });
});

describe("accounts", () => {
  it("a user may read and change only their own account, and must prove the current password", async () => {
    const a = await createUser();
    const b = await createUser();
    expect((await send("GET", "/api/2.0/mlflow/users/get", { auth: bearer(a.token), query: { username: b.username } })).status).toBe(403);
    const other = await send("PATCH", "/api/2.0/mlflow/users/update-password", { auth: bearer(a.token), json: { username: b.username, password: "x" } });
    expect(other.status).toBe(403);
    const noCurrent = await send("PATCH", "/api/2.0/mlflow/users/update-password", { auth: bearer(a.token), json: { username: a.username, password: "new-pw" } });
    expect(noCurrent.status).toBe(400);
    const ok = await send("PATCH", "/api/2.0/mlflow/users/update-password", { auth: basic(a.username, a.password), json: { username: a.username, password: "new-pw", current_password: a.password } });
    expect(ok.status).toBe(200);
    expect((await send("GET", "/api/2.0/mlflow/users/current", { auth: basic(a.username, a.password) })).status).toBe(401);
    expect((await send("GET", "/api/2.0/mlflow/users/current", { auth: basic(a.username, "new-pw") })).status).toBe(200);
  });
});

describe("creators", () => {
  it("get MANAGE on the experiment and registered model they create; others see neither", async () => {
    const creator = await createUser("creator");
    const other = await createUser("other");
    const auth = bearer(creator.token);
    const name = uniqueName("mine");
    const created = await send("POST", "/api/2.0/mlflow/experiments/create", { auth, json: { name } });
    expect(created.status).toBe(200);
    const id = created.json.experiment_id;
    const perm = await asAdmin("GET", "/mlflow/experiments/permissions/get", { experiment_id: id, username: creator.username });
    expect(perm.experiment_permission).toMatchObject({ experiment_id: id, permission: "MANAGE" });
    expect((await send("GET", "/api/2.0/mlflow/experiments/get-by-name", { auth, query: { experiment_name: name } })).status).toBe(200);
    expect((await send("GET", "/api/2.0/mlflow/experiments/get-by-name", { auth: bearer(other.token), query: { experiment_name: name } })).status).toBe(403);
    expect((await send("POST", "/api/2.0/mlflow/experiments/delete", { auth, json: { experiment_id: id } })).status).toBe(200);

    const model = uniqueName("my-model");
    expect((await send("POST", "/api/2.0/mlflow/registered-models/create", { auth, json: { name: model } })).status).toBe(200);
    const modelPerm = await asAdmin("GET", "/mlflow/registered-models/permissions/get", { name: model, username: creator.username });
    expect(modelPerm.registered_model_permission).toMatchObject({ name: model, permission: "MANAGE" });
    expect((await send("GET", "/api/2.0/mlflow/registered-models/get", { auth: bearer(other.token), query: { name: model } })).status).toBe(403);
  });
});
