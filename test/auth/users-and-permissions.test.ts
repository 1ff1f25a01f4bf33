import { describe, expect, it } from "vitest";
import { asAdmin, bearer, createUser, send, uniqueName } from "./helpers";

const api = (method: string, path: string, payload: Record<string, unknown>, auth: string) =>
  method === "GET" ? send("GET", `/api/2.0${path}`, { auth, query: payload as Record<string, string> }) : send(method, `/api/2.0${path}`, { auth, json: payload });

describe("MLflow's auth endpoints: users", () => {
  it("create and get answer the shape MLflow's AuthServiceClient reads", async () => {
    const username = uniqueName("alice");
    const { user } = await asAdmin("POST", "/mlflow/users/create", { username, password: "pw" });
    expect(user).toEqual({ id: expect.any(Number), username, is_admin: false, experiment_permissions: [], registered_model_permissions: [], scorer_permissions: [] });
    const { experiment_id } = await asAdmin("POST", "/mlflow/experiments/create", { name: uniqueName("e") });
    await asAdmin("POST", "/mlflow/experiments/permissions/create", { experiment_id, username, permission: "EDIT" });
    const got = await asAdmin("GET", "/mlflow/users/get", { username });
    expect(got.user.experiment_permissions).toEqual([{ experiment_id, user_id: user.id, permission: "EDIT" }]);
  });

  it("rejects duplicates, empty passwords and unknown users with MLflow's codes", async () => {
    const u = await createUser();
    const admin = bearer((await import("./helpers")).adminToken());
    const dup = await api("POST", "/mlflow/users/create", { username: u.username, password: "x" }, admin);
    expect([dup.status, dup.json.error_code]).toEqual([400, "RESOURCE_ALREADY_EXISTS"]);
    const empty = await api("POST", "/mlflow/users/create", { username: uniqueName("e"), password: "" }, admin);
    expect([empty.status, empty.json.error_code]).toEqual([400, "INVALID_PARAMETER_VALUE"]);
    const colon = await api("POST", "/mlflow/users/create", { username: "a:b", password: "x" }, admin);
    expect(colon.status).toBe(400);
    const missing = await api("GET", "/mlflow/users/get", { username: "no-such-user" }, admin);
    expect([missing.status, missing.json.error_code]).toEqual([404, "RESOURCE_DOES_NOT_EXIST"]);
    for (const [method, path, body] of [
      ["PATCH", "/mlflow/users/update-admin", { username: "no-such-user", is_admin: true }],
      ["PATCH", "/mlflow/users/update-password", { username: "no-such-user", password: "x" }],
      ["DELETE", "/mlflow/users/delete", { username: "no-such-user" }],
    ] as const) {
      expect((await api(method, path, body, admin)).status).toBe(404);
    }
  });

  it("list, promote and delete; a deleted user's tokens stop working", async () => {
    const u = await createUser();
    const { users } = await asAdmin("GET", "/mlflow/users/list");
    expect(users).toContainEqual({ id: expect.any(Number), username: u.username, is_admin: false });
    await asAdmin("PATCH", "/mlflow/users/update-admin", { username: u.username, is_admin: true });
    expect((await api("GET", "/mlflow/users/list", {}, bearer(u.token))).status).toBe(200);
    await asAdmin("PATCH", "/mlflow/users/update-admin", { username: u.username, is_admin: false });
    expect((await api("GET", "/mlflow/users/list", {}, bearer(u.token))).status).toBe(403);
    await asAdmin("DELETE", "/mlflow/users/delete", { username: u.username });
    expect((await api("GET", "/mlflow/users/current", {}, bearer(u.token))).status).toBe(401);
  });
});

describe("MLflow's auth endpoints: permissions", () => {
  it("experiment permissions: create, get, update, delete and their errors", async () => {
    const u = await createUser();
    const { experiment_id } = await asAdmin("POST", "/mlflow/experiments/create", { name: uniqueName("perm") });
    const created = await asAdmin("POST", "/mlflow/experiments/permissions/create", { experiment_id, username: u.username, permission: "READ" });
    expect(created.experiment_permission).toEqual({ experiment_id, user_id: expect.any(Number), permission: "READ" });
    const admin = bearer((await import("./helpers")).adminToken());
    const dup = await api("POST", "/mlflow/experiments/permissions/create", { experiment_id, username: u.username, permission: "READ" }, admin);
    expect([dup.status, dup.json.error_code]).toEqual([400, "RESOURCE_ALREADY_EXISTS"]);
    const bad = await api("PATCH", "/mlflow/experiments/permissions/update", { experiment_id, username: u.username, permission: "OWNER" }, admin);
    expect([bad.status, bad.json.error_code]).toEqual([400, "INVALID_PARAMETER_VALUE"]);
    expect(await asAdmin("PATCH", "/mlflow/experiments/permissions/update", { experiment_id, username: u.username, permission: "EDIT" })).toEqual({});
    const got = await asAdmin("GET", "/mlflow/experiments/permissions/get", { experiment_id, username: u.username });
    expect(got.experiment_permission.permission).toBe("EDIT");
    expect(await asAdmin("DELETE", "/mlflow/experiments/permissions/delete", { experiment_id, username: u.username })).toEqual({});
    const gone = await api("GET", "/mlflow/experiments/permissions/get", { experiment_id, username: u.username }, admin);
    expect([gone.status, gone.json.error_code]).toEqual([404, "RESOURCE_DOES_NOT_EXIST"]);
    expect((await api("DELETE", "/mlflow/experiments/permissions/delete", { experiment_id, username: u.username }, admin)).status).toBe(404);
    expect((await api("POST", "/mlflow/experiments/permissions/create", { experiment_id: "987654", username: u.username, permission: "READ" }, admin)).status).toBe(404);
    expect((await api("POST", "/mlflow/experiments/permissions/create", { experiment_id, username: "no-such-user", permission: "READ" }, admin)).status).toBe(404);
    expect((await api("POST", "/mlflow/experiments/permissions/create", { experiment_id: "abc", username: u.username, permission: "READ" }, admin)).status).toBe(400);
  });

  it("registered model permissions follow the model through a rename and go with it", async () => {
    const u = await createUser();
    const name = uniqueName("model");
    await asAdmin("POST", "/mlflow/registered-models/create", { name });
    const created = await asAdmin("POST", "/mlflow/registered-models/permissions/create", { name, username: u.username, permission: "EDIT" });
    expect(created.registered_model_permission).toEqual({ name, user_id: expect.any(Number), permission: "EDIT" });
    const renamed = uniqueName("renamed");
    await asAdmin("POST", "/mlflow/registered-models/rename", { name, new_name: renamed });
    const got = await asAdmin("GET", "/mlflow/registered-models/permissions/get", { name: renamed, username: u.username });
    expect(got.registered_model_permission.permission).toBe("EDIT");
    const admin = bearer((await import("./helpers")).adminToken());
    expect((await api("POST", "/mlflow/registered-models/permissions/create", { name: uniqueName("none"), username: u.username, permission: "READ" }, admin)).status).toBe(404);
    await asAdmin("DELETE", "/mlflow/registered-models/delete", { name: renamed });
    await asAdmin("POST", "/mlflow/registered-models/create", { name: renamed });
    expect((await api("GET", "/mlflow/registered-models/permissions/get", { name: renamed, username: u.username }, admin)).status).toBe(404);
  });

  it("MANAGE holders may grant on their experiment, others may not; the grant takes effect at once", async () => {
    const owner = await createUser("owner");
    const guest = await createUser("guest");
    const { experiment_id } = await asAdmin("POST", "/mlflow/experiments/create", { name: uniqueName("shared") });
    await asAdmin("POST", "/mlflow/experiments/permissions/create", { experiment_id, username: owner.username, permission: "MANAGE" });
    const asGuest = await api("POST", "/mlflow/experiments/permissions/create", { experiment_id, username: guest.username, permission: "MANAGE" }, bearer(guest.token));
    expect(asGuest.status).toBe(403);
    expect((await api("GET", "/mlflow/experiments/get", { experiment_id }, bearer(guest.token))).status).toBe(403);
    const asOwner = await api("POST", "/mlflow/experiments/permissions/create", { experiment_id, username: guest.username, permission: "READ" }, bearer(owner.token));
    expect(asOwner.status).toBe(200);
    expect((await api("GET", "/mlflow/experiments/get", { experiment_id }, bearer(guest.token))).status).toBe(200);
  });
});

describe("the issue's acceptance checks", () => {
  it("an EDIT user cannot delete an experiment; a READ user cannot log a metric", async () => {
    const editor = await createUser("editor");
    const reader = await createUser("reader");
    const { experiment_id } = await asAdmin("POST", "/mlflow/experiments/create", { name: uniqueName("acceptance") });
    const { run } = await asAdmin("POST", "/mlflow/runs/create", { experiment_id });
    await asAdmin("POST", "/mlflow/experiments/permissions/create", { experiment_id, username: editor.username, permission: "EDIT" });
    await asAdmin("POST", "/mlflow/experiments/permissions/create", { experiment_id, username: reader.username, permission: "READ" });
    const metric = { run_id: run.info.run_id, key: "loss", value: 0.5, timestamp: Date.now() };
    expect((await api("POST", "/mlflow/runs/log-metric", metric, bearer(editor.token))).status).toBe(200);
    expect((await api("POST", "/mlflow/experiments/delete", { experiment_id }, bearer(editor.token))).status).toBe(403);
    expect((await api("POST", "/mlflow/runs/log-metric", metric, bearer(reader.token))).status).toBe(403);
    expect((await api("GET", "/mlflow/runs/get", { run_id: run.info.run_id }, bearer(reader.token))).status).toBe(200);
  });
});
