import { invalidParameter } from "../protocol/errors";

/**
 * Artifact paths as they arrive (URL path tails, `path` query values, multipart `path`s),
 * checked before they become R2 keys. The R2 key of `mlflow-artifacts:/X` is `X`, so a
 * path that survives these checks cannot leave the prefix it is joined under: no `..`,
 * no absolute or drive paths, no separators other than `/`, nothing a later decoding or
 * a URL parser could turn into one of those.
 */

/** R2 refuses keys longer than this many UTF-8 bytes. */
const MAX_KEY_BYTES = 1024;

/** Control characters (NUL included), backslash, and URL delimiters smuggled into a name. */
const FORBIDDEN_CHARS = /[\u0000-\u001f\u007f\\#?;]/;

/** A URI scheme or Windows drive at the start (`file:`, `C:`, `s3:`). */
const SCHEME_OR_DRIVE = /^[A-Za-z][A-Za-z0-9+.-]*:/;

/**
 * A percent escape left after decoding once is a double encoding; these are the ones that
 * would decode into something refused above (`%252e` → `%2e` → `.`). Other leftovers, such
 * as a literal `%20` in a file name, are harmless and kept as they are.
 */
const DANGEROUS_LEFTOVER_ESCAPE = /%(2e|2f|5c|23|3f|3b|25|3a|[01][0-9a-f]|7f)/i;

const invalidPath = () => invalidParameter("Invalid path");

export type PathKind = "file" | "dir";

/**
 * Decodes (when `encoded`) and validates an artifact path, returning it as an R2 key
 * (or key prefix). A directory may be empty (the root) and may end with one `/`, which is
 * dropped; a file may neither.
 *
 * @example
 * artifactPath("1/abc/artifacts/model%2FMLmodel", { encoded: true, kind: "file" }) // "1/abc/artifacts/model/MLmodel"
 * artifactPath("../etc", { encoded: false, kind: "dir" }) // throws 400 INVALID_PARAMETER_VALUE
 */
export function artifactPath(raw: string, opts: { encoded: boolean; kind: PathKind }): string {
  const decoded = opts.encoded ? decodeOnce(raw) : raw;
  const path = opts.kind === "dir" && decoded.endsWith("/") ? decoded.slice(0, -1) : decoded;
  if (path === "") {
    if (opts.kind === "dir") return "";
    throw invalidPath();
  }
  if (isUnsafe(path)) throw invalidPath();
  return path;
}

/** Whether an already decoded path could escape the prefix it is joined under. */
export function isUnsafe(path: string): boolean {
  if (FORBIDDEN_CHARS.test(path) || DANGEROUS_LEFTOVER_ESCAPE.test(path)) return true;
  if (path.startsWith("/") || SCHEME_OR_DRIVE.test(path)) return true;
  if (new TextEncoder().encode(path).length > MAX_KEY_BYTES) return true;
  return path.split("/").some((seg) => seg === "" || seg === "." || seg === "..");
}

function decodeOnce(raw: string): string {
  const decoded = decodeOrUndefined(raw);
  if (decoded === undefined) throw invalidPath();
  return decoded;
}

/**
 * Joins validated pieces into one key; empty pieces (the root) vanish.
 *
 * @example
 * joinKey("1/abc/artifacts", "") // "1/abc/artifacts"
 */
export function joinKey(...parts: string[]): string {
  return parts.filter((p) => p !== "").join("/");
}

/** The last segment of a key, as MLflow's `posixpath.basename`. */
export function basename(key: string): string {
  return key.slice(key.lastIndexOf("/") + 1);
}

/**
 * The R2 key prefix under which an artifact root URI stores its files, or undefined when
 * the root is not one this server serves. Accepts `mlflow-artifacts:/X`,
 * `mlflow-artifacts://host/X` and `http(s)://…/api/2.0/mlflow-artifacts/artifacts/X`,
 * as MLflow's proxy does; the result is validated like any client path.
 *
 * @example
 * artifactRootKey("mlflow-artifacts:/1/abc/artifacts") // "1/abc/artifacts"
 */
export function artifactRootKey(uri: string): string | undefined {
  let path: string | undefined;
  if (uri.startsWith("mlflow-artifacts://")) path = uri.slice("mlflow-artifacts://".length).replace(/^[^/]*/, "");
  else if (uri.startsWith("mlflow-artifacts:")) path = uri.slice("mlflow-artifacts:".length);
  else if (/^https?:\/\//.test(uri)) {
    const anchor = "/api/2.0/mlflow-artifacts/artifacts/";
    const at = uri.indexOf(anchor);
    if (at >= 0) path = decodeOrUndefined(uri.slice(at + anchor.length));
  }
  if (path === undefined) return undefined;
  const key = path.replace(/^\/+/, "").replace(/\/+$/, "");
  return key === "" || !isUnsafe(key) ? key : undefined;
}

function decodeOrUndefined(s: string): string | undefined {
  try {
    return decodeURIComponent(s);
  } catch {
    return undefined;
  }
}
