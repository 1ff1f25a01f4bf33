import { and, asc, eq, isNotNull, sql, type SQL } from "drizzle-orm";
import { alias } from "drizzle-orm/sqlite-core";
import type { LoggedModel, LoggedModelMetric } from "../protocol/logged-models";
import type { Reader } from "../search/reader";
import { batchable, type Database } from "./db";
import { loggedModelParams, loggedModels, loggedModelTags, metrics, runs } from "./schema/index";
import { readableExperimentsCondition } from "./permissions";
import { inJson } from "./sql";

type KeyValue = { key: string; value: string };
type ModelRow = typeof loggedModels.$inferSelect;

/** The search query's alias, which the compiled filter and order refer to. */
const lm = alias(loggedModels, "lm");

/** Inserts a model with its params and tags in one atomic batch. */
export async function insertLoggedModel(db: Database, row: ModelRow, params: KeyValue[], tags: KeyValue[]) {
  await db.batch([
    db.insert(loggedModels).values(row),
    upsertKeyValues(db, "logged_model_params", row.modelId, params),
    upsertKeyValues(db, "logged_model_tags", row.modelId, tags),
  ]);
}

/** Upserts key/value rows of one model from a single JSON parameter. */
function upsertKeyValues(db: Database, table: "logged_model_params" | "logged_model_tags", modelId: string, rows: KeyValue[]) {
  return batchable(
    db,
    db.run(sql`INSERT INTO ${sql.raw(table)} (model_id, key, value)
               SELECT ${modelId}, j.value ->> 'key', j.value ->> 'value' FROM json_each(${JSON.stringify(rows)}) j WHERE true
               ON CONFLICT (model_id, key) DO UPDATE SET value = excluded.value`),
  );
}

/** One model with its tags, params and metrics, in one round trip. */
export async function findLoggedModel(db: Database, modelId: string): Promise<LoggedModel | undefined> {
  const [rows, tags, params, points] = await db.batch([
    db.select().from(loggedModels).where(eq(loggedModels.modelId, modelId)),
    ...childQueries(db, [modelId]),
  ]);
  return rows[0] && assemble([rows[0]], tags, params, points)[0];
}

/** A page of models matching `conditions`, in `order`, with their children. */
export async function searchLoggedModels(
  db: Database,
  q: { experimentIds: number[]; conditions: SQL[]; order: SQL; limit: number; offset: number; reader?: Reader },
): Promise<LoggedModel[]> {
  const readable = q.reader ? [readableExperimentsCondition(lm.experimentId, q.reader.userId, q.reader.defaultReadable)] : [];
  const rows = await db
    .select()
    .from(lm)
    .where(and(inJson(lm.experimentId, q.experimentIds), eq(lm.lifecycleStage, "active"), ...readable, ...q.conditions))
    .orderBy(q.order)
    .limit(q.limit)
    .offset(q.offset);
  if (!rows.length) return [];
  const [tags, params, points] = await db.batch(childQueries(db, rows.map((r) => r.modelId)));
  return assemble(rows, tags, params, points);
}

function childQueries(db: Database, ids: string[]) {
  return [
    db
      .select()
      .from(loggedModelTags)
      .where(inJson(loggedModelTags.modelId, ids))
      .orderBy(asc(loggedModelTags.key)),
    db
      .select()
      .from(loggedModelParams)
      .where(inJson(loggedModelParams.modelId, ids))
      .orderBy(asc(loggedModelParams.key)),
    db
      .select({
        modelId: metrics.modelId,
        key: metrics.key,
        value: metrics.value,
        isNan: metrics.isNan,
        timestamp: metrics.timestamp,
        step: metrics.step,
        runId: runs.runId,
        datasetName: metrics.datasetName,
        datasetDigest: metrics.datasetDigest,
      })
      .from(metrics)
      .innerJoin(runs, eq(runs.runKey, metrics.runKey))
      .where(and(isNotNull(metrics.modelId), inJson(metrics.modelId, ids)))
      // The metrics table has no insertion order (WITHOUT ROWID): points come in logging-time order.
      .orderBy(metrics.timestamp, metrics.step, metrics.key, runs.runId),
  ] as const;
}

function assemble(
  rows: ModelRow[],
  tags: (KeyValue & { modelId: string })[],
  params: (KeyValue & { modelId: string })[],
  points: (Omit<LoggedModelMetric, "value"> & { modelId: string | null; value: number; isNan: number })[],
): LoggedModel[] {
  const byId = new Map<string, LoggedModel>();
  for (const r of rows) byId.set(r.modelId, { ...r, tags: [], params: [], metrics: [] });
  for (const t of tags) byId.get(t.modelId)?.tags.push({ key: t.key, value: t.value });
  for (const p of params) byId.get(p.modelId)?.params.push({ key: p.key, value: p.value });
  for (const { modelId, isNan, ...m } of points) {
    byId.get(modelId ?? "")?.metrics.push({ ...m, value: isNan ? NaN : m.value });
  }
  return [...byId.values()];
}

export async function updateLoggedModel(
  db: Database,
  modelId: string,
  set: Partial<Pick<ModelRow, "status" | "statusMessage" | "lifecycleStage" | "lastUpdatedTimestampMs">>,
) {
  await db.update(loggedModels).set(set).where(eq(loggedModels.modelId, modelId));
}

export async function setLoggedModelTags(db: Database, modelId: string, tags: KeyValue[]) {
  await upsertKeyValues(db, "logged_model_tags", modelId, tags);
}

export async function logLoggedModelParams(db: Database, modelId: string, params: KeyValue[]) {
  await upsertKeyValues(db, "logged_model_params", modelId, params);
}

/** Deletes one tag; returns whether it existed. */
export async function deleteLoggedModelTag(db: Database, modelId: string, key: string): Promise<boolean> {
  const deleted = await db
    .delete(loggedModelTags)
    .where(and(eq(loggedModelTags.modelId, modelId), eq(loggedModelTags.key, key)))
    .returning({ key: loggedModelTags.key });
  return deleted.length > 0;
}
