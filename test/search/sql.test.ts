import { env } from "cloudflare:workers";
import { sql } from "drizzle-orm";
import { SQLiteAsyncDialect } from "drizzle-orm/sqlite-core";
import { describe, expect, it } from "vitest";
import { MlflowError } from "../../src/protocol/errors";
import { compileExperimentSearch } from "../../src/search/experiment-sql";
import { experimentFilter, experimentOrder } from "../../src/search/experiments";
import { compileRunSearch } from "../../src/search/run-sql";
import { runFilter, runOrder } from "../../src/search/runs";
import { compareNumber, compareString, likeToGlob } from "../../src/search/sql";
import type { NumericTest, StringTest } from "../../src/search/terms";
import { openDatabase } from "../../src/store/db";
import { withinParameterLimit } from "../../src/store/search-limits";

const db = openDatabase(env.DB);
const dialect = new SQLiteAsyncDialect();

/** The values of `values` a compiled comparison keeps, evaluated by D1 itself. */
async function kept(test: StringTest, values: string[]): Promise<string[]> {
  const rows = await db.all<{ v: string }>(
    sql`SELECT value AS v FROM json_each(${JSON.stringify(values)}) WHERE ${compareString(sql.raw("value"), test)} ORDER BY key`,
  );
  return rows.map((r) => r.v);
}

async function keptNumbers(test: NumericTest, values: number[]): Promise<number[]> {
  const rows = await db.all<{ v: number }>(
    sql`SELECT value AS v FROM json_each(${JSON.stringify(values)}) WHERE ${compareNumber(sql.raw("value"), test)} ORDER BY key`,
  );
  return rows.map((r) => r.v);
}

describe("string comparisons in D1", () => {
  const words = ["run-1", "Run-2", "runx", "run_3", "a*b", "a?b", "a[b]", "ab", "RUN-1"];

  it("= and != are case-sensitive", async () => {
    expect(await kept({ op: "=", value: "run-1" }, words)).toEqual(["run-1"]);
    expect(await kept({ op: "!=", value: "run-1" }, ["run-1", "RUN-1"])).toEqual(["RUN-1"]);
  });

  it("LIKE is case-sensitive with % and _ wildcards; GLOB's own wildcards are literal", async () => {
    expect(await kept({ op: "LIKE", value: "run%" }, words)).toEqual(["run-1", "runx", "run_3"]);
    expect(await kept({ op: "LIKE", value: "run_1" }, words)).toEqual(["run-1"]);
    expect(await kept({ op: "LIKE", value: "a*b" }, words)).toEqual(["a*b"]);
    expect(await kept({ op: "LIKE", value: "a?b" }, words)).toEqual(["a?b"]);
    expect(await kept({ op: "LIKE", value: "a[b]" }, words)).toEqual(["a[b]"]);
    expect(await kept({ op: "LIKE", value: "%b%" }, words)).toEqual(["a*b", "a?b", "a[b]", "ab"]);
  });

  it("ILIKE ignores case", async () => {
    expect(await kept({ op: "ILIKE", value: "RUN-%" }, words)).toEqual(["run-1", "Run-2", "RUN-1"]);
  });

  it("IN / NOT IN take the whole list as one parameter", async () => {
    const many = Array.from({ length: 500 }, (_, i) => `v${i}`);
    expect(await kept({ op: "IN", values: [...many, "ab"] }, words)).toEqual(["ab"]);
    expect(await kept({ op: "NOT IN", values: words.slice(1) }, words)).toEqual(["run-1"]);
    expect(await kept({ op: "IN", values: [] }, words)).toEqual([]);
    const query = dialect.sqlToQuery(compareString(sql.raw("x"), { op: "IN", values: many }));
    expect(query.params).toHaveLength(1);
  });
});

describe("numeric comparisons in D1", () => {
  it("applies every operator", async () => {
    const xs = [-1, 0, 0.5, 2];
    expect(await keptNumbers({ op: "<", value: 0.5 }, xs)).toEqual([-1, 0]);
    expect(await keptNumbers({ op: "<=", value: 0.5 }, xs)).toEqual([-1, 0, 0.5]);
    expect(await keptNumbers({ op: ">", value: 0.5 }, xs)).toEqual([2]);
    expect(await keptNumbers({ op: ">=", value: 0.5 }, xs)).toEqual([0.5, 2]);
    expect(await keptNumbers({ op: "=", value: 0.5 }, xs)).toEqual([0.5]);
    expect(await keptNumbers({ op: "!=", value: 0.5 }, xs)).toEqual([-1, 0, 2]);
  });

  it("compares infinite bounds as SQLite infinities, beyond the stored ±DBL_MAX", async () => {
    const stored = [-1.7976931348623157e308, 0, 1.7976931348623157e308];
    expect(await keptNumbers({ op: "<", value: Infinity }, stored)).toEqual(stored);
    expect(await keptNumbers({ op: ">=", value: Infinity }, stored)).toEqual([]);
    expect(await keptNumbers({ op: ">", value: -Infinity }, stored)).toEqual(stored);
  });
});

describe("likeToGlob", () => {
  it("maps wildcards and escapes GLOB's", () => {
    expect(likeToGlob("a_b%[x]*?")).toBe("a?b*[[]x][*][?]");
    expect(likeToGlob("")).toBe("");
  });
});

describe("compiled searches", () => {
  it("bind every value as a parameter, never as SQL text", () => {
    const evil = "x'); DROP TABLE runs; --";
    const query = dialect.sqlToQuery(
      compileRunSearch({
        experimentIds: [1],
        lifecycleStages: ["active"],
        predicates: runFilter(`params.\`${"k"}\` = "${evil}" AND tags.t LIKE '${"%"}' AND run_id IN ('${"a"}')`),
        order: runOrder([`tags.\`${evil.replace(/[`]/g, "")}\``]),
        offset: 0,
        limit: 11,
      }),
    );
    expect(query.sql).not.toContain("DROP");
    expect(query.params).toContain(evil);
  });

  it("join one table per order_by key and end with MLflow's tie-break", () => {
    const { sql: text } = dialect.sqlToQuery(
      compileRunSearch({ experimentIds: [1], lifecycleStages: ["active"], predicates: [], order: runOrder(["metrics.a", "params.b DESC"]), offset: 0, limit: 1 }),
    );
    expect(text).toMatch(/LEFT JOIN latest_metrics o0 .* LEFT JOIN params o1 /s);
    expect(text).toMatch(/ORDER BY .*o1\.value DESC, r\.start_time DESC, r\.run_id ASC LIMIT/s);
    const byStart = dialect.sqlToQuery(
      compileRunSearch({ experimentIds: [1], lifecycleStages: ["active"], predicates: [], order: runOrder(["created"]), offset: 0, limit: 1 }),
    ).sql;
    expect(byStart).not.toContain("r.start_time DESC");
  });

  it("test a filtered key the order joins on the joined row, without another lookup", () => {
    const { sql: text } = dialect.sqlToQuery(
      compileRunSearch({ experimentIds: [1], lifecycleStages: ["active"], predicates: runFilter("metrics.loss < 0.5 AND params.p = 'x'"), order: runOrder(["metrics.loss"]), offset: 0, limit: 1 }),
    );
    expect(text).toContain("o0.value < ?");
    expect(text).not.toContain("FROM latest_metrics m");
    expect(text).toContain("FROM params p");
  });

  it("run against D1 as valid SQL for every predicate and order kind", async () => {
    const predicates = runFilter(
      "metrics.m > 1 AND params.p != 'x' AND tags.t ILIKE 'a%' AND run_name LIKE 'r%' AND status = 'RUNNING' AND run_id NOT IN ('a') AND start_time >= 0 AND end_time < 5 AND datasets.name = 'd' AND datasets.digest IN ('x') AND datasets.context LIKE 't%'",
    );
    const order = runOrder(["metrics.m DESC", "params.p", "tags.t", "attributes.end_time DESC", "run_name"]);
    await expect(db.all(compileRunSearch({ experimentIds: [0], lifecycleStages: ["active", "deleted"], predicates, order, offset: 0, limit: 5 }))).resolves.toEqual([]);
    const experiments = compileExperimentSearch({
      lifecycleStages: ["active"],
      predicates: experimentFilter("name LIKE 'D%' AND tags.x IS NULL AND tags.y IS NOT NULL AND tags.z = 'a' AND creation_time > 0"),
      order: experimentOrder(["name DESC"]),
      offset: 0,
      limit: 5,
    });
    await expect(db.all(experiments)).resolves.toEqual([]);
  });

  it("refuse, as a user error, a query over D1's 100-parameter limit", () => {
    const predicates = runFilter(Array.from({ length: 50 }, (_, i) => `tags.t${i} = 'v'`).join(" AND "));
    const query = compileRunSearch({ experimentIds: [1], lifecycleStages: ["active"], predicates, order: [], offset: 0, limit: 1 });
    expect(() => withinParameterLimit(query)).toThrow(MlflowError);
    const fine = compileRunSearch({ experimentIds: [1], lifecycleStages: ["active"], predicates: predicates.slice(0, 40), order: [], offset: 0, limit: 1 });
    expect(withinParameterLimit(fine)).toBe(fine);
  });
});
