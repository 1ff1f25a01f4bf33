import { describe, expect, it } from "vitest";
import { routes } from "../../src/routes";
import { mountPaths } from "../../src/routes/route";
import { dispatch } from "../helpers/worker";

/**
 * A user's mistake is never a 5xx (the client retries those for minutes): every route,
 * fed missing, mistyped and nonsense fields, answers below 500.
 */
const PAYLOADS: Record<string, unknown>[] = [
  {},
  { experiment_id: "abc", run_id: "x", name: 5, key: [], value: {}, max_results: -1, page_token: "%%%" },
  { experiment_id: "99999", run_id: "0".repeat(32), name: "nope", model_id: "m-nope", trace_id: "tr-nope", version: "x", filter: "a = = b", order_by: ["??"] },
  { experiment_ids: "1", run_ids: 7, metrics: "x", params: [1], tags: [null], datasets: [{}], models: [{}], trace_ids: [5] },
];

const fill = (path: string) => path.replace(/:(\w+)(\{[^}]*\})?/g, (_, name: string) => (name === "path" ? "1/x/artifacts/f.txt" : "nope"));

describe("no server errors on bad input", () => {
  for (const route of routes) {
    it(`${route.method} ${route.path}`, async () => {
      const failures: string[] = [];
      // An artifact PUT reads only its body, so one payload covers it.
      for (const payload of route.method === "PUT" ? PAYLOADS.slice(0, 1) : PAYLOADS) {
        const url = new URL(`http://mlflare.test${fill(mountPaths(route)[0])}`);
        let init: RequestInit = { method: route.method };
        if (route.method === "GET") {
          for (const [k, v] of Object.entries(payload)) for (const item of [v].flat()) url.searchParams.append(k, String(item));
        } else if (route.method === "PUT") {
          init = { ...init, body: "bytes" };
        } else {
          init = { ...init, body: JSON.stringify(payload), headers: { "Content-Type": "application/json" } };
        }
        const res = await dispatch(url, init);
        if (res.status >= 500 && res.status !== 501) failures.push(`${JSON.stringify(payload).slice(0, 80)} → ${res.status} ${(await res.text()).slice(0, 200)}`);
      }
      expect(failures).toEqual([]);
    });
  }
});
