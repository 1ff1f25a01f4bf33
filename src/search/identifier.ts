import type { Identifier } from "./parser";

/**
 * An identifier split as MLflow splits it: at the first dot outside quotes into the
 * entity as written (backticks kept, so each endpoint can apply its own rule) and the
 * key with one layer of quotes (`'`, `"`, then backticks) removed. Without a dot the
 * whole identifier is the key and the entity is undefined (an attribute).
 *
 * @example
 * splitIdentifier(parseOrderBy("tags.`a.b`").identifier) // { entity: "tags", key: "a.b" }
 */
export function splitIdentifier(id: Identifier): { entity: string | undefined; key: string } {
  const [first, ...rest] = id.parts;
  if (rest.length === 0) return { entity: undefined, key: unquoteKey(first.raw) };
  return { entity: first.raw, key: unquoteKey(rest.map((p) => p.raw).join(".")) };
}

export function trimBackticks(text: string): string {
  return isWrapped(text, "`") ? text.slice(1, -1) : text;
}

function unquoteKey(raw: string): string {
  const unquoted = isWrapped(raw, "'") || isWrapped(raw, '"') ? raw.slice(1, -1) : raw;
  return trimBackticks(unquoted);
}

function isWrapped(text: string, quote: string): boolean {
  return text.length >= 2 && text.startsWith(quote) && text.endsWith(quote);
}
