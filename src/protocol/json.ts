/**
 * MLflow's wire encoding of numbers: i64 as JSON numbers, non-finite doubles as strings.
 */
export function encodeDouble(value: number): number | string {
  if (Number.isNaN(value)) return "NaN";
  if (value === Infinity) return "Infinity";
  if (value === -Infinity) return "-Infinity";
  return value;
}

/** A JSON 200 response, the only success shape the client accepts on JSON RPCs. */
export function jsonResponse(body: unknown, status = 200, headers?: HeadersInit): Response {
  const h = new Headers(headers);
  h.set("Content-Type", "application/json");
  return new Response(JSON.stringify(body), { status, headers: h });
}

/** The empty success `{}` most write RPCs answer. */
export const ok = () => jsonResponse({});

/** Drops keys whose value is undefined, so unset proto fields are not emitted. */
export function compact<T extends Record<string, unknown>>(obj: T): T {
  for (const k of Object.keys(obj)) if (obj[k] === undefined) delete obj[k];
  return obj;
}
