import { describe, expect, it } from "vitest";
import artifacts from "../fixtures/conformance/04_artifacts.jsonl?raw";
import registry from "../fixtures/conformance/05_registry.jsonl?raw";
import traces from "../fixtures/conformance/07_traces.jsonl?raw";
import { allowListProblems, type AllowEntry } from "./allow-list";
import { compareJson, compareResponse, mediaType, sizeFixKey, type CompareContext } from "./compare";
import { IdMap } from "./ids";
import { binaryBytes, parseRecording, sha256CounterV1, sha256Hex, type BinaryBody, type Exchange, type RecordedRequest } from "./recording";
import { buildRequest, checkAllowance, formatReport, replayRecording, toRequest, urlencode } from "./replay";
import { isPending, routeOf } from "./scenarios";

const RUN = "35761c1e073847a5afc90c8b143f9670";
const LIVE_RUN = "0123456789abcdef0123456789abcdef";

const ctx = (ids = new IdMap()): CompareContext => ({ ids, netloc: "127.0.0.1:8787", sizeFix: new Map() });
const text = (s: string) => new TextEncoder().encode(s);
const json = (v: unknown) => text(JSON.stringify(v));

function exchange(seq: number, request: Partial<RecordedRequest>, response: Partial<Exchange["response"]> = {}): Exchange {
  return {
    seq,
    scenario: "unit",
    request: { method: "GET", path: "/x", query: [], content_type: null, body_kind: "empty", body: null, ...request },
    response: { status: 200, content_type: "application/json", headers: {}, body_kind: "json", body: {}, ...response },
  };
}

function live(status: number, body: Uint8Array, headers: Record<string, string> = { "content-type": "application/json" }) {
  return { status, headers: new Headers(headers), body };
}

describe("IdMap", () => {
  it("replaces long values as substrings anywhere", () => {
    const ids = new IdMap();
    ids.learn(RUN, LIVE_RUN, "run_id");
    expect(ids.sub(`runs:/${RUN}/model`)).toBe(`runs:/${LIVE_RUN}/model`);
    expect(ids.sub(`{"run_id": "${RUN}"}`, "mlflow.modelVersions")).toBe(`{"run_id": "${LIVE_RUN}"}`);
  });

  it("replaces experiment ids only as whole values of experiment fields and in artifact paths", () => {
    const ids = new IdMap();
    ids.learn("1", "7", "experiment_id");
    expect(ids.sub("1", "experiment_id")).toBe("7");
    expect(ids.sub("1", "experimentId")).toBe("7");
    expect(ids.sub("1", "x-mlflow-experiment-id")).toBe("7");
    expect(ids.sub("1", "max_results")).toBe("1");
    expect(ids.sub("1", "version")).toBe("1");
    expect(ids.sub("exp-1")).toBe("exp-1");
    expect(ids.sub("mlflow-artifacts:/1")).toBe("mlflow-artifacts:/7");
    expect(ids.sub(`mlflow-artifacts:/1/${RUN}/artifacts`)).toBe(`mlflow-artifacts:/7/${RUN}/artifacts`);
    expect(ids.sub("mlflow-artifacts:/10/x")).toBe("mlflow-artifacts:/10/x");
    expect(ids.sub("/api/2.0/mlflow-artifacts/artifacts/1/r/a.txt")).toBe("/api/2.0/mlflow-artifacts/artifacts/7/r/a.txt");
    expect(ids.sub("/api/2.0/mlflow-artifacts/mpu/create/1/r")).toBe("/api/2.0/mlflow-artifacts/mpu/create/7/r");
    expect(ids.sub("/api/2.0/mlflow-artifacts/presigned/1")).toBe("/api/2.0/mlflow-artifacts/presigned/7");
    expect(ids.sub("/api/2.0/mlflow/other/1/r")).toBe("/api/2.0/mlflow/other/1/r");
    expect(ids.sub("1/r/artifacts", "path")).toBe("7/r/artifacts");
    expect(ids.sub("1", "path")).toBe("7");
    expect(ids.sub("1/r/artifacts", "name")).toBe("1/r/artifacts");
  });

  it("never chains substitutions of shifted experiment ids", () => {
    const ids = new IdMap();
    ids.learn("1", "2", "experiment_id");
    ids.learn("2", "3", "experiment_id");
    expect(ids.sub("mlflow-artifacts:/1/x")).toBe("mlflow-artifacts:/2/x");
    expect(ids.sub("1/x", "path")).toBe("2/x");
  });

  it("replaces other short values only as the whole value of the same field", () => {
    const ids = new IdMap();
    ids.learn("bold-ox-12", "calm-cat-3", "run_name");
    expect(ids.sub("bold-ox-12", "run_name")).toBe("calm-cat-3");
    expect(ids.sub("bold-ox-12", "mlflow.runName")).toBe("bold-ox-12");
    expect(ids.sub("run bold-ox-12", "run_name")).toBe("run bold-ox-12");
  });

  it("keeps the first mapping and ignores equal values", () => {
    const ids = new IdMap();
    ids.learn("1", "1", "experiment_id");
    expect(ids.size).toBe(0);
    ids.learn(RUN, LIVE_RUN, "run_id");
    ids.learn(RUN, "ffffffffffffffffffffffffffffffff", "run_id");
    expect(ids.sub(RUN)).toBe(LIVE_RUN);
  });

  it("passes a list's field name to its items", () => {
    const ids = new IdMap();
    ids.learn("1", "4", "experiment_id");
    expect(ids.subJson({ experiment_ids: ["1", "0"], max_results: 1, filter: "1" })).toEqual({
      experiment_ids: ["4", "0"],
      max_results: 1,
      filter: "1",
    });
  });
});

describe("compareJson", () => {
  it("reports key-set differences, list lengths and changed scalars with their place", () => {
    const problems = compareJson({ a: 1, b: [1, 2], c: "x" }, { a: 2, b: [1], d: true, c: "y" }, "body", undefined, ctx());
    expect(problems).toEqual([
      'body: keys differ: missing [], unexpected ["d"]',
      "body.a: expected 1, got 2",
      "body.b: list length expected 2, got 1",
      'body.c: expected "x", got "y"',
    ]);
    expect(compareJson({ a: 1 }, {}, "body", undefined, ctx())).toEqual(['body: keys differ: missing ["a"], unexpected []']);
  });

  it("keeps list order and distinguishes types", () => {
    expect(compareJson(["a", "b"], ["b", "a"], "l", undefined, ctx())).toHaveLength(2);
    expect(compareJson({ v: 1 }, { v: "1" }, "body", undefined, ctx())).toEqual(['body.v: expected 1, got "1"']);
    expect(compareJson({ v: null }, { v: null }, "body", undefined, ctx())).toEqual([]);
  });

  it("skips ignored fields but requires their keys", () => {
    expect(compareJson({ creation_time: 1, etag: "a" }, { creation_time: 99, etag: "b" }, "b", undefined, ctx())).toEqual([]);
    expect(compareJson({ creation_time: 1 }, {}, "b", undefined, ctx())).toHaveLength(1);
  });

  it("learns a differing ID field, then holds later values to it", () => {
    const c = ctx();
    expect(compareJson({ run: { info: { run_id: RUN } } }, { run: { info: { run_id: LIVE_RUN } } }, "b", undefined, c)).toEqual([]);
    expect(compareJson({ artifact_uri: `mlflow-artifacts:/1/${RUN}/artifacts` }, { artifact_uri: `mlflow-artifacts:/1/${LIVE_RUN}/artifacts` }, "b", undefined, c)).toEqual([]);
    expect(compareJson({ run_id: RUN }, { run_id: "ffffffffffffffffffffffffffffffff" }, "b", undefined, c)).toHaveLength(1);
  });

  it("does not learn from fields that are not ID fields", () => {
    expect(compareJson({ name: RUN }, { name: LIVE_RUN }, "b", undefined, ctx())).toHaveLength(1);
  });

  it("learns a tag's value under its key, e.g. a generated mlflow.runName", () => {
    const c = ctx();
    const rec = { tags: [{ key: "mlflow.runName", value: "sneaky-bass-1000" }, { key: "team", value: "a" }] };
    const got = { tags: [{ key: "mlflow.runName", value: "gentle-crab-77777" }, { key: "team", value: "a" }] };
    expect(compareJson(rec, got, "b", undefined, c)).toEqual([]);
    expect(c.ids.sub("sneaky-bass-1000")).toBe("gentle-crab-77777");
    const wrongTag = { tags: [{ key: "mlflow.runName", value: "x" }, { key: "team", value: "b" }] };
    expect(compareJson(rec, wrongTag, "b", undefined, ctx())).toEqual(['b.tags[1].value: expected "a", got "b"']);
  });

  it("expects the uploaded size of a text that substitution resized", () => {
    const c = ctx();
    c.sizeFix.set(sizeFixKey("MLmodel", 100), 104);
    expect(compareJson({ path: "model/MLmodel", file_size: 100 }, { path: "model/MLmodel", file_size: 104 }, "f", undefined, c)).toEqual([]);
    expect(compareJson({ path: "model/MLmodel", file_size: 100 }, { path: "model/MLmodel", file_size: 100 }, "f", undefined, c)).toHaveLength(1);
  });
});

describe("compareResponse", () => {
  it("reports only the status when it differs", () => {
    const e = exchange(1, {}, { body: { a: 1 } });
    expect(compareResponse(e, live(404, text("<html>"), { "content-type": "text/html" }), ctx())).toEqual(["status: expected 200, got 404"]);
  });

  it("compares the media type only", () => {
    const e = exchange(1, {}, { content_type: "text/html; charset=utf-8", body_kind: "text", body: { text: "OK" } });
    expect(compareResponse(e, live(200, text("OK"), { "content-type": "text/html" }), ctx())).toEqual([]);
    expect(compareResponse(e, live(200, text("OK"), { "content-type": "text/plain" }), ctx())).toEqual([
      'content-type: expected "text/html", got "text/plain"',
    ]);
    expect(mediaType(null)).toBe("");
  });

  it("compares allow as a set, location with this server's address, skips etag", () => {
    const e = exchange(1, {}, {
      status: 405,
      body_kind: "empty",
      headers: { allow: "GET, OPTIONS, HEAD", location: "http://127.0.0.1:5055/a", etag: '"1"' },
    });
    const ok = { "content-type": "application/json", allow: "HEAD,GET, OPTIONS", location: "http://127.0.0.1:8787/a" };
    expect(compareResponse(e, live(405, new Uint8Array(), ok), ctx())).toEqual([]);
    const bad = { ...ok, allow: "GET, OPTIONS", location: "http://127.0.0.1:5055/a" };
    expect(compareResponse(e, live(405, new Uint8Array(), bad), ctx())).toEqual([
      'header allow: expected "GET, OPTIONS, HEAD", got "GET, OPTIONS"',
      'header location: expected "http://127.0.0.1:8787/a", got "http://127.0.0.1:5055/a"',
    ]);
  });

  it("compares error_code only for errors", () => {
    const e = exchange(1, {}, { status: 404, body: { error_code: "RESOURCE_DOES_NOT_EXIST", message: "x", sqlstate: "KAM00" } });
    expect(compareResponse(e, live(404, json({ error_code: "RESOURCE_DOES_NOT_EXIST", message: "other" })), ctx())).toEqual([]);
    expect(compareResponse(e, live(404, json({ error_code: "NOT_FOUND" })), ctx())).toEqual([
      "error_code: expected RESOURCE_DOES_NOT_EXIST, got NOT_FOUND",
    ]);
  });

  it("compares a racing write by status and type only, but learns its IDs", () => {
    const e = exchange(1, { method: "POST" }, { body: { trace: { trace_info: { trace_id: "tr-aaaaaaaaaaaaaaaaaaaa" } } } });
    e.concurrency_group = 1;
    const c = ctx();
    expect(compareResponse(e, live(200, json({ trace: { trace_info: { trace_id: "tr-bbbbbbbbbbbbbbbbbbbb", x: 1 } } })), c)).toEqual([]);
    expect(c.ids.sub("tr-aaaaaaaaaaaaaaaaaaaa")).toBe("tr-bbbbbbbbbbbbbbbbbbbb");
    expect(compareResponse({ ...e, concurrency_group: undefined }, live(200, json({ trace: {} })), ctx())).toHaveLength(1);
  });

  it("compares /version and / by status only", () => {
    const e = exchange(1, { path: "/version" }, { content_type: "text/html", body_kind: "text", body: { text: "3.11.2.dev0" } });
    expect(compareResponse(e, live(200, text("3.11.2"), { "content-type": "text/plain" }), ctx())).toEqual([]);
  });

  it("compares texts after substitution and base replacement, binaries by sha256, empty bodies", () => {
    const c = ctx();
    c.ids.learn(RUN, LIVE_RUN, "run_id");
    const t = exchange(1, {}, { content_type: "text/plain", body_kind: "text", body: { text: `see http://127.0.0.1:5055/${RUN}` } });
    expect(compareResponse(t, live(200, text(`see http://127.0.0.1:8787/${LIVE_RUN}`), { "content-type": "text/plain" }), c)).toEqual([]);
    expect(compareResponse(t, live(200, text("see"), { "content-type": "text/plain" }), c)).toHaveLength(1);
    const bytes = new Uint8Array([0, 255, 1]);
    const b = exchange(2, {}, { content_type: "application/octet-stream", body_kind: "binary", body: { size: 3, sha256: sha256Hex(bytes) } });
    const octet = { "content-type": "application/octet-stream" };
    expect(compareResponse(b, live(200, bytes, octet), c)).toEqual([]);
    expect(compareResponse(b, live(200, new Uint8Array([0]), octet), c)).toEqual(["binary: sha256 differs (size expected 3, got 1)"]);
    const empty = exchange(3, {}, { content_type: null, body_kind: "empty", body: null });
    expect(compareResponse(empty, live(200, new Uint8Array(), {}), c)).toEqual([]);
    expect(compareResponse(empty, live(200, text("x"), {}), c)).toEqual(["body: expected none, got 1 bytes"]);
  });
});

describe("buildRequest", () => {
  it("sends the raw query string unless a substitution changed a value", () => {
    const rq: RecordedRequest = {
      method: "GET",
      path: "/api/2.0/mlflow/experiments/search",
      query: [["filter", "name LIKE 'exp-%'"], ["experiment_id", "1"]],
      query_string: "filter=name+LIKE+%27exp-%25%27&experiment_id=1",
      content_type: null,
      body_kind: "empty",
      body: null,
    };
    expect(buildRequest(rq, new IdMap()).target).toBe("/api/2.0/mlflow/experiments/search?filter=name+LIKE+%27exp-%25%27&experiment_id=1");
    const ids = new IdMap();
    ids.learn("1", "12", "experiment_id");
    expect(buildRequest(rq, ids).target).toBe("/api/2.0/mlflow/experiments/search?filter=name+LIKE+%27exp-%25%27&experiment_id=12");
    expect(buildRequest(rq, ids).init.body).toBeUndefined();
  });

  it("keeps the recorded path, substituting IDs into it, headers and bodies", () => {
    const ids = new IdMap();
    ids.learn("1", "3", "experiment_id");
    ids.learn(RUN, LIVE_RUN, "run_id");
    const built = buildRequest(
      {
        method: "POST",
        path: `/api/2.0/mlflow-artifacts/artifacts/1/${RUN}/a%20b/..%2fx`,
        query: [],
        content_type: "application/json",
        headers: { "x-mlflow-experiment-id": "1", "user-agent": "mlflow-python-client/3.11.2.dev0" },
        body_kind: "json",
        body: { run_id: RUN, experiment_id: "1", value: 1 },
      },
      ids,
    );
    expect(built.target).toBe(`/api/2.0/mlflow-artifacts/artifacts/3/${LIVE_RUN}/a%20b/..%2fx`);
    expect(built.init.headers).toEqual({
      "content-type": "application/json",
      "x-mlflow-experiment-id": "3",
      "user-agent": "mlflow-python-client/3.11.2.dev0",
    });
    expect(new TextDecoder().decode(built.init.body as Uint8Array)).toBe(`{"run_id":"${LIVE_RUN}","experiment_id":"3","value":1}`);
    expect(built.init.redirect).toBe("manual");
  });

  it("sends an empty body with Content-Length 0 on POST, none on GET", async () => {
    const post = buildRequest({ method: "POST", path: "/p", query: [], content_type: "application/json", body_kind: "empty", body: null }, new IdMap());
    const request = toRequest(new URL("http://127.0.0.1:8787"), post) as Request;
    expect(request.headers.get("content-type")).toBe("application/json");
    expect((await request.arrayBuffer()).byteLength).toBe(0);
  });

  it("sends text without adding a Content-Type, and notes a resized upload", () => {
    const ids = new IdMap();
    ids.learn(RUN, `${LIVE_RUN}xyz`, "run_id");
    const built = buildRequest(
      { method: "PUT", path: "/api/2.0/mlflow-artifacts/artifacts/1/m/ML%6Dodel", query: [], content_type: null, body_kind: "text", body: { text: `run_id: ${RUN}\n`, size: 41 } },
      ids,
    );
    expect(built.init.headers).toEqual({});
    expect(built.sizeFix).toEqual({ key: sizeFixKey("MLmodel", 41), size: 44 });
    const request = toRequest(new URL("http://127.0.0.1:8787"), built) as Request;
    expect(request.headers.get("content-type")).toBeNull();
  });

  it("refuses to pretend it can send what no Worker can receive", () => {
    const base = new URL("http://127.0.0.1:8787");
    const getWithBody = buildRequest({ method: "GET", path: "/g", query: [], content_type: "application/json", body_kind: "json", body: { a: 1 } }, new IdMap());
    expect(toRequest(base, getWithBody)).toBe("a GET request cannot carry a body in the Workers runtime");
    const dots = buildRequest({ method: "GET", path: "/api/2.0/mlflow-artifacts/artifacts/%2e%2e/etc", query: [], content_type: null, body_kind: "empty", body: null }, new IdMap());
    expect(toRequest(base, dots)).toBe('the Workers URL parser turns the path into "/api/2.0/mlflow-artifacts/etc"');
    const encodedSlash = buildRequest({ method: "GET", path: "/a/..%2f..%2fetc//x", query: [], content_type: null, body_kind: "empty", body: null }, new IdMap());
    expect(toRequest(base, encodedSlash)).toBeInstanceOf(Request);
  });

  it("encodes queries like Python's urlencode", () => {
    expect(urlencode([["filter", "name LIKE 'exp-%'"], ["path", "1/ü b~_.-*!()"]])).toBe(
      "filter=name+LIKE+%27exp-%25%27&path=1%2F%C3%BC+b~_.-%2A%21%28%29",
    );
  });
});

describe("recorded bodies", () => {
  it("regenerates sha256-counter-v1 bodies byte for byte", () => {
    expect(sha256Hex(sha256CounterV1("noct", 64))).toBe("cebe9ca075c52e0ac7f4f588c8d462c1309d8e50777c77dffb17366cd082c563");
    expect(sha256Hex(sha256CounterV1("conformance-small", 300))).toBe("bd72ddfc4cb73aa0af23386e1ff472776252e1f7bb65d123dd159282a53e5043");
  });

  it("reproduces every binary request body of the recordings, 12 MiB included", () => {
    const bodies = [artifacts, registry, traces]
      .flatMap(parseRecording)
      .filter((e) => e.request.body_kind === "binary")
      .map((e) => e.request.body as BinaryBody);
    expect(bodies.some((b) => b.size === 12 * 1024 * 1024)).toBe(true);
    for (const body of bodies) {
      const bytes = binaryBytes(body);
      expect({ size: bytes.length, sha256: sha256Hex(bytes) }).toEqual({ size: body.size, sha256: body.sha256 });
    }
  });
});

describe("replayRecording", () => {
  const create = exchange(
    1,
    { method: "POST", path: "/api/2.0/mlflow/runs/create", content_type: "application/json", body_kind: "json", body: { experiment_id: "0" } },
    { body: { run: { info: { run_id: RUN, artifact_uri: `mlflow-artifacts:/0/${RUN}/artifacts` } } } },
  );
  const get = exchange(
    2,
    { path: "/api/2.0/mlflow/runs/get", query: [["run_id", RUN]], query_string: `run_id=${RUN}` },
    { body: { run: { info: { run_id: RUN, status: "RUNNING" } } } },
  );
  const bad = exchange(3, { path: "/api/2.0/mlflow/nope" }, { status: 404, content_type: "text/html", body_kind: "text", body: { text: "nf" } });

  function server(answers: Record<string, (url: URL) => Response>) {
    const seen: string[] = [];
    const fetch = async (request: Request) => {
      const url = new URL(request.url);
      seen.push(`${request.method} ${url.pathname}${url.search}`);
      return answers[url.pathname]?.(url) ?? new Response("nf", { status: 404, headers: { "content-type": "text/html" } });
    };
    return { fetch, seen };
  }

  const ok = (body: unknown) => Response.json(body);

  it("learns IDs from answers, substitutes them into later requests and collects every mismatch", async () => {
    const s = server({
      "/api/2.0/mlflow/runs/create": () => ok({ run: { info: { run_id: LIVE_RUN, artifact_uri: `mlflow-artifacts:/0/${LIVE_RUN}/artifacts` } } }),
      "/api/2.0/mlflow/runs/get": (url) => ok({ run: { info: { run_id: url.searchParams.get("run_id"), status: "FINISHED" } } }),
      "/api/2.0/mlflow/nope": () => new Response("{}", { status: 500 }),
    });
    const result = await replayRecording([create, get, bad], { fetch: s.fetch, base: "http://127.0.0.1:8787" });
    expect(s.seen).toEqual(["POST /api/2.0/mlflow/runs/create", `GET /api/2.0/mlflow/runs/get?run_id=${LIVE_RUN}`, "GET /api/2.0/mlflow/nope"]);
    expect(result.mismatches.map((m) => [m.exchange.seq, m.problems])).toEqual([
      [2, ['body.run.info.status: expected "RUNNING", got "FINISHED"']],
      [3, ["status: expected 404, got 500"]],
    ]);
    const report = formatReport("unit", result);
    expect(report).toContain("unit: 2 of 3 replayed exchanges differ");
    expect(report).toContain(`unit seq 2 GET /api/2.0/mlflow/runs/get?run_id=${LIVE_RUN}`);
    expect(report).toContain('got: 500 text/plain "{}"');
  });

  it("skips pending exchanges, holds allow-listed ones to their entry, refuses undeclared unsendable ones", async () => {
    const getWithBody = exchange(4, { content_type: "application/json", body_kind: "json", body: { a: 1 } });
    const s = server({ "/api/2.0/mlflow/nope": () => Response.json({ error_code: "INVALID_PARAMETER_VALUE" }, { status: 400 }) });
    const options = { fetch: s.fetch, base: "http://127.0.0.1:8787", skip: (e: Exchange) => e.seq === 1 };
    const result = await replayRecording([create, bad, getWithBody], { ...options, allow: [{ seq: 3, expect: { status: 400, error_code: "INVALID_PARAMETER_VALUE" } }] });
    expect(result).toMatchObject({ replayed: 1, skipped: 1, allowed: 1, unsendable: 0 });
    expect(result.mismatches.map((m) => m.exchange.seq)).toEqual([4]);
    expect(result.mismatches[0]!.problems[0]).toContain("cannot be sent as recorded");

    const declared = await replayRecording([bad, getWithBody], { ...options, unsendable: [3, 4], allow: [] });
    expect(declared.unsendable).toBe(1);
    expect(declared.mismatches.map((m) => [m.exchange.seq, m.problems])).toEqual([
      [3, ["declared in NOT_REPLAYABLE but it can be sent as recorded: remove the entry"]],
    ]);
  });

  it("checks an allow-listed answer's status and error_code", () => {
    const allowance = { seq: 1, expect: { status: 400, error_code: "INVALID_PARAMETER_VALUE" } };
    expect(checkAllowance(allowance, live(400, json({ error_code: "INVALID_PARAMETER_VALUE" })))).toEqual([]);
    expect(checkAllowance(allowance, live(500, text("<html>")))).toEqual([
      "allow-listed answer: expected status 400, got 500",
      "allow-listed answer: expected error_code INVALID_PARAMETER_VALUE, got undefined",
    ]);
    expect(checkAllowance({ seq: 1, expect: { status: 404 } }, live(404, text("nf")))).toEqual([]);
  });
});

describe("allow-list rules", () => {
  const recording = [
    exchange(1, { method: "POST", path: "/api/2.0/mlflow/experiments/create" }, { status: 500, body_kind: "text", body: { text: "ISE" } }),
    exchange(2, { method: "POST", path: "/api/2.0/mlflow/runs/update" }, { status: 200 }),
    exchange(3, { method: "HEAD", path: "/api/2.0/mlflow/experiments/get" }, { status: 400, body_kind: "empty", body: null }),
    exchange(4, { path: "/graphql" }),
    exchange(5, { path: "/api/2.0/mlflow-artifacts/artifacts/%2fetc" }, { status: 308, body_kind: "text", body: { text: "" } }),
  ];
  const entry = (seq: number, deviation: AllowEntry["deviation"], expectAnswer: AllowEntry["expect"]): AllowEntry => ({
    file: "08_errors",
    seq,
    deviation,
    expect: expectAnswer,
    why: "because",
  });
  const INVALID = { status: 400, error_code: "INVALID_PARAMETER_VALUE" };

  it("accepts entries of the README's classes", () => {
    const entries = [
      entry(1, "stock-5xx", INVALID),
      entry(2, "over-lenient", INVALID),
      entry(3, "head", { status: 200 }),
      entry(4, "web-ui", { status: 404 }),
      entry(5, "artifact-path", INVALID),
    ];
    expect(allowListProblems(entries, recording)).toEqual([]);
  });

  it("refuses entries outside them, 5xx answers, no-ops, duplicates, unknown exchanges", () => {
    expect(
      allowListProblems(
        [
          entry(2, "stock-5xx", INVALID),
          entry(1, "stock-5xx", { status: 502 }),
          entry(3, "head", { status: 400 }),
          entry(4, "web-ui", { status: 404 }),
          entry(4, "web-ui", { status: 404 }),
          entry(9, "web-ui", { status: 404 }),
          { ...entry(2, "over-lenient", { status: 400, error_code: "BAD_REQUEST" }), why: " " },
        ],
        recording,
      ),
    ).toEqual([
      '08_errors seq 2: not a "stock-5xx" deviation the README permits',
      "08_errors seq 1: mlflare must never answer a user's request with a 5xx",
      "08_errors seq 3: the entry expects the recorded answer; remove it",
      "08_errors seq 4: listed twice",
      "08_errors seq 9: no such exchange",
      "08_errors seq 2: listed twice",
      "08_errors seq 2: no reason given",
      '08_errors seq 2: not a "over-lenient" deviation the README permits',
    ]);
  });
});

describe("pending routes", () => {
  it("matches whole path segments after the API prefix", () => {
    expect(routeOf("/api/3.0/mlflow/traces/tr-1")).toBe("/mlflow/traces/tr-1");
    expect(routeOf("/ajax-api/2.0/mlflow/runs/get")).toBe("/mlflow/runs/get");
    expect(routeOf("/api/9.9")).toBe("/api/9.9");
    const at = (path: string) => isPending(exchange(1, { path }), ["/mlflow/traces", "/mlflow/artifacts"]);
    expect(at("/api/3.0/mlflow/traces")).toBe(true);
    expect(at("/api/3.0/mlflow/traces/search")).toBe(true);
    expect(at("/ajax-api/2.0/mlflow/artifacts/list")).toBe(true);
    expect(at("/api/2.0/mlflow-artifacts/artifacts")).toBe(false);
    expect(at("/api/2.0/mlflow/tracesx")).toBe(false);
    expect(at("/v1/traces")).toBe(false);
  });
});
