import { invalidParameter } from "../protocol/errors";
import { type IdentPart, type Token, tokenize } from "./lexer";

/**
 * The syntax tree shared by every search endpoint. It records what was written, not
 * what it means: each endpoint resolves identifiers, value types and comparators by
 * its own rules (see `runs.ts`, `experiments.ts`).
 */
export interface Clause {
  identifier: Identifier;
  /** Upper-cased: `=`, `!=`, `<`, …, `LIKE`, `ILIKE`, `IN`, `NOT IN`, `IS NULL`, `IS NOT NULL`. */
  comparator: string;
  value: Value;
  /** The clause as written, for error messages. */
  text: string;
}

/** `[<entity>.]<key>`, kept as written: MLflow splits at the first dot, outside quotes. */
export interface Identifier {
  parts: IdentPart[];
  text: string;
}

export type Value =
  | { kind: "string"; value: string; raw: string }
  | { kind: "number"; value: number; raw: string }
  /** An unquoted or backticked word: never a valid value, but each entity words the refusal its own way. */
  | { kind: "word"; raw: string }
  | { kind: "list"; items: Value[]; raw: string }
  | { kind: "none"; raw: "" };

export interface OrderBy {
  identifier: Identifier;
  ascending: boolean;
  text: string;
}

/**
 * Parses a filter: comparisons joined by AND (any case). OR, NOT, parentheses and any
 * other structure are refused as MLflow refuses them.
 *
 * @example
 * parseFilter("metrics.acc > 0.9 AND tags.`my key` LIKE 'a%'")
 */
export function parseFilter(filter: string | undefined): Clause[] {
  if (!filter || filter.trim() === "") return [];
  const tokens = tokenize(filter);
  const clauses: Clause[] = [];
  let i = 0;
  for (;;) {
    const parsed = parseClause(tokens, i);
    if (!parsed) throw invalidClauses(tokens.slice(i));
    clauses.push(parsed.clause);
    i = parsed.end;
    if (i === tokens.length) return clauses;
    const and = tokens[i];
    if (and.kind !== "keyword" || and.word !== "AND" || i + 1 === tokens.length) throw invalidClauses(tokens.slice(i));
    i++;
  }
}

/**
 * Parses one `order_by` entry: an identifier and an optional ASC/DESC (any case).
 *
 * @example
 * parseOrderBy("metrics.`val loss` DESC") // { ascending: false, … }
 */
export function parseOrderBy(text: string): OrderBy {
  const tokens = tokenize(text);
  const [ident, direction, ...rest] = tokens;
  if (!ident || ident.kind !== "ident" || rest.length > 0 || isDirection(ident.text)) {
    throw invalidParameter(`Invalid order_by clause '${text}'. Could not be parsed.`);
  }
  let ascending = true;
  if (direction) {
    if (direction.kind !== "ident" || !isDirection(direction.text)) throw invalidParameter(`Invalid ordering key in order_by clause '${text}'.`);
    ascending = direction.text.toLowerCase() === "asc";
  }
  // MLflow reads order_by keys through shlex, which drops every quote.
  const parts = ident.parts.map((p) => ({ raw: p.text, text: p.text, quote: "" as const }));
  return { identifier: { parts, text: ident.text }, ascending, text };
}

function isDirection(word: string): boolean {
  return /^(asc|desc)$/i.test(word);
}

type Parsed = { clause: Clause; end: number } | undefined;

function parseClause(tokens: Token[], start: number): Parsed {
  const ident = tokens[start];
  if (ident?.kind !== "ident") return undefined;
  const identifier = { parts: ident.parts, text: ident.text };
  const next = tokens[start + 1];
  if (!next) return undefined;
  const done = (comparator: string, value: Value, end: number): Parsed => ({
    clause: { identifier, comparator, value, text: tokens.slice(start, end).map((t) => t.text).join(" ") },
    end,
  });
  if (next.kind === "op") {
    const value = readScalar(tokens[start + 2]);
    return value && done(next.text, value, start + 3);
  }
  if (next.kind !== "keyword") return undefined;
  const after = tokens[start + 2];
  switch (next.word) {
    case "LIKE":
    case "ILIKE": {
      const value = readScalar(after);
      return value && done(next.word, value, start + 3);
    }
    case "IN": {
      const list = readList(tokens, start + 2);
      return list && done("IN", list.value, list.end);
    }
    case "NOT": {
      if (after?.kind !== "keyword" || after.word !== "IN") return undefined;
      const list = readList(tokens, start + 3);
      return list && done("NOT IN", list.value, list.end);
    }
    case "IS": {
      if (isKeyword(after, "NULL")) return done("IS NULL", { kind: "none", raw: "" }, start + 3);
      if (isKeyword(after, "NOT") && isKeyword(tokens[start + 3], "NULL")) {
        return done("IS NOT NULL", { kind: "none", raw: "" }, start + 4);
      }
      return undefined;
    }
    default:
      return undefined;
  }
}

function isKeyword(token: Token | undefined, word: string): boolean {
  return token?.kind === "keyword" && token.word === word;
}

function readScalar(token: Token | undefined): Value | undefined {
  if (!token) return undefined;
  if (token.kind === "string") return { kind: "string", value: token.value, raw: token.text };
  if (token.kind === "number") return { kind: "number", value: Number(token.text), raw: token.text };
  if (token.kind === "ident") {
    const [only] = token.parts;
    // A double-quoted word is a string value, as MLflow reads it.
    if (token.parts.length === 1 && only.quote === '"') return { kind: "string", value: only.text, raw: token.text };
    return { kind: "word", raw: token.text };
  }
  return undefined;
}

/** `( item, item, … )`; items are kept as written and typed by each endpoint. */
function readList(tokens: Token[], start: number): { value: Value; end: number } | undefined {
  if (tokens[start]?.kind !== "punct" || tokens[start].text !== "(") return undefined;
  const items: Value[] = [];
  let i = start + 1;
  let expectItem = true;
  for (; i < tokens.length; i++) {
    const t = tokens[i];
    if (t.kind === "punct" && t.text === ")") break;
    if (t.kind === "punct" && t.text === ",") {
      if (expectItem) return undefined;
      expectItem = true;
      continue;
    }
    const item = expectItem ? readScalar(t) : undefined;
    if (!item) return undefined;
    items.push(item);
    expectItem = false;
  }
  if (i === tokens.length) return undefined;
  const raw = `(${items.map((item) => item.raw).join(", ")})`;
  return { value: { kind: "list", items, raw }, end: i + 1 };
}

function invalidClauses(tokens: Token[]) {
  const shown = tokens.map((t) => `'${t.text}'`).join(", ");
  return invalidParameter(`Invalid clause(s) in filter string: ${shown}`);
}
