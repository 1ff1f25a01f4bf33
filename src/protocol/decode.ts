import type { Context } from "hono";
import { invalidParameter } from "./errors";
import type { Message } from "./message";

/**
 * Reads a request message the way MLflow's server does: GET from the query string
 * (repeated keys for repeated fields), otherwise from a JSON body; POST and PUT must
 * declare `application/json`.
 *
 * @example
 * const req = await decode(c, GetRun);
 */
export async function decode<M extends Message<any, any>>(c: Context, msg: M): Promise<ReturnType<M["parse"]>> {
  const url = new URL(c.req.url);
  const raw = c.req.method === "GET" && url.search.length > 1 ? fromQuery(url.searchParams, msg) : await fromBody(c);
  return msg.parse(raw) as ReturnType<M["parse"]>;
}

function fromQuery(params: URLSearchParams, msg: Message<any, any>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(msg.shape)) {
    if (!params.has(key)) continue;
    out[key] = msg.repeated.has(key) ? params.getAll(key) : params.get(key);
  }
  return out;
}

async function fromBody(c: Context): Promise<Record<string, unknown>> {
  const method = c.req.method;
  if (method === "POST" || method === "PUT") checkContentType(c.req.header("Content-Type"));
  const value = await requestJson(c);
  // MLflow treats an empty or unparseable body as empty; a JSON `null` as a bad request.
  if (value === undefined) return {};
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw invalidParameter("Invalid request body: expected a JSON object.");
  }
  return value as Record<string, unknown>;
}

/**
 * A request body as MLflow's server reads it: JSON, decoded twice when it is a JSON
 * string (legacy clients double-encode); undefined when it does not parse.
 */
function parseBodyJson(text: string): unknown {
  const value = parseOrUndefined(text);
  return typeof value === "string" ? parseOrUndefined(value) : value;
}

const parsedBodies = new WeakMap<Request, unknown>();

/**
 * The request's body as `parseBodyJson` reads it, parsed once per request: the permission
 * check and `decode()` both need it, and a log-batch body is up to a few MB.
 *
 * @example
 * const body = await requestJson(c); // undefined when empty or not JSON
 */
export async function requestJson(c: Context): Promise<unknown> {
  const request = c.req.raw;
  if (!parsedBodies.has(request)) parsedBodies.set(request, parseBodyJson(await c.req.text()));
  return parsedBodies.get(request);
}

/** The media type of a Content-Type header, lower-cased, without parameters. */
export const mediaType = (header: string | undefined) => (header ?? "").split(";")[0].trim().toLowerCase();

function parseOrUndefined(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function checkContentType(header: string | undefined): void {
  if (!header) throw invalidParameter("Bad Request. Content-Type header is missing.");
  const media = mediaType(header);
  if (media !== "application/json") {
    throw invalidParameter(`Bad Request. Content-Type must be one of ['application/json'], got '${media}'.`);
  }
}
