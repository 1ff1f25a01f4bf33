import { describe, expect, it } from "vitest";
import { call, createExperiment, expectError, get, post } from "../helpers/api";

async function newRun(experiment_id?: string) {
  const exp = experiment_id ?? (await createExperiment());
  const r = await post("/runs/create", { experiment_id: exp, start_time: 1 });
  return { exp, run_id: r.json.run.info.run_id as string };
}

const frame = {
  name: "tiny-frame",
  digest: "2883f95e",
  source_type: "code",
  source: "{}",
  schema: '{"mlflow_colspec": []}',
  profile: '{"num_rows": 3}',
};

describe("log-inputs", () => {
  it("records dataset inputs with tags sorted by name, deduplicated per experiment", async () => {
    const { exp, run_id } = await newRun();
    const body = { run_id, datasets: [{ tags: [{ key: "split", value: "train" }, { key: "mlflow.data.context", value: "training" }], dataset: frame }] };
    expect((await post("/runs/log-inputs", body)).status).toBe(200);
    expect((await post("/runs/log-inputs", body)).status).toBe(200);
    const eval_ = { ...frame, name: "tiny-array", digest: "929378ba" };
    await post("/runs/log-inputs", { run_id, datasets: [{ tags: [{ key: "mlflow.data.context", value: "eval" }], dataset: eval_ }] });
    const run = (await get("/runs/get", { run_id })).json.run;
    expect(run.inputs.dataset_inputs).toEqual([
      { tags: [{ key: "mlflow.data.context", value: "training" }, { key: "split", value: "train" }], dataset: frame },
      { tags: [{ key: "mlflow.data.context", value: "eval" }], dataset: eval_ },
    ]);
    const other = await newRun(exp);
    await post("/runs/log-inputs", { run_id: other.run_id, datasets: [{ tags: [{ key: "mlflow.data.context", value: "training" }], dataset: frame }] });
    const summaries = await call("POST", "/ajax-api/2.0/mlflow/experiments/search-datasets", { experiment_ids: [exp] });
    expect(summaries.json.dataset_summaries).toEqual([
      { experiment_id: exp, name: "tiny-array", digest: "929378ba", context: "eval" },
      { experiment_id: exp, name: "tiny-frame", digest: "2883f95e", context: "training" },
    ]);
  });

  it("validates datasets and input tags", async () => {
    const { run_id } = await newRun();
    expectError(await post("/runs/log-inputs", { run_id, datasets: [{ dataset: { ...frame, name: "" } }] }), 400, "INVALID_PARAMETER_VALUE");
    expectError(await post("/runs/log-inputs", { run_id, datasets: [{ dataset: { ...frame, digest: "d".repeat(37) } }] }), 400, "INVALID_PARAMETER_VALUE");
    expectError(await post("/runs/log-inputs", { run_id, datasets: [{ tags: [{ key: "k" }], dataset: frame }] }), 400, "INVALID_PARAMETER_VALUE");
    expectError(await post("/runs/log-inputs", { datasets: [] }), 400, "INVALID_PARAMETER_VALUE");
    expectError(await post("/runs/log-inputs", { run_id: "0".repeat(32), datasets: [{ dataset: frame }] }), 404, "RESOURCE_DOES_NOT_EXIST");
    expectError(await call("POST", "/ajax-api/2.0/mlflow/experiments/search-datasets", {}), 400, "INVALID_PARAMETER_VALUE");
  });

  it("records model inputs and outputs", async () => {
    const { run_id } = await newRun();
    await post("/runs/log-inputs", { run_id, models: [{ model_id: "m-in" }] });
    expect((await post("/runs/outputs", { run_id, models: [{ model_id: "m-out", step: 3 }] })).status).toBe(200);
    const run = (await get("/runs/get", { run_id })).json.run;
    expect(run.inputs.model_inputs).toEqual([{ model_id: "m-in" }]);
    expect(run.outputs.model_outputs).toEqual([{ model_id: "m-out", step: 3 }]);
    expectError(await post("/runs/outputs", { run_id }), 400, "INVALID_PARAMETER_VALUE");
  });
});

describe("log-model", () => {
  it("appends the model to the mlflow.log-model.history tag", async () => {
    const { run_id } = await newRun();
    const model = (path: string) => JSON.stringify({ artifact_path: path, flavors: {}, utc_time_created: "2024-01-01", run_id });
    expect((await post("/runs/log-model", { run_id, model_json: model("a") })).status).toBe(200);
    expect((await post("/runs/log-model", { run_id, model_json: model("b") })).status).toBe(200);
    const tag = (await get("/runs/get", { run_id })).json.run.data.tags.find((t: any) => t.key === "mlflow.log-model.history");
    expect(JSON.parse(tag.value).map((m: any) => m.artifact_path)).toEqual(["a", "b"]);
    expectError(await post("/runs/log-model", { run_id, model_json: "{}" }), 400, "INVALID_PARAMETER_VALUE");
    expectError(await post("/runs/log-model", { run_id, model_json: "not json" }), 400, "INVALID_PARAMETER_VALUE");
  });
});
