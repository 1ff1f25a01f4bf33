import { describe, expect, it } from "vitest";
import { createModelVersion, createRegisteredModel, del, expectError, get, patch, post, unique } from "../helpers/api";

describe("registered models", () => {
  it("creates with tags and description, gets it back", async () => {
    const name = unique("rm");
    const r = await post("/registered-models/create", { name, tags: [{ key: "team", value: "ml" }, { key: "tier", value: "gold" }], description: "first" });
    expect(r.status).toBe(200);
    expect(r.json.registered_model).toEqual({
      name,
      creation_timestamp: expect.any(Number),
      last_updated_timestamp: r.json.registered_model.creation_timestamp,
      description: "first",
      tags: [{ key: "team", value: "ml" }, { key: "tier", value: "gold" }],
    });
    const g = await get("/registered-models/get", { name });
    expect(g.json.registered_model).toEqual(r.json.registered_model);
  });

  it("omits an absent description and empty lists", async () => {
    const name = await createRegisteredModel();
    const g = await get("/registered-models/get", { name });
    expect(Object.keys(g.json.registered_model).sort()).toEqual(["creation_timestamp", "last_updated_timestamp", "name"]);
  });

  it("refuses duplicates, bad names and missing models", async () => {
    const name = await createRegisteredModel();
    expectError(await post("/registered-models/create", { name }), 400, "RESOURCE_ALREADY_EXISTS");
    expectError(await post("/registered-models/create", { name: "" }), 400, "INVALID_PARAMETER_VALUE");
    expectError(await post("/registered-models/create", { name: "   " }), 400, "INVALID_PARAMETER_VALUE");
    expectError(await post("/registered-models/create", { name: "a/b" }), 400, "INVALID_PARAMETER_VALUE");
    expectError(await post("/registered-models/create", { name: "a:b" }), 400, "INVALID_PARAMETER_VALUE");
    expectError(await post("/registered-models/create", { name: ".." }), 400, "INVALID_PARAMETER_VALUE");
    expectError(await post("/registered-models/create", { name: 7 }), 400, "INVALID_PARAMETER_VALUE");
    expectError(await post("/registered-models/create", { name: unique("t"), tags: [{ key: "../x", value: "v" }] }), 400, "INVALID_PARAMETER_VALUE");
    expectError(await post("/registered-models/create", { name: unique("t"), tags: [{ key: "k", value: "x".repeat(100_001) }] }), 400, "INVALID_PARAMETER_VALUE");
    expectError(await get("/registered-models/get", { name: "no-such-model" }), 404, "RESOURCE_DOES_NOT_EXIST");
    expectError(await get("/registered-models/get", {}), 400, "INVALID_PARAMETER_VALUE");
  });

  it("accepts a tag value of exactly 100000 characters", async () => {
    const name = await createRegisteredModel(unique("rm"), { tags: [{ key: "k", value: "x".repeat(100_000) }] });
    expect((await get("/registered-models/get", { name })).json.registered_model.tags[0].value).toHaveLength(100_000);
  });

  it("updates the description and bumps last_updated_timestamp", async () => {
    const name = await createRegisteredModel();
    const before = (await get("/registered-models/get", { name })).json.registered_model;
    await new Promise((r) => setTimeout(r, 5));
    const r = await patch("/registered-models/update", { name, description: "new" });
    expect(r.status).toBe(200);
    expect(r.json.registered_model.description).toBe("new");
    expect(r.json.registered_model.last_updated_timestamp).toBeGreaterThan(before.last_updated_timestamp);
    expectError(await patch("/registered-models/update", { name: "missing-model", description: "x" }), 404, "RESOURCE_DOES_NOT_EXIST");
  });

  it("renames a model with its versions, tags and aliases; refuses collisions", async () => {
    const name = await createRegisteredModel(unique("old"), { tags: [{ key: "k", value: "v" }] });
    await createModelVersion(name, { tags: [{ key: "vk", value: "vv" }] });
    await post("/registered-models/alias", { name, alias: "champ", version: "1" });
    const newName = unique("new");
    const r = await post("/registered-models/rename", { name, new_name: newName });
    expect(r.status).toBe(200);
    expect(r.json.registered_model).toMatchObject({ name: newName, tags: [{ key: "k", value: "v" }], aliases: [{ alias: "champ", version: "1" }] });
    expect(r.json.registered_model.latest_versions[0]).toMatchObject({ name: newName, version: "1", tags: [{ key: "vk", value: "vv" }] });
    expectError(await get("/registered-models/get", { name }), 404, "RESOURCE_DOES_NOT_EXIST");
    expect((await get("/model-versions/get", { name: newName, version: "1" })).json.model_version.aliases).toEqual(["champ"]);

    const other = await createRegisteredModel();
    expectError(await post("/registered-models/rename", { name: newName, new_name: other }), 400, "RESOURCE_ALREADY_EXISTS");
    expect((await get("/registered-models/get", { name: newName })).status).toBe(200);
    expectError(await post("/registered-models/rename", { name: unique("ghost"), new_name: unique("x") }), 404, "RESOURCE_DOES_NOT_EXIST");
    expectError(await post("/registered-models/rename", { name: newName, new_name: "a/b" }), 400, "INVALID_PARAMETER_VALUE");
    expectError(await post("/registered-models/rename", { name: newName }), 400, "INVALID_PARAMETER_VALUE");
  });

  it("renaming onto a missing model's name never touches another model", async () => {
    const existing = await createRegisteredModel();
    await createModelVersion(existing);
    const before = (await get("/registered-models/get", { name: existing })).json.registered_model;
    expectError(await post("/registered-models/rename", { name: unique("ghost"), new_name: existing }), 404, "RESOURCE_DOES_NOT_EXIST");
    expect((await get("/registered-models/get", { name: existing })).json.registered_model).toEqual(before);
  });

  it("hard-deletes a model with its versions; DELETE carries a JSON body", async () => {
    const name = await createRegisteredModel(unique("del"), { tags: [{ key: "k", value: "v" }] });
    await createModelVersion(name, { tags: [{ key: "vk", value: "vv" }] });
    await post("/registered-models/alias", { name, alias: "a", version: "1" });
    expect((await del("/registered-models/delete", { name })).json).toEqual({});
    expectError(await get("/registered-models/get", { name }), 404, "RESOURCE_DOES_NOT_EXIST");
    expectError(await get("/model-versions/get", { name, version: "1" }), 404, "RESOURCE_DOES_NOT_EXIST");
    expectError(await del("/registered-models/delete", { name }), 404, "RESOURCE_DOES_NOT_EXIST");
    // A model re-created under that name starts again at version 1, with no leftovers.
    await createRegisteredModel(name);
    const v = await createModelVersion(name);
    expect(v.version).toBe("1");
    expect(v.tags).toBeUndefined();
  });

  it("sets, overwrites (in place) and deletes tags without bumping last_updated", async () => {
    const name = await createRegisteredModel(unique("tags"), { tags: [{ key: "a", value: "1" }, { key: "b", value: "2" }] });
    const before = (await get("/registered-models/get", { name })).json.registered_model.last_updated_timestamp;
    expect((await post("/registered-models/set-tag", { name, key: "c", value: "3" })).json).toEqual({});
    await post("/registered-models/set-tag", { name, key: "a", value: "one" });
    let rm = (await get("/registered-models/get", { name })).json.registered_model;
    expect(rm.tags).toEqual([{ key: "a", value: "one" }, { key: "b", value: "2" }, { key: "c", value: "3" }]);
    expect(rm.last_updated_timestamp).toBe(before);
    expect((await del("/registered-models/delete-tag", { name, key: "b" })).status).toBe(200);
    expect((await del("/registered-models/delete-tag", { name, key: "never-set" })).status).toBe(200);
    rm = (await get("/registered-models/get", { name })).json.registered_model;
    expect(rm.tags).toEqual([{ key: "a", value: "one" }, { key: "c", value: "3" }]);
    expectError(await post("/registered-models/set-tag", { name: "missing-model", key: "k", value: "v" }), 404, "RESOURCE_DOES_NOT_EXIST");
    expectError(await del("/registered-models/delete-tag", { name: "missing-model", key: "k" }), 404, "RESOURCE_DOES_NOT_EXIST");
    expectError(await post("/registered-models/set-tag", { name, key: "a//b", value: "v" }), 400, "INVALID_PARAMETER_VALUE");
    expectError(await post("/registered-models/set-tag", { name, value: "v" }), 400, "INVALID_PARAMETER_VALUE");
    expectError(await post("/registered-models/set-tag", { name, key: "k".repeat(251), value: "v" }), 400, "INVALID_PARAMETER_VALUE");
  });

  it("sets, moves, gets and deletes aliases on one path with three methods", async () => {
    const name = await createRegisteredModel();
    await createModelVersion(name);
    await createModelVersion(name);
    expect((await post("/registered-models/alias", { name, alias: "champion", version: "1" })).json).toEqual({});
    await post("/registered-models/alias", { name, alias: "challenger", version: "2" });
    let rm = (await get("/registered-models/get", { name })).json.registered_model;
    expect(rm.aliases).toEqual([{ alias: "challenger", version: "2" }, { alias: "champion", version: "1" }]);
    expect(rm.latest_versions[0].aliases).toBeUndefined();

    const byAlias = await get("/registered-models/alias", { name, alias: "champion" });
    expect(byAlias.json.model_version).toMatchObject({ name, version: "1", aliases: ["champion"], status: "READY" });
    await post("/registered-models/alias", { name, alias: "challenger", version: "1" });
    expect((await get("/model-versions/get", { name, version: "1" })).json.model_version.aliases).toEqual(["challenger", "champion"]);
    expect((await del("/registered-models/alias", { name, alias: "challenger" })).json).toEqual({});
    expect((await del("/registered-models/alias", { name, alias: "challenger" })).status).toBe(200);
    rm = (await get("/registered-models/get", { name })).json.registered_model;
    expect(rm.aliases).toEqual([{ alias: "champion", version: "1" }]);
  });

  it("alias errors: unknown alias is 400, reserved names, missing version or model", async () => {
    const name = await createRegisteredModel();
    await createModelVersion(name);
    expectError(await get("/registered-models/alias", { name, alias: "no-such-alias" }), 400, "INVALID_PARAMETER_VALUE");
    expectError(await get("/registered-models/alias", { name: "missing-model", alias: "a" }), 404, "RESOURCE_DOES_NOT_EXIST");
    expectError(await post("/registered-models/alias", { name, alias: "latest", version: "1" }), 400, "INVALID_PARAMETER_VALUE");
    expectError(await post("/registered-models/alias", { name, alias: "LaTeSt", version: "1" }), 400, "INVALID_PARAMETER_VALUE");
    expectError(await post("/registered-models/alias", { name, alias: "v1", version: "1" }), 400, "INVALID_PARAMETER_VALUE");
    expectError(await post("/registered-models/alias", { name, alias: "V12", version: "1" }), 400, "INVALID_PARAMETER_VALUE");
    expectError(await post("/registered-models/alias", { name, alias: "bad alias!", version: "1" }), 400, "INVALID_PARAMETER_VALUE");
    expectError(await post("/registered-models/alias", { name, alias: "a".repeat(256), version: "1" }), 400, "INVALID_PARAMETER_VALUE");
    expect((await post("/registered-models/alias", { name, alias: "a".repeat(255), version: "1" })).status).toBe(200);
    expectError(await post("/registered-models/alias", { name, alias: "ghost", version: "99" }), 404, "RESOURCE_DOES_NOT_EXIST");
    expectError(await post("/registered-models/alias", { name, alias: "ghost", version: "abc" }), 400, "INVALID_PARAMETER_VALUE");
    expectError(await del("/registered-models/alias", { name: "missing-model", alias: "a" }), 404, "RESOURCE_DOES_NOT_EXIST");
  });

  it("get-by-alias 'latest' is the newest live version", async () => {
    const name = await createRegisteredModel();
    expectError(await get("/registered-models/alias", { name, alias: "latest" }), 404, "RESOURCE_DOES_NOT_EXIST");
    await createModelVersion(name);
    await createModelVersion(name);
    await post("/model-versions/transition-stage", { name, version: "1", stage: "Production" });
    expect((await get("/registered-models/alias", { name, alias: "Latest" })).json.model_version.version).toBe("2");
    await del("/model-versions/delete", { name, version: "2" });
    expect((await get("/registered-models/alias", { name, alias: "latest" })).json.model_version.version).toBe("1");
  });

  it("get-latest-versions by POST and GET, per stage, with aliases", async () => {
    const name = await createRegisteredModel();
    for (let i = 0; i < 4; i++) await createModelVersion(name);
    await post("/model-versions/transition-stage", { name, version: "1", stage: "Staging" });
    await post("/model-versions/transition-stage", { name, version: "2", stage: "Production" });
    await post("/registered-models/alias", { name, alias: "best", version: "2" });
    const all = await post("/registered-models/get-latest-versions", { name });
    expect(all.json.model_versions.map((v: any) => [v.version, v.current_stage])).toEqual([["1", "Staging"], ["2", "Production"], ["4", "None"]]);
    expect(all.json.model_versions[1].aliases).toEqual(["best"]);
    const prod = await get("/registered-models/get-latest-versions", { name, stages: ["production"] });
    expect(prod.json.model_versions.map((v: any) => v.version)).toEqual(["2"]);
    const archived = await get("/registered-models/get-latest-versions", { name, stages: "Archived" });
    expect(archived.json).toEqual({});
    expectError(await post("/registered-models/get-latest-versions", { name, stages: ["Bogus"] }), 400, "INVALID_PARAMETER_VALUE");
    expectError(await post("/registered-models/get-latest-versions", { name: "missing-model" }), 404, "RESOURCE_DOES_NOT_EXIST");
  });

  it("costs one D1 round trip per read or write, two per search", async () => {
    const trips = (r: { res: Response }) => Number(r.res.headers.get("X-Mlflare-D1-Calls"));
    const name = unique("trips");
    expect(trips(await post("/registered-models/create", { name, tags: [{ key: "k", value: "v" }] }))).toBe(1);
    expect(trips(await post("/model-versions/create", { name, source: "mlflow-artifacts:/1/m", tags: [{ key: "k", value: "v" }] }))).toBe(1);
    expect(trips(await get("/registered-models/get", { name }))).toBe(1);
    expect(trips(await patch("/registered-models/update", { name, description: "d" }))).toBe(1);
    expect(trips(await post("/registered-models/alias", { name, alias: "a", version: "1" }))).toBe(1);
    expect(trips(await get("/registered-models/alias", { name, alias: "a" }))).toBe(1);
    expect(trips(await post("/model-versions/transition-stage", { name, version: "1", stage: "Staging", archive_existing_versions: true }))).toBe(1);
    expect(trips(await post("/registered-models/get-latest-versions", { name }))).toBe(1);
    expect(trips(await get("/registered-models/search", { filter: `name = '${name}'` }))).toBe(2);
    expect(trips(await get("/model-versions/search", { filter: `name = '${name}'` }))).toBe(2);
    const renamed = unique("trips-renamed");
    expect(trips(await post("/registered-models/rename", { name, new_name: renamed }))).toBe(1);
    expect(trips(await del("/model-versions/delete", { name: renamed, version: "1" }))).toBe(1);
    expect(trips(await del("/registered-models/delete", { name: renamed }))).toBe(1);
  });

  it("answers on /ajax-api too and 405s wrong methods", async () => {
    const name = await createRegisteredModel();
    const { SELF } = await import("cloudflare:test");
    const r = await SELF.fetch(`http://mlflare.test/ajax-api/2.0/mlflow/registered-models/get?name=${name}`);
    expect(r.status).toBe(200);
    const wrong = await SELF.fetch("http://mlflare.test/api/2.0/mlflow/registered-models/create", { method: "PATCH" });
    expect(wrong.status).toBe(405);
  });
});

describe("registered models search", () => {
  const prefix = unique("srch");
  const a = `${prefix}-a`;
  const b = `${prefix}-b`;
  const c = `${prefix}-c`;
  const prompt = `${prefix}-prompt`;
  const client = (filter?: string) => (filter ? `${filter} AND tag.\`mlflow.prompt.is_prompt\` != 'true'` : "tag.`mlflow.prompt.is_prompt` != 'true'");
  const names = (r: any) => (r.json.registered_models ?? []).map((m: any) => m.name);

  it("sets up", async () => {
    await createRegisteredModel(b, { tags: [{ key: "team", value: "ml" }] });
    await createRegisteredModel(a, { tags: [{ key: "team", value: "ops" }] });
    await createRegisteredModel(c);
    await createRegisteredModel(prompt, { tags: [{ key: "mlflow.prompt.is_prompt", value: "true" }] });
    await createModelVersion(b);
  });

  it("matches models lacking the prompt tag under the client's appended clause, and hides prompts", async () => {
    const r = await get("/registered-models/search", { filter: client(`name LIKE '${prefix}%'`) });
    expect(names(r)).toEqual([a, b, c]);
    expect(names(await get("/registered-models/search", { filter: `name LIKE '${prefix}%'` }))).toEqual([a, b, c]);
    expect(names(await get("/registered-models/search", { filter: `name LIKE '${prefix}%' AND tags.\`mlflow.prompt.is_prompt\` = 'false'` }))).toEqual([a, b, c]);
    expect(names(await get("/registered-models/search", { filter: `name LIKE '${prefix}%' AND tags.\`mlflow.prompt.is_prompt\` = 'true'` }))).toEqual([prompt]);
  });

  it("filters by name (=, !=, LIKE case-sensitive, ILIKE) and tags", async () => {
    expect(names(await get("/registered-models/search", { filter: client(`name = '${a}'`) }))).toEqual([a]);
    expect(names(await get("/registered-models/search", { filter: client(`name LIKE '${prefix}%' AND name != '${a}'`) }))).toEqual([b, c]);
    expect(names(await get("/registered-models/search", { filter: client(`name LIKE '${prefix.toUpperCase()}%'`) }))).toEqual([]);
    expect(names(await get("/registered-models/search", { filter: client(`name ILIKE '${prefix.toUpperCase()}%'`) }))).toEqual([a, b, c]);
    expect(names(await get("/registered-models/search", { filter: client(`name LIKE '${prefix}-_'`) }))).toEqual([a, b, c]);
    expect(names(await get("/registered-models/search", { filter: client(`name LIKE '${prefix}%' AND tags.team = 'ml'`) }))).toEqual([b]);
    // A model lacking the tag never matches a != on it.
    expect(names(await get("/registered-models/search", { filter: client(`name LIKE '${prefix}%' AND tag.team != 'ml'`) }))).toEqual([a]);
    expect(names(await get("/registered-models/search", { filter: client(`name LIKE '${prefix}%' AND attribute.name = "${c}"`) }))).toEqual([c]);
  });

  it("orders and pages", async () => {
    const desc = await get("/registered-models/search", { filter: client(`name LIKE '${prefix}%'`), order_by: ["name DESC"] });
    expect(names(desc)).toEqual([c, b, a]);
    const byUpdate = await get("/registered-models/search", { filter: client(`name LIKE '${prefix}%'`), order_by: ["last_updated_timestamp DESC"] });
    expect(names(byUpdate)[0]).toBe(b);
    const first = await get("/registered-models/search", { filter: client(`name LIKE '${prefix}%'`), max_results: 2 });
    expect(names(first)).toEqual([a, b]);
    expect(first.json.next_page_token).toEqual(expect.any(String));
    const second = await get("/registered-models/search", { filter: client(`name LIKE '${prefix}%'`), max_results: 2, page_token: first.json.next_page_token });
    expect(names(second)).toEqual([c]);
    expect(second.json.next_page_token).toBeUndefined();
    const bModel = (await get("/registered-models/search", { filter: client(`name = '${b}'`) })).json.registered_models[0];
    expect(bModel.latest_versions[0]).toMatchObject({ version: "1", status: "READY" });
  });

  it("refuses bad filters, order_by, tokens and page sizes", async () => {
    expectError(await get("/registered-models/search", { filter: "version_number = 1" }), 400, "INVALID_PARAMETER_VALUE");
    expectError(await get("/registered-models/search", { filter: "name = 'a' OR name = 'b'" }), 400, "INVALID_PARAMETER_VALUE");
    expectError(await get("/registered-models/search", { filter: "name > 'a'" }), 400, "INVALID_PARAMETER_VALUE");
    expectError(await get("/registered-models/search", { filter: "name = 1" }), 400, "INVALID_PARAMETER_VALUE");
    expectError(await get("/registered-models/search", { filter: "metrics.x = 'a'" }), 400, "INVALID_PARAMETER_VALUE");
    expectError(await get("/registered-models/search", { filter: "tags.x IS NULL" }), 400, "INVALID_PARAMETER_VALUE");
    expectError(await get("/registered-models/search", { order_by: ["bogus"] }), 400, "INVALID_PARAMETER_VALUE");
    expectError(await get("/registered-models/search", { order_by: ["timestamp", "last_updated_timestamp"] }), 400, "INVALID_PARAMETER_VALUE");
    expectError(await get("/registered-models/search", { order_by: ["name sideways"] }), 400, "INVALID_PARAMETER_VALUE");
    expectError(await get("/registered-models/search", { page_token: "xyz" }), 400, "INVALID_PARAMETER_VALUE");
    expectError(await get("/registered-models/search", { max_results: 1001 }), 400, "INVALID_PARAMETER_VALUE");
    expect((await get("/registered-models/search", { max_results: 1000 })).status).toBe(200);
    const zero = await get("/registered-models/search", { max_results: 0 });
    expect(zero.status).toBe(200);
    expect(zero.json.registered_models).toBeUndefined();
  });
});
