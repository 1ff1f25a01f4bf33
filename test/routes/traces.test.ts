import { SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { D1_CALLS_HEADER } from "../../src/app";
import { pythonJson } from "../../src/protocol/python-json";
import { call, createExperiment, expectError, post } from "../helpers/api";
import { putArtifact } from "../helpers/artifacts";

const v3 = (method: string, path: string, body?: unknown) => call(method, `/api/3.0/mlflow${path}`, body);
const hex32 = () => crypto.randomUUID().replaceAll("-", "");
const location = (exp: string) => ({ type: "MLFLOW_EXPERIMENT", mlflow_experiment: { experiment_id: exp } });

function traceInfo(exp: string, over: Record<string, unknown> = {}) {
  return {
    trace_id: `tr-${hex32()}`,
    trace_location: location(exp),
    request_time: "2026-11-26T08:38:28.678Z",
    execution_duration: "0.078s",
    state: "OK",
    trace_metadata: { "mlflow.user": "alice" },
    tags: { "mlflow.traceName": "add_numbers" },
    request_preview: '{"a": 1}',
    response_preview: "4",
    ...over,
  };
}

async function startTrace(exp: string, over: Record<string, unknown> = {}) {
  const r = await v3("POST", "/traces", { trace: { trace_info: traceInfo(exp, over) } });
  expect(r.status).toBe(200);
  return r.json.trace.trace_info;
}

const trips = (r: { res: Response }) => Number(r.res.headers.get(D1_CALLS_HEADER));

const search = (exp: string, body: Record<string, unknown> = {}) => v3("POST", "/traces/search", { locations: [location(exp)], ...body });
const ids = (r: { json: any }) => (r.json.traces ?? []).map((t: any) => t.trace_id);

describe("start / get", () => {
  it("echoes the trace info with the artifact location and the finalised flag", async () => {
    const exp = await createExperiment();
    const sent = traceInfo(exp);
    const r = await v3("POST", "/traces", { trace: { trace_info: sent } });
    expect(r.status).toBe(200);
    expect(r.json.trace.trace_info).toEqual({
      ...sent,
      trace_metadata: { "mlflow.user": "alice", "mlflow.trace.infoFinalized": "true" },
      tags: { "mlflow.traceName": "add_numbers", "mlflow.artifactLocation": `mlflow-artifacts:/${exp}/traces/${sent.trace_id}/artifacts` },
    });
    const got = await v3("GET", `/traces/${sent.trace_id}`);
    expect(got.json).toEqual(r.json);
  });

  it("writes whole-second times and durations the way protobuf JSON does", async () => {
    const exp = await createExperiment();
    const info = await startTrace(exp, { request_time: "2026-01-01T00:00:00.000123Z", execution_duration: "2s", state: 2 });
    expect(info).toMatchObject({ request_time: "2026-01-01T00:00:00Z", execution_duration: "2s", state: "ERROR" });
  });

  it("refuses a missing trace, experiment or bad times", async () => {
    const exp = await createExperiment();
    expectError(await v3("POST", "/traces", {}), 400, "INVALID_PARAMETER_VALUE");
    expectError(await v3("POST", "/traces", { trace: { trace_info: traceInfo("424242") } }), 404, "RESOURCE_DOES_NOT_EXIST");
    expectError(await v3("POST", "/traces", { trace: { trace_info: traceInfo(exp, { request_time: "yesterday" }) } }), 400, "INVALID_PARAMETER_VALUE");
    expectError(await v3("POST", "/traces", { trace: { trace_info: traceInfo(exp, { execution_duration: "5" }) } }), 400, "INVALID_PARAMETER_VALUE");
    expectError(await v3("POST", "/traces", { trace: { trace_info: traceInfo(exp, { state: "DONE" }) } }), 400, "INVALID_PARAMETER_VALUE");
  });

  it("answers 404 with MLflow's message for an unknown id, including 'get' as an id on the info route", async () => {
    const r = await v3("GET", "/traces/tr-nope");
    expectError(r, 404, "RESOURCE_DOES_NOT_EXIST");
    expect(r.json.message).toBe("Trace with ID 'tr-nope' not found.");
    expectError(await v3("GET", "/traces/get", { trace_id: "tr-nope" }), 404, "RESOURCE_DOES_NOT_EXIST");
    expectError(await v3("GET", "/traces/get"), 400, "INVALID_PARAMETER_VALUE");
  });

  it("gets infos in batch, in the order asked", async () => {
    const exp = await createExperiment();
    const a = await startTrace(exp);
    const b = await startTrace(exp);
    const r = await v3("POST", "/traces/batchGetInfos", { trace_ids: [b.trace_id, "tr-missing", a.trace_id] });
    expect(r.json.trace_infos.map((t: any) => t.trace_id)).toEqual([b.trace_id, a.trace_id]);
    expectError(await v3("POST", "/traces/batchGetInfos", {}), 400, "INVALID_PARAMETER_VALUE");
    expectError(await v3("POST", "/traces/batchGetInfos", { trace_ids: [] }), 400, "INVALID_PARAMETER_VALUE");
    expectError(await v3("GET", "/traces/batchGet"), 400, "INVALID_PARAMETER_VALUE");
  });
});

describe("tags", () => {
  it("sets and deletes tags on the v2 and v3 paths", async () => {
    const exp = await createExperiment();
    const t = await startTrace(exp);
    for (const api of ["2.0", "3.0"]) {
      const base = `/api/${api}/mlflow/traces/${t.trace_id}/tags`;
      expect((await call("PATCH", base, { key: `k${api}`, value: "x".repeat(9000) })).json).toEqual({});
      expect((await call("PATCH", base, { key: "tmp", value: "1" })).status).toBe(200);
      expect((await call("DELETE", base, { key: "tmp" })).status).toBe(200);
    }
    const tags = (await v3("GET", `/traces/${t.trace_id}`)).json.trace.trace_info.tags;
    expect(tags["k2.0"]).toHaveLength(8000);
    expect(tags["k3.0"]).toHaveLength(8000);
    expect(tags.tmp).toBeUndefined();
  });

  it("answers 404 for a missing tag or trace and 400 for a bad key", async () => {
    const t = await startTrace(await createExperiment());
    expectError(await call("DELETE", `/api/2.0/mlflow/traces/${t.trace_id}/tags`, { key: "never-set" }), 404, "RESOURCE_DOES_NOT_EXIST");
    expectError(await call("PATCH", "/api/2.0/mlflow/traces/tr-nope/tags", { key: "a", value: "b" }), 404, "RESOURCE_DOES_NOT_EXIST");
    expectError(await call("DELETE", "/api/2.0/mlflow/traces/tr-nope/tags", { key: "a" }), 404, "RESOURCE_DOES_NOT_EXIST");
    expectError(await call("PATCH", `/api/2.0/mlflow/traces/${t.trace_id}/tags`, { key: "../x", value: "b" }), 400, "INVALID_PARAMETER_VALUE");
    expectError(await call("PATCH", `/api/2.0/mlflow/traces/${t.trace_id}/tags`, { value: "b" }), 400, "INVALID_PARAMETER_VALUE");
  });
});

describe("search", () => {
  async function fixture() {
    const exp = await createExperiment();
    const run = (await post("/runs/create", { experiment_id: exp, start_time: 1 })).json.run.info.run_id;
    const a = await startTrace(exp, { request_time: "2026-01-01T00:00:01Z", execution_duration: "1s" });
    const b = await startTrace(exp, { request_time: "2026-01-01T00:00:02Z", execution_duration: "3s", state: "ERROR", tags: { reviewed: "yes", "mlflow.traceName": "other" } });
    const c = await startTrace(exp, { request_time: "2026-01-01T00:00:03Z", trace_metadata: { "mlflow.sourceRun": run } });
    return { exp, run, a: a.trace_id, b: b.trace_id, c: c.trace_id };
  }

  it("orders newest first by default and pages", async () => {
    const { exp, a, b, c } = await fixture();
    expect(ids(await search(exp))).toEqual([c, b, a]);
    const p1 = await search(exp, { max_results: 2, order_by: ["timestamp_ms ASC"] });
    expect(ids(p1)).toEqual([a, b]);
    const p2 = await search(exp, { max_results: 2, order_by: ["timestamp_ms ASC"], page_token: p1.json.next_page_token });
    expect(ids(p2)).toEqual([c]);
    expect(p2.json.next_page_token).toBeUndefined();
    expect(ids(await search(exp, { order_by: ["execution_time_ms DESC"] }))).toEqual([b, a, c]);
  });

  it("filters on attributes, tags, metadata and run id", async () => {
    const { exp, run, a, b, c } = await fixture();
    const f = async (filter: string) => ids(await search(exp, { filter }));
    expect(await f("trace.status = 'OK'")).toEqual([c, a]);
    expect(await f("attributes.status != 'OK'")).toEqual([b]);
    expect(await f("trace.timestamp_ms > 1767225601000")).toEqual([c, b]);
    expect(await f("execution_time_ms >= 3000")).toEqual([b]);
    expect(await f("tags.reviewed = 'yes'")).toEqual([b]);
    expect(await f("tag.reviewed IS NULL")).toEqual([c, a]);
    expect(await f("trace.name = 'add_numbers'")).toEqual([c, a]);
    expect(await f("name LIKE 'oth%'")).toEqual([b]);
    expect(await f("metadata.`mlflow.user` = 'alice'")).toEqual([b, a]);
    expect(await f("request_metadata.`mlflow.user` IS NULL")).toEqual([c]);
    expect(await f(`attribute.run_id = '${run}'`)).toEqual([c]);
    expect(await f(`trace.request_id IN ('${a}', '${b}')`)).toEqual([b, a]);
  });

  it("finds traces linked to a run", async () => {
    const { exp, run, a } = await fixture();
    expect((await post("/traces/link-to-run", { trace_ids: [a, "tr-missing"], run_id: run })).json).toEqual({});
    expect(ids(await search(exp, { filter: `run_id = '${run}'` })).sort()).toHaveLength(2);
    expectError(await post("/traces/link-to-run", { trace_ids: [a], run_id: "nope" }), 404, "RESOURCE_DOES_NOT_EXIST");
    const tooMany = Array.from({ length: 101 }, (_, i) => `tr-${i}`);
    expectError(await post("/traces/link-to-run", { trace_ids: tooMany, run_id: run }), 400, "INVALID_PARAMETER_VALUE");
  });

  it("refuses bad filters, limits and page tokens with 400", async () => {
    const { exp } = await fixture();
    for (const filter of ["foo.bar = 'x'", "span.content = 'x'", "feedback.x = 'y'", "trace.status > 'x'", "timestamp_ms = 'x'", "a = 1 OR b = 2"]) {
      expectError(await search(exp, { filter }), 400, "INVALID_PARAMETER_VALUE");
    }
    expectError(await search(exp, { max_results: 0 }), 400, "INVALID_PARAMETER_VALUE");
    expectError(await search(exp, { max_results: 501 }), 400, "INVALID_PARAMETER_VALUE");
    expectError(await search(exp, { page_token: "garbage" }), 400, "INVALID_PARAMETER_VALUE");
    expectError(await search(exp, { order_by: ["nope DESC"] }), 400, "INVALID_PARAMETER_VALUE");
    expectError(await v3("POST", "/traces/search", {}), 400, "INVALID_PARAMETER_VALUE");
    expectError(await v3("POST", "/traces/search", { locations: [] }), 400, "INVALID_PARAMETER_VALUE");
  });
});

describe("delete-traces", () => {
  it("deletes by ids and by age, oldest first, on v2 and v3", async () => {
    const exp = await createExperiment();
    const t1 = await startTrace(exp, { request_time: "2026-01-01T00:00:01Z" });
    const t2 = await startTrace(exp, { request_time: "2026-01-01T00:00:02Z" });
    const t3 = await startTrace(exp, { request_time: "2026-01-01T00:00:03Z" });
    const elsewhere = await startTrace(await createExperiment(), { request_time: "2025-12-31T00:00:00Z" });
    const byIds = await post("/traces/delete-traces", { experiment_id: exp, request_ids: [t2.trace_id, "tr-missing", elsewhere.trace_id] });
    expect(byIds.json).toEqual({ traces_deleted: 1 });
    const byAge = await v3("POST", "/traces/delete-traces", { experiment_id: exp, max_timestamp_millis: Date.parse("2026-01-02"), max_traces: 1 });
    expect(byAge.json).toEqual({ traces_deleted: 1 });
    // The traces to delete are selected in SQL, never sent back as a list of ids.
    expect(trips(byAge)).toBe(1);
    expect(ids(await search(exp))).toEqual([t3.trace_id]);
    expectError(await v3("GET", `/traces/${t1.trace_id}`), 404, "RESOURCE_DOES_NOT_EXIST");
    // The kept traces keep their tags, metadata and the rest.
    for (const kept of [t3, elsewhere]) expect((await v3("GET", `/traces/${kept.trace_id}`)).json.trace.trace_info).toEqual(kept);
    const rest = await v3("POST", "/traces/delete-traces", { experiment_id: exp, max_timestamp_millis: Date.parse("2027-01-01") });
    expect(rest.json).toEqual({ traces_deleted: 1 });
    expect(ids(await search(exp))).toEqual([]);
  });

  it("needs exactly one criterion", async () => {
    const exp = await createExperiment();
    expectError(await post("/traces/delete-traces", { experiment_id: exp }), 400, "INVALID_PARAMETER_VALUE");
    expectError(await post("/traces/delete-traces", { experiment_id: exp, request_ids: ["a"], max_timestamp_millis: 1 }), 400, "INVALID_PARAMETER_VALUE");
    expectError(await post("/traces/delete-traces", {}), 400, "INVALID_PARAMETER_VALUE");
  });
});

describe("assessments", () => {
  const feedback = { assessment_name: "correct", source: { source_type: "HUMAN", source_id: "bob" }, feedback: { value: true }, rationale: "fine" };

  it("creates, gets, updates and deletes", async () => {
    const t = await startTrace(await createExperiment());
    const base = `/traces/${t.trace_id}/assessments`;
    const created = await v3("POST", base, { assessment: feedback });
    expect(created.status).toBe(200);
    const a = created.json.assessment;
    expect(a).toMatchObject({ ...feedback, trace_id: t.trace_id, valid: true });
    expect(a.assessment_id).toMatch(/^a-[0-9a-f]{32}$/);
    expect(a.create_time).toMatch(/Z$/);
    expect((await v3("GET", `${base}/${a.assessment_id}`)).json.assessment).toEqual(a);
    const updated = await v3("PATCH", `${base}/${a.assessment_id}`, {
      assessment: { rationale: "on reflection", metadata: { k: "v" } },
      update_mask: "rationale,metadata",
    });
    expect(updated.json.assessment).toMatchObject({ rationale: "on reflection", metadata: { k: "v" }, feedback: { value: true } });
    const info = (await v3("GET", `/traces/${t.trace_id}`)).json.trace.trace_info;
    expect(info.assessments.map((x: any) => x.rationale)).toEqual(["on reflection"]);
    expect((await v3("DELETE", `${base}/${a.assessment_id}`)).json).toEqual({});
    expectError(await v3("GET", `${base}/${a.assessment_id}`), 404, "RESOURCE_DOES_NOT_EXIST");
  });

  it("an override invalidates the original until it is deleted", async () => {
    const t = await startTrace(await createExperiment());
    const base = `/traces/${t.trace_id}/assessments`;
    const first = (await v3("POST", base, { assessment: feedback })).json.assessment;
    const second = (await v3("POST", base, { assessment: { ...feedback, overrides: first.assessment_id } })).json.assessment;
    expect((await v3("GET", `${base}/${first.assessment_id}`)).json.assessment.valid).toBe(false);
    await v3("DELETE", `${base}/${second.assessment_id}`);
    expect((await v3("GET", `${base}/${first.assessment_id}`)).json.assessment.valid).toBe(true);
  });

  it("refuses bad assessments, masks and unknown traces", async () => {
    const t = await startTrace(await createExperiment());
    const base = `/traces/${t.trace_id}/assessments`;
    expectError(await v3("POST", base, {}), 400, "INVALID_PARAMETER_VALUE");
    expectError(await v3("POST", base, { assessment: { ...feedback, assessment_name: undefined } }), 400, "INVALID_PARAMETER_VALUE");
    expectError(await v3("POST", base, { assessment: { ...feedback, expectation: { value: 1 } } }), 400, "INVALID_PARAMETER_VALUE");
    expectError(await v3("POST", "/traces/tr-nope/assessments", { assessment: feedback }), 404, "RESOURCE_DOES_NOT_EXIST");
    expectError(await v3("POST", base, { assessment: { ...feedback, overrides: "a-nope" } }), 404, "RESOURCE_DOES_NOT_EXIST");
    const a = (await v3("POST", base, { assessment: feedback })).json.assessment;
    expectError(await v3("PATCH", `${base}/${a.assessment_id}`, { assessment: {}, update_mask: "source" }), 400, "INVALID_PARAMETER_VALUE");
    expectError(await v3("PATCH", `${base}/${a.assessment_id}`, { assessment: { expectation: { value: 1 } }, update_mask: "expectation" }), 400, "INVALID_PARAMETER_VALUE");
    expectError(await v3("PATCH", `${base}/a-nope`, { assessment: {}, update_mask: "rationale" }), 404, "RESOURCE_DOES_NOT_EXIST");
  });
});

/** A minimal protobuf writer for OTLP ExportTraceServiceRequest test payloads. */
const pb = {
  varint(n: bigint): number[] {
    const out: number[] = [];
    do {
      let b = Number(n & 0x7fn);
      n >>= 7n;
      if (n) b |= 0x80;
      out.push(b);
    } while (n);
    return out;
  },
  bytes: (no: number, data: number[] | Uint8Array) => [...pb.varint(BigInt((no << 3) | 2)), ...pb.varint(BigInt(data.length)), ...data],
  str: (no: number, s: string) => pb.bytes(no, [...new TextEncoder().encode(s)]),
  int: (no: number, n: bigint) => [...pb.varint(BigInt(no << 3)), ...pb.varint(n)],
  fixed64(no: number, n: bigint) {
    const b = new Uint8Array(8);
    new DataView(b.buffer).setBigUint64(0, n, true);
    return [...pb.varint(BigInt((no << 3) | 1)), ...b];
  },
};
const hexBytes = (h: string) => h.match(/../g)!.map((x) => parseInt(x, 16));
const attr = (key: string, value: number[]) => pb.bytes(9, [...pb.str(1, key), ...pb.bytes(2, value)]);

function otlpSpan(traceHex: string, spanHex: string, parentHex: string | undefined, name: string, start: bigint, end: bigint, type?: string) {
  return [
    ...pb.bytes(1, hexBytes(traceHex)),
    ...pb.bytes(2, hexBytes(spanHex)),
    ...(parentHex ? pb.bytes(4, hexBytes(parentHex)) : []),
    ...pb.str(5, name),
    ...pb.fixed64(7, start),
    ...pb.fixed64(8, end),
    ...attr("mlflow.spanInputs", pb.bytes(6, pb.bytes(1, [...pb.str(1, "a"), ...pb.bytes(2, pb.int(3, 1n))]))),
    ...attr("mlflow.spanOutputs", pb.int(3, 4n)),
    ...(type ? attr("mlflow.spanType", pb.str(1, type)) : []),
    ...pb.bytes(15, pb.int(3, 1n)),
  ];
}

const exportRequest = (spans: number[][]) =>
  new Uint8Array(pb.bytes(1, pb.bytes(2, spans.flatMap((s) => pb.bytes(2, s)))));

const otlp = (exp: string, body: Uint8Array, contentType = "application/x-protobuf") =>
  SELF.fetch("http://mlflare.test/v1/traces", {
    method: "POST",
    headers: { "Content-Type": contentType, "X-Mlflow-Experiment-Id": exp },
    body,
  });

describe("OTLP /v1/traces", () => {
  const START = 1795682308678659645n;

  it("stores spans, creates the trace, and serves them with exact nanosecond times", async () => {
    const exp = await createExperiment();
    const traceHex = hex32();
    const body = exportRequest([
      otlpSpan(traceHex, "2ebf297859680c9f", "89f5266b75a92937", "inner", START + 77_861_469n, START + 78_084_359n),
      otlpSpan(traceHex, "89f5266b75a92937", undefined, "add_numbers", START, START + 78_214_439n),
    ]);
    const res = await otlp(exp, body);
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toBe("application/x-protobuf");
    expect((await res.arrayBuffer()).byteLength).toBe(0);

    const traceId = `tr-${traceHex}`;
    const info = (await v3("GET", `/traces/${traceId}`)).json.trace.trace_info;
    expect(info).toMatchObject({ state: "OK", request_time: "2026-11-26T08:38:28.678Z", execution_duration: "0.078s" });
    expect(info.tags).toEqual({
      "mlflow.artifactLocation": `mlflow-artifacts:/${exp}/traces/${traceId}/artifacts`,
      "mlflow.trace.spansLocation": "TRACKING_STORE",
    });

    const raw = await (await SELF.fetch(`http://mlflare.test/api/3.0/mlflow/traces/get?trace_id=${traceId}&allow_partial=False`)).text();
    expect(raw).toContain('"start_time_unix_nano":1795682308678659645');
    const spans = JSON.parse(raw).trace.spans;
    expect(spans.map((s: any) => s.name)).toEqual(["add_numbers", "inner"]);
    expect(spans[0]).toEqual({
      trace_id: btoa(String.fromCharCode(...hexBytes(traceHex))),
      span_id: btoa(String.fromCharCode(...hexBytes("89f5266b75a92937"))),
      name: "add_numbers",
      start_time_unix_nano: Number(START),
      end_time_unix_nano: Number(START + 78_214_439n),
      attributes: [
        { key: "mlflow.traceRequestId", value: { string_value: traceId } },
        { key: "mlflow.spanInputs", value: { kvlist_value: { values: [{ key: "a", value: { int_value: 1 } }] } } },
        { key: "mlflow.spanOutputs", value: { int_value: 4 } },
      ],
      status: { code: "STATUS_CODE_OK" },
    });
    expect(spans[1].parent_span_id).toBe(spans[0].span_id);

    const batch = await v3("GET", "/traces/batchGet", { trace_ids: [traceId, "tr-nope"] });
    expect(batch.json.traces.map((t: any) => t.spans.length)).toEqual([2]);
  });

  it("keeps the client's finalised times when the trace info arrived first", async () => {
    const exp = await createExperiment();
    const traceHex = hex32();
    await startTrace(exp, { trace_id: `tr-${traceHex}`, request_time: "2026-11-26T08:38:28.600Z", execution_duration: "0s" });
    await otlp(exp, exportRequest([otlpSpan(traceHex, "89f5266b75a92937", undefined, "root", START, START + 5_000_000n)]));
    const info = (await v3("GET", `/traces/tr-${traceHex}`)).json.trace.trace_info;
    expect(info).toMatchObject({ request_time: "2026-11-26T08:38:28.600Z", execution_duration: "0s" });
    expect(info.tags["mlflow.trace.spansLocation"]).toBe("TRACKING_STORE");
    expect(info.trace_metadata["mlflow.user"]).toBe("alice");
  });

  it("finds traces by the name, type and status of their spans", async () => {
    const exp = await createExperiment();
    const traceHex = hex32();
    await otlp(exp, exportRequest([otlpSpan(traceHex, "89f5266b75a92937", undefined, "add_numbers", START, START + 1n, "TOOL")]));
    await startTrace(exp);
    const f = async (filter: string) => ids(await search(exp, { filter }));
    expect(await f("span.name = 'add_numbers'")).toEqual([`tr-${traceHex}`]);
    expect(await f("span.name LIKE 'add%' AND span.type = 'TOOL'")).toEqual([`tr-${traceHex}`]);
    expect(await f("span.type = 'LLM'")).toEqual([]);
    expect(await f("span.status = 'OK'")).toEqual([`tr-${traceHex}`]);
  });

  it("reports a trace without its root span as not fully exported unless partial is allowed", async () => {
    const exp = await createExperiment();
    const traceHex = hex32();
    await otlp(exp, exportRequest([otlpSpan(traceHex, "2ebf297859680c9f", "89f5266b75a92937", "inner", START, START + 1n)]));
    expectError(await v3("GET", "/traces/get", { trace_id: `tr-${traceHex}` }), 404, "RESOURCE_DOES_NOT_EXIST");
    const partial = await v3("GET", "/traces/get", { trace_id: `tr-${traceHex}`, allow_partial: "True" });
    expect(partial.json.trace.spans).toHaveLength(1);
    expect(partial.json.trace.trace_info.state).toBe("IN_PROGRESS");
  });

  it("accepts the JSON encoding (hex ids, string nanoseconds) with the same result", async () => {
    const exp = await createExperiment();
    const traceHex = hex32();
    const span = {
      traceId: traceHex,
      spanId: "89f5266b75a92937",
      parentSpanId: "",
      name: "root",
      startTimeUnixNano: String(START),
      endTimeUnixNano: String(START + 7n),
      attributes: [
        { key: "mlflow.spanInputs", value: { kvlistValue: { values: [{ key: "a", value: { intValue: "1" } }] } } },
        { key: "score", value: { doubleValue: 0.5 } },
        { key: "tags", value: { arrayValue: { values: [{ stringValue: "x" }, { boolValue: true }] } } },
      ],
      events: [{ timeUnixNano: String(START + 1n), name: "ping", attributes: [{ key: "k", value: { stringValue: "v" } }] }],
      status: { code: 2, message: "boom" },
    };
    const body = new TextEncoder().encode(JSON.stringify({ resourceSpans: [{ scopeSpans: [{ spans: [span] }] }] }));
    expect((await otlp(exp, body, "application/json")).status).toBe(200);
    const got = (await v3("GET", "/traces/get", { trace_id: `tr-${traceHex}` })).json.trace;
    expect(got.trace_info.state).toBe("ERROR");
    expect(got.spans[0]).toMatchObject({
      name: "root",
      attributes: [
        { key: "mlflow.traceRequestId", value: { string_value: `tr-${traceHex}` } },
        { key: "mlflow.spanInputs", value: { kvlist_value: { values: [{ key: "a", value: { int_value: 1 } }] } } },
        { key: "score", value: { double_value: 0.5 } },
        { key: "tags", value: { array_value: { values: [{ string_value: "x" }, { bool_value: true }] } } },
      ],
      events: [{ name: "ping", attributes: [{ key: "k", value: { string_value: "v" } }] }],
      status: { code: "STATUS_CODE_ERROR", message: "boom" },
    });
    expect(got.spans[0].parent_span_id).toBeUndefined();
    const dict = await (await SELF.fetch(`http://mlflare.test/ajax-api/3.0/mlflow/get-trace-artifact?request_id=tr-${traceHex}`)).text();
    expect(dict).toContain(`"events": [{"name": "ping", "time_unix_nano": ${START + 1n}, "attributes": {"k": "v"}}], "status": {"code": "STATUS_CODE_ERROR", "message": "boom"}`);
    expect(dict).toContain('"score": "0.5", "tags": "[\\"x\\", true]"');
    expect((await otlp(exp, new TextEncoder().encode('{"resourceSpans": [{"scopeSpans": [{"spans": [{"traceId": "zz"}]}]}]}'), "application/json")).status).toBe(400);
  });

  it("stores a request larger than one D1 value in chunks, and refuses a span too large for a row", async () => {
    const exp = await createExperiment();
    const traceHex = hex32();
    const big = "x".repeat(300_000);
    const spans = Array.from({ length: 5 }, (_, i) => [
      ...otlpSpan(traceHex, `00000000000000${String(i + 1).padStart(2, "0")}`, i ? "0000000000000001" : undefined, `s${i}`, START + BigInt(i), START + 10n),
      ...attr("blob", pb.str(1, big)),
    ]);
    expect((await otlp(exp, exportRequest(spans))).status).toBe(200);
    expect((await v3("GET", "/traces/get", { trace_id: `tr-${traceHex}` })).json.trace.spans).toHaveLength(5);
    const huge = exportRequest([[...otlpSpan(hex32(), "0000000000000001", undefined, "r", START, START + 1n), ...attr("blob", pb.str(1, "y".repeat(1_000_000)))]]);
    expect((await otlp(exp, huge)).status).toBe(400);
  });

  it("refuses bad payloads, content types, and unknown experiments", async () => {
    const exp = await createExperiment();
    expect((await otlp(exp, new Uint8Array([0xff, 0xff]))).status).toBe(400);
    expect((await otlp(exp, new Uint8Array([]))).status).toBe(400);
    expect((await otlp(exp, new Uint8Array([1]), "text/plain")).status).toBe(400);
    const span = exportRequest([otlpSpan(hex32(), "89f5266b75a92937", undefined, "r", START, START + 1n)]);
    expect((await otlp("424242", span)).status).toBe(404);
    const noHeader = await SELF.fetch("http://mlflare.test/v1/traces", { method: "POST", headers: { "Content-Type": "application/x-protobuf" }, body: span });
    expect(noHeader.status).toBe(400);
  });
});

describe("get-trace-artifact (UI)", () => {
  const START = 1795682308678659645n;
  const artifact = (q: string, api = "3.0") => call("GET", `/ajax-api/${api}/mlflow/get-trace-artifact${q}`);

  it("builds traces.json from stored spans the way MLflow writes it", async () => {
    const exp = await createExperiment();
    const traceHex = hex32();
    await otlp(exp, exportRequest([otlpSpan(traceHex, "89f5266b75a92937", undefined, "add", START, START + 5n)]));
    const r = await artifact(`?request_id=tr-${traceHex}`);
    expect(r.status).toBe(200);
    expect(r.res.headers.get("Content-Disposition")).toBe("attachment; filename=traces.json");
    const text = JSON.stringify(r.json);
    expect(r.json.spans).toHaveLength(1);
    expect(text).toContain('"mlflow.spanInputs":"{\\"a\\": 1}"');
    const body = await (await SELF.fetch(`http://mlflare.test/ajax-api/2.0/mlflow/get-trace-artifact?request_id=tr-${traceHex}`)).text();
    expect(body).toContain(`"parent_span_id": null, "name": "add", "start_time_unix_nano": ${START}, "end_time_unix_nano": ${START + 5n}, "events": [], "status": {"code": "STATUS_CODE_OK", "message": ""}`);
  });

  it("serves the uploaded traces.json when the spans are not in the tracking store", async () => {
    const exp = await createExperiment();
    const t = await startTrace(exp);
    const uploaded = '{"spans": []}';
    expect((await putArtifact(`${exp}/traces/${t.trace_id}/artifacts/traces.json`, uploaded)).status).toBe(200);
    const r = await SELF.fetch(`http://mlflare.test/ajax-api/3.0/mlflow/get-trace-artifact?request_id=${t.trace_id}`);
    expect(await r.text()).toBe(uploaded);
    expectError(await artifact(`?request_id=${t.trace_id}&path=missing.png`), 404, "RESOURCE_DOES_NOT_EXIST");
    expectError(await artifact(`?request_id=${t.trace_id}&path=../x`), 400, "INVALID_PARAMETER_VALUE");
  });

  it("needs a request id of a known trace", async () => {
    expectError(await artifact(""), 400, "BAD_REQUEST");
    expectError(await artifact("?request_id=tr-nope"), 404, "RESOURCE_DOES_NOT_EXIST");
  });
});

describe("pythonJson", () => {
  it("writes what Python's json.dumps writes", () => {
    expect(pythonJson({ a: [1.5, 2n, 1, true, null], "é": "x\u0001\"" })).toBe('{"a": [1.5, 2, 1.0, true, null], "\\u00e9": "x\\u0001\\""}');
    expect(pythonJson("é😀")).toBe('"\\u00e9\\ud83d\\ude00"');
    expect(pythonJson("é", false)).toBe('"é"');
    expect([1e-5, 1e16, 123456789.5, 0, NaN, -Infinity].map((x) => pythonJson(x))).toEqual(["1e-05", "1e+16", "123456789.5", "0.0", "NaN", "-Infinity"]);
  });
});

describe("D1 round trips", () => {
  it("stays at two or fewer per request", async () => {
    const exp = await createExperiment();
    const info = traceInfo(exp);
    expect(trips(await v3("POST", "/traces", { trace: { trace_info: info } }))).toBeLessThanOrEqual(2);
    expect(trips(await v3("GET", `/traces/${info.trace_id}`))).toBe(1);
    expect(trips(await search(exp, { filter: "tags.a = 'b' AND trace.status = 'OK'" }))).toBeLessThanOrEqual(2);
    const spans = Array.from({ length: 50 }, (_, i) => otlpSpan(hex32(), "89f5266b75a92937", undefined, `s${i}`, 1n, 2n));
    const res = await otlp(exp, exportRequest(spans));
    expect(trips({ res })).toBeLessThanOrEqual(2);
  });
});
