import { type SQL, sql } from "drizzle-orm";
import type { NumericTest, StringTest } from "./terms";
import { inJson } from "../store/sql";

/**
 * SQL for a string comparison, with MLflow's SQLite semantics: `=`/`!=` and LIKE are
 * case-sensitive (MLflow turns on `case_sensitive_like`; D1 cannot, so LIKE becomes
 * the equivalent GLOB), ILIKE compares lower-cased, and IN lists travel as one JSON
 * parameter whatever their length.
 *
 * @example
 * compareString(sql`t.value`, { op: "LIKE", value: "r%" }) // t.value GLOB 'r*'
 */
export function compareString(column: SQL, test: StringTest): SQL {
  switch (test.op) {
    case "=":
      return sql`${column} = ${test.value}`;
    case "!=":
      return sql`${column} != ${test.value}`;
    case "LIKE":
      return sql`${column} GLOB ${likeToGlob(test.value)}`;
    case "ILIKE":
      return sql`lower(${column}) LIKE lower(${test.value})`;
    case "IN":
      return inJson(column, test.values);
    case "NOT IN":
      return sql`NOT ${inJson(column, test.values)}`;
  }
}

/**
 * SQL for a numeric comparison. Infinite bounds are written as SQLite's infinity
 * literal, since stored ±inf metrics are ±DBL_MAX and must compare as MLflow's do.
 */
export function compareNumber(column: SQL, test: NumericTest): SQL {
  const value = Number.isFinite(test.value) ? sql`${test.value}` : sql.raw(test.value > 0 ? "9e999" : "-9e999");
  return sql`${column} ${sql.raw(test.op)} ${value}`;
}

/**
 * A LIKE pattern as a GLOB pattern: `%` → `*`, `_` → `?`, and GLOB's own wildcards
 * made literal by bracketing them.
 *
 * @example
 * likeToGlob("a_b%[x]*") // "a?b*[[]x][*]"
 */
export function likeToGlob(pattern: string): string {
  let out = "";
  for (const ch of pattern) {
    if (ch === "%") out += "*";
    else if (ch === "_") out += "?";
    else if (ch === "*" || ch === "?" || ch === "[") out += `[${ch}]`;
    else out += ch;
  }
  return out;
}

/** `a AND b AND …`, or nothing when there are no conditions. */
export function andAll(conditions: SQL[]): SQL {
  return conditions.length ? sql` AND ${sql.join(conditions, sql` AND `)}` : sql``;
}
