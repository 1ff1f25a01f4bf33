import { describe, expect, it } from "vitest";
import { asAdmin, bearer, createUser, send, uniqueName } from "./helpers";

const as = (token: string, method: string, path: string, json?: unknown) => send(method, path, { auth: bearer(token), json });

describe("logged-model and trace searches show only readable experiments (default NO_PERMISSIONS)", () => {
  it("limits searches to the caller's experiments and refuses batch reads of others' traces", async () => {
    const owner = await createUser("owner");
    const other = await createUser("other");
    const { experiment_id } = await asAdmin("POST", "/mlflow/experiments/create", { name: uniqueName("private") });
    await asAdmin("POST", "/mlflow/experiments/permissions/create", { experiment_id, username: owner.username, permission: "MANAGE" });

    const model = await as(owner.token, "POST", "/api/2.0/mlflow/logged-models", { experiment_id, name: "secret" });
    expect(model.status).toBe(200);
    const traceId = `tr-${crypto.randomUUID().replaceAll("-", "")}`;
    const location = { type: "MLFLOW_EXPERIMENT", mlflow_experiment: { experiment_id } };
    const trace = await as(owner.token, "POST", "/api/3.0/mlflow/traces", {
      trace: { trace_info: { trace_id: traceId, trace_location: location, request_time: "2026-01-01T00:00:00Z", state: "OK" } },
    });
    expect(trace.status).toBe(200);

    const models = async (token: string) =>
      ((await as(token, "POST", "/api/2.0/mlflow/logged-models/search", { experiment_ids: [experiment_id] })).json.models ?? []).length;
    const traces = async (token: string) =>
      ((await as(token, "POST", "/api/3.0/mlflow/traces/search", { locations: [location] })).json.traces ?? []).length;
    expect(await models(owner.token)).toBe(1);
    expect(await traces(owner.token)).toBe(1);
    expect(await models(other.token)).toBe(0);
    expect(await traces(other.token)).toBe(0);

    expect((await as(other.token, "POST", "/api/3.0/mlflow/traces/batchGetInfos", { trace_ids: [traceId] })).status).toBe(403);
    expect((await as(other.token, "GET", `/api/2.0/mlflow/logged-models/${model.json.model.info.model_id}`)).status).toBe(403);
    expect((await as(owner.token, "POST", "/api/3.0/mlflow/traces/batchGetInfos", { trace_ids: [traceId] })).json.trace_infos).toHaveLength(1);
  });
});
