import { eq, sql } from "drizzle-orm";
import { RUN_NAME_TAG, type DatasetInput, type KeyValue, type Metric, type Run, type RunInfo } from "../protocol/runs";
import { batchable, type Database } from "./db";
import { inJson, nextPosition } from "./sql";
import { datasets, inputTags, latestMetrics, params, runInputs, runOutputs, runs, runTags } from "./schema/index";

export const infoColumns = {
  runId: runs.runId,
  experimentId: runs.experimentId,
  name: runs.name,
  userId: runs.userId,
  status: runs.status,
  startTime: runs.startTime,
  endTime: runs.endTime,
  artifactUri: runs.artifactUri,
  lifecycleStage: runs.lifecycleStage,
};

export async function findRunInfo(db: Database, runId: string): Promise<RunInfo | undefined> {
  const rows = await db.select(infoColumns).from(runs).where(eq(runs.runId, runId));
  return rows[0];
}

/**
 * Loads whole runs (info, latest metrics, params, tags, inputs, outputs) in one D1
 * batch, returned in the order of `runIds`. Lists keep insertion order, as MLflow's do.
 */
export async function loadRuns(db: Database, runIds: readonly string[]): Promise<Run[]> {
  if (runIds.length === 0) return [];
  const [infos, ...data] = await db.batch([db.select(infoColumns).from(runs).where(inJson(runs.runId, runIds)), ...runDataQueries(db, runIds)]);
  const byId = new Map(infos.map((info) => [info.runId, info]));
  return assembleRuns(runIds.flatMap((id) => byId.get(id) ?? []), data);
}

/** Completes runs whose info is already read (a search page) with their data, in one D1 batch. */
export async function loadRunData(db: Database, infos: readonly RunInfo[]): Promise<Run[]> {
  if (infos.length === 0) return [];
  return assembleRuns(infos, await readRunData(db, infos.map((i) => i.runId)));
}

const readRunData = (db: Database, runIds: readonly string[]) => db.batch(runDataQueries(db, runIds));

function runDataQueries(db: Database, runIds: readonly string[]) {
  return [
    // Raw SQL with the row's final names: a search page maps a thousand of these.
    batchable(
      db,
      db.all<{ runId: string; key: string; value: number; isNan: number; timestamp: number; step: number }>(sql`SELECT run_id AS runId, key, value,
          is_nan AS isNan, timestamp, step FROM latest_metrics WHERE ${inJson(latestMetrics.runId, runIds)} ORDER BY run_id, position`),
    ),
    keyValuesByRun(db, params, runIds),
    keyValuesByRun(db, runTags, runIds),
    db
      .select({
        runId: runInputs.runId,
        inputId: runInputs.inputId,
        sourceType: runInputs.sourceType,
        sourceId: runInputs.sourceId,
        // Aliased: D1 batch results are keyed by column name, and both tables have `source_type`.
        name: datasets.name,
        digest: datasets.digest,
        datasetSourceType: sql<string>`${datasets.sourceType}`.as("dataset_source_type"),
        source: datasets.source,
        schema: datasets.schema,
        profile: datasets.profile,
      })
      .from(runInputs)
      .leftJoin(datasets, eq(datasets.datasetId, runInputs.sourceId))
      .where(inJson(runInputs.runId, runIds))
      .orderBy(runInputs.position),
    db
      .select({ inputId: inputTags.inputId, key: inputTags.name, value: inputTags.value })
      .from(inputTags)
      .innerJoin(runInputs, eq(runInputs.inputId, inputTags.inputId))
      .where(inJson(runInputs.runId, runIds))
      .orderBy(inputTags.inputId, inputTags.name),
    db.select().from(runOutputs).where(inJson(runOutputs.runId, runIds)).orderBy(sql`${runOutputs}.rowid`),
  ] as const;
}

type RunDataRows = Awaited<ReturnType<typeof readRunData>>;

/**
 * A run's params or tags as one JSON array per run, in insertion order: a search page
 * of 500 runs then moves 500 rows out of D1 instead of thousands. (Values are text, so
 * JSON carries them exactly; metric values are doubles, which SQLite's JSON would round.)
 */
function keyValuesByRun(db: Database, table: typeof params | typeof runTags, runIds: readonly string[]) {
  return batchable(
    db,
    db.all<{ run_id: string; items: string }>(sql`SELECT run_id, json_group_array(json_array(key, value) ORDER BY position) AS items
      FROM ${table} WHERE ${inJson(table.runId, runIds)} GROUP BY run_id`),
  );
}

function pushKeyValues(byRun: Map<string, Run>, rows: { run_id: string; items: string }[], list: "params" | "tags") {
  for (const row of rows) {
    const run = byRun.get(row.run_id);
    if (run) for (const [key, value] of JSON.parse(row.items) as [string, string][]) run[list].push({ key, value });
  }
}

function assembleRuns(infos: readonly RunInfo[], [metricRows, paramRows, tagRows, inputRows, inputTagRows, outputRows]: RunDataRows): Run[] {
  const byRun = new Map<string, Run>();
  for (const info of infos) {
    byRun.set(info.runId, { info, metrics: [], params: [], tags: [], datasetInputs: [], modelInputs: [], modelOutputs: [] });
  }
  for (const m of metricRows) byRun.get(m.runId)?.metrics.push(toMetric(m));
  pushKeyValues(byRun, paramRows, "params");
  pushKeyValues(byRun, tagRows, "tags");
  const tagsByInput = groupBy(inputTagRows, (t) => t.inputId);
  for (const i of inputRows) {
    const run = byRun.get(i.runId);
    if (!run) continue;
    if (i.sourceType === "MODEL") run.modelInputs.push(i.sourceId);
    else if (i.name !== null) run.datasetInputs.push(toDatasetInput(i, tagsByInput.get(i.inputId) ?? []));
  }
  for (const o of outputRows) byRun.get(o.runId)?.modelOutputs.push({ modelId: o.modelId, step: o.step });
  return [...byRun.values()];
}

/** Stored metric values: NaN is kept as a flag because SQLite stores a NaN REAL as NULL. */
export function toMetric(row: { key: string; value: number; isNan: number; timestamp: number; step: number }): Metric {
  return { key: row.key, value: row.isNan ? NaN : row.value, timestamp: row.timestamp, step: row.step };
}

type DatasetRow = { name: string | null; digest: string | null; datasetSourceType: string; source: string | null; schema: string | null; profile: string | null };

function toDatasetInput(d: DatasetRow, tags: { key: string; value: string }[]): DatasetInput {
  const dataset: DatasetInput["dataset"] = { name: d.name ?? "", digest: d.digest ?? "", source_type: d.datasetSourceType, source: d.source ?? "" };
  if (d.schema !== null) dataset.schema = d.schema;
  if (d.profile !== null) dataset.profile = d.profile;
  return { tags: tags.map(({ key, value }) => ({ key, value })), dataset };
}

function groupBy<T>(items: T[], key: (t: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    out.set(k, [...(out.get(k) ?? []), item]);
  }
  return out;
}

/** Inserts a run with its tags in one atomic batch. */
export async function insertRun(db: Database, info: RunInfo, tags: KeyValue[]) {
  await db.batch([
    db.insert(runs).values(info),
    batchable(
      db,
      db.run(sql`INSERT INTO run_tags (run_id, key, value, position)
                 SELECT ${info.runId}, j.value ->> '$[0]', j.value ->> '$[1]', j.key
                 FROM json_each(${JSON.stringify(tags.map((t) => [t.key, t.value]))}) j`),
    ),
  ]);
}

/** Applies an update-run: changed fields, and the run name mirrored into `mlflow.runName`. */
export async function updateRun(
  db: Database,
  runId: string,
  changes: { status?: string; endTime?: number; name?: string },
): Promise<RunInfo> {
  const set: Partial<typeof runs.$inferInsert> = {};
  if (changes.status !== undefined) set.status = changes.status;
  if (changes.endTime !== undefined) set.endTime = changes.endTime;
  if (changes.name !== undefined) set.name = changes.name;
  const update = db.update(runs).set(set).where(eq(runs.runId, runId)).returning(infoColumns);
  if (changes.name === undefined) return (await update)[0];
  const [updated] = await db.batch([update, upsertTag(db, runId, RUN_NAME_TAG, changes.name)]);
  return updated[0];
}

function upsertTag(db: Database, runId: string, key: string, value: string) {
  return db
    .insert(runTags)
    .values({ runId, key, value, position: nextPosition("run_tags", runId) })
    .onConflictDoUpdate({ target: [runTags.runId, runTags.key], set: { value } });
}

export async function setRunLifecycle(db: Database, runId: string, stage: "active" | "deleted", now: number) {
  await db
    .update(runs)
    .set({ lifecycleStage: stage, deletedTime: stage === "deleted" ? now : null })
    .where(eq(runs.runId, runId));
}
