import { beforeAll, describe, expect, it } from "vitest";
import { D1_CALLS_HEADER } from "../src/app";
import { call, createExperiment, get, post } from "./helpers/api";

/**
 * D1 round trips per request (a `batch()` counts as one), as local mode reports them
 * in `X-Mlflare-D1-Calls`: the hot endpoints stay at two or fewer, whatever the size
 * of the request. This is the machine-independent half of the benchmarks (bench/).
 */
const MAX_TRIPS = 2;

type Reply = { status: number; json: any; res: Response };

/** The reported count; fails when the request failed or the header is missing. */
function tripsOf(reply: Reply): number {
  expect(reply.status, JSON.stringify(reply.json)).toBe(200);
  const header = reply.res.headers.get(D1_CALLS_HEADER);
  expect(header, `${D1_CALLS_HEADER} header`).not.toBeNull();
  return Number(header);
}

/** Asserts 1..MAX_TRIPS round trips: every one of these requests must reach D1. */
function expectFewTrips(reply: Reply) {
  const trips = tripsOf(reply);
  expect(trips).toBeGreaterThanOrEqual(1);
  expect(trips).toBeLessThanOrEqual(MAX_TRIPS);
}

const T0 = 1_700_000_000_000;

const metrics = (key: string, count: number, from = 0) =>
  Array.from({ length: count }, (_, i) => ({ key, value: Math.sin(from + i), timestamp: T0 + from + i, step: from + i }));

/** The write tests' log-batch bodies; the read tests read a run that got all three. */
const ONE_KEY = { metrics: metrics("loss", 1000) };
const WIDE = { metrics: Array.from({ length: 100 }, (_, k) => metrics(`m${k}`, 10)).flat() };
const MIXED = {
  metrics: metrics("mixed", 800),
  params: Array.from({ length: 100 }, (_, i) => ({ key: `p${i}`, value: String(i) })),
  tags: Array.from({ length: 100 }, (_, i) => ({ key: `t${i}`, value: `v${i}` })),
};

async function createRun(experimentId: string, name: string): Promise<string> {
  const r = await post("/runs/create", { experiment_id: experimentId, run_name: name, start_time: T0 });
  expect(r.status, JSON.stringify(r.json)).toBe(200);
  return r.json.run.info.run_id;
}

describe("D1 round trips per request", () => {
  let experimentId: string;
  let runId: string;
  let filledRunId: string;

  // The reads get their own run, filled with the write tests' batches, so any test runs
  // alone (`-t`) and the writes still go to a run of their own.
  beforeAll(async () => {
    experimentId = await createExperiment();
    runId = await createRun(experimentId, "trips");
    filledRunId = await createRun(experimentId, "filled");
    for (const batch of [ONE_KEY, WIDE, MIXED]) {
      const r = await post("/runs/log-batch", { run_id: filledRunId, ...batch });
      expect(r.status, JSON.stringify(r.json)).toBe(200);
    }
  });

  it("counts zero for a request that does not touch D1", async () => {
    const health = await call("GET", "/health");
    expect(health.status).toBe(200);
    expect(health.res.headers.get(D1_CALLS_HEADER)).toBe("0");
  });

  it("runs/create: the experiment check, the run and its tags in one", async () => {
    const reply = await post("/runs/create", { experiment_id: experimentId, tags: [{ key: "team", value: "ml" }] });
    expect(tripsOf(reply)).toBe(1);
  });

  it("log-batch of 1,000 metrics of one key", async () => {
    expectFewTrips(await post("/runs/log-batch", { run_id: runId, ...ONE_KEY }));
  });

  it("log-batch of 1,000 metrics over 100 keys", async () => {
    expectFewTrips(await post("/runs/log-batch", { run_id: runId, ...WIDE }));
  });

  it("log-batch of 1,000 entities: 800 metrics, 100 params, 100 tags", async () => {
    expectFewTrips(await post("/runs/log-batch", { run_id: runId, ...MIXED }));
  });

  it("log-metric", async () => {
    expectFewTrips(await post("/runs/log-metric", { run_id: runId, run_uuid: runId, key: "single", value: 0.5, timestamp: T0, step: 0 }));
  });

  it("get-run of a run with 100+ metrics, 100 params and 100+ tags", async () => {
    const reply = await get("/runs/get", { run_id: filledRunId, run_uuid: filledRunId });
    expectFewTrips(reply);
    expect(reply.json.run.data.params).toHaveLength(100);
    expect(reply.json.run.data.metrics.length).toBeGreaterThan(100);
  });

  it("get-history, every page as the client reads it", async () => {
    const first = await get("/metrics/get-history", { run_uuid: filledRunId, metric_key: "loss", run_id: filledRunId, max_results: 25000 });
    expectFewTrips(first);
    expect(first.json.metrics).toHaveLength(1000);
    let token: string | undefined;
    let pages = 0;
    do {
      const page = await get("/metrics/get-history", { run_id: filledRunId, metric_key: "loss", max_results: 300, ...(token ? { page_token: token } : {}) });
      expectFewTrips(page);
      token = page.json.next_page_token;
      pages++;
    } while (token);
    expect(pages).toBe(4);
  });

  it("search-runs with a metric filter and metric order, first and later pages", async () => {
    const exp = await createExperiment();
    for (let i = 0; i < 12; i++) {
      const id = await createRun(exp, `run-${i}`);
      const loss = i / 12;
      const r = await post("/runs/log-batch", {
        run_id: id,
        metrics: [{ key: "loss", value: loss, timestamp: T0, step: 0 }, { key: "acc", value: 1 - loss, timestamp: T0, step: 0 }],
        params: [{ key: "lr", value: "0.01" }],
        tags: [{ key: "team", value: "ml" }],
      });
      expect(r.status).toBe(200);
    }
    const search = (page_token?: string) =>
      post("/runs/search", { experiment_ids: [exp], filter: "metrics.loss < 0.5", order_by: ["metrics.loss ASC"], max_results: 4, run_view_type: "ACTIVE_ONLY", ...(page_token ? { page_token } : {}) });
    const first = await search();
    expectFewTrips(first);
    expect(first.json.runs).toHaveLength(4);
    const second = await search(first.json.next_page_token);
    expectFewTrips(second);
    expect(second.json.runs).toHaveLength(2);
    expect(second.json.next_page_token).toBeUndefined();
  });
});
