import type { AppContext } from "./route";
import { MlflowError } from "../protocol/errors";
import { jsonResponse } from "../protocol/json";
import { artifactPath, basename, type PathKind } from "../services/artifact-path";
import { readFile, statFile } from "../services/artifacts";
import { guessMimeType } from "../services/artifacts-mime";

/**
 * A path parameter spanning `/` and any character, control characters included, so that
 * every malformed path reaches its route and is refused there with MLflow's 400.
 */
export const ANY_PATH = ":path{[\\s\\S]+}";

/**
 * The still-encoded path after `marker` in the request URL, validated into a key. Hono
 * would hand the parameter over decoded; decoding exactly once ourselves is what lets
 * double-encoded forms be told apart.
 *
 * @example
 * pathAfter(c, "/mlflow-artifacts/artifacts/", "file") // "1/abc/artifacts/a.txt"
 */
export function pathAfter(c: AppContext, marker: string, kind: PathKind): string {
  const pathname = new URL(c.req.url).pathname;
  const at = pathname.indexOf(marker);
  return artifactPath(at < 0 ? "" : pathname.slice(at + marker.length), { encoded: true, kind });
}

/** The declared body length, when the request carries a sound one. */
export function contentLength(c: AppContext): number | undefined {
  const value = c.req.header("Content-Length");
  return value !== undefined && /^\d{1,15}$/.test(value) ? Number(value) : undefined;
}

/**
 * `Content-Disposition: attachment` as MLflow writes it (`filename=<name>`, unquoted),
 * with RFC 5987's `filename*` when the name is not plain printable ASCII.
 *
 * @example
 * contentDisposition("ünï.txt") // `attachment; filename="___.txt"; filename*=UTF-8''%C3%BCn%C3%AF.txt`
 */
function contentDisposition(name: string): string {
  if (/^[\x20-\x7e]*$/.test(name) && !/["\\]/.test(name)) return `attachment; filename=${name}`;
  const fallback = name.replace(/[^\x20-\x7e]|["\\]/g, "_");
  const encoded = encodeURIComponent(name).replace(/['()*]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}

/**
 * The headers of a file served for download: MLflow's guessed Content-Type, as an
 * attachment, and `nosniff` so that a browser never renders it as the guessed type.
 *
 * @example
 * attachmentHeaders("plot.png") // { "Content-Type": "image/png", "Content-Disposition": "attachment; filename=plot.png", … }
 */
export function attachmentHeaders(name: string): Record<string, string> {
  return {
    "Content-Type": guessMimeType(name),
    "Content-Disposition": contentDisposition(name),
    "X-Content-Type-Options": "nosniff",
  };
}

type ByteRange = { offset: number; length: number };

/**
 * Parses a single-range `Range: bytes=…` header against the object size. Returns undefined
 * to serve the whole object (no header, or a form we do not serve, which RFC 9110 allows),
 * or "unsatisfiable".
 */
function parseRange(header: string | undefined, size: number): ByteRange | "unsatisfiable" | undefined {
  const m = header?.trim().match(/^bytes=(\d*)-(\d*)$/i);
  if (!m || (m[1] === "" && m[2] === "")) return undefined;
  if (m[1] === "") {
    const suffix = Math.min(Number(m[2]), size);
    return suffix === 0 ? "unsatisfiable" : { offset: size - suffix, length: suffix };
  }
  const start = Number(m[1]);
  const end = m[2] === "" ? size - 1 : Math.min(Number(m[2]), size - 1);
  if (start >= size || end < start) return "unsatisfiable";
  return { offset: start, length: end - start + 1 };
}

/**
 * Streams a stored file as an attachment: guessed Content-Type, `nosniff`, ETag, and a
 * 206 partial response for a `Range` request.
 */
export async function fileResponse(c: AppContext, bucket: R2Bucket, key: string): Promise<Response> {
  const rangeHeader = c.req.header("Range");
  const headers = new Headers({ ...attachmentHeaders(basename(key)), "Accept-Ranges": "bytes" });
  if (rangeHeader === undefined) {
    const obj = await readFile(bucket, key);
    headers.set("ETag", obj.httpEtag);
    return new Response(obj.body, { headers });
  }
  const stat = await statFile(bucket, key);
  headers.set("ETag", stat.httpEtag);
  const range = parseRange(rangeHeader, stat.size);
  if (range === "unsatisfiable") {
    const err = new MlflowError("INVALID_PARAMETER_VALUE", `Range '${rangeHeader}' is not satisfiable for ${stat.size} bytes.`);
    return jsonResponse(err.toJSON(), 416, { "Content-Range": `bytes */${stat.size}` });
  }
  const obj = await readFile(bucket, key, range);
  if (!range) return new Response(obj.body, { headers });
  headers.set("Content-Range", `bytes ${range.offset}-${range.offset + range.length - 1}/${stat.size}`);
  return new Response(obj.body, { status: 206, headers });
}
