import { beforeAll, describe, expect, it } from "vitest";
import { call, expectError, get, post } from "../helpers/api";

const names = (r: { json: any }) => (r.json.experiments ?? []).map((e: any) => e.name);
const search = (body: Record<string, unknown>) => post("/experiments/search", { max_results: 1000, view_type: "ACTIVE_ONLY", ...body });
const tick = () => new Promise((resolve) => setTimeout(resolve, 3));

/** The experiments of the 01_experiments recording (this file's storage is its own). */
async function seed(): Promise<Record<string, string>> {
  const made: Record<string, string> = {};
  const bodies = [
    { name: "exp-alpha" },
    { name: "exp-beta", artifact_location: "mlflow-artifacts:/custom-location/beta", tags: [{ key: "team", value: "ml" }, { key: "priority", value: "high" }] },
    { name: "exp-gamma", tags: [{ key: "team", value: "ops" }, { key: "priority", value: "low" }] },
    { name: "other-delta", tags: [{ key: "team", value: "ml" }] },
    { name: "Exp-Epsilon Upper", tags: [{ key: "k with space", value: "v 1" }] },
    { name: "zeta.dotted/name" },
  ];
  for (const body of bodies) {
    // Creation times must differ for the default order to be the recorded one.
    await tick();
    const r = await post("/experiments/create", body);
    if (r.status !== 200) throw new Error(JSON.stringify(r.json));
    made[body.name] = r.json.experiment_id;
  }
  return made;
}

const ALL_BY_CREATION = ["zeta.dotted/name", "Exp-Epsilon Upper", "other-delta", "exp-gamma", "exp-beta", "exp-alpha", "Default"];
const ALL_BY_NAME = ["Default", "Exp-Epsilon Upper", "exp-alpha", "exp-beta", "exp-gamma", "other-delta", "zeta.dotted/name"];

describe("experiments/search", () => {
  let ids: Record<string, string>;
  beforeAll(async () => {
    ids = await seed();
  });

  it("lists active experiments newest first, with their tags in the order set, in one D1 round trip", async () => {
    const r = await search({});
    expect(r.status).toBe(200);
    expect(names(r)).toEqual(ALL_BY_CREATION);
    expect(r.json.next_page_token).toBeUndefined();
    const beta = r.json.experiments.find((e: any) => e.name === "exp-beta");
    expect(beta).toEqual({
      experiment_id: ids["exp-beta"],
      name: "exp-beta",
      artifact_location: "mlflow-artifacts:/custom-location/beta",
      lifecycle_stage: "active",
      creation_time: expect.any(Number),
      last_update_time: expect.any(Number),
      tags: [{ key: "team", value: "ml" }, { key: "priority", value: "high" }],
    });
    expect(r.json.experiments.find((e: any) => e.name === "exp-alpha").tags).toBeUndefined();
    expect(r.res.headers.get("X-Mlflare-D1-Calls")).toBe("1");
  });

  it.each([
    ["name LIKE 'exp-%'", ["exp-gamma", "exp-beta", "exp-alpha"]],
    ["name ILIKE 'exp-%'", ["Exp-Epsilon Upper", "exp-gamma", "exp-beta", "exp-alpha"]],
    ["name = 'exp-gamma'", ["exp-gamma"]],
    ["name != 'exp-gamma'", ["zeta.dotted/name", "Exp-Epsilon Upper", "other-delta", "exp-beta", "exp-alpha", "Default"]],
    ["tags.team = 'ml'", ["other-delta", "exp-beta"]],
    ["tags.team = 'ml' AND tags.priority = 'high'", ["exp-beta"]],
    ["tags.priority LIKE 'h%'", ["exp-beta"]],
    ["tags.`k with space` = 'v 1'", ["Exp-Epsilon Upper"]],
    ['tag."k with space" ILIKE "V _"', ["Exp-Epsilon Upper"]],
    ["attribute.name LIKE '%.%/%'", ["zeta.dotted/name"]],
    ["name LIKE 'exp_%' and tags.team != 'ml'", ["exp-gamma"]],
    ["tags.priority IS NULL", ["zeta.dotted/name", "Exp-Epsilon Upper", "other-delta", "exp-alpha", "Default"]],
    ["tags.priority IS NOT NULL", ["exp-gamma", "exp-beta"]],
    ["creation_time >= 0 AND last_update_time > 0", ALL_BY_CREATION],
    ["creation_time < 0", []],
  ])("filters %s as the recording and MLflow's rules say", async (filter, expected) => {
    const r = await search({ filter });
    expect(r.status).toBe(200);
    expect(names(r)).toEqual(expected);
  });

  it("orders by any key, with experiment_id DESC as the tie-break of explicit orders", async () => {
    expect(names(await search({ order_by: ["name DESC"] }))).toEqual([...ALL_BY_NAME].reverse());
    expect(names(await search({ order_by: ["name ASC"] }))).toEqual(ALL_BY_NAME);
    expect(names(await search({ order_by: ["creation_time DESC"] }))).toEqual(ALL_BY_CREATION);
    expect(names(await search({ order_by: ["last_update_time ASC", "experiment_id ASC"] }))).toEqual([
      "Default", "exp-alpha", "exp-beta", "exp-gamma", "other-delta", "Exp-Epsilon Upper", "zeta.dotted/name",
    ]);
    expect(names(await search({ order_by: ["experiment_id"] }))).toEqual([...ALL_BY_CREATION].reverse());
  });

  it("pages with opaque tokens and none on the last page", async () => {
    const seen: string[] = [];
    let token: string | undefined;
    const pages: number[] = [];
    do {
      const r = await search({ max_results: 2, order_by: ["name ASC"], ...(token ? { page_token: token } : {}) });
      expect(r.status).toBe(200);
      seen.push(...names(r));
      pages.push(names(r).length);
      token = r.json.next_page_token;
    } while (token);
    expect(seen).toEqual(ALL_BY_NAME);
    expect(pages).toEqual([2, 2, 2, 1]);
    const exact = await search({ max_results: 7 });
    expect(exact.json.next_page_token).toBeUndefined();
  });

  it("is served on GET with query parameters too", async () => {
    const r = await get("/experiments/search", { max_results: 3, filter: "name LIKE 'exp-%'", order_by: "name DESC" });
    expect(r.status).toBe(200);
    expect(names(r)).toEqual(["exp-gamma", "exp-beta", "exp-alpha"]);
    const ajax = await call("GET", "/ajax-api/2.0/mlflow/experiments/search?max_results=1");
    expect(names(ajax)).toEqual(["zeta.dotted/name"]);
  });

  it("follows view types through delete and restore", async () => {
    await post("/experiments/delete", { experiment_id: ids["exp-gamma"] });
    expect(names(await search({ view_type: "DELETED_ONLY" }))).toEqual(["exp-gamma"]);
    expect(names(await search({ view_type: "ALL", order_by: ["name ASC"] }))).toEqual(ALL_BY_NAME);
    expect(names(await search({ view_type: 2 }))).toEqual(["exp-gamma"]);
    expect(names(await search({}))).not.toContain("exp-gamma");
    // An unknown enum number is dropped by MLflow's proto parser: the default view.
    expect(names(await search({ view_type: 7 }))).not.toContain("exp-gamma");
    await post("/experiments/restore", { experiment_id: ids["exp-gamma"] });
    expect(names(await search({}))).toEqual(ALL_BY_CREATION);
  });

  it.each([
    [{ filter: "name = 'a' OR name = 'b'" }],
    [{ filter: "foo.name = 'a'" }],
    [{ filter: "attr.name = 'a'" }],
    [{ filter: "color = 'red'" }],
    [{ filter: "name > 'a'" }],
    [{ filter: "name = 5" }],
    [{ filter: "name = exp" }],
    [{ filter: "name IN ('a', 'b')" }],
    [{ filter: "name IS NULL" }],
    [{ filter: "creation_time = '5'" }],
    [{ filter: "creation_time LIKE 5" }],
    [{ filter: "tags.team > 'a'" }],
    [{ filter: "tags.team = 'ml" }],
    [{ filter: "(name = 'a')" }],
    [{ filter: "name = 'a' AND" }],
    [{ order_by: ["foo DESC"] }],
    [{ order_by: ["tags.team"] }],
    [{ order_by: ["name SIDEWAYS"] }],
    [{ view_type: "SOMETIMES" }],
    [{ max_results: 0 }],
    [{ max_results: -5 }],
    [{ max_results: 50001 }],
    [{ max_results: "ten" }],
    [{ page_token: "xyz" }],
  ])("refuses %j with 400 INVALID_PARAMETER_VALUE", async (body) => {
    expectError(await search(body), 400, "INVALID_PARAMETER_VALUE");
  });

  it("accepts max_results at its limit", async () => {
    expect(names(await search({ max_results: 50000 }))).toHaveLength(7);
  });
});
