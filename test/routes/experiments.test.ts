import { describe, expect, it } from "vitest";
import { createExperiment, expectError, get, post, unique } from "../helpers/api";

describe("experiments", () => {
  it("has the Default experiment 0", async () => {
    const r = await get("/experiments/get", { experiment_id: "0" });
    expect(r.status).toBe(200);
    expect(r.json.experiment).toMatchObject({ experiment_id: "0", name: "Default", lifecycle_stage: "active", artifact_location: "mlflow-artifacts:/0" });
  });

  it("creates, gets by id and by name, with tags", async () => {
    const name = unique("tagged");
    const r = await post("/experiments/create", { name, tags: [{ key: "team", value: "ml" }, { key: "b", value: "2" }] });
    expect(r.status).toBe(200);
    const id = r.json.experiment_id;
    expect(id).toMatch(/^\d+$/);
    const byId = await get("/experiments/get", { experiment_id: id });
    expect(byId.json.experiment).toMatchObject({ name, artifact_location: `mlflow-artifacts:/${id}`, tags: [{ key: "team", value: "ml" }, { key: "b", value: "2" }] });
    expect(byId.json.experiment.creation_time).toBeTypeOf("number");
    const byName = await get("/experiments/get-by-name", { experiment_name: name });
    expect(byName.json.experiment.experiment_id).toBe(id);
  });

  it("refuses duplicates with 400 RESOURCE_ALREADY_EXISTS and writes nothing", async () => {
    const name = unique("dup");
    await createExperiment(name);
    expectError(await post("/experiments/create", { name }), 400, "RESOURCE_ALREADY_EXISTS");
  });

  it("validates input", async () => {
    expectError(await post("/experiments/create", {}), 400, "INVALID_PARAMETER_VALUE");
    expectError(await post("/experiments/create", { name: 123 }), 400, "INVALID_PARAMETER_VALUE");
    expectError(await post("/experiments/create", { name: "x".repeat(501) }), 400, "INVALID_PARAMETER_VALUE");
    expectError(await post("/experiments/create", { name: unique("a"), artifact_location: "runs:/x" }), 400, "INVALID_PARAMETER_VALUE");
    expectError(await post("/experiments/create", { name: unique("a"), tags: [{ key: "../x", value: "v" }] }), 400, "INVALID_PARAMETER_VALUE");
    expectError(await get("/experiments/get", { experiment_id: "abc" }), 400, "INVALID_PARAMETER_VALUE");
    expectError(await get("/experiments/get", { experiment_id: "99999" }), 404, "RESOURCE_DOES_NOT_EXIST");
    expectError(await get("/experiments/get-by-name", { experiment_name: "nope-nope" }), 404, "RESOURCE_DOES_NOT_EXIST");
  });

  it("renames, refusing collisions", async () => {
    const a = await createExperiment();
    const taken = unique("taken");
    await createExperiment(taken);
    expectError(await post("/experiments/update", { experiment_id: a, new_name: taken }), 400, "BAD_REQUEST");
    const newName = unique("renamed");
    expect((await post("/experiments/update", { experiment_id: a, new_name: newName })).status).toBe(200);
    expect((await get("/experiments/get", { experiment_id: a })).json.experiment.name).toBe(newName);
  });

  it("deletes and restores, cascading to runs' lifecycle", async () => {
    const id = await createExperiment();
    expect((await post("/experiments/delete", { experiment_id: id })).status).toBe(200);
    expect((await get("/experiments/get", { experiment_id: id })).json.experiment.lifecycle_stage).toBe("deleted");
    expectError(await post("/experiments/set-experiment-tag", { experiment_id: id, key: "k", value: "v" }), 400, "INVALID_PARAMETER_VALUE");
    expectError(await post("/experiments/update", { experiment_id: id, new_name: unique("x") }), 400, "INVALID_PARAMETER_VALUE");
    expect((await post("/experiments/restore", { experiment_id: id })).status).toBe(200);
    expect((await get("/experiments/get", { experiment_id: id })).json.experiment.lifecycle_stage).toBe("active");
    expectError(await post("/experiments/restore", { experiment_id: "424242" }), 404, "RESOURCE_DOES_NOT_EXIST");
    expectError(await post("/experiments/restore", { experiment_id: id }), 404, "RESOURCE_DOES_NOT_EXIST");
    await post("/experiments/delete", { experiment_id: id });
    expectError(await post("/experiments/delete", { experiment_id: id }), 404, "RESOURCE_DOES_NOT_EXIST");
  });

  it("keeps the last of duplicate tag keys on create", async () => {
    const r = await post("/experiments/create", { name: unique("duptags"), tags: [{ key: "a", value: "1" }, { key: "a", value: "2" }] });
    expect(r.status).toBe(200);
    expect((await get("/experiments/get", { experiment_id: r.json.experiment_id })).json.experiment.tags).toEqual([{ key: "a", value: "2" }]);
  });

  it("answers a request beyond D1's 2 MB value limit with 400, writing nothing", async () => {
    const name = unique("huge");
    const tags = Array.from({ length: 500 }, (_, i) => ({ key: `k${i}`, value: "v".repeat(5000) }));
    expectError(await post("/experiments/create", { name, tags }), 400, "INVALID_PARAMETER_VALUE");
    expectError(await get("/experiments/get-by-name", { experiment_name: name }), 404, "RESOURCE_DOES_NOT_EXIST");
  });

  it("sets and deletes experiment tags", async () => {
    const id = await createExperiment();
    await post("/experiments/set-experiment-tag", { experiment_id: id, key: "k", value: "v1" });
    await post("/experiments/set-experiment-tag", { experiment_id: id, key: "k", value: "v2" });
    expect((await get("/experiments/get", { experiment_id: id })).json.experiment.tags).toEqual([{ key: "k", value: "v2" }]);
    expectError(await post("/experiments/set-experiment-tag", { experiment_id: id, key: "k", value: "x".repeat(5001) }), 400, "INVALID_PARAMETER_VALUE");
    expect((await post("/experiments/delete-experiment-tag", { experiment_id: id, key: "k" })).status).toBe(200);
    expectError(await post("/experiments/delete-experiment-tag", { experiment_id: id, key: "k" }), 404, "RESOURCE_DOES_NOT_EXIST");
  });
});
