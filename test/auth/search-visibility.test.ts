import { describe, expect, it } from "vitest";
import { asAdmin, bearer, createUser, send, uniqueName } from "./helpers";

/** A JSON POST under /api/2.0 with a bearer token. */
const postAs = (token: string, path: string, json: unknown) => send("POST", `/api/2.0${path}`, { auth: bearer(token), json });

describe("searches show only what the caller may read (default permission NO_PERMISSIONS)", () => {
  it("limits experiments/search and runs/search to readable experiments; admins see all", async () => {
    const owner = await createUser("owner");
    const other = await createUser("other");
    const name = uniqueName("private");
    const { experiment_id } = await asAdmin("POST", "/mlflow/experiments/create", { name });
    await asAdmin("POST", "/mlflow/experiments/permissions/create", { experiment_id, username: owner.username, permission: "MANAGE" });
    const run = await postAs(owner.token, "/mlflow/runs/create", { experiment_id, run_name: "secret-run" });
    expect(run.status).toBe(200);

    const experimentNames = async (token: string) =>
      ((await postAs(token, "/mlflow/experiments/search", { filter: `name = '${name}'` })).json.experiments ?? []).map((e: any) => e.name);
    const runNames = async (token: string) =>
      ((await postAs(token, "/mlflow/runs/search", { experiment_ids: [experiment_id] })).json.runs ?? []).map((r: any) => r.info.run_name);

    expect(await experimentNames(owner.token)).toEqual([name]);
    expect(await runNames(owner.token)).toEqual(["secret-run"]);
    expect(await experimentNames(other.token)).toEqual([]);
    expect(await runNames(other.token)).toEqual([]);
    const admin = (await asAdmin("POST", "/mlflow/runs/search", { experiment_ids: [experiment_id] })).runs;
    expect(admin.map((r: any) => r.info.run_name)).toEqual(["secret-run"]);

    await postAs(owner.token, "/mlflow/experiments/permissions/create", { experiment_id, username: other.username, permission: "READ" });
    expect(await experimentNames(other.token)).toEqual([name]);
    expect(await runNames(other.token)).toEqual(["secret-run"]);
  });
});
