/**
 * JSON text exactly as Python's `json.dumps` writes it with default separators
 * (`", "`, `": "`), so documents MLflow builds server-side (a trace's `traces.json`)
 * come out byte for byte the same. BigInts are Python ints; other numbers are floats.
 *
 * @example
 * pythonJson({ a: [1.5, 2n] }) // '{"a": [1.5, 2]}'
 */
export function pythonJson(value: unknown, ensureAscii = true): string {
  if (value === null || value === undefined) return "null";
  if (typeof value === "bigint") return value.toString();
  if (typeof value === "boolean") return value ? "true" : "false";
  if (typeof value === "number") return pythonFloat(value);
  if (typeof value === "string") return pythonString(value, ensureAscii);
  if (Array.isArray(value)) return `[${value.map((v) => pythonJson(v, ensureAscii)).join(", ")}]`;
  const entries = Object.entries(value as Record<string, unknown>);
  return `{${entries.map(([k, v]) => `${pythonString(k, ensureAscii)}: ${pythonJson(v, ensureAscii)}`).join(", ")}}`;
}

/** Python's float repr: `1.0`, `1e-05`, `1e+16`, `NaN`, `Infinity`. */
function pythonFloat(d: number): string {
  if (Number.isNaN(d)) return "NaN";
  if (!Number.isFinite(d)) return d > 0 ? "Infinity" : "-Infinity";
  const abs = Math.abs(d);
  if (abs !== 0 && (abs >= 1e16 || abs < 1e-4)) {
    return d.toExponential().replace(/e([+-])(\d)$/, "e$10$2");
  }
  return Number.isInteger(d) ? `${d}.0` : String(d);
}

const SHORT_ESCAPES: Record<string, string> = { '"': '\\"', "\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f" };

function pythonString(s: string, ensureAscii: boolean): string {
  const unsafe = ensureAscii ? /[\\"]|[^\x20-\x7e]/g : /[\\"\x00-\x1f]/g;
  return `"${s.replace(unsafe, (ch) => SHORT_ESCAPES[ch] ?? `\\u${ch.charCodeAt(0).toString(16).padStart(4, "0")}`)}"`;
}
