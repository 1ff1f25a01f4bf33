import { compareResponse, decodeLoose, mediaType, parseJson, sizeFixKey, trim, type CompareContext, type LiveResponse } from "./compare";
import { IdMap, isObject } from "./ids";
import { binaryBytes, type BinaryBody, type Exchange, type RecordedRequest, type TextBody } from "./recording";

/**
 * The README's replay procedure ("Replaying"), for any fetch function: build each recorded
 * request with learned IDs substituted, send it, compare the answer, learn IDs from it.
 */

/** An exchange where mlflare deliberately answers otherwise (see allow-list.ts). */
export interface Allowance {
  seq: number;
  expect: { status: number; error_code?: string };
}

export interface ReplayOptions {
  /** Sends one request to the server under test (e.g. `SELF.fetch`). */
  fetch: (request: Request) => Promise<Response>;
  /** Base URL of the server under test, e.g. `http://127.0.0.1:8787`. */
  base: string;
  /** Exchanges not to send at all (routes not built yet). */
  skip?: (e: Exchange) => boolean;
  allow?: readonly Allowance[];
  /** seqs declared impossible to send as recorded (see `toRequest`). */
  unsendable?: readonly number[];
}

export interface Mismatch {
  exchange: Exchange;
  /** The request line actually sent (after substitution). */
  sent: string;
  problems: string[];
  /** Live status, content type and body start, for the reader of the report. */
  got: string;
}

export interface ReplayResult {
  replayed: number;
  skipped: number;
  allowed: number;
  unsendable: number;
  mismatches: Mismatch[];
}

/** A request ready to send, plus what building it taught about artifact sizes. */
export interface BuiltRequest {
  target: string;
  init: RequestInit & { headers: Record<string, string> };
  /** Set when an uploaded text changed length through substitution. */
  sizeFix?: { key: string; size: number };
}

/**
 * Builds a recorded request: raw path and query string verbatim unless a substitution
 * changed them, recorded Content-Type and headers, the body from JSON, text, b64 or the
 * generator (`Content-Length: 0` for an empty POST/PUT/PATCH).
 *
 * @example buildRequest(e.request, new IdMap()).target // "/api/2.0/mlflow/experiments/get?experiment_id=1"
 */
export function buildRequest(rq: RecordedRequest, ids: IdMap): BuiltRequest {
  const headers: Record<string, string> = {};
  if (rq.content_type) headers["content-type"] = rq.content_type;
  for (const [name, value] of Object.entries(rq.headers ?? {})) headers[name] = ids.sub(value, name);
  const built: BuiltRequest = { target: ids.sub(rq.path) + queryPart(rq, ids), init: { method: rq.method, headers, redirect: "manual" } };
  switch (rq.body_kind) {
    case "empty":
      if (["POST", "PUT", "PATCH"].includes(rq.method)) built.init.body = new Uint8Array(0);
      break;
    case "json":
      built.init.body = utf8(JSON.stringify(ids.subJson(rq.body)));
      break;
    case "text": {
      const body = rq.body as TextBody;
      const bytes = utf8(ids.sub(body.text));
      built.init.body = bytes;
      if (rq.method === "PUT" && body.size !== undefined && bytes.length !== body.size) {
        const name = safeDecode(rq.path).split("/").pop()!;
        built.sizeFix = { key: sizeFixKey(name, body.size), size: bytes.length };
      }
      break;
    }
    case "binary":
      built.init.body = binaryBytes(rq.body as BinaryBody);
      break;
  }
  return built;
}

function queryPart(rq: RecordedRequest, ids: IdMap): string {
  if (rq.query_string === undefined) return "";
  const pairs = rq.query.map(([k, v]): [string, string] => [k, ids.sub(v, k)]);
  const changed = pairs.some(([, v], i) => v !== rq.query[i]![1]);
  return `?${changed ? urlencode(pairs) : rq.query_string}`;
}

/**
 * Python's `urllib.parse.urlencode` (quote_plus): only `A-Za-z0-9_.-~` stay literal,
 * spaces become `+`, everything else is %XX over UTF-8.
 *
 * @example urlencode([["path", "1/a b"]]) // "path=1%2Fa+b"
 */
export function urlencode(pairs: readonly (readonly [string, string])[]): string {
  return pairs.map(([k, v]) => `${quotePlus(k)}=${quotePlus(v)}`).join("&");
}

function quotePlus(s: string): string {
  let out = "";
  for (const byte of utf8(s)) {
    const ch = String.fromCharCode(byte);
    if (/[A-Za-z0-9_.\-~]/.test(ch)) out += ch;
    else if (ch === " ") out += "+";
    else out += `%${byte.toString(16).toUpperCase().padStart(2, "0")}`;
  }
  return out;
}

/**
 * Replays a recording in `seq` order against a fresh server and collects every mismatch
 * (it never stops at the first one).
 */
export async function replayRecording(exchanges: readonly Exchange[], options: ReplayOptions): Promise<ReplayResult> {
  const base = new URL(options.base);
  const ctx: CompareContext = { ids: new IdMap(), netloc: base.host, sizeFix: new Map() };
  const allow = new Map((options.allow ?? []).map((a) => [a.seq, a]));
  const unsendable = new Set(options.unsendable ?? []);
  const result: ReplayResult = { replayed: 0, skipped: 0, allowed: 0, unsendable: 0, mismatches: [] };
  for (const e of exchanges) {
    if (options.skip?.(e)) {
      result.skipped++;
      continue;
    }
    const built = buildRequest(e.request, ctx.ids);
    const sent = `${e.request.method} ${built.target}`;
    const request = toRequest(base, built);
    const declared = unsendable.has(e.seq);
    if (typeof request === "string" && declared) {
      result.unsendable++;
      continue;
    }
    if (typeof request === "string" || declared) {
      result.mismatches.push({ exchange: e, sent, problems: [unsendableProblem(request)], got: "(not sent)" });
      continue;
    }
    if (built.sizeFix) ctx.sizeFix.set(built.sizeFix.key, built.sizeFix.size);
    const res = await options.fetch(request);
    const live = { status: res.status, headers: res.headers, body: new Uint8Array(await res.arrayBuffer()) };
    result.replayed++;
    const allowance = allow.get(e.seq);
    if (allowance) result.allowed++;
    const problems = allowance ? checkAllowance(allowance, live) : compareResponse(e, live, ctx);
    if (problems.length) result.mismatches.push({ exchange: e, sent, problems, got: describe(live) });
    // The stock server saw every request at a later millisecond than the previous one, and
    // server-chosen times order search results (e.g. `creation_time DESC`): keep that true.
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  return result;
}

/**
 * The request as a Worker would receive it, or why no Worker can receive it as recorded:
 * the Workers runtime refuses GET/HEAD bodies, and its WHATWG URL parser resolves `..`,
 * `%2e%2e` and `\` in paths before any Worker sees them.
 *
 * @example toRequest(base, buildRequest(rq, ids)) // Request | "a GET request cannot carry a body in the Workers runtime"
 */
export function toRequest(base: URL, built: BuiltRequest): Request | string {
  const { method, body } = built.init;
  if ((method === "GET" || method === "HEAD") && body !== undefined) return `a ${method} request cannot carry a body in the Workers runtime`;
  const request = new Request(base.origin + built.target, built.init);
  const path = new URL(request.url).pathname;
  const recorded = built.target.split("?")[0]!;
  return path === recorded ? request : `the Workers URL parser turns the path into ${JSON.stringify(path)}`;
}

function unsendableProblem(reason: Request | string): string {
  return typeof reason === "string"
    ? `cannot be sent as recorded: ${reason} (declare it in NOT_REPLAYABLE if nothing can change that)`
    : "declared in NOT_REPLAYABLE but it can be sent as recorded: remove the entry";
}

/** An allow-listed exchange must give exactly the answer its entry names. */
export function checkAllowance(allowance: Allowance, live: LiveResponse): string[] {
  const { status, error_code } = allowance.expect;
  const problems = live.status === status ? [] : [`allow-listed answer: expected status ${status}, got ${live.status}`];
  if (error_code !== undefined) {
    const parsed = parseJson(live.body);
    const code = parsed.ok && isObject(parsed.value) ? parsed.value.error_code : undefined;
    if (code !== error_code) problems.push(`allow-listed answer: expected error_code ${error_code}, got ${String(code)}`);
  }
  return problems;
}

function describe(live: LiveResponse): string {
  const ct = mediaType(live.headers.get("content-type"));
  const body = live.body.length ? JSON.stringify(trim(decodeLoose(live.body), 120)) : "(empty)";
  return `${live.status} ${ct || "(no content-type)"} ${body}`;
}

/**
 * One readable block per failing exchange: file, seq, step, request, problems, live answer.
 *
 * @example formatReport("01_experiments", result) // "01_experiments: 2 of 61 exchanges differ …"
 */
export function formatReport(file: string, result: ReplayResult): string {
  const head =
    `${file}: ${result.mismatches.length} of ${result.replayed} replayed exchanges differ ` +
    `(${result.skipped} skipped as pending, ${result.allowed} allow-listed, ${result.unsendable} not replayable)`;
  const blocks = result.mismatches.map((m) => {
    const e = m.exchange;
    const step = e.step ? ` [${e.step}]` : "";
    const sent = trim(m.sent, 200);
    return [`${file} seq ${e.seq}${step} ${sent}`, ...m.problems.map((p) => `    - ${p}`), `    got: ${m.got}`].join("\n");
  });
  return [head, ...blocks].join("\n\n");
}

const utf8 = (s: string) => new TextEncoder().encode(s);

function safeDecode(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}
