import { describe, expect, it } from "vitest";
import { refusal } from "../helpers/refusal";
import { splitIdentifier } from "../../src/search/identifier";
import { tokenize } from "../../src/search/lexer";
import { parseFilter, parseOrderBy } from "../../src/search/parser";

const one = (filter: string) => {
  const clauses = parseFilter(filter);
  expect(clauses).toHaveLength(1);
  const [c] = clauses;
  return { ...splitIdentifier(c.identifier), comparator: c.comparator, value: c.value };
};

describe("tokenize", () => {
  it("splits identifiers, strings, numbers, comparators, keywords and punctuation", () => {
    expect(tokenize("tags.`my key` >= -1.5e3 AND x IN ('a',\"b\")").map((t) => [t.kind, t.text])).toEqual([
      ["ident", "tags.`my key`"],
      ["op", ">="],
      ["number", "-1.5e3"],
      ["keyword", "AND"],
      ["ident", "x"],
      ["keyword", "IN"],
      ["punct", "("],
      ["string", "'a'"],
      ["punct", ","],
      ["ident", '"b"'],
      ["punct", ")"],
    ]);
  });

  it("keeps a quoted part whole, dots and spaces included", () => {
    const [t] = tokenize('tags."a.b c".`d`');
    expect(t.kind === "ident" && t.parts.map((p) => [p.text, p.quote])).toEqual([["tags", ""], ["a.b c", '"'], ["d", "`"]]);
  });

  it("reads keywords in any case but not as parts of identifiers", () => {
    expect(tokenize("and tags.and").map((t) => t.kind)).toEqual(["keyword", "ident"]);
  });

  it("turns unterminated quotes and stray characters into error tokens", () => {
    expect(tokenize("'abc").map((t) => t.kind)).toEqual(["error"]);
    expect(tokenize("`abc").map((t) => t.kind)).toEqual(["error"]);
    expect(tokenize("a ; b").map((t) => t.kind)).toEqual(["ident", "error", "ident"]);
  });

  it("keeps escaped quotes inside strings", () => {
    expect(tokenize("'it''s' 'a\\'b'").map((t) => t.text)).toEqual(["'it''s'", "'a\\'b'"]);
  });
});

describe("parseFilter", () => {
  it("treats an empty or blank filter as no clauses", () => {
    expect(parseFilter(undefined)).toEqual([]);
    expect(parseFilter("")).toEqual([]);
    expect(parseFilter("   ")).toEqual([]);
  });

  it("reads every comparator", () => {
    for (const op of ["=", "!=", "<", "<=", ">", ">="]) expect(one(`metrics.m ${op} 1`).comparator).toBe(op);
    expect(one("params.p like 'a%'").comparator).toBe("LIKE");
    expect(one("params.p ILike 'a%'").comparator).toBe("ILIKE");
    expect(one("run_id in ('a')").comparator).toBe("IN");
    expect(one("run_id NOT IN ('a')").comparator).toBe("NOT IN");
    expect(one("tags.t IS NULL")).toMatchObject({ comparator: "IS NULL", value: { kind: "none" } });
    expect(one("tags.t is not null")).toMatchObject({ comparator: "IS NOT NULL", value: { kind: "none" } });
    // Unknown operators parse; each endpoint refuses them by its own rules.
    expect(one("metrics.m ~ 1").comparator).toBe("~");
  });

  it("reads identifiers with and without entity, quoted with backticks or double quotes", () => {
    expect(one("status = 'x'")).toMatchObject({ entity: undefined, key: "status" });
    expect(one("tags.`my-key` = 'x'")).toMatchObject({ entity: "tags", key: "my-key" });
    expect(one('tags."my key" = \'x\'')).toMatchObject({ entity: "tags", key: "my key" });
    expect(one("`params`.`model` = 'x'")).toMatchObject({ entity: "`params`", key: "model" });
    expect(one("tags.mlflow.runName = 'x'")).toMatchObject({ entity: "tags", key: "mlflow.runName" });
    expect(one("tags.`odd key.with dots` = 'x'")).toMatchObject({ entity: "tags", key: "odd key.with dots" });
  });

  it("reads values: single- or double-quoted strings, numbers, bare words, lists", () => {
    expect(one("params.p = 'a b'").value).toEqual({ kind: "string", value: "a b", raw: "'a b'" });
    expect(one('params.p = "rnn"').value).toEqual({ kind: "string", value: "rnn", raw: '"rnn"' });
    expect(one("metrics.m = 0.5").value).toEqual({ kind: "number", value: 0.5, raw: "0.5" });
    expect(one("metrics.m = -3").value).toMatchObject({ kind: "number", value: -3 });
    expect(one("metrics.m = .5e2").value).toMatchObject({ kind: "number", value: 50 });
    expect(one("params.p = rnn").value).toEqual({ kind: "word", raw: "rnn" });
    expect(one("params.p = `rnn`").value).toEqual({ kind: "word", raw: "`rnn`" });
    const list = one("run_id IN ('a', \"b\", 3)").value;
    expect(list.kind === "list" && list.items.map((i) => i.kind)).toEqual(["string", "string", "number"]);
  });

  it("joins clauses with AND in any case", () => {
    const clauses = parseFilter("metrics.a > 1 AND params.b = 'x' and tags.c IS NULL");
    expect(clauses.map((c) => c.comparator)).toEqual([">", "=", "IS NULL"]);
  });

  it.each([
    "metrics.a > 1 OR metrics.b > 1",
    "metrics.a > 1 AND",
    "AND metrics.a > 1",
    "metrics.a > 1 metrics.b > 1",
    "NOT metrics.a > 1",
    "(metrics.a > 1)",
    "params.model = 'cnn",
    "params.model =",
    "params.model",
    "'x' = params.model",
    "params.model IN 'a'",
    "params.model IN ('a'",
    "params.model IN ('a',, 'b')",
    "params.model IN ('a' 'b')",
    "params.model NOT 'a'",
    "params.model IS 'a'",
    "params.model IS NOT 'a'",
    "tags.my-key = 'x'",
    "metrics.a > 1; DROP TABLE runs",
  ])("refuses %s as invalid clauses", (filter) => {
    expect(refusal(() => parseFilter(filter))).toMatch(/^Invalid clause\(s\) in filter string: /);
  });

  it("names the offending clauses, like MLflow", () => {
    expect(refusal(() => parseFilter("a = 'x' OR b = 'y'"))).toContain("'OR'");
  });
});

describe("parseOrderBy", () => {
  it("reads a key and an optional direction in any case", () => {
    expect(parseOrderBy("metrics.acc")).toMatchObject({ ascending: true });
    expect(parseOrderBy("metrics.acc DESC")).toMatchObject({ ascending: false });
    expect(parseOrderBy("start_time asc")).toMatchObject({ ascending: true });
  });

  it("drops every quote of the key, as MLflow's shlex does", () => {
    expect(splitIdentifier(parseOrderBy("metrics.`val loss` DESC").identifier)).toEqual({ entity: "metrics", key: "val loss" });
    expect(splitIdentifier(parseOrderBy('`tags`."a.b"').identifier)).toEqual({ entity: "tags", key: "a.b" });
  });

  it.each(["", "DESC", "metrics.acc SIDEWAYS", "metrics.acc DESC extra", "'metrics.acc'", "metrics.acc, start_time"])(
    "refuses %j",
    (text) => {
      refusal(() => parseOrderBy(text));
    },
  );
});
