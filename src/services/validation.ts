import { invalidParameter } from "../protocol/errors";

/** MLflow's limits (mlflow/utils/validation.py). */
export const LIMITS = {
  keyLength: 250,
  paramValue: 6000,
  runTagValue: 8000,
  experimentTagValue: 5000,
  experimentName: 500,
  artifactLocation: 2048,
  batchMetrics: 1000,
  batchParams: 100,
  batchTags: 100,
  batchTotal: 1000,
  searchMaxResults: 50000,
} as const;

const KEY_CHARS = /^[/\p{L}\p{N}_.\- :]*$/u;

/** Python's posixpath.normpath, which MLflow uses to refuse keys like `a//b` or `../x`. */
export function normpath(path: string): string {
  if (path === "") return ".";
  const initialSlashes = path.startsWith("//") && !path.startsWith("///") ? 2 : path.startsWith("/") ? 1 : 0;
  const out: string[] = [];
  for (const part of path.split("/")) {
    if (part === "" || part === ".") continue;
    if (part !== ".." || (!initialSlashes && out.length === 0) || out[out.length - 1] === "..") out.push(part);
    else if (out.length) out.pop();
  }
  const joined = "/".repeat(initialSlashes) + out.join("/");
  return joined || ".";
}

function isUnnormalized(key: string): boolean {
  const norm = normpath(key);
  return norm !== key || norm === "." || norm.startsWith("..") || norm.startsWith("/");
}

/**
 * Metric, param and tag keys: word characters and `/ . - : space`, a normalised
 * relative path, at most 250 characters.
 */
export function validateKey(kind: "metric" | "param" | "tag", key: string | undefined): string {
  if (key === undefined || key === null) throw invalidParameter(`Invalid ${kind} name: '${key}'. Name cannot be None.`);
  if (!KEY_CHARS.test(key)) {
    throw invalidParameter(
      `Invalid ${kind} name: '${key}'. Names may only contain alphanumerics, underscores (_), dashes (-), periods (.), spaces ( ), colon(:) and slashes (/).`,
    );
  }
  if (isUnnormalized(key)) {
    throw invalidParameter(`Invalid ${kind} name: '${key}'. Names cannot contain upward path references (e.g. '..') or be absolute paths, and must be normalized.`);
  }
  if (key.length > LIMITS.keyLength) {
    throw invalidParameter(`${capitalize(kind)} '${key.slice(0, 20)}...' had length ${key.length}, which exceeded length limit of ${LIMITS.keyLength}`);
  }
  return key;
}

/** Long param and run-tag values are truncated, as MLflow does by default. */
export function truncate(value: string, limit: number): string {
  return value.length > limit ? value.slice(0, limit) : value;
}

export function validateMaxResults(maxResults: number | undefined, fallback: number, limit: number): number {
  if (maxResults === undefined) return fallback;
  if (maxResults < 1) {
    throw invalidParameter(`Invalid value ${maxResults} for parameter 'max_results' supplied. It must be a positive integer`);
  }
  if (maxResults > limit) {
    throw invalidParameter(`Invalid value ${maxResults} for parameter 'max_results' supplied. It must be at most ${limit}, but got value ${maxResults}`);
  }
  return maxResults;
}

function capitalize(s: string) {
  return s[0].toUpperCase() + s.slice(1);
}
