import { index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { experiments } from "./tracking";

/**
 * Trace info (v3). Times are epoch milliseconds; the wire carries them as an
 * RFC 3339 timestamp and a duration.
 */
export const traceInfo = sqliteTable(
  "trace_info",
  {
    traceId: text("trace_id").primaryKey(),
    experimentId: integer("experiment_id")
      .notNull()
      .references(() => experiments.experimentId),
    requestTime: integer("request_time").notNull(),
    executionDuration: integer("execution_duration"),
    state: text("state").notNull(),
    clientRequestId: text("client_request_id"),
    requestPreview: text("request_preview"),
    responsePreview: text("response_preview"),
  },
  (t) => [index("trace_info_experiment_time").on(t.experimentId, t.requestTime)],
);

export const traceTags = sqliteTable(
  "trace_tags",
  {
    traceId: text("trace_id")
      .notNull()
      .references(() => traceInfo.traceId),
    key: text("key").notNull(),
    value: text("value").notNull(),
  },
  (t) => [primaryKey({ columns: [t.traceId, t.key] }), index("trace_tags_key_value").on(t.key, t.value)],
);

export const traceRequestMetadata = sqliteTable(
  "trace_request_metadata",
  {
    traceId: text("trace_id")
      .notNull()
      .references(() => traceInfo.traceId),
    key: text("key").notNull(),
    value: text("value").notNull(),
  },
  (t) => [primaryKey({ columns: [t.traceId, t.key] }), index("trace_metadata_key_value").on(t.key, t.value)],
);

/**
 * Spans received over OTLP, each kept as its JSON encoding (`content`) with
 * 64-bit nanosecond times as exact digits, and as MLflow writes it into
 * `traces.json` (`dict_content`). `start_order` is the start time zero-padded to
 * 20 digits so text order is time order.
 */
export const traceSpans = sqliteTable(
  "trace_spans",
  {
    traceId: text("trace_id")
      .notNull()
      .references(() => traceInfo.traceId),
    spanId: text("span_id").notNull(),
    parentSpanId: text("parent_span_id"),
    startOrder: text("start_order").notNull(),
    content: text("content").notNull(),
    dictContent: text("dict_content").notNull().default(""),
  },
  (t) => [primaryKey({ columns: [t.traceId, t.spanId] })],
);

/** Runs a trace was linked to with `link-to-run`, besides its `mlflow.sourceRun` metadata. */
export const traceRunLinks = sqliteTable(
  "trace_run_links",
  {
    traceId: text("trace_id")
      .notNull()
      .references(() => traceInfo.traceId),
    runId: text("run_id").notNull(),
  },
  (t) => [primaryKey({ columns: [t.traceId, t.runId] }), index("trace_run_links_run").on(t.runId)],
);

/** Assessments (feedback, expectations) attached to a trace; `content` holds the wire object. */
export const assessments = sqliteTable(
  "assessments",
  {
    assessmentId: text("assessment_id").primaryKey(),
    traceId: text("trace_id")
      .notNull()
      .references(() => traceInfo.traceId),
    name: text("name").notNull(),
    content: text("content").notNull(),
    createTime: integer("create_time").notNull(),
    lastUpdateTime: integer("last_update_time").notNull(),
  },
  (t) => [index("assessments_trace").on(t.traceId)],
);
