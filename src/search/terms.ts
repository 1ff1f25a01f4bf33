import { invalidParameter } from "../protocol/errors";
import type { Clause, Value } from "./parser";

/** A resolved comparison against a string column. */
export type StringTest =
  | { op: "=" | "!=" | "LIKE" | "ILIKE"; value: string }
  | { op: "IN" | "NOT IN"; values: string[] };

/** A resolved comparison against a numeric column. */
export type NumericTest = { op: "=" | "!=" | "<" | "<=" | ">" | ">="; value: number };

export const NUMERIC_OPS = ["=", "!=", "<", "<=", ">", ">="] as const;
export const STRING_OPS = ["=", "!=", "LIKE", "ILIKE"] as const;

/**
 * The comparator of a clause, which must be one of `allowed`.
 *
 * @example
 * comparator(clause, NUMERIC_OPS) // ">="
 */
export function comparator<T extends string>(clause: Clause, allowed: readonly T[]): T {
  if (!(allowed as readonly string[]).includes(clause.comparator)) {
    throw invalidParameter(`Invalid comparator '${clause.comparator}' not one of '{${allowed.map((a) => `'${a}'`).join(", ")}}'`);
  }
  return clause.comparator as T;
}

/** A single- or double-quoted value; `otherwise` words the refusal of numbers and lists. */
export function quotedString(value: Value, otherwise: string): string {
  if (value.kind === "string") return value.value;
  if (value.kind === "word") {
    throw invalidParameter(
      `Parameter value is either not quoted or unidentified quote types used for string value ${value.raw}. Use either single or double quotes.`,
    );
  }
  throw invalidParameter(`${otherwise}${value.raw}`);
}

/** An unquoted number; `otherwise` words the refusal. */
export function numeric(value: Value, otherwise: string): number {
  if (value.kind !== "number") throw invalidParameter(`${otherwise}${value.raw}`);
  return value.value;
}

/**
 * The values of an IN / NOT IN list, which must be quoted strings. Like MLflow,
 * entries that are not all lower case are dropped: they cannot be run ids, and MySQL
 * would match them anyway.
 */
export function lowerCaseList(value: Value): string[] {
  if (value.kind !== "list" || value.items.length === 0) {
    throw invalidParameter("While parsing a list in the query, expected a non-empty list of string values, but got empty list");
  }
  if (value.items.some((i) => i.kind !== "string")) {
    throw invalidParameter(
      `While parsing a list in the query, expected string value, punctuation, or whitespace, but got different type in list: ${value.raw}`,
    );
  }
  return value.items.map((i) => (i as { value: string }).value).filter(isLower);
}

/** Python's str.islower(): some cased character, and none upper case. */
function isLower(s: string): boolean {
  return s === s.toLowerCase() && s !== s.toUpperCase();
}
