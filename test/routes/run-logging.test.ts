import { describe, expect, it } from "vitest";
import { call, createExperiment, expectError, get, post } from "../helpers/api";

async function newRun(): Promise<string> {
  const r = await post("/runs/create", { experiment_id: await createExperiment(), start_time: 1 });
  return r.json.run.info.run_id;
}
const runData = async (run_id: string) => (await get("/runs/get", { run_id })).json.run.data;
/** A metric's whole history by step (then value). */
const historyByStep = async (run_id: string, metric_key: string) =>
  (await get("/metrics/get-history", { run_id, metric_key })).json.metrics.sort((a: any, b: any) => a.step - b.step || a.value - b.value);

describe("log-metric", () => {
  it("keeps the latest value per key by (step, timestamp, value)", async () => {
    const run_id = await newRun();
    for (const [value, timestamp, step] of [[1, 10, 0], [0.5, 11, 2], [0.9, 12, 1], [0.4, 9, 2]]) {
      expect((await post("/runs/log-metric", { run_id, key: "loss", value, timestamp, step })).status).toBe(200);
    }
    expect((await runData(run_id)).metrics).toEqual([{ key: "loss", value: 0.5, timestamp: 11, step: 2 }]);
  });

  it("stores NaN as NaN and infinities as ±max double, deduplicating identical points", async () => {
    const run_id = await newRun();
    expect((await post("/runs/log-metric", { run_id, key: "w", value: "NaN", timestamp: 1, step: 0 })).status).toBe(200);
    await post("/runs/log-metric", { run_id, key: "w", value: "Infinity", timestamp: 1, step: 1 });
    await post("/runs/log-metric", { run_id, key: "w", value: "-Infinity", timestamp: 1, step: 2 });
    await post("/runs/log-metric", { run_id, key: "w", value: "-Infinity", timestamp: 1, step: 2 });
    const h = await get("/metrics/get-history", { run_id, metric_key: "w" });
    expect(h.json.metrics.map((m: any) => m.value)).toEqual(["NaN", 1.7976931348623157e308, -1.7976931348623157e308]);
  });

  it("validates key, value, timestamp and step", async () => {
    const run_id = await newRun();
    expectError(await post("/runs/log-metric", { run_id, key: "bad key!", value: 1, timestamp: 1 }), 400, "INVALID_PARAMETER_VALUE");
    expectError(await post("/runs/log-metric", { run_id, key: "m", value: "abc", timestamp: 1 }), 400, "INVALID_PARAMETER_VALUE");
    expectError(await post("/runs/log-metric", { run_id, key: "m", value: true, timestamp: 1 }), 400, "INVALID_PARAMETER_VALUE");
    expectError(await post("/runs/log-metric", { run_id, key: "m", value: 1 }), 400, "INVALID_PARAMETER_VALUE");
    expectError(await post("/runs/log-metric", { run_id, key: "m", value: 1, timestamp: 1, step: "one" }), 400, "INVALID_PARAMETER_VALUE");
    expectError(await post("/runs/log-metric", { run_id: "0".repeat(32), key: "m", value: 1, timestamp: 1 }), 404, "RESOURCE_DOES_NOT_EXIST");
    expect((await post("/runs/log-metric", { run_id, key: "m", value: "2.5", timestamp: "7", step: "3" })).status).toBe(200);
    expectError(await post("/runs/log-metric", { run_id, key: "m", value: 1, timestamp: -5 }), 400, "INVALID_PARAMETER_VALUE");
    expectError(await post("/runs/log-metric", { run_id, key: "m", value: 1, timestamp: 1e20 }), 400, "INVALID_PARAMETER_VALUE");
    expectError(await get("/metrics/get-history", { run_id, metric_key: "m", max_results: "99999999999999999999" }), 400, "INVALID_PARAMETER_VALUE");
    expectError(await get("/metrics/get-history", { run_id, metric_key: "m", page_token: btoa('{"offset": 1e300}') }), 400, "INVALID_PARAMETER_VALUE");
  });
});

describe("params", () => {
  it("are immutable: same value is a no-op, another value is refused", async () => {
    const run_id = await newRun();
    expect((await post("/runs/log-parameter", { run_id, key: "lr", value: "0.1" })).status).toBe(200);
    expect((await post("/runs/log-parameter", { run_id, key: "lr", value: "0.1" })).status).toBe(200);
    expectError(await post("/runs/log-parameter", { run_id, key: "lr", value: "0.2" }), 400, "INVALID_PARAMETER_VALUE");
    expect((await runData(run_id)).params).toEqual([{ key: "lr", value: "0.1" }]);
  });

  it("truncates long values and refuses bad keys", async () => {
    const run_id = await newRun();
    await post("/runs/log-parameter", { run_id, key: "long", value: "v".repeat(6001) });
    expect((await runData(run_id)).params[0].value).toHaveLength(6000);
    for (const key of ["a//b", "/abs", "../x", "a/", "k".repeat(251)]) {
      expectError(await post("/runs/log-parameter", { run_id, key, value: "1" }), 400, "INVALID_PARAMETER_VALUE");
    }
  });
});

describe("tags", () => {
  it("upsert, truncate at 8000 and delete", async () => {
    const run_id = await newRun();
    await post("/runs/set-tag", { run_id, key: "stage", value: "dev" });
    await post("/runs/set-tag", { run_id, key: "stage", value: "prod" });
    await post("/runs/set-tag", { run_id, key: "long", value: "t".repeat(8001) });
    const tags = (await runData(run_id)).tags;
    expect(tags).toContainEqual({ key: "stage", value: "prod" });
    expect(tags.find((t: any) => t.key === "long").value).toHaveLength(8000);
    expect((await post("/runs/delete-tag", { run_id, key: "stage" })).status).toBe(200);
    expectError(await post("/runs/delete-tag", { run_id, key: "stage" }), 404, "RESOURCE_DOES_NOT_EXIST");
  });
});

describe("list order", () => {
  it("lists params, tags and latest metrics in the order their keys were first logged, across requests", async () => {
    const run_id = await newRun();
    await post("/runs/log-batch", { run_id, params: [{ key: "zeta", value: "1" }, { key: "alpha", value: "2" }], tags: [{ key: "z", value: "1" }] });
    await post("/runs/log-parameter", { run_id, key: "mid", value: "3" });
    await post("/runs/set-tag", { run_id, key: "a", value: "2" });
    await post("/runs/set-tag", { run_id, key: "z", value: "updated" });
    await post("/runs/log-batch", { run_id, metrics: [{ key: "y", value: 1, timestamp: 1 }, { key: "b", value: 2, timestamp: 1 }] });
    await post("/runs/log-metric", { run_id, key: "c", value: 3, timestamp: 1 });
    await post("/runs/log-metric", { run_id, key: "y", value: 4, timestamp: 2 });
    await post("/runs/update", { run_id, run_name: "renamed" });
    const data = await runData(run_id);
    expect(data.params.map((p: { key: string }) => p.key)).toEqual(["zeta", "alpha", "mid"]);
    // runs/create wrote mlflow.runName first; renaming keeps its place, as set-tag of "z" does.
    expect(data.tags.filter((t: { key: string }) => !t.key.startsWith("mlflow.") || t.key === "mlflow.runName")).toEqual([
      { key: "mlflow.runName", value: "renamed" },
      { key: "z", value: "updated" },
      { key: "a", value: "2" },
    ]);
    expect(data.metrics.map((m: { key: string; value: number }) => [m.key, m.value])).toEqual([["y", 4], ["b", 2], ["c", 3]]);
  });
});

describe("log-batch", () => {
  it("writes a full batch of 800 metrics, 100 params and 100 tags", async () => {
    const run_id = await newRun();
    const metrics = Array.from({ length: 800 }, (_, i) => ({ key: `m${i % 8}`, value: i, timestamp: 1000 + i, step: i }));
    const params = Array.from({ length: 100 }, (_, i) => ({ key: `p${i}`, value: `v${i}` }));
    const tags = Array.from({ length: 100 }, (_, i) => ({ key: `t${i}`, value: `v${i}` }));
    const r = await post("/runs/log-batch", { run_id, metrics, params, tags });
    expect(r.status).toBe(200);
    expect(Number(r.res.headers.get("X-Mlflare-D1-Calls"))).toBeLessThanOrEqual(2);
    const data = await runData(run_id);
    expect(data.metrics).toHaveLength(8);
    expect(data.metrics.find((m: any) => m.key === "m7")).toEqual({ key: "m7", value: 799, timestamp: 1799, step: 799 });
    expect(data.params).toHaveLength(100);
    expect(data.tags.filter((t: any) => t.key.startsWith("t"))).toHaveLength(100);
    const h = await get("/metrics/get-history", { run_id, metric_key: "m0" });
    expect(h.json.metrics).toHaveLength(100);
  });

  it("keeps every point of a batch exactly: any double, repeated (step, timestamp), extreme steps, any valid key", async () => {
    const run_id = await newRun();
    const doubles = [5e-324, -2.2250738585072014e-308, 0.1 + 0.2, 1e20, 2 ** 53 + 2, -123456789.98765433, 1 / 3, 7];
    const keys = ["loss", "ünï cödé/x y.z-1", "a b", "0"];
    const metrics = doubles.flatMap((value, i) => keys.map((key) => ({ key, value, timestamp: 1_700_000_000_000 + (i % 3), step: i - 4 })));
    metrics.push({ key: "loss", value: 0.25, timestamp: 1_700_000_000_000, step: -4 }, { key: "loss", value: "NaN" as any, timestamp: 5, step: Number.MAX_SAFE_INTEGER });
    const timestampsApart = [{ key: "loss", value: 1, timestamp: Number.MAX_SAFE_INTEGER, step: 100 }, { key: "loss", value: 2, timestamp: 0, step: 100 }];
    metrics.push(...timestampsApart);
    expect((await post("/runs/log-batch", { run_id, metrics })).status).toBe(200);
    const history = (key: string) => historyByStep(run_id, key);
    for (const key of keys.slice(1)) {
      expect(await history(key)).toEqual(doubles.map((value, i) => ({ key, value, timestamp: 1_700_000_000_000 + (i % 3), step: i - 4 })));
    }
    const loss = await history("loss");
    expect(loss).toHaveLength(doubles.length + 4);
    expect(loss.filter((m: any) => m.step === -4).map((m: any) => m.value)).toEqual([5e-324, 0.25]);
    expect(loss.filter((m: any) => m.step === 100)).toEqual(timestampsApart);
    expect(loss.at(-1)).toEqual({ key: "loss", value: "NaN", timestamp: 5, step: Number.MAX_SAFE_INTEGER });
  });

  it("stores doubles of every magnitude exactly, in the history and as latest values", async () => {
    const run_id = await newRun();
    const bits = new DataView(new ArrayBuffer(8));
    let seed = 12345;
    const random32 = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0);
    const doubles: number[] = [5e-324, -5e-324, 2.2250738585072014e-308, 1.7976931348623157e308, 1e-300, 123456789e280];
    while (doubles.length < 400) {
      bits.setUint32(0, random32());
      bits.setUint32(4, random32());
      const v = bits.getFloat64(0);
      if (Number.isFinite(v) && v !== 0) doubles.push(v);
    }
    const metrics = doubles.map((value, step) => ({ key: `k${step % 4}`, value, timestamp: 7, step }));
    expect((await post("/runs/log-batch", { run_id, metrics: metrics.slice(0, 200) })).status).toBe(200);
    expect((await post("/runs/log-batch", { run_id, metrics: metrics.slice(200) })).status).toBe(200);
    for (let k = 0; k < 4; k++) {
      const history = await historyByStep(run_id, `k${k}`);
      expect(history.map((m: any) => m.value)).toEqual(doubles.filter((_, i) => i % 4 === k));
    }
    const latest = Object.fromEntries((await runData(run_id)).metrics.map((m: any) => [m.key, m.value]));
    expect(latest).toEqual({ k0: doubles[396], k1: doubles[397], k2: doubles[398], k3: doubles[399] });
    // Points linked to a model and dataset travel another way; they too come back exact.
    const linked = doubles.slice(0, 200).map((value, step) => ({ key: "linked", value, timestamp: 7, step, model_id: "m-none", dataset_name: "d", dataset_digest: "x" }));
    expect((await post("/runs/log-batch", { run_id, metrics: linked })).status).toBe(200);
    const linkedHistory = await historyByStep(run_id, "linked");
    expect(linkedHistory.map((m: any) => m.value)).toEqual(doubles.slice(0, 200));
  });

  it("enforces MLflow's limits", async () => {
    const run_id = await newRun();
    const many = (n: number, f: (i: number) => object) => Array.from({ length: n }, (_, i) => f(i));
    expectError(await post("/runs/log-batch", { run_id, metrics: many(1001, (i) => ({ key: "m", value: 1, timestamp: 1, step: i })) }), 400, "INVALID_PARAMETER_VALUE");
    expectError(await post("/runs/log-batch", { run_id, params: many(101, (i) => ({ key: `p${i}`, value: "v" })) }), 400, "INVALID_PARAMETER_VALUE");
    expectError(await post("/runs/log-batch", { run_id, tags: many(101, (i) => ({ key: `t${i}`, value: "v" })) }), 400, "INVALID_PARAMETER_VALUE");
    expectError(
      await post("/runs/log-batch", { run_id, metrics: many(950, (i) => ({ key: "m", value: 1, timestamp: 1, step: i })), params: many(51, (i) => ({ key: `p${i}`, value: "v" })) }),
      400,
      "INVALID_PARAMETER_VALUE",
    );
    expectError(await post("/runs/log-batch", { run_id, metrics: { a: 1 } }), 400, "INVALID_PARAMETER_VALUE");
    for (const metric of [{ key: "m", value: "abc", timestamp: 1 }, { key: 5, value: 1, timestamp: 1 }, { key: "m", value: 1, timestamp: 1.5 }, { key: "m", value: 1, timestamp: 1, step: "one" }, { key: "m", value: 1 }, "m"]) {
      expectError(await post("/runs/log-batch", { run_id, metrics: [metric] }), 400, "INVALID_PARAMETER_VALUE");
    }
    expect((await post("/runs/log-batch", { run_id, metrics: [{ key: "s", value: "NaN", timestamp: "5", step: "2" }] })).status).toBe(200);
  });

  it("writes nothing when any part is refused", async () => {
    const run_id = await newRun();
    await post("/runs/log-parameter", { run_id, key: "fixed", value: "x" });
    const r = await post("/runs/log-batch", {
      run_id,
      metrics: [{ key: "should_not_exist", value: 1, timestamp: 1 }],
      params: [{ key: "fixed", value: "different" }],
      tags: [{ key: "nor_this", value: "v" }],
    });
    expectError(r, 400, "INVALID_PARAMETER_VALUE");
    const data = await runData(run_id);
    expect(data.metrics).toBeUndefined();
    expect(data.tags.find((t: any) => t.key === "nor_this")).toBeUndefined();
    expectError(await post("/runs/log-batch", { run_id, params: [{ key: "d", value: "1" }, { key: "d", value: "2" }] }), 400, "INVALID_PARAMETER_VALUE");
  });

  it("reports the first bad entity in MLflow's order: metrics, then params, then tags", async () => {
    const run_id = await newRun();
    const bad = (kind: string) => [{ key: `../${kind}`, value: kind === "metric" ? 1 : "v", timestamp: 1 }];
    const message = async (body: object) => (await post("/runs/log-batch", { run_id, ...body })).json.message as string;
    expect(await message({ metrics: bad("metric"), params: bad("param"), tags: bad("tag") })).toContain("Invalid metric name");
    expect(await message({ params: bad("param"), tags: bad("tag") })).toContain("Invalid param name");
  });

  it("needs a JSON content type", async () => {
    const r = await call("POST", "/api/2.0/mlflow/runs/log-batch", undefined);
    expectError(r, 400, "INVALID_PARAMETER_VALUE");
  });
});

describe("metric history", () => {
  async function runWithLoss(n: number, stepOf = (i: number) => i) {
    const run_id = await newRun();
    const metrics = Array.from({ length: n }, (_, i) => ({ key: "loss", value: 1 / (i + 1), timestamp: 1000 + i, step: stepOf(i) }));
    for (let i = 0; i < metrics.length; i += 1000) await post("/runs/log-batch", { run_id, metrics: metrics.slice(i, i + 1000) });
    return run_id;
  }

  it("pages by max_results with a token absent on the last page", async () => {
    const run_id = await runWithLoss(10);
    const steps: number[] = [];
    let page_token: string | undefined;
    let pages = 0;
    do {
      const r = await get("/metrics/get-history", { run_id, metric_key: "loss", max_results: 3, ...(page_token ? { page_token } : {}) });
      expect(r.status).toBe(200);
      steps.push(...r.json.metrics.map((m: any) => m.step));
      page_token = r.json.next_page_token;
      pages++;
    } while (page_token);
    expect(steps).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(pages).toBe(4);
    const all = await get("/metrics/get-history", { run_id, metric_key: "loss" });
    expect(all.json.metrics).toHaveLength(10);
    expect(all.json.next_page_token).toBeUndefined();
  });

  it("answers {} for an unknown key and 400 for a bad token or missing key", async () => {
    const run_id = await runWithLoss(1);
    expect((await get("/metrics/get-history", { run_id, metric_key: "nope" })).json).toEqual({});
    expectError(await get("/metrics/get-history", { run_id, metric_key: "loss", page_token: "xyz" }), 400, "INVALID_PARAMETER_VALUE");
    expectError(await get("/metrics/get-history", { run_id }), 400, "INVALID_PARAMETER_VALUE");
  });

  it("samples steps for get-history-bulk-interval as MLflow does", async () => {
    const run_id = await runWithLoss(10);
    const r = await call("GET", `/ajax-api/2.0/mlflow/metrics/get-history-bulk-interval?run_ids=${run_id}&metric_key=loss&max_results=5`);
    expect(r.json.metrics.map((m: any) => m.step)).toEqual([0, 2, 4, 6, 8, 9]);
    expect(r.json.metrics[0]).toEqual({ key: "loss", value: 1, timestamp: 1000, step: 0, run_id });
    const ranged = await call("GET", `/ajax-api/2.0/mlflow/metrics/get-history-bulk-interval?run_ids=${run_id}&metric_key=loss&start_step=2&end_step=6&max_results=3`);
    expect(ranged.json.metrics.map((m: any) => m.step)).toEqual([2, 3, 5, 6]);
    const q = `/ajax-api/2.0/mlflow/metrics/get-history-bulk-interval?run_ids=${run_id}&metric_key=loss`;
    expectError(await call("GET", `${q}&start_step=2`), 400, "INVALID_PARAMETER_VALUE");
    expectError(await call("GET", `${q}&start_step=6&end_step=2`), 400, "INVALID_PARAMETER_VALUE");
    expectError(await call("GET", `${q}&max_results=2501`), 400, "INVALID_PARAMETER_VALUE");
    expectError(await call("GET", `${q}&max_results=0`), 400, "INVALID_PARAMETER_VALUE");
    const tooMany = Array.from({ length: 101 }, (_, i) => `run_ids=r${i}`).join("&");
    expectError(await call("GET", `/ajax-api/2.0/mlflow/metrics/get-history-bulk-interval?${tooMany}&metric_key=loss`), 400, "INVALID_PARAMETER_VALUE");
  });

  it("keeps each run's first and last step when sampling several runs", async () => {
    const a = await runWithLoss(100);
    const b = await runWithLoss(7, (i) => 10 * i + 3);
    const r = await call("GET", `/ajax-api/2.0/mlflow/metrics/get-history-bulk-interval?run_ids=${b}&run_ids=${a}&metric_key=loss&max_results=10`);
    const stepsOf = (id: string) => r.json.metrics.filter((m: any) => m.run_id === id).map((m: any) => m.step);
    expect(stepsOf(b)).toContain(3);
    expect(stepsOf(b)).toContain(63);
    expect(stepsOf(a)).toContain(0);
    expect(stepsOf(a)).toContain(99);
    // Runs in request order whatever their ids, each by step.
    const byStep = (steps: number[]) => [...steps].sort((x, y) => x - y);
    expect(stepsOf(a)).toEqual(byStep(stepsOf(a)));
    expect(stepsOf(b)).toEqual(byStep(stepsOf(b)));
    for (const order of [[b, a], [a, b]]) {
      const asked = await call("GET", `/ajax-api/2.0/mlflow/metrics/get-history-bulk-interval?run_ids=${order[0]}&run_ids=${order[1]}&metric_key=loss&max_results=10`);
      const runsInOrder = [...new Set(asked.json.metrics.map((m: any) => m.run_id))];
      expect(runsInOrder).toEqual(order);
      expect(asked.json.metrics.map((m: any) => m.run_id)).toEqual([...stepsOf(order[0]).map(() => order[0]), ...stepsOf(order[1]).map(() => order[1])]);
    }
  });

  it("samples overlapping and gapped runs like MLflow's algorithm", async () => {
    const spans = [Array.from({ length: 40 }, (_, i) => i), Array.from({ length: 40 }, (_, i) => i + 25), [0, 7, 30, 31, 90]];
    const ids: string[] = [];
    for (const steps of spans) ids.push(await runWithLoss(steps.length, (i) => steps[i]));
    for (const [range, m] of [[{}, 10], [{ start_step: 3, end_step: 70 }, 7], [{}, 2500]] as const) {
      const pairs: [string, string][] = [...ids.map((id): [string, string] => ["run_ids", id]), ["metric_key", "loss"], ["max_results", String(m)]];
      for (const [k, v] of Object.entries(range)) pairs.push([k, String(v)]);
      const q = new URLSearchParams(pairs);
      const r = await call("GET", `/ajax-api/2.0/mlflow/metrics/get-history-bulk-interval?${q}`);
      const want = referenceSample(spans, (range as { start_step?: number }).start_step, (range as { end_step?: number }).end_step, m);
      ids.forEach((id, i) => {
        const got = r.json.metrics.filter((p: any) => p.run_id === id).map((p: any) => p.step);
        expect(got, `run ${i} ${JSON.stringify(range)} m=${m}`).toEqual(spans[i].filter((s) => want.has(s)));
      });
    }
  });

  it("returns whole histories of several runs for get-history-bulk", async () => {
    const a = await runWithLoss(3);
    const b = await runWithLoss(2);
    // By run id, then timestamp, as MLflow sorts them: asked in the other order.
    const [first, second] = [a, b].sort();
    const r = await call("GET", `/ajax-api/2.0/mlflow/metrics/get-history-bulk?run_id=${second}&run_id=${first}&metric_key=loss`);
    expect(r.json.metrics).toHaveLength(5);
    const points = { [a]: 3, [b]: 2 };
    expect(r.json.metrics.map((m: any) => `${m.run_id} ${m.step}`)).toEqual([first, second].flatMap((id) => Array.from({ length: points[id] }, (_, i) => `${id} ${i}`)));
    expectError(await call("GET", `/ajax-api/2.0/mlflow/metrics/get-history-bulk?metric_key=loss`), 400, "INVALID_PARAMETER_VALUE");
  });
});

/** MLflow's sampling (handlers.py `_get_sampled_steps_from_steps` plus each run's min and max), as a test oracle. */
function referenceSample(runs: number[][], start: number | undefined, end: number | undefined, m: number): Set<number> {
  const all = [...new Set(runs.flat())].sort((a, b) => a - b);
  const lo = start ?? 0;
  const hi = end ?? all[all.length - 1];
  const inRange = all.filter((s) => s >= lo && s <= hi);
  const chosen = new Set<number>();
  if (inRange.length <= m) inRange.forEach((s) => chosen.add(s));
  else {
    for (let i = 0; i < m; i++) chosen.add(inRange[Math.floor((i * inRange.length) / m)]);
    chosen.add(inRange[inRange.length - 1]);
  }
  for (const steps of runs) for (const s of [Math.min(...steps), Math.max(...steps)]) if (s >= lo && s <= hi) chosen.add(s);
  return chosen;
}
