import { invalidParameter } from "../protocol/errors";
import type { Clause } from "./parser";
import { comparator, quotedString, type StringTest } from "./terms";

const STRING_OPS = ["=", "!=", "LIKE", "ILIKE", "IN", "NOT IN"] as const;

/**
 * A string comparison of the logged-model and trace grammars: `= != LIKE ILIKE` with
 * a quoted value, `IN` / `NOT IN` with a list of quoted strings kept as written (no
 * run-id lower-casing), and, as MLflow's `strip("'")` allows, a bare number as text.
 *
 * @example
 * stringTest(parseFilter("name IN ('a', 'B')")[0]) // { op: "IN", values: ["a", "B"] }
 */
export function stringTest(clause: Clause): StringTest {
  const op = comparator(clause, STRING_OPS);
  const value = clause.value;
  if (op === "IN" || op === "NOT IN") {
    if (value.kind !== "list" || value.items.length === 0 || value.items.some((i) => i.kind !== "string")) {
      throw invalidParameter(`'${op}' needs a non-empty list of quoted strings, got ${value.raw}`);
    }
    return { op, values: value.items.map((i) => (i as { value: string }).value) };
  }
  if (value.kind === "number") return { op, value: value.raw };
  return { op, value: quotedString(value, `Expected a quoted string value for ${clause.identifier.text} but got `) };
}
