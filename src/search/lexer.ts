/**
 * Tokens of MLflow's search language, split the way MLflow's SQL tokenizer (sqlparse)
 * splits a filter: identifiers are dotted chains whose parts may be quoted with
 * backticks or double quotes, strings are single-quoted, comparators are runs of
 * `<>=!~` or the keywords LIKE / ILIKE / IN / IS.
 */
export type Token =
  | { kind: "ident"; text: string; parts: IdentPart[] }
  | { kind: "string"; text: string; value: string }
  | { kind: "number"; text: string }
  | { kind: "op"; text: string }
  | { kind: "keyword"; text: string; word: Keyword }
  | { kind: "punct"; text: "(" | ")" | "," }
  | { kind: "error"; text: string };

/** One part of a dotted identifier; `quote` is the quote character it was written in, if any. */
export interface IdentPart {
  raw: string;
  text: string;
  quote: "" | "`" | '"';
}

const KEYWORDS = ["AND", "OR", "NOT", "IN", "IS", "NULL", "LIKE", "ILIKE"] as const;
export type Keyword = (typeof KEYWORDS)[number];

const WORD = /[\p{L}\p{N}_$]/u;
const NUMBER = /^-?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?/;
const OPERATOR = /^[<>=!~]+/;

/**
 * Splits a filter or order_by string into tokens. Never throws: text that cannot start
 * a token (an unterminated quote, a stray character) becomes an `error` token, which
 * the parser reports as an invalid clause.
 *
 * @example
 * tokenize("tags.`my key` = 'v'") // ident, op, string
 */
export function tokenize(input: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < input.length) {
    const ch = input[i];
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    const token = readToken(input, i);
    tokens.push(token.token);
    i = token.end;
  }
  return tokens;
}

function readToken(input: string, start: number): { token: Token; end: number } {
  const ch = input[start];
  const rest = input.slice(start);
  if (ch === "(" || ch === ")" || ch === ",") return { token: { kind: "punct", text: ch }, end: start + 1 };
  if (ch === "'") {
    const end = closingQuote(input, start, "'");
    if (end < 0) return { token: { kind: "error", text: rest }, end: input.length };
    const text = input.slice(start, end + 1);
    return { token: { kind: "string", text, value: text.slice(1, -1) }, end: end + 1 };
  }
  const number = NUMBER.exec(rest);
  if (number && !WORD.test(input[start + number[0].length] ?? "")) {
    return { token: { kind: "number", text: number[0] }, end: start + number[0].length };
  }
  const op = OPERATOR.exec(rest);
  if (op) return { token: { kind: "op", text: op[0] }, end: start + op[0].length };
  if (WORD.test(ch) || ch === "`" || ch === '"') return readIdentifier(input, start);
  return { token: { kind: "error", text: ch }, end: start + 1 };
}

/** A dotted chain of bare words and quoted parts; a lone bare keyword is a keyword. */
function readIdentifier(input: string, start: number): { token: Token; end: number } {
  const parts: IdentPart[] = [];
  let i = start;
  for (;;) {
    const ch = input[i];
    if (ch === "`" || ch === '"') {
      const end = closingQuote(input, i, ch);
      if (end < 0) return { token: { kind: "error", text: input.slice(start) }, end: input.length };
      parts.push({ raw: input.slice(i, end + 1), text: input.slice(i + 1, end), quote: ch });
      i = end + 1;
    } else {
      let j = i;
      while (j < input.length && WORD.test(input[j])) j++;
      if (j === i) return { token: { kind: "error", text: input.slice(start, i + 1) }, end: i + 1 };
      parts.push({ raw: input.slice(i, j), text: input.slice(i, j), quote: "" });
      i = j;
    }
    if (input[i] !== "." || !startsPart(input[i + 1])) break;
    i++;
  }
  const text = input.slice(start, i);
  const upper = text.toUpperCase() as Keyword;
  if (parts.length === 1 && parts[0].quote === "" && KEYWORDS.includes(upper)) {
    return { token: { kind: "keyword", text, word: upper }, end: i };
  }
  return { token: { kind: "ident", text, parts }, end: i };
}

function startsPart(ch: string | undefined): boolean {
  return ch !== undefined && (WORD.test(ch) || ch === "`" || ch === '"');
}

/** Index of the quote closing the one at `start`; a doubled quote inside is an escaped one. */
function closingQuote(input: string, start: number, quote: string): number {
  for (let i = start + 1; i < input.length; i++) {
    if (input[i] === "\\" && quote === "'") {
      i++;
      continue;
    }
    if (input[i] !== quote) continue;
    if (input[i + 1] === quote) {
      i++;
      continue;
    }
    return i;
  }
  return -1;
}
