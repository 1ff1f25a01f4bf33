import { describe, expect, it } from "vitest";
import { createExperiment, expectError, get, post } from "../helpers/api";

async function createRun(body: Record<string, unknown> = {}) {
  const experiment_id = (body.experiment_id as string) ?? (await createExperiment());
  const r = await post("/runs/create", { experiment_id, start_time: 1700000000000, ...body });
  expect(r.status).toBe(200);
  return r.json.run;
}

describe("runs", () => {
  it("creates a run with MLflow's shape and artifact URI", async () => {
    const exp = await createExperiment();
    const run = await createRun({ experiment_id: exp, run_name: "r1", user_id: "alice", tags: [{ key: "team", value: "ml" }] });
    expect(run.info).toMatchObject({ experiment_id: exp, run_name: "r1", user_id: "alice", status: "RUNNING", lifecycle_stage: "active", start_time: 1700000000000 });
    expect(run.info.run_id).toMatch(/^[0-9a-f]{32}$/);
    expect(run.info.run_uuid).toBe(run.info.run_id);
    expect(run.info.artifact_uri).toBe(`mlflow-artifacts:/${exp}/${run.info.run_id}/artifacts`);
    expect(run.data.tags).toEqual([{ key: "team", value: "ml" }, { key: "mlflow.runName", value: "r1" }]);
    expect(run.inputs).toEqual({});
  });

  it("defaults to experiment 0 and generates a name", async () => {
    const r = await post("/runs/create", {});
    expect(r.status).toBe(200);
    expect(r.json.run.info.experiment_id).toBe("0");
    expect(r.json.run.info.run_name).toMatch(/^[a-z]+-[a-z]+-\d+$/);
    expect(r.json.run.data.tags).toEqual([{ key: "mlflow.runName", value: r.json.run.info.run_name }]);
  });

  it("refuses a run name that contradicts the mlflow.runName tag, deleted and unknown experiments", async () => {
    const exp = await createExperiment();
    expectError(await post("/runs/create", { experiment_id: exp, run_name: "a", tags: [{ key: "mlflow.runName", value: "b" }] }), 400, "INVALID_PARAMETER_VALUE");
    expectError(await post("/runs/create", { experiment_id: "987654" }), 404, "RESOURCE_DOES_NOT_EXIST");
    const conflicting = { run_name: "a", tags: [{ key: "mlflow.runName", value: "b" }] };
    // As in MLflow, the experiment is checked before the run name.
    expectError(await post("/runs/create", { experiment_id: "987654", ...conflicting }), 404, "RESOURCE_DOES_NOT_EXIST");
    await post("/experiments/delete", { experiment_id: exp });
    expectError(await post("/runs/create", { experiment_id: exp, tags: [{ key: "team", value: "ml" }] }), 400, "INVALID_PARAMETER_VALUE");
    const deleted = await post("/runs/create", { experiment_id: `00${exp}`, ...conflicting });
    expect(deleted.status).toBe(400);
    expect(deleted.json.message).toBe(`The experiment ${exp} must be in the 'active' state. Current state is deleted.`);
    await post("/experiments/restore", { experiment_id: exp });
    expect((await post("/runs/search", { experiment_ids: [exp], run_view_type: "ALL" })).json).toEqual({});
  });

  it("reads a run whose params pass D1's 2 MB per value, in order, by get-run and search", async () => {
    const exp = await createExperiment();
    const run_id = (await createRun({ experiment_id: exp, run_name: "big" })).info.run_id;
    const params = Array.from({ length: 400 }, (_, i) => ({ key: `p${String(399 - i).padStart(3, "0")}`, value: `${i}`.padEnd(6000, "x") }));
    for (let i = 0; i < params.length; i += 100) {
      expect((await post("/runs/log-batch", { run_id, params: params.slice(i, i + 100) })).status).toBe(200);
    }
    await post("/runs/log-batch", { run_id, metrics: [{ key: "m", value: 0.5, timestamp: 1, step: 2 }], tags: [{ key: "t", value: "v" }] });
    const dataset_inputs = [{ tags: [{ key: "mlflow.data.context", value: "train" }], dataset: { name: "d", digest: "abc", source_type: "local", source: "s", schema: "{}" } }];
    expect((await post("/runs/log-inputs", { run_id, datasets: dataset_inputs })).status).toBe(200);
    const read = (await get("/runs/get", { run_id })).json.run;
    const found = (await post("/runs/search", { experiment_ids: [exp] })).json.runs;
    for (const run of [read, ...found]) {
      expect(run.info.run_id).toBe(run_id);
      expect(run.data.params).toEqual(params);
      expect(run.data.metrics).toEqual([{ key: "m", value: 0.5, timestamp: 1, step: 2 }]);
      expect(run.data.tags).toEqual([{ key: "mlflow.runName", value: "big" }, { key: "t", value: "v" }]);
      expect(run.inputs).toEqual({ dataset_inputs });
    }
    expect(found).toHaveLength(1);
    // A page with another run beside the big one: the row fallback gives each run its own lists.
    const other = await createExperiment();
    const small = (await createRun({ experiment_id: other, run_name: "small" })).info.run_id;
    await post("/runs/log-batch", { run_id: small, params: [{ key: "lr", value: "0.1" }], tags: [{ key: "team", value: "ml" }] });
    const both = (await post("/runs/search", { experiment_ids: [exp, other] })).json.runs;
    expect(both.map((r: any) => r.info.run_id).sort()).toEqual([run_id, small].sort());
    const smallRun = both.find((r: any) => r.info.run_id === small);
    expect(smallRun.data.params).toEqual([{ key: "lr", value: "0.1" }]);
    expect(smallRun.data.tags).toEqual([{ key: "mlflow.runName", value: "small" }, { key: "team", value: "ml" }]);
    expect(smallRun.inputs).toEqual({});
    expect(both.find((r: any) => r.info.run_id === run_id).data.params).toEqual(params);
  });

  it("gets a run by run_id or run_uuid, 404 otherwise", async () => {
    const run = await createRun();
    const byId = await get("/runs/get", { run_id: run.info.run_id });
    expect(byId.json.run.info.run_id).toBe(run.info.run_id);
    expect(byId.json.run).toHaveProperty("outputs");
    const byUuid = await get("/runs/get", { run_uuid: run.info.run_id });
    expect(byUuid.json.run.info.run_id).toBe(run.info.run_id);
    expectError(await get("/runs/get", { run_id: "0".repeat(32) }), 404, "RESOURCE_DOES_NOT_EXIST");
    expectError(await get("/runs/get", {}), 400, "INVALID_PARAMETER_VALUE");
  });

  it("updates status, end time and name, keeping mlflow.runName in sync", async () => {
    const run = await createRun({ run_name: "before" });
    const id = run.info.run_id;
    const r = await post("/runs/update", { run_id: id, status: "FINISHED", end_time: 1700000005000, run_name: "after" });
    expect(r.json.run_info).toMatchObject({ status: "FINISHED", end_time: 1700000005000, run_name: "after" });
    const tags = (await get("/runs/get", { run_id: id })).json.run.data.tags;
    expect(tags).toContainEqual({ key: "mlflow.runName", value: "after" });
    expectError(await post("/runs/update", { run_id: id, status: "EXPLODED" }), 400, "INVALID_PARAMETER_VALUE");
    const unchanged = await post("/runs/update", { run_id: id });
    expect(unchanged.status).toBe(200);
    expect(unchanged.json.run_info).toMatchObject({ status: "FINISHED", run_name: "after" });
  });

  it("renames a run through the mlflow.runName tag, never to an empty name", async () => {
    const run = await createRun({ run_name: "old" });
    await post("/runs/set-tag", { run_id: run.info.run_id, key: "mlflow.runName", value: "new" });
    expect((await get("/runs/get", { run_id: run.info.run_id })).json.run.info.run_name).toBe("new");
    await post("/runs/log-batch", { run_id: run.info.run_id, tags: [{ key: "mlflow.runName", value: "" }] });
    const after = (await get("/runs/get", { run_id: run.info.run_id })).json.run;
    expect(after.info.run_name).toBe("new");
    expect(after.data.tags).toContainEqual({ key: "mlflow.runName", value: "new" });
  });

  it("names a run from the last mlflow.runName tag, generating one for an empty tag", async () => {
    const named = await createRun({ tags: [{ key: "mlflow.runName", value: "a" }, { key: "mlflow.runName", value: "b" }] });
    expect(named.info.run_name).toBe("b");
    expect(named.data.tags).toEqual([{ key: "mlflow.runName", value: "b" }]);
    const empty = await createRun({ tags: [{ key: "mlflow.runName", value: "" }] });
    expect(empty.info.run_name).toMatch(/^[a-z]+-[a-z]+-\d+$/);
    expect(empty.data.tags).toEqual([{ key: "mlflow.runName", value: empty.info.run_name }]);
  });

  it("soft-deletes and restores; deleted runs refuse writes", async () => {
    const run = await createRun();
    const id = run.info.run_id;
    expect((await post("/runs/delete", { run_id: id })).status).toBe(200);
    expect((await get("/runs/get", { run_id: id })).json.run.info.lifecycle_stage).toBe("deleted");
    expectError(await post("/runs/log-parameter", { run_id: id, key: "k", value: "v" }), 400, "INVALID_PARAMETER_VALUE");
    expectError(await post("/runs/update", { run_id: id, status: "FINISHED" }), 400, "INVALID_PARAMETER_VALUE");
    expect((await post("/runs/restore", { run_id: id })).status).toBe(200);
    expect((await get("/runs/get", { run_id: id })).json.run.info.lifecycle_stage).toBe("active");
    expectError(await post("/runs/delete", { run_id: "f".repeat(32) }), 404, "RESOURCE_DOES_NOT_EXIST");
  });

  it("cascades experiment delete and restore to its runs", async () => {
    const exp = await createExperiment();
    const run = await createRun({ experiment_id: exp });
    await post("/experiments/delete", { experiment_id: exp });
    expect((await get("/runs/get", { run_id: run.info.run_id })).json.run.info.lifecycle_stage).toBe("deleted");
    await post("/experiments/restore", { experiment_id: exp });
    expect((await get("/runs/get", { run_id: run.info.run_id })).json.run.info.lifecycle_stage).toBe("active");
  });
});
