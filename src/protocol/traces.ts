import { z } from "zod";
import { invalidParameter } from "./errors";
import { bool, i64, list, str } from "./fields";
import { compact } from "./json";
import { message } from "./message";

/** TraceInfoV3.State, by name or proto number (STATE_UNSPECIFIED is 0). */
const TRACE_STATES = ["STATE_UNSPECIFIED", "OK", "ERROR", "IN_PROGRESS"] as const;
const traceState = z.preprocess(
  (v) => (typeof v === "number" && Number.isInteger(v) && v >= 0 && v < TRACE_STATES.length ? TRACE_STATES[v] : v),
  z.enum(TRACE_STATES),
);

const stringMap = z.record(z.string());
const location = z.object({
  type: str().optional(),
  mlflow_experiment: z.object({ experiment_id: str().optional() }).optional(),
});

/** Assessment as the client sends it; the server owns ids and times. */
const assessmentIn = z
  .object({
    assessment_id: str().optional(),
    assessment_name: str().optional(),
    trace_id: str().optional(),
    span_id: str().optional(),
    source: z.object({ source_type: z.union([str(), z.number()]).optional(), source_id: str().optional() }).optional(),
    feedback: z.record(z.unknown()).optional(),
    expectation: z.record(z.unknown()).optional(),
    issue: z.object({ issue_name: str().optional() }).optional(),
    rationale: str().optional(),
    error: z.record(z.unknown()).optional(),
    metadata: stringMap.optional(),
    overrides: str().optional(),
    valid: bool().optional(),
  })
  .passthrough();
export type AssessmentIn = z.output<typeof assessmentIn>;

const traceInfoIn = z.object({
  trace_id: str().optional(),
  client_request_id: str().optional(),
  trace_location: location.optional(),
  request_preview: str().optional(),
  response_preview: str().optional(),
  request_time: str().optional(),
  execution_duration: str().optional(),
  state: traceState.optional(),
  trace_metadata: stringMap.optional(),
  tags: stringMap.optional(),
  assessments: z.array(assessmentIn).optional(),
});
export type TraceInfoIn = z.output<typeof traceInfoIn>;

export const StartTraceV3 = message({ trace: z.object({ trace_info: traceInfoIn.optional() }) }, ["trace"]);
export const GetTrace = message({ trace_id: str(), allow_partial: bool() }, ["trace_id"]);
export const TraceIds = message({ trace_ids: list(str()) }, ["trace_ids"]);
export const SearchTracesV3 = message(
  { locations: list(location), filter: str(), max_results: i64(), order_by: list(str()), page_token: str() },
  ["locations"],
);
export const SetTraceTag = message({ key: str(), value: str() }, ["key"]);
export const DeleteTraceTag = message({ key: str() }, ["key"]);
export const DeleteTraces = message(
  { experiment_id: str(), max_timestamp_millis: i64(), max_traces: i64(), request_ids: list(str()) },
  ["experiment_id"],
);
export const LinkTracesToRun = message({ trace_ids: list(str()), run_id: str() }, ["trace_ids", "run_id"]);
export const CreateAssessment = message({ assessment: assessmentIn }, ["assessment"]);
export const UpdateAssessment = message({ assessment: assessmentIn, update_mask: str() }, ["assessment", "update_mask"]);

export interface Assessment {
  assessmentId: string;
  traceId: string;
  /** The wire fields the client gave (name, source, value, rationale, metadata, valid…). */
  content: Record<string, unknown>;
  createTime: number;
  lastUpdateTime: number;
}

export interface TraceInfo {
  traceId: string;
  experimentId: number;
  requestTime: number;
  executionDuration: number | null;
  state: string;
  clientRequestId: string | null;
  requestPreview: string | null;
  responsePreview: string | null;
  tags: Record<string, string>;
  metadata: Record<string, string>;
  assessments: Assessment[];
}

/** TraceInfoV3 on the wire: Timestamp/Duration strings, maps as objects, empty maps omitted. */
export function encodeTraceInfo(t: TraceInfo) {
  return compact({
    trace_id: t.traceId,
    client_request_id: t.clientRequestId ?? undefined,
    trace_location: { type: "MLFLOW_EXPERIMENT", mlflow_experiment: { experiment_id: String(t.experimentId) } },
    request_preview: t.requestPreview ?? undefined,
    response_preview: t.responsePreview ?? undefined,
    request_time: encodeTimestamp(t.requestTime),
    execution_duration: t.executionDuration === null ? undefined : encodeDuration(t.executionDuration),
    state: t.state,
    trace_metadata: Object.keys(t.metadata).length ? t.metadata : undefined,
    assessments: t.assessments.length ? t.assessments.map(encodeAssessment) : undefined,
    tags: Object.keys(t.tags).length ? t.tags : undefined,
  });
}

export function encodeAssessment(a: Assessment) {
  return {
    assessment_id: a.assessmentId,
    trace_id: a.traceId,
    ...a.content,
    create_time: encodeTimestamp(a.createTime),
    last_update_time: encodeTimestamp(a.lastUpdateTime),
  };
}

/** google.protobuf.Timestamp JSON: RFC 3339 UTC, fraction only when non-zero. */
function encodeTimestamp(ms: number): string {
  const iso = new Date(ms).toISOString();
  return ms % 1000 === 0 ? iso.replace(/\.000Z$/, "Z") : iso;
}

/** google.protobuf.Duration JSON: seconds with an `s` suffix, e.g. "0.078s", "2s". */
function encodeDuration(ms: number): string {
  const sign = ms < 0 ? "-" : "";
  const abs = Math.abs(ms);
  const frac = abs % 1000;
  return `${sign}${Math.floor(abs / 1000)}${frac ? `.${String(frac).padStart(3, "0")}` : ""}s`;
}

const RFC3339 = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i;

/** Parses a Timestamp string to epoch ms (sub-millisecond digits dropped, as MLflow does). */
export function parseTimestamp(field: string, value: string): number {
  const m = RFC3339.exec(value);
  const ms = m ? Date.parse(`${m[1]}${(m[2] ?? "").slice(0, 4)}${m[3]}`) : NaN;
  if (Number.isNaN(ms)) throw invalidParameter(`Invalid value '${value}' for '${field}': expected an RFC 3339 timestamp.`);
  return ms;
}

/** Parses a Duration string ("1.5s") to ms. */
export function parseDuration(field: string, value: string): number {
  const m = /^(-)?(\d+)(?:\.(\d{1,9}))?s$/.exec(value);
  if (!m) throw invalidParameter(`Invalid value '${value}' for '${field}': expected a duration such as '1.5s'.`);
  const ms = Number(m[2]) * 1000 + Number((m[3] ?? "").padEnd(3, "0").slice(0, 3));
  return m[1] ? -ms : ms;
}

/**
 * Builds a JSON body in which some values are already JSON text (spans, whose
 * 64-bit numbers must stay exact).
 *
 * @example
 * jsonWithRawParts({ spans: [raw(0)] }, ['{"span_id":"…"}'])
 */
export function jsonWithRawParts(body: unknown, parts: string[]): string {
  return JSON.stringify(body).replace(/"\\u0001(\d+)"/g, (_m, i) => parts[Number(i)]);
}

/** The placeholder {@link jsonWithRawParts} replaces with `parts[i]`. */
export const raw = (i: number) => `\u0001${i}`;
