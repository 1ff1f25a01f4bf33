import { invalidParameter } from "./errors";

/**
 * Opaque page tokens: base64 of `{"offset": N}`, as MLflow's own server issues them,
 * so a token from either server means the same thing.
 */
function encodePageToken(offset: number): string {
  return btoa(JSON.stringify({ offset }));
}

export function decodePageToken(token: string | undefined): number {
  if (!token) return 0;
  let parsed: unknown;
  try {
    parsed = JSON.parse(atob(token));
  } catch {
    throw invalidParameter("Invalid page token, could not base64-decode");
  }
  const offset = (parsed as { offset?: unknown } | null)?.offset;
  if (typeof offset !== "number" || !Number.isSafeInteger(offset) || offset < 0) {
    throw invalidParameter("Invalid page token, decoded value does not contain a valid offset");
  }
  return offset;
}

/**
 * Splits rows fetched with `limit + 1` into a page and the next token, so the last
 * page never carries a token.
 */
export function paginate<T>(rows: T[], offset: number, limit: number): { items: T[]; nextPageToken?: string } {
  if (rows.length <= limit) return { items: rows };
  return { items: rows.slice(0, limit), nextPageToken: encodePageToken(offset + limit) };
}
