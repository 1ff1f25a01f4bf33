import { and, asc, eq, sql, type SQL } from "drizzle-orm";
import type { OtlpSpan } from "../protocol/otlp";
import type { Assessment, TraceInfo } from "../protocol/traces";
import type { Reader } from "../search/reader";
import { batchable, type Database } from "./db";
import { assessments, traceInfo, traceRequestMetadata, traceRunLinks, traceSpans, traceTags } from "./schema/index";
import { readableExperimentsCondition } from "./permissions";
import { getOrInsert } from "./maps";
import { inJson } from "./sql";

type InfoRow = typeof traceInfo.$inferInsert;
type StringMap = Record<string, string>;

export const ARTIFACT_LOCATION_TAG = "mlflow.artifactLocation";
export const SPANS_LOCATION_TAG = "mlflow.trace.spansLocation";
export const INFO_FINALIZED = "mlflow.trace.infoFinalized";

/** Reads trace infos with their tags, metadata and assessments in one round trip, in `ids` order. */
export async function findTraceInfos(db: Database, ids: string[]): Promise<TraceInfo[]> {
  if (!ids.length) return [];
  const [rows, ...children] = await db.batch([db.select().from(traceInfo).where(inJson(traceInfo.traceId, ids)), ...childQueries(db, ids)]);
  return assemble(ids, rows, ...children);
}

function childQueries(db: Database, ids: string[]) {
  return [
    db.select().from(traceTags).where(inJson(traceTags.traceId, ids)).orderBy(sql`${traceTags}.rowid`),
    db.select().from(traceRequestMetadata).where(inJson(traceRequestMetadata.traceId, ids)).orderBy(sql`${traceRequestMetadata}.rowid`),
    db.select().from(assessments).where(inJson(assessments.traceId, ids)).orderBy(asc(assessments.createTime), asc(assessments.assessmentId)),
  ] as const;
}

function assemble(
  ids: string[],
  rows: (typeof traceInfo.$inferSelect)[],
  tags: (typeof traceTags.$inferSelect)[],
  metadata: (typeof traceRequestMetadata.$inferSelect)[],
  assessmentRows: (typeof assessments.$inferSelect)[],
): TraceInfo[] {
  const byId = new Map<string, TraceInfo>();
  for (const r of rows) byId.set(r.traceId, { ...r, tags: {}, metadata: {}, assessments: [] });
  for (const t of tags) {
    const info = byId.get(t.traceId);
    if (info) info.tags[t.key] = t.value;
  }
  for (const m of metadata) {
    const info = byId.get(m.traceId);
    if (info) info.metadata[m.key] = m.value;
  }
  for (const a of assessmentRows) byId.get(a.traceId)?.assessments.push(toAssessment(a));
  return ids.flatMap((id) => byId.get(id) ?? []);
}

function toAssessment(a: typeof assessments.$inferSelect): Assessment {
  return { assessmentId: a.assessmentId, traceId: a.traceId, content: JSON.parse(a.content), createTime: a.createTime, lastUpdateTime: a.lastUpdateTime };
}

/**
 * Writes a trace info from StartTraceV3: insert, or overwrite what span ingestion
 * created first; tags and metadata are upserted. Returns the stored trace.
 */
export async function upsertTraceInfo(
  db: Database,
  row: Omit<InfoRow, "state"> & { state: string },
  tags: StringMap,
  metadata: StringMap,
  newAssessments: Assessment[],
): Promise<TraceInfo> {
  const { traceId, ...rest } = row;
  const results = await db.batch([
    db.insert(traceInfo).values(row).onConflictDoUpdate({ target: traceInfo.traceId, set: rest }),
    upsertMap(db, "trace_tags", traceId, tags),
    upsertMap(db, "trace_request_metadata", traceId, metadata),
    insertAssessments(db, newAssessments),
    db.select().from(traceInfo).where(eq(traceInfo.traceId, traceId)),
    ...childQueries(db, [traceId]),
  ]);
  const [, , , , rows, t, m, a] = results;
  return assemble([traceId], rows, t, m, a)[0];
}

function upsertMap(db: Database, table: "trace_tags" | "trace_request_metadata", traceId: string, map: StringMap) {
  return batchable(
    db,
    db.run(sql`INSERT INTO ${sql.raw(table)} (trace_id, key, value)
               SELECT ${traceId}, j.key, j.value FROM json_each(${JSON.stringify(map)}) j WHERE true
               ON CONFLICT (trace_id, key) DO UPDATE SET value = excluded.value`),
  );
}

function insertAssessments(db: Database, items: Assessment[]) {
  const rows = items.map((a) => ({
    id: a.assessmentId,
    trace: a.traceId,
    name: String(a.content.assessment_name ?? ""),
    content: JSON.stringify(a.content),
    created: a.createTime,
    updated: a.lastUpdateTime,
  }));
  return batchable(
    db,
    db.run(sql`INSERT INTO assessments (assessment_id, trace_id, name, content, create_time, last_update_time)
               SELECT j.value ->> 'id', j.value ->> 'trace', j.value ->> 'name', j.value ->> 'content', j.value ->> 'created', j.value ->> 'updated'
               FROM json_each(${JSON.stringify(rows)}) j WHERE true
               ON CONFLICT (assessment_id) DO UPDATE SET name = excluded.name, content = excluded.content,
                 last_update_time = excluded.last_update_time WHERE assessments.trace_id = excluded.trace_id`),
  );
}

/**
 * Stores spans received over OTLP in one batch of set-based statements, however many
 * traces they belong to: creates missing trace infos from the span times, widens the
 * time range of traces the client has not finalised, takes the state from a root span
 * while the trace is unfinished, and marks the spans as kept in the tracking store.
 */
export async function logSpans(db: Database, experimentId: number, tracesRoot: string, spans: OtlpSpan[]) {
  const byTrace = new Map<string, OtlpSpan[]>();
  for (const s of spans) getOrInsert(byTrace, s.traceId, () => []).push(s);
  const traces = JSON.stringify([...byTrace].map(([id, group]) => traceSummary(id, group)));
  const t = sql`(SELECT j.value ->> 'id' AS id, j.value ->> 'start' AS start, j.value ->> 'end' AS end_ms, j.value ->> 'state' AS state
                 FROM json_each(${traces}) j)`;
  const finalized = sql`EXISTS (SELECT 1 FROM trace_request_metadata m WHERE m.trace_id = trace_info.trace_id AND m.key = ${INFO_FINALIZED})`;
  const run = (query: SQL) => batchable(db, db.run(query));
  await db.batch([
    run(sql`INSERT INTO trace_info (trace_id, experiment_id, request_time, execution_duration, state)
            SELECT t.id, ${experimentId}, t.start, t.end_ms - t.start, COALESCE(t.state, 'IN_PROGRESS') FROM ${t} t WHERE true
            ON CONFLICT DO NOTHING`),
    run(sql`INSERT INTO trace_tags (trace_id, key, value)
            SELECT t.id, ${ARTIFACT_LOCATION_TAG}, ${tracesRoot} || t.id || '/artifacts' FROM ${t} t WHERE true
            ON CONFLICT DO NOTHING`),
    run(sql`UPDATE trace_info SET
              request_time = MIN(request_time, t.start),
              execution_duration = MAX(request_time + COALESCE(execution_duration, 0), COALESCE(t.end_ms, 0)) - MIN(request_time, t.start)
            FROM ${t} t WHERE trace_info.trace_id = t.id AND NOT ${finalized}`),
    run(sql`UPDATE trace_info SET state = t.state FROM ${t} t
            WHERE trace_info.trace_id = t.id AND t.state IS NOT NULL AND trace_info.state IN ('IN_PROGRESS', 'STATE_UNSPECIFIED')`),
    ...spanChunks(spans).map((rows) =>
      run(sql`INSERT INTO trace_spans (trace_id, span_id, parent_span_id, start_order, content, dict_content)
              SELECT j.value ->> '$[0]', j.value ->> '$[1]', j.value ->> '$[2]', j.value ->> '$[3]', j.value ->> '$[4]', j.value ->> '$[5]'
              FROM json_each(${rows}) j WHERE true
              ON CONFLICT (trace_id, span_id) DO UPDATE SET parent_span_id = excluded.parent_span_id,
                start_order = excluded.start_order, content = excluded.content, dict_content = excluded.dict_content`),
    ),
    run(sql`INSERT INTO trace_tags (trace_id, key, value) SELECT t.id, ${SPANS_LOCATION_TAG}, 'TRACKING_STORE' FROM ${t} t WHERE true
            ON CONFLICT (trace_id, key) DO UPDATE SET value = excluded.value`),
  ]);
}

/** D1 caps one value (here: a statement's JSON parameter) at 2 MB; span rows go in chunks below that. */
const CHUNK_CHARS = 900_000;

function spanChunks(spans: OtlpSpan[]): string[] {
  const chunks: string[][] = [[]];
  let size = 0;
  for (const s of spans) {
    const row = JSON.stringify([s.traceId, s.spanId, s.parentSpanId ?? null, s.startOrder, s.json, s.dictJson]);
    if (size + row.length > CHUNK_CHARS && chunks[chunks.length - 1].length) {
      chunks.push([]);
      size = 0;
    }
    chunks[chunks.length - 1].push(row);
    size += row.length;
  }
  return chunks.map((rows) => `[${rows.join(",")}]`);
}

/** A trace's time range (ms) and, when its root span came, the state the root reports. */
function traceSummary(id: string, group: OtlpSpan[]) {
  const ends = group.flatMap((s) => (s.endMs === undefined ? [] : [s.endMs]));
  const root = group.find((s) => !s.parentSpanId);
  return {
    id,
    start: Math.min(...group.map((s) => s.startMs)),
    end: ends.length ? Math.max(...ends) : null,
    state: root?.state ?? null,
  };
}

export interface StoredSpan {
  json: string;
  dictJson: string;
  root: boolean;
}

/** Stored spans per trace: the root first, then by start time. */
export async function findSpans(db: Database, ids: string[]): Promise<Map<string, StoredSpan[]>> {
  const rows = await db
    .select({ traceId: traceSpans.traceId, content: traceSpans.content, dict: traceSpans.dictContent, parent: traceSpans.parentSpanId })
    .from(traceSpans)
    .where(inJson(traceSpans.traceId, ids))
    .orderBy(asc(traceSpans.traceId), sql`${traceSpans.parentSpanId} IS NOT NULL`, asc(traceSpans.startOrder));
  const out = new Map<string, StoredSpan[]>();
  for (const r of rows) getOrInsert(out, r.traceId, () => []).push({ json: r.content, dictJson: r.dict, root: r.parent === null });
  return out;
}

/** Trace ids of one search page. */
export async function searchTraceIds(
  db: Database,
  q: { experimentIds: number[]; conditions: SQL[]; order: SQL; limit: number; offset: number; reader?: Reader },
): Promise<string[]> {
  const column = sql.raw("ti.experiment_id");
  const readable = q.reader ? [readableExperimentsCondition(column, q.reader.userId, q.reader.defaultReadable)] : [];
  const inExperiments = inJson(column, q.experimentIds);
  const where = sql.join([inExperiments, ...readable, ...q.conditions], sql` AND `);
  const rows = await db.all<{ trace_id: string }>(
    sql`SELECT ti.trace_id FROM trace_info ti WHERE ${where} ORDER BY ${q.order} LIMIT ${q.limit} OFFSET ${q.offset}`,
  );
  return rows.map((r) => r.trace_id);
}

export async function traceExists(db: Database, traceId: string): Promise<boolean> {
  const rows = await db.select({ id: traceInfo.traceId }).from(traceInfo).where(eq(traceInfo.traceId, traceId));
  return rows.length > 0;
}

/** Sets a tag on an existing trace; returns whether the trace exists. */
export async function setTraceTag(db: Database, traceId: string, key: string, value: string): Promise<boolean> {
  const rows = await db.all<{ trace_id: string }>(
    sql`INSERT INTO trace_tags (trace_id, key, value) SELECT trace_id, ${key}, ${value} FROM trace_info WHERE trace_id = ${traceId}
        ON CONFLICT (trace_id, key) DO UPDATE SET value = excluded.value RETURNING trace_id`,
  );
  return rows.length > 0;
}

/** Deletes a tag; returns whether it existed. */
export async function deleteTraceTag(db: Database, traceId: string, key: string): Promise<boolean> {
  const deleted = await db
    .delete(traceTags)
    .where(and(eq(traceTags.traceId, traceId), eq(traceTags.key, key)))
    .returning({ key: traceTags.key });
  return deleted.length > 0;
}

/**
 * Deletes an experiment's traces (the given ones, or the oldest up to a time, at most
 * `maxTraces`) with everything attached to them, in one atomic batch; returns how many.
 * Each statement selects the traces again rather than taking their ids as a parameter,
 * so deleting by age has no size limit (a JSON list of ids is capped at D1's 2 MB per value).
 */
export async function deleteTraces(
  db: Database,
  experimentId: number,
  by: { ids: string[] } | { maxTimestampMillis: number; maxTraces?: number },
): Promise<number> {
  const chosen =
    "ids" in by
      ? sql`SELECT trace_id FROM trace_info WHERE experiment_id = ${experimentId} AND ${inJson(sql.raw("trace_id"), by.ids)}`
      : sql`SELECT trace_id FROM trace_info WHERE experiment_id = ${experimentId} AND request_time <= ${by.maxTimestampMillis}
            ORDER BY request_time, trace_id LIMIT ${by.maxTraces ?? -1}`;
  const [[{ n }]] = await db.batch([
    batchable(db, db.all<{ n: number }>(sql`SELECT count(*) AS n FROM (${chosen})`)),
    ...[traceTags, traceRequestMetadata, traceSpans, traceRunLinks, assessments, traceInfo].map((table) =>
      batchable(db, db.run(sql`DELETE FROM ${table} WHERE trace_id IN (${chosen})`)),
    ),
  ]);
  return n;
}

/** Links the existing ones of the traces to a run. */
export async function linkTracesToRun(db: Database, traceIds: string[], runId: string) {
  await db.run(
    sql`INSERT INTO trace_run_links (trace_id, run_id)
        SELECT trace_id, ${runId} FROM trace_info WHERE ${inJson(sql`trace_id`, traceIds)}
        ON CONFLICT DO NOTHING`,
  );
}

export async function findAssessment(db: Database, traceId: string, assessmentId: string): Promise<Assessment | undefined> {
  const rows = await db
    .select()
    .from(assessments)
    .where(and(eq(assessments.traceId, traceId), eq(assessments.assessmentId, assessmentId)));
  return rows[0] && toAssessment(rows[0]);
}

/** Inserts (or rewrites) an assessment; `invalidate` names one it overrides, which becomes invalid. */
export async function saveAssessment(db: Database, a: Assessment, invalidate?: string) {
  const statements = [insertAssessments(db, [a])];
  if (invalidate) statements.push(setValid(db, a.traceId, invalidate, false));
  await db.batch([statements[0], ...statements.slice(1)]);
}

function setValid(db: Database, traceId: string, assessmentId: string, valid: boolean) {
  return batchable(
    db,
    db.run(sql`UPDATE assessments SET content = json_set(content, '$.valid', json(${valid ? "true" : "false"}))
               WHERE trace_id = ${traceId} AND assessment_id = ${assessmentId}`),
  );
}

/** Deletes an assessment, restoring the one it overrode. */
export async function deleteAssessment(db: Database, a: Assessment) {
  const overridden = typeof a.content.overrides === "string" ? a.content.overrides : undefined;
  const del = db.delete(assessments).where(and(eq(assessments.traceId, a.traceId), eq(assessments.assessmentId, a.assessmentId)));
  await (overridden ? db.batch([del, setValid(db, a.traceId, overridden, true)]) : del);
}
