import { beforeAll, describe, expect, it } from "vitest";
import { D1_CALLS_HEADER } from "../../src/app";
import { createExperiment, expectError, post, unique } from "../helpers/api";
import { RECORDED_RUN_IDS, RECORDED_SEARCHES } from "./run-search.recorded";

const T0 = 1700000000000;
const round4 = (x: number) => Math.round(x * 10000) / 10000;
const pick = <T>(list: T[], i: number) => list[i % list.length];

/** The 30 + 2 runs of the 03_search_runs recording, made the way its scenario made them. */
async function seed(main: string, other: string): Promise<Map<string, string>> {
  const ids = new Map<string, string>();
  for (let i = 0; i < 30; i++) {
    const name = i % 10 === 9 ? `Special Run ${i}` : `run-${String(i).padStart(2, "0")}`;
    const metrics = [
      { key: "acc", value: round4(i / 30), timestamp: T0 + i, step: 0 },
      { key: "loss", value: round4(1 - i / 30), timestamp: T0 + i, step: 0 },
      ...(i % 4 === 0 ? [{ key: "val loss", value: i / 100, timestamp: T0 + i, step: 0 }] : []),
    ];
    const params = [
      { key: "model", value: pick(["cnn", "rnn", "mlp"], i) },
      { key: "lr", value: pick(["0.1", "0.01", "0.001"], i) },
      { key: "layers", value: String(2 + (i % 5)) },
      ...(i % 5 === 0 ? [{ key: "p.dotted", value: i % 10 === 0 ? "x" : "y" }] : []),
    ];
    const tags = [
      { key: "parity", value: i % 2 ? "odd" : "even" },
      ...(i % 6 === 0 ? [{ key: "odd key.with dots and spaces", value: "yes" }] : []),
    ];
    const status = pick(["FINISHED", "FINISHED", "FAILED", "KILLED", undefined], i);
    const id = await createRun(main, name, T0 + i * 1000, [{ key: "team", value: pick(["ml", "ops", "research"], i) }, { key: "idx", value: String(i) }]);
    await ok(post("/runs/log-batch", { run_id: id, metrics, params, tags }));
    if (status) await ok(post("/runs/update", { run_id: id, status, end_time: T0 + i * 1000 + 500 }));
    ids.set(name, id);
  }
  for (const [i, acc] of [0.99, 0.49].entries()) {
    const id = await createRun(other, `other-${i}`, T0 + 100000 + i, [{ key: "team", value: "ml" }]);
    await ok(post("/runs/log-batch", { run_id: id, metrics: [{ key: "acc", value: acc, timestamp: T0, step: 0 }], params: [{ key: "model", value: "cnn" }] }));
    await ok(post("/runs/update", { run_id: id, status: "FINISHED", end_time: T0 + 100010 + i }));
    ids.set(`other-${i}`, id);
  }
  for (const name of ["run-03", "run-04"]) await ok(post("/runs/delete", { run_id: ids.get(name) }));
  return ids;
}

async function createRun(experiment_id: string, run_name: string, start_time: number, tags: { key: string; value: string }[]) {
  const r = await ok(post("/runs/create", { experiment_id, user_id: "unknown", run_name, start_time, tags }));
  return r.json.run.info.run_id as string;
}

async function ok(p: Promise<{ status: number; json: any }>) {
  const r = await p;
  if (r.status !== 200) throw new Error(`setup failed: ${r.status} ${JSON.stringify(r.json)}`);
  return r;
}

const names = (r: { json: any }) => (r.json.runs ?? []).map((run: any) => run.info.run_name);

describe("runs/search", () => {
  let main: string;
  let other: string;
  let ids: Map<string, string>;

  beforeAll(async () => {
    main = await createExperiment(unique("search-runs"));
    other = await createExperiment(unique("search-runs-other"));
    ids = await seed(main, other);
  });

  it("answers every search of the stock-server recording with the same runs in the same order", async () => {
    let token: string | undefined;
    for (const c of RECORDED_SEARCHES) {
      const body: Record<string, unknown> = { ...c.body, experiment_ids: c.exps.map((e) => (e === "main" ? main : other)) };
      if (typeof body.filter === "string") body.filter = mapRecordedIds(body.filter, ids);
      // Recorded tokens of real pages continue the previous answer; others are deliberately bad.
      if (c.body.page_token?.startsWith("eyJ")) body.page_token = token;
      const r = await post("/runs/search", body);
      if (c.status) {
        expect({ seq: c.seq, status: r.status, code: r.json.error_code }).toEqual({ seq: c.seq, status: c.status, code: "INVALID_PARAMETER_VALUE" });
        continue;
      }
      expect({ seq: c.seq, status: r.status, names: names(r), next: Boolean(r.json.next_page_token) }).toEqual({
        seq: c.seq,
        status: 200,
        names: c.names,
        next: c.next,
      });
      token = r.json.next_page_token;
    }
  });

  it("returns whole runs: info, latest metrics, params, tags", async () => {
    const r = await post("/runs/search", { experiment_ids: [main], filter: "attributes.run_name = 'run-12'" });
    expect(r.status).toBe(200);
    const [run] = r.json.runs;
    expect(run.info).toMatchObject({ run_id: ids.get("run-12"), run_uuid: ids.get("run-12"), status: "FAILED", start_time: T0 + 12000, end_time: T0 + 12500 });
    expect(run.data.metrics).toContainEqual({ key: "val loss", value: 0.12, timestamp: T0 + 12, step: 0 });
    expect(run.data.params).toEqual([{ key: "model", value: "cnn" }, { key: "lr", value: "0.1" }, { key: "layers", value: "4" }]);
    expect(run.data.tags).toContainEqual({ key: "odd key.with dots and spaces", value: "yes" });
  });

  it("answers {} without experiment ids or for an unknown experiment", async () => {
    for (const body of [{ max_results: 5 }, { experiment_ids: ["424242"] }, { experiment_ids: [] }]) {
      const r = await post("/runs/search", body);
      expect(r.status).toBe(200);
      expect(r.json).toEqual({});
    }
  });

  it("still validates the filter when there is nothing to search", async () => {
    expectError(await post("/runs/search", { filter: "a OR b" }), 400, "INVALID_PARAMETER_VALUE");
  });

  it("refuses bad requests with 400 INVALID_PARAMETER_VALUE", async () => {
    const bad = [
      { experiment_ids: [main], max_results: 0 },
      { experiment_ids: [main], max_results: 50001 },
      { experiment_ids: [main], max_results: "ten" },
      { experiment_ids: main },
      { experiment_ids: ["abc"] },
      { experiment_ids: [main], page_token: "xyz" },
      { experiment_ids: [main], page_token: btoa('{"foo": 1}') },
      { experiment_ids: [main], order_by: ["metrics.acc", "metric.acc DESC"] },
      { experiment_ids: [main], order_by: ["datasets.name"] },
      { experiment_ids: [main], filter: "params.`p.dotted` IS NULL" },
      { experiment_ids: [main], filter: "datasets.name IN ()" },
      { experiment_ids: [main], filter: "datasets.size = 'x'" },
    ];
    for (const body of bad) {
      const r = await post("/runs/search", body);
      expect({ body, status: r.status, code: r.json?.error_code }).toEqual({ body, status: 400, code: "INVALID_PARAMETER_VALUE" });
    }
  });

  it("accepts max_results at the limit and view types by name, number, or unknown (default)", async () => {
    const at = await post("/runs/search", { experiment_ids: [main], max_results: 50000, filter: "tags.team = 'ml'" });
    expect(names(at)).toHaveLength(9);
    const deleted = await post("/runs/search", { experiment_ids: [main], run_view_type: 2 });
    expect(names(deleted)).toEqual(["run-04", "run-03"]);
    const unknown = await post("/runs/search", { experiment_ids: [main], run_view_type: "NOPE", max_results: 1 });
    expect(names(unknown)).toEqual(["Special Run 29"]);
  });

  it("matches IN lists of any length with one bound parameter, dropping non-lower-case ids", async () => {
    const all = [...ids.values()];
    const list = [...all, ...Array.from({ length: 300 }, (_, i) => `nope${i}`), all[0].toUpperCase()].map((id) => `'${id}'`).join(", ");
    const r = await post("/runs/search", { experiment_ids: [main, other], filter: `run_id IN (${list})` });
    expect(names(r)).toHaveLength(30);
    const none = await post("/runs/search", { experiment_ids: [main], filter: `run_id IN ('${ids.get("run-05")!.toUpperCase()}')` });
    expect(none.json).toEqual({});
    const notIn = await post("/runs/search", { experiment_ids: [main], filter: `run_id NOT IN ('${ids.get("run-05")}')` });
    expect(names(notIn)).toHaveLength(27);
  });

  it("refuses a filter needing more than D1's 100 bound parameters as a user error", async () => {
    const filter = Array.from({ length: 60 }, (_, i) => `params.p${i} = 'x'`).join(" AND ");
    expectError(await post("/runs/search", { experiment_ids: [main], filter }), 400, "INVALID_PARAMETER_VALUE");
  });

  it("is served on POST only, under /api and /ajax-api, in one D1 round trip", async () => {
    const r = await post("/runs/search", { experiment_ids: [main], max_results: 7 });
    expect(names(r)).toHaveLength(7);
    expect(r.res.headers.get(D1_CALLS_HEADER)).toBe("1");
    const ajax = await SELF_post("/ajax-api/2.0/mlflow/runs/search", { experiment_ids: [main], max_results: 1 });
    expect(ajax.status).toBe(200);
    const get = await SELF_post("/api/2.0/mlflow/runs/search", undefined, "GET");
    expect(get.status).toBe(405);
  });
});

describe("runs/search over metric values", () => {
  it("compares latest values, sorts NaN after numbers and missing last in both directions, ±inf as stored", async () => {
    const exp = await createExperiment(unique("nan-order"));
    const made: Record<string, string> = {};
    const values: Record<string, number | string | undefined> = { a: 1, b: "NaN", c: undefined, d: -2, e: "Infinity", f: "-Infinity" };
    for (const [name, value] of Object.entries(values)) {
      made[name] = await createRun(exp, name, T0, []);
      const metrics = value === undefined ? [] : [{ key: "m", value: 100, timestamp: 1, step: 0 }, { key: "m", value, timestamp: 2, step: 1 }];
      await ok(post("/runs/log-batch", { run_id: made[name], metrics, params: value === undefined ? [] : [{ key: "p", value: name }] }));
    }
    const order = async (dir: string) => names(await post("/runs/search", { experiment_ids: [exp], order_by: [`metrics.m ${dir}`] }));
    expect(await order("ASC")).toEqual(["f", "d", "a", "e", "b", "c"]);
    expect(await order("DESC")).toEqual(["e", "a", "d", "f", "b", "c"]);
    const where = async (filter: string) => names(await post("/runs/search", { experiment_ids: [exp], filter, order_by: ["attributes.run_name"] }));
    expect(await where("metrics.m > 0")).toEqual(["a", "e"]);
    expect(await where("metrics.m < 50")).toEqual(["a", "b", "d", "f"]);
    expect(await where("metrics.m != 1")).toEqual(["b", "d", "e", "f"]);
    expect(await where("metrics.m >= 1.7976931348623157e308")).toEqual(["e"]);
    // Filtered and ordered on the same key: the test reads the row the order joins.
    const both = async (filter: string, by: string) => names(await post("/runs/search", { experiment_ids: [exp], filter, order_by: [by] }));
    expect(await both("metrics.m < 50", "metrics.m ASC")).toEqual(["f", "d", "a", "b"]);
    expect(await both("metrics.m != 1", "metrics.m DESC")).toEqual(["e", "d", "f", "b"]);
    expect(await both("tags.`mlflow.runName` != 'c'", "tags.`mlflow.runName` DESC")).toEqual(["f", "e", "d", "b", "a"]);
    expect(await both("params.p != 'a'", "params.p DESC")).toEqual(["f", "e", "d", "b"]);
    expect(await both("params.p LIKE '%'", "params.p ASC")).toEqual(["a", "b", "d", "e", "f"]);
  });
});

function mapRecordedIds(filter: string, ids: Map<string, string>): string {
  return filter.replace(/[0-9a-f]{32}/g, (id) => ids.get(RECORDED_RUN_IDS[id]) ?? id);
}

async function SELF_post(path: string, body: unknown, method = "POST") {
  const { SELF } = await import("cloudflare:test");
  const init: RequestInit = { method };
  if (body !== undefined) {
    init.body = JSON.stringify(body);
    init.headers = { "Content-Type": "application/json" };
  }
  return SELF.fetch(`http://mlflare.test${path}`, init);
}

describe("runs/search over dataset inputs", () => {
  it("matches runs with any input dataset whose name, digest or context matches", async () => {
    const exp = await createExperiment(unique("datasets"));
    const input = (name: string, digest: string, context?: string) => ({
      tags: context ? [{ key: "mlflow.data.context", value: context }] : [],
      dataset: { name, digest, source_type: "local", source: "/tmp/x" },
    });
    const runs: Record<string, ReturnType<typeof input>[]> = {
      both: [input("iris", "d1", "training"), input("wine", "d2", "eval")],
      iris: [input("iris", "d1", "eval")],
      none: [],
      upper: [input("Iris-Big", "d3")],
    };
    for (const [name, datasets] of Object.entries(runs)) {
      const id = await createRun(exp, name, T0, []);
      if (datasets.length) await ok(post("/runs/log-inputs", { run_id: id, datasets }));
    }
    const where = async (filter: string) =>
      names(await post("/runs/search", { experiment_ids: [exp], filter, order_by: ["attributes.run_name"] }));
    expect(await where("datasets.name = 'iris'")).toEqual(["both", "iris"]);
    expect(await where("dataset.name != 'iris'")).toEqual(["both", "upper"]);
    expect(await where("datasets.name LIKE 'Iris%'")).toEqual(["upper"]);
    expect(await where("datasets.name ILIKE 'iris%'")).toEqual(["both", "iris", "upper"]);
    expect(await where("datasets.digest IN ('d2', 'd3')")).toEqual(["both", "upper"]);
    expect(await where("datasets.digest NOT IN ('d1')")).toEqual(["both", "upper"]);
    expect(await where("datasets.context = 'training'")).toEqual(["both"]);
    expect(await where("datasets.context = 'eval' AND datasets.name = 'wine'")).toEqual(["both"]);
    expect(await where("datasets.context IN ('eval')")).toEqual(["both", "iris"]);
    // MLflow drops list entries that are not lower case, dataset names included.
    expect(await where("datasets.name IN ('Iris-Big')")).toEqual([]);
  });
});
