import { describe, expect, it } from "vitest";
import { refusal } from "../helpers/refusal";
import { runFilter, runOrder } from "../../src/search/runs";

describe("runFilter", () => {
  it("resolves every entity and its aliases", () => {
    expect(runFilter("metric.a > 1 AND metrics.a < 2")).toEqual([
      { kind: "metric", key: "a", test: { op: ">", value: 1 } },
      { kind: "metric", key: "a", test: { op: "<", value: 2 } },
    ]);
    for (const e of ["param", "params", "parameter", "parameters", "`params`"]) {
      expect(runFilter(`${e}.p = 'x'`)).toEqual([{ kind: "param", key: "p", test: { op: "=", value: "x" } }]);
    }
    for (const e of ["tag", "tags"]) expect(runFilter(`${e}.t LIKE 'x%'`)).toEqual([{ kind: "tag", key: "t", test: { op: "LIKE", value: "x%" } }]);
    for (const e of ["attribute.", "attributes.", "attr.", "run.", ""]) {
      expect(runFilter(`${e}status != 'RUNNING'`)).toEqual([{ kind: "attribute", name: "status", test: { op: "!=", value: "RUNNING" } }]);
    }
    for (const e of ["dataset", "datasets"]) {
      expect(runFilter(`${e}.context ILIKE 'train%'`)).toEqual([{ kind: "dataset", field: "context", test: { op: "ILIKE", value: "train%" } }]);
    }
  });

  it("resolves attribute aliases: created → start_time, run name → run_name", () => {
    expect(runFilter("created >= 5 AND Created < 9")).toEqual([
      { kind: "time", name: "start_time", test: { op: ">=", value: 5 } },
      { kind: "time", name: "start_time", test: { op: "<", value: 9 } },
    ]);
    for (const alias of ["run_name", "`run name`", "`Run name`", "`Run Name`"]) {
      expect(runFilter(`attributes.${alias} = 'r'`)).toEqual([{ kind: "attribute", name: "run_name", test: { op: "=", value: "r" } }]);
    }
    expect(runFilter("end_time = 7")).toEqual([{ kind: "time", name: "end_time", test: { op: "=", value: 7 } }]);
    for (const a of ["run_id", "user_id", "artifact_uri"]) expect(runFilter(`${a} = 'x'`)[0]).toMatchObject({ kind: "attribute", name: a });
  });

  it("reads IN / NOT IN lists for run_id and datasets, dropping entries that are not lower case", () => {
    expect(runFilter("run_id IN ('abc1', 'ABC2', '123', 'd')")).toEqual([{ kind: "attribute", name: "run_id", test: { op: "IN", values: ["abc1", "d"] } }]);
    expect(runFilter("attributes.run_id NOT IN (\"x\")")).toEqual([{ kind: "attribute", name: "run_id", test: { op: "NOT IN", values: ["x"] } }]);
    expect(runFilter("datasets.digest IN ('a1', 'b2')")).toEqual([{ kind: "dataset", field: "digest", test: { op: "IN", values: ["a1", "b2"] } }]);
    expect(runFilter("datasets.name NOT IN ('a')")).toEqual([{ kind: "dataset", field: "name", test: { op: "NOT IN", values: ["a"] } }]);
  });

  it.each([
    ["foo.bar = 'x'", /^Invalid entity type 'foo'/],
    ["attributes.color = 'red'", /^Invalid attribute key 'color'/],
    ["acc > 0.5", /^Invalid attribute key 'acc'/],
    ["datasets.size = 'x'", /^Invalid dataset key 'size'/],
    ["metrics.acc ~ 0.5", /^Invalid comparator '~'/],
    ["metrics.acc LIKE 0.5", /^Invalid comparator 'LIKE'/],
    ["params.model > 'a'", /^Invalid comparator '>'/],
    ["tags.t < 'a'", /^Invalid comparator '<'/],
    ["status > 'a'", /^Invalid comparator '>'/],
    ["start_time LIKE 5", /^Invalid comparator 'LIKE'/],
    ["datasets.name < 'a'", /^Invalid comparator '<'/],
    ["metrics.acc = 'abc'", /^Expected numeric value type for metric\. Found 'abc'/],
    ["metrics.acc LIKE '0.5'", /^Expected numeric value type for metric/],
    ["start_time > '5'", /^Expected numeric value type for numeric attribute: start_time/],
    ["params.model = 5", /^Expected a quoted string value for parameter/],
    ["tags.t = 5", /^Expected a quoted string value for tag/],
    ["status = 5", /^Expected a quoted string value for attributes/],
    ["datasets.name = 5", /^Expected a quoted string value for dataset attributes/],
    ["params.model = rnn", /^Parameter value is either not quoted/],
    ["params.model = `rnn`", /^Parameter value is either not quoted/],
    ["params.model IN ('cnn', 'mlp')", /^Expected a quoted string value for parameter .*\('cnn', 'mlp'\)/],
    ["params.model NOT IN ('cnn', 'mlp')", /^Expected a quoted string value for parameter/],
    ["attributes.status IN ('KILLED', 'FAILED')", /^Only the 'run_id' attribute supports/],
    ["run_id IN ()", /non-empty list/],
    ["run_id IN ('a', 1)", /different type in list/],
    ["run_id = ('a')", /^Invalid clause/],
    ["run_id IN ('a') AND run_id LIKE ('a')", /^Invalid clause/],
    ["params.`p.dotted` IS NULL", /^Invalid clause\(s\) in filter string: 'params.`p.dotted`', 'IS', 'NULL'/],
    ["tags.x IS NOT NULL", /^Invalid clause\(s\) in filter string: 'tags.x', 'IS', 'NOT NULL'/],
    ["metrics.m IS NULL", /^Invalid clause/],
    ["end_time IS NULL", /^Invalid clause/],
    ["metrics.acc > 0.5 OR params.model = 'cnn'", /^Invalid clause\(s\) in filter string: 'OR'/],
  ])("refuses %s", (filter, message) => {
    expect(refusal(() => runFilter(filter))).toMatch(message);
  });
});

describe("runOrder", () => {
  it("resolves keys of every entity, with ASC by default", () => {
    expect(runOrder(["metrics.`val loss` DESC", "params.model", "tag.team desc", "created", "attributes.run_name"])).toEqual([
      { kind: "metric", key: "val loss", ascending: false },
      { kind: "param", key: "model", ascending: true },
      { kind: "tag", key: "team", ascending: false },
      { kind: "attribute", name: "start_time", ascending: true },
      { kind: "attribute", name: "run_name", ascending: true },
    ]);
    expect(runOrder(undefined)).toEqual([]);
  });

  it.each([
    [["metrics.acc SIDEWAYS"], /^Invalid ordering key/],
    [["foo.acc DESC"], /^Invalid entity type 'foo'/],
    [["attributes.color"], /^Invalid attribute key 'color'/],
    [["`run name`"], /^Invalid attribute key 'run name'/],
    [["datasets.name"], /^Invalid identifier type 'dataset'/],
    [["metrics.acc", "metric.acc DESC"], /duplicate fields/],
    [["start_time", "created DESC"], /duplicate fields/],
  ])("refuses %j", (orderBy, message) => {
    expect(refusal(() => runOrder(orderBy))).toMatch(message);
  });
});
