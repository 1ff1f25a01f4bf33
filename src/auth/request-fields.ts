import type { Context } from "hono";
import { mediaType, requestJson } from "../protocol/decode";

/**
 * Every value a request gives a field, wherever a handler might read it from: the query
 * string, a JSON body at any depth (trace search's `locations[].mlflow_experiment`, a trace's
 * `trace_location`), path parameters, and `X-MLflow-Experiment-Id` (OTLP export).
 * Authorization checks all of them, so a handler reading another source than the check did
 * cannot act on an unchecked resource.
 */
export interface RequestFields {
  values(name: string): string[];
}

/**
 * Reads the request's fields. The body is read (parsed once, and `decode()` reuses it) only when
 * `withBody` and it is JSON as `decode()` would read it: PATCH and DELETE always, POST and
 * PUT when declared `application/json` (decode refuses them otherwise).
 *
 * @example
 * const fields = await readFields(c, { model_id: "m-1" }, true);
 * fields.values("run_id") // ["5f0c…"]
 */
export async function readFields(c: Context, params: Record<string, string>, withBody: boolean): Promise<RequestFields> {
  const query = new URL(c.req.url).searchParams;
  const body = withBody && bodyIsJson(c) ? asObject(await requestJson(c)) : {};
  return {
    values: (name) => [
      ...query.getAll(name),
      ...nested(body, name, 0),
      ...(name in params ? [params[name]] : []),
      ...(name === "experiment_id" && c.req.header(EXPERIMENT_HEADER) ? [c.req.header(EXPERIMENT_HEADER)!] : []),
    ],
  };
}

const EXPERIMENT_HEADER = "X-MLflow-Experiment-Id";
const MAX_DEPTH = 6;

function bodyIsJson(c: Context): boolean {
  const method = c.req.method;
  if (method === "PATCH" || method === "DELETE") return true;
  if (method !== "POST" && method !== "PUT") return false;
  return mediaType(c.req.header("Content-Type")) === "application/json";
}

/** A JSON-object body, else `{}` (decode() refuses any other body). */
function asObject(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

/** Values of `name` anywhere in a JSON value (depth-limited: request messages are shallow). */
function nested(value: unknown, name: string, depth: number): string[] {
  if (depth > MAX_DEPTH || value === null || typeof value !== "object") return [];
  if (Array.isArray(value)) return value.flatMap((v) => nested(v, name, depth + 1));
  return Object.entries(value).flatMap(([k, v]) => (k === name ? scalars(v) : nested(v, name, depth + 1)));
}

function scalars(value: unknown): string[] {
  const items = Array.isArray(value) ? value : [value];
  return items.filter((v) => typeof v === "string" || typeof v === "number").map(String);
}
