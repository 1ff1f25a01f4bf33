import { sql, type SQL } from "drizzle-orm";
import { invalidParameter } from "../protocol/errors";

/**
 * The shape MLflow's search filters share: comparisons joined by AND, each
 * `<identifier> <op> <value>`, with backtick- or double-quoted keys, quoted strings,
 * bare numbers and parenthesised IN lists.
 */
export type FilterValue =
  | { kind: "string"; value: string }
  | { kind: "number"; value: number; text: string }
  | { kind: "list"; values: string[] }
  | { kind: "null" };

export interface Comparison {
  /** Text before the first unquoted dot, unquoted; undefined for a bare key. */
  entity?: string;
  key: string;
  op: Operator;
  value: FilterValue;
}

export type Operator =
  | "="
  | "!="
  | "<"
  | "<="
  | ">"
  | ">="
  | "LIKE"
  | "ILIKE"
  | "RLIKE"
  | "IN"
  | "NOT IN"
  | "IS NULL"
  | "IS NOT NULL";

const OPERATOR = /^(<=|>=|!=|<>|=|<|>|not\s+in\b|in\b|like\b|ilike\b|rlike\b|is\s+not\s+null\b|is\s+null\b)/i;
const NUMBER = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?/;
const AND = /^\s+and\s+/i;

/**
 * Parses a filter into comparisons; anything but AND-joined comparisons is a 400.
 *
 * @example
 * parseFilter("metrics.acc > 0.9 AND tags.`my key` = 'x'")
 * // [{entity: "metrics", key: "acc", op: ">", value: {kind: "number", value: 0.9, text: "0.9"}}, …]
 */
export function parseFilter(filter: string | undefined): Comparison[] {
  if (!filter || !filter.trim()) return [];
  const p = new Parser(filter);
  const out: Comparison[] = [];
  p.skipSpace();
  for (;;) {
    out.push(p.comparison());
    if (p.atEnd()) return out;
    if (!p.eat(AND)) throw p.error("Expected 'AND' between comparisons");
    p.skipSpace();
  }
}

class Parser {
  private pos = 0;
  constructor(private readonly text: string) {}

  atEnd(): boolean {
    return this.text.slice(this.pos).trim() === "";
  }

  skipSpace() {
    while (this.pos < this.text.length && /\s/.test(this.text[this.pos])) this.pos++;
  }

  eat(re: RegExp): string | undefined {
    const m = re.exec(this.text.slice(this.pos));
    if (!m) return undefined;
    this.pos += m[0].length;
    return m[0];
  }

  error(why: string) {
    return invalidParameter(`Invalid filter '${this.text}': ${why} at position ${this.pos}.`);
  }

  comparison(): Comparison {
    const { entity, key } = this.identifier();
    this.skipSpace();
    const rawOp = this.eat(OPERATOR);
    if (!rawOp) throw this.error("Expected a comparison operator");
    const op = normaliseOperator(rawOp);
    if (op === "IS NULL" || op === "IS NOT NULL") return { entity, key, op, value: { kind: "null" } };
    this.skipSpace();
    return { entity, key, op, value: this.value() };
  }

  /** Reads `a.b`, `` `a`.`b c` ``, `tags."k"`: split at the first unquoted dot. */
  identifier(): { entity?: string; key: string } {
    const parts: string[] = [""];
    const start = this.pos;
    while (this.pos < this.text.length) {
      const ch = this.text[this.pos];
      if (ch === "`" || ch === '"') {
        const end = this.text.indexOf(ch, this.pos + 1);
        if (end < 0) throw this.error("Unterminated quoted identifier");
        parts[parts.length - 1] += this.text.slice(this.pos + 1, end);
        this.pos = end + 1;
      } else if (ch === "." && parts.length === 1) {
        parts.push("");
        this.pos++;
      } else if (/[\w.\-:/]/u.test(ch)) {
        parts[parts.length - 1] += ch;
        this.pos++;
      } else break;
    }
    if (this.pos === start || parts.some((p) => p === "")) throw this.error("Expected an identifier");
    return parts.length === 1 ? { key: parts[0] } : { entity: parts[0], key: parts[1] };
  }

  value(): FilterValue {
    const ch = this.text[this.pos];
    if (ch === "'" || ch === '"') return { kind: "string", value: this.quoted() };
    if (ch === "(") return { kind: "list", values: this.list() };
    const num = this.eat(NUMBER);
    if (num !== undefined) return { kind: "number", value: Number(num), text: num };
    throw this.error("Expected a quoted string, a number or a parenthesised list");
  }

  private quoted(): string {
    const quote = this.text[this.pos];
    let out = "";
    for (let i = this.pos + 1; i < this.text.length; i++) {
      const ch = this.text[i];
      if (ch === "\\" && i + 1 < this.text.length) {
        out += this.text[++i];
      } else if (ch === quote && this.text[i + 1] === quote) {
        out += quote;
        i++;
      } else if (ch === quote) {
        this.pos = i + 1;
        return out;
      } else out += ch;
    }
    throw this.error("Unterminated string");
  }

  private list(): string[] {
    this.pos++;
    const values: string[] = [];
    for (;;) {
      this.skipSpace();
      const ch = this.text[this.pos];
      if (ch !== "'" && ch !== '"') throw this.error("Expected a quoted string in the list");
      values.push(this.quoted());
      this.skipSpace();
      if (this.eat(/^\)/)) return values;
      if (!this.eat(/^,/)) throw this.error("Expected ',' or ')' in the list");
    }
  }
}

function normaliseOperator(raw: string): Operator {
  const op = raw.toUpperCase().replace(/\s+/g, " ");
  return (op === "<>" ? "!=" : op) as Operator;
}

/** The SQL for `column <op> value` on text, LIKE being case-sensitive as in MLflow. */
export function compareText(column: SQL, op: Operator, value: FilterValue): SQL {
  if (op === "IN" || op === "NOT IN") {
    if (value.kind !== "list" || value.values.length === 0) {
      throw invalidParameter(`'${op}' needs a non-empty parenthesised list of quoted strings.`);
    }
    const list = sql`(SELECT value FROM json_each(${JSON.stringify(value.values)}))`;
    return op === "IN" ? sql`${column} IN ${list}` : sql`${column} NOT IN ${list}`;
  }
  const text = value.kind === "string" ? value.value : value.kind === "number" ? value.text : undefined;
  if (text === undefined) throw invalidParameter(`Operator '${op}' needs a single value.`);
  switch (op) {
    case "=":
      return sql`${column} = ${text}`;
    case "!=":
      return sql`${column} != ${text}`;
    case "LIKE":
      return sql`${column} GLOB ${likeToGlob(text)}`;
    case "ILIKE":
      return sql`LOWER(${column}) LIKE LOWER(${text})`;
    default:
      throw invalidParameter(`Invalid comparator '${op}' for a string value.`);
  }
}

/** The SQL for `column <op> number`. */
export function compareNumber(column: SQL, op: Operator, value: FilterValue): SQL {
  if (value.kind !== "number") throw invalidParameter(`Expected a numeric value for operator '${op}'.`);
  const ops: Partial<Record<Operator, string>> = { "=": "=", "!=": "!=", "<": "<", "<=": "<=", ">": ">", ">=": ">=" };
  const sqlOp = ops[op];
  if (!sqlOp) throw invalidParameter(`Invalid comparator '${op}' for a numeric value.`);
  return sql`${column} ${sql.raw(sqlOp)} ${value.value}`;
}

/** SQLite's LIKE ignores case; GLOB does not, so case-sensitive LIKE becomes GLOB. */
function likeToGlob(pattern: string): string {
  return pattern.replace(/[[*?]|%|_/g, (ch) => (ch === "%" ? "*" : ch === "_" ? "?" : `[${ch}]`));
}
