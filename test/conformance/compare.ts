import { ID_KEYS, IGNORED_KEYS, IdMap, isObject } from "./ids";
import { sha256Hex, type BinaryBody, type Exchange, type TextBody } from "./recording";

/** The server base URL as the recording client saw it (the recording proxy). */
export const RECORDED_BASE = "127.0.0.1:5055";

/** Answers that describe the server build or its web UI, not the API: status only. */
const INFORMATIONAL_PATHS = new Set(["/version", "/"]);

/** A live response, read whole. */
export interface LiveResponse {
  status: number;
  headers: Headers;
  body: Uint8Array;
}

/** What a comparison needs besides the two responses; `ids` learns as it goes. */
export interface CompareContext {
  ids: IdMap;
  /** host:port of the server under test, replacing RECORDED_BASE in expectations. */
  netloc: string;
  /** (basename, recorded size) → uploaded size, for texts that ID substitution resized. */
  sizeFix: Map<string, number>;
}

/** Key of `CompareContext.sizeFix`. */
export const sizeFixKey = (basename: string, recordedSize: number) => `${basename}\u0000${recordedSize}`;

/**
 * Compares a live response with the recorded one by the README's rules ("Compare the
 * response") and returns one line per problem; [] when it conforms.
 *
 * @example compareResponse(exchange, { status: 404, headers, body }, ctx) // ["status: expected 200, got 404"]
 */
export function compareResponse(e: Exchange, live: LiveResponse, ctx: CompareContext): string[] {
  const rs = e.response;
  // A different status makes the rest noise; the report shows the live answer anyway.
  if (live.status !== rs.status) return [`status: expected ${rs.status}, got ${live.status}`];
  if (INFORMATIONAL_PATHS.has(e.request.path)) return [];
  const problems: string[] = [];
  const ctRecorded = mediaType(rs.content_type);
  const ctLive = mediaType(live.headers.get("content-type"));
  if (ctRecorded !== ctLive) problems.push(`content-type: expected ${q(ctRecorded)}, got ${q(ctLive)}`);
  problems.push(...compareHeaders(rs.headers ?? {}, live.headers, ctx));

  if (isRacingWrite(e, live.status)) {
    // Its body reflects which request of the group reached the server first: learn only.
    const parsed = parseJson(live.body);
    if (parsed.ok) learnOnly(rs.body, parsed.value, ctx.ids);
    return problems;
  }
  problems.push(...compareBody(e, live.body, ctx));
  return problems;
}

/** Media type only: the part before `;`, trimmed; "" when absent. */
export function mediaType(contentType: string | null | undefined): string {
  return (contentType ?? "").split(";")[0]!.trim();
}

function compareHeaders(recorded: Record<string, string>, live: Headers, ctx: CompareContext): string[] {
  const problems: string[] = [];
  for (const [name, value] of Object.entries(recorded)) {
    if (name === "etag") continue;
    const expected = ctx.ids.sub(value).replaceAll(RECORDED_BASE, ctx.netloc);
    const actual = live.get(name);
    if (name === "allow" ? !sameMethodSet(expected, actual) : actual !== expected) {
      problems.push(`header ${name}: expected ${q(expected)}, got ${q(actual)}`);
    }
  }
  return problems;
}

function sameMethodSet(a: string, b: string | null): boolean {
  const set = (s: string) => [...new Set(s.split(",").map((m) => m.trim()))].sort().join(",");
  return b !== null && set(a) === set(b);
}

function isRacingWrite(e: Exchange, liveStatus: number): boolean {
  return (
    e.concurrency_group !== undefined &&
    liveStatus === e.response.status &&
    liveStatus < 300 &&
    e.response.body_kind === "json" &&
    e.request.method !== "GET"
  );
}

function compareBody(e: Exchange, body: Uint8Array, ctx: CompareContext): string[] {
  const rs = e.response;
  switch (rs.body_kind) {
    case "empty":
      return body.length ? [`body: expected none, got ${body.length} bytes`] : [];
    case "json": {
      const parsed = parseJson(body);
      if (!parsed.ok) return [`body: expected JSON, got ${q(trim(decodeLoose(body)))}`];
      if (isObject(rs.body) && "error_code" in rs.body && rs.status >= 400) {
        const code = isObject(parsed.value) ? parsed.value.error_code : undefined;
        return code === rs.body.error_code ? [] : [`error_code: expected ${rs.body.error_code}, got ${String(code)}`];
      }
      return compareJson(rs.body, parsed.value, "body", undefined, ctx);
    }
    case "text": {
      const text = decodeUtf8(body);
      if (text === undefined) return ["body: expected UTF-8 text, got invalid UTF-8"];
      const expected = ctx.ids.sub((rs.body as TextBody).text).replaceAll(RECORDED_BASE, ctx.netloc);
      return expected === text ? [] : [`text: expected ${q(trim(expected))}, got ${q(trim(text))}`];
    }
    case "binary": {
      const recorded = rs.body as BinaryBody;
      const actual = sha256Hex(body);
      return actual === recorded.sha256 ? [] : [`binary: sha256 differs (size expected ${recorded.size}, got ${body.length})`];
    }
  }
}

/**
 * Deep structural comparison: same key sets, lists in order, strings equal after
 * substitution; ID fields that differ are learned, ignored fields are skipped.
 *
 * @example compareJson({ a: [1] }, { a: [2] }, "body", undefined, ctx) // ["body.a[0]: expected 1, got 2"]
 */
export function compareJson(recorded: unknown, live: unknown, where: string, key: string | undefined, ctx: CompareContext): string[] {
  if (isObject(recorded) && isObject(live)) return compareObjects(recorded, live, where, ctx);
  if (Array.isArray(recorded) && Array.isArray(live)) {
    const problems = recorded.length === live.length ? [] : [`${where}: list length expected ${recorded.length}, got ${live.length}`];
    const n = Math.min(recorded.length, live.length);
    for (let i = 0; i < n; i++) problems.push(...compareJson(recorded[i], live[i], `${where}[${i}]`, key, ctx));
    return problems;
  }
  if (key !== undefined && IGNORED_KEYS.has(key)) return [];
  if (typeof recorded === "string" && typeof live === "string") {
    const expected = ctx.ids.sub(recorded, key);
    if (expected === live) return [];
    if (key !== undefined && ID_KEYS.has(key) && !ctx.ids.has(recorded)) {
      ctx.ids.learn(recorded, live, key);
      return [];
    }
    return [`${where}: expected ${q(trim(expected))}, got ${q(trim(live))}`];
  }
  return recorded === live ? [] : [`${where}: expected ${show(recorded)}, got ${show(live)}`];
}

function compareObjects(recorded: Record<string, unknown>, live: Record<string, unknown>, where: string, ctx: CompareContext): string[] {
  const problems: string[] = [];
  const missing = Object.keys(recorded).filter((k) => !(k in live));
  const extra = Object.keys(live).filter((k) => !(k in recorded));
  if (missing.length || extra.length) {
    problems.push(`${where}: keys differ: missing ${JSON.stringify(missing)}, unexpected ${JSON.stringify(extra)}`);
  }
  const rec = withFixedSize(recorded, ctx);
  // a tag-like {"key": K, "value": V} learns V under the field name K (e.g. mlflow.runName)
  const tagKey = typeof rec.key === "string" ? rec.key : undefined;
  for (const k of Object.keys(rec)) {
    if (!(k in live)) continue;
    const fieldKey = k === "value" && tagKey !== undefined ? tagKey : k;
    problems.push(...compareJson(rec[k], live[k], `${where}.${k}`, fieldKey, ctx));
  }
  return problems;
}

function withFixedSize(rec: Record<string, unknown>, ctx: CompareContext): Record<string, unknown> {
  if (typeof rec.file_size !== "number" || typeof rec.path !== "string") return rec;
  const fixed = ctx.sizeFix.get(sizeFixKey(rec.path.split("/").pop()!, rec.file_size));
  return fixed === undefined ? rec : { ...rec, file_size: fixed };
}

/** Learns the IDs of a body that is otherwise not compared. */
export function learnOnly(recorded: unknown, live: unknown, ids: IdMap, key?: string): void {
  if (isObject(recorded) && isObject(live)) {
    for (const k of Object.keys(recorded)) if (k in live) learnOnly(recorded[k], live[k], ids, k);
  } else if (Array.isArray(recorded) && Array.isArray(live)) {
    recorded.slice(0, live.length).forEach((item, i) => learnOnly(item, live[i], ids, key));
  } else if (typeof recorded === "string" && typeof live === "string" && key !== undefined && ID_KEYS.has(key)) {
    ids.learn(recorded, live, key);
  }
}

export function parseJson(body: Uint8Array): { ok: true; value: unknown } | { ok: false } {
  const text = decodeUtf8(body);
  if (text === undefined) return { ok: false };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}

function decodeUtf8(body: Uint8Array): string | undefined {
  try {
    return new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(body);
  } catch {
    return undefined;
  }
}

export const decodeLoose = (body: Uint8Array) => new TextDecoder().decode(body);

/** Shortens long values in reports. */
export function trim(s: string, max = 160): string {
  return s.length <= max ? s : `${s.slice(0, max)}… (${s.length} chars)`;
}

const q = (s: string | null) => (s === null ? "(absent)" : JSON.stringify(s));
const show = (v: unknown) => trim(JSON.stringify(v) ?? String(v));
