import { sql, type SQL } from "drizzle-orm";
import { invalidParameter } from "../protocol/errors";
import { splitIdentifier, trimBackticks } from "./identifier";
import { type Clause, parseFilter, parseOrderBy } from "./parser";
import { compareNumber, compareString } from "./sql";
import { stringTest } from "./string-tests";
import { comparator, NUMERIC_OPS, numeric } from "./terms";

/**
 * `traces/search` filters over `trace_info ti` (MLflow's SearchTraceUtils) on the
 * shared filter parser: trace attributes, tags, request metadata and the name, type
 * and status of stored spans; span attributes/content, assessments and full-text
 * search are refused.
 */
const VALID_ENTITIES = ["trace", "attribute", "attributes", "tag", "tags", "metadata", "request_metadata", "span", "feedback", "expectation", "issue"];
const UNSUPPORTED_ENTITIES = new Set(["feedback", "expectation", "issue"]);

const STRING_ATTRIBUTES: Record<string, string> = {
  request_id: "ti.trace_id",
  trace_id: "ti.trace_id",
  status: "ti.state",
  state: "ti.state",
  client_request_id: "COALESCE(ti.client_request_id, '')",
  request_preview: "COALESCE(ti.request_preview, '')",
  response_preview: "COALESCE(ti.response_preview, '')",
};
const NUMERIC_ATTRIBUTES: Record<string, string> = {
  timestamp_ms: "ti.request_time",
  timestamp: "ti.request_time",
  request_time: "ti.request_time",
  execution_time_ms: "ti.execution_duration",
  execution_duration: "ti.execution_duration",
  end_time_ms: "(ti.request_time + ti.execution_duration)",
};
/** Attributes MLflow keeps elsewhere: the trace name is a tag, the run id metadata. */
const TAG_ATTRIBUTES: Record<string, string> = { name: "mlflow.traceName" };
const SOURCE_RUN = "mlflow.sourceRun";

/** Span fields as MLflow names them, read from the stored span JSON. */
const SPAN_FIELDS: Record<string, SQL> = {
  name: sql.raw("json_extract(s.content, '$.name')"),
  type: sql.raw(
    "(SELECT json_extract(a.value, '$.value.string_value') FROM json_each(s.content, '$.attributes') a WHERE json_extract(a.value, '$.key') = 'mlflow.spanType')",
  ),
  status: sql.raw(
    "CASE json_extract(s.content, '$.status.code') WHEN 'STATUS_CODE_OK' THEN 'OK' WHEN 'STATUS_CODE_ERROR' THEN 'ERROR' ELSE 'UNSET' END",
  ),
};

/**
 * WHERE conditions for a trace filter.
 *
 * @example
 * traceConditions("trace.status = 'OK' AND tags.reviewed = 'yes'")
 */
export function traceConditions(filter: string | undefined): SQL[] {
  return parseFilter(filter).map(condition);
}

function condition(clause: Clause): SQL {
  const { entity: written, key } = splitIdentifier(clause.identifier);
  const entity = written === undefined ? "attributes" : trimBackticks(written).toLowerCase();
  if (!VALID_ENTITIES.includes(entity)) {
    throw invalidParameter(`Invalid entity type '${written}'. Valid values are {${VALID_ENTITIES.map((e) => `'${e}'`).join(", ")}}`);
  }
  if (UNSUPPORTED_ENTITIES.has(entity)) {
    throw invalidParameter(`Filtering traces by '${entity}.' is not supported by this server.`);
  }
  if (entity === "tag" || entity === "tags") return keyValueCondition("trace_tags", key, clause);
  if (entity === "metadata" || entity === "request_metadata") return keyValueCondition("trace_request_metadata", key, clause);
  if (entity === "span") return spanCondition(key, clause);
  return attributeCondition(key.toLowerCase(), clause);
}

function attributeCondition(key: string, clause: Clause): SQL {
  if (key in NUMERIC_ATTRIBUTES) {
    const value = numeric(clause.value, `Expected a numeric value for attribute '${key}' but got `);
    return compareNumber(sql.raw(NUMERIC_ATTRIBUTES[key]), { op: comparator(clause, NUMERIC_OPS), value });
  }
  if (key in STRING_ATTRIBUTES) return compareString(sql.raw(STRING_ATTRIBUTES[key]), stringTest(clause));
  if (key in TAG_ATTRIBUTES) return keyValueCondition("trace_tags", TAG_ATTRIBUTES[key], clause);
  if (key === "run_id") return runCondition(clause);
  throw invalidParameter(`Invalid attribute key '${key}' for trace search.`);
}

/** Tags and metadata: a missing key matches only IS NULL. */
function keyValueCondition(table: "trace_tags" | "trace_request_metadata", key: string, clause: Clause): SQL {
  const t = sql.raw(table);
  if (clause.comparator === "IS NULL") return sql`NOT EXISTS (SELECT 1 FROM ${t} x WHERE x.trace_id = ti.trace_id AND x.key = ${key})`;
  if (clause.comparator === "IS NOT NULL") return sql`EXISTS (SELECT 1 FROM ${t} x WHERE x.trace_id = ti.trace_id AND x.key = ${key})`;
  const cmp = compareString(sql.raw("x.value"), stringTest(clause));
  return sql`EXISTS (SELECT 1 FROM ${t} x WHERE x.trace_id = ti.trace_id AND x.key = ${key} AND ${cmp})`;
}

/** A trace belongs to a run through its `mlflow.sourceRun` metadata or a link-to-run. */
function runCondition(clause: Clause): SQL {
  const byMetadata = sql`SELECT x.value AS run_id FROM trace_request_metadata x WHERE x.trace_id = ti.trace_id AND x.key = ${SOURCE_RUN}`;
  const byLink = sql`SELECT l.run_id FROM trace_run_links l WHERE l.trace_id = ti.trace_id`;
  const cmp = compareString(sql.raw("r.run_id"), stringTest(clause));
  return sql`EXISTS (SELECT 1 FROM (${byMetadata} UNION ALL ${byLink}) r WHERE ${cmp})`;
}

/** A trace matches when any of its stored spans does. */
function spanCondition(key: string, clause: Clause): SQL {
  const field = SPAN_FIELDS[key.toLowerCase()];
  if (!field) throw invalidParameter(`Filtering traces by 'span.${key}' is not supported by this server; use span.name, span.type or span.status.`);
  return sql`EXISTS (SELECT 1 FROM trace_spans s WHERE s.trace_id = ti.trace_id AND ${compareString(field, stringTest(clause))})`;
}

const ORDER_KEYS: Record<string, string> = {
  timestamp_ms: "ti.request_time",
  timestamp: "ti.request_time",
  request_time: "ti.request_time",
  execution_time_ms: "ti.execution_duration",
  execution_duration: "ti.execution_duration",
  status: "ti.state",
  state: "ti.state",
  request_id: "ti.trace_id",
  trace_id: "ti.trace_id",
  client_request_id: "ti.client_request_id",
};
const ORDER_ENTITIES = new Set(["trace", "attribute", "attributes"]);

/**
 * ORDER BY for `order_by` entries like "timestamp_ms DESC"; default newest first,
 * trace id as the tie-break.
 *
 * @example
 * traceOrder(["timestamp_ms ASC"])
 */
export function traceOrder(orderBy: string[] = []): SQL {
  const terms: string[] = [];
  const seen = new Set<string>();
  for (const entry of orderBy) {
    const { identifier, ascending } = parseOrderBy(entry);
    const { entity, key } = splitIdentifier(identifier);
    const column = entity === undefined || ORDER_ENTITIES.has(entity.toLowerCase()) ? ORDER_KEYS[key.toLowerCase()] : undefined;
    if (!column) throw invalidParameter(`Invalid order_by clause '${entry}'.`);
    if (seen.has(column)) throw invalidParameter(`order_by contains duplicate fields: ${orderBy.join(", ")}`);
    seen.add(column);
    terms.push(`${column} ${ascending ? "ASC" : "DESC"}`);
  }
  if (!seen.has("ti.request_time")) terms.push("ti.request_time DESC");
  if (!seen.has("ti.trace_id")) terms.push("ti.trace_id ASC");
  return sql.raw(terms.join(", "));
}
