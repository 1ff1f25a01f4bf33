import { eq, sql, type SQL } from "drizzle-orm";
import { RUN_NAME_TAG, type DatasetInput, type KeyValue, type Metric, type Run, type RunInfo } from "../protocol/runs";
import { batchable, isValueTooBig, type Database } from "./db";
import { nextPosition } from "./sql";
import { experiments, runs, runTags } from "./schema/index";

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
 * Loads whole runs by id, in the order of `runIds` (unknown ids are skipped).
 *
 * @example
 * const [run] = await loadRuns(db, [runId]);
 */
export const loadRuns = (db: Database, runIds: readonly string[]): Promise<Run[]> =>
  runIds.length === 0 ? Promise.resolve([]) : readRuns(db, sql`SELECT key AS n, value AS run_id FROM json_each(${JSON.stringify(runIds)})`);

/**
 * Whole runs (info, latest metrics, params, tags, inputs, outputs) of the runs `page`
 * selects (`n` and `run_id`; unknown ids are skipped), in order of `n`, in ONE statement
 * and one D1 round trip. A run's info, params, tags, inputs and outputs travel as JSON
 * (text and integers, which JSON carries exactly); its latest metrics as rows of their
 * own, since SQLite's JSON prints a double to 15 digits only. A run whose lists pass D1's
 * 2 MB limit on one value cannot travel as JSON: then the page is read again as rows.
 *
 * @example
 * await readRuns(db, sql`SELECT key AS n, value AS run_id FROM json_each(${ids})`) // as loadRuns does
 */
export async function readRuns(db: Database, page: SQL): Promise<Run[]> {
  try {
    return [...runsByN(await db.all<RunRow>(runsAsJson(page))).values()];
  } catch (err) {
    if (!isValueTooBig(err)) throw err;
    return readRunsAsRows(db, page);
  }
}

/** `RunInfo`'s fields, in the order of the JSON array that carries a run's info. */
const INFO_FIELDS = Object.entries(infoColumns);
const INFO_JSON = sql.raw(`json_array(${INFO_FIELDS.map(([, column]) => `r.${column.name}`).join(", ")})`);

const toRunInfo = (values: unknown[]) => Object.fromEntries(INFO_FIELDS.map(([field], i) => [field, values[i]])) as unknown as RunInfo;

/** A run's params or tags as `[key, value, position]` triples: sorting them here costs less than in SQLite. */
const keyValues = (table: string) =>
  sql.raw(`(SELECT json_group_array(json_array(x.key, x.value, x.position)) FROM ${table} x WHERE x.run_id = page.run_id)`);

function pushInOrder(list: KeyValue[], json: string) {
  const items = (JSON.parse(json) as [string, string, number][]).sort((a, b) => a[2] - b[2]);
  for (const [key, value] of items) list.push({ key, value });
}

const INPUT_TAGS = sql.raw("(SELECT json_group_array(json_array(t.name, t.value) ORDER BY t.name) FROM input_tags t WHERE t.input_id = i.input_id)");
/** An input with its dataset's columns (named as `InputRow` names them) and its tags. */
const INPUT_JSON = sql`json_object('inputId', i.input_id, 'sourceType', i.source_type, 'sourceId', i.source_id, 'name', d.name,
  'digest', d.digest, 'datasetSourceType', d.source_type, 'source', d.source, 'schema', d.schema, 'profile', d.profile, 'tags', ${INPUT_TAGS})`;
const INPUTS_FROM = sql.raw("run_inputs i LEFT JOIN datasets d ON d.dataset_id = i.source_id WHERE i.run_id = page.run_id");
const OUTPUTS = sql.raw("(SELECT json_group_array(json_array(o.model_id, o.step) ORDER BY o.rowid) FROM run_outputs o WHERE o.run_id = page.run_id)");

const withPage = (page: SQL, select: SQL) => sql`WITH page AS MATERIALIZED (${page}) ${select}`;

/**
 * One row per run (`position` null; a to e as JSON: info in `INFO_FIELDS` order, the
 * `lists` params, tags and inputs, then outputs), then one per latest metric (a to e:
 * key, value, is_nan, timestamp, step). The page keeps only ids, so its sort moves little.
 */
const runsWithMetrics = (lists: { params: SQL; tags: SQL; inputs: SQL }) =>
  sql`SELECT n, NULL AS position, ${INFO_JSON} AS a, ${lists.params} AS b, ${lists.tags} AS c, ${lists.inputs} AS d, ${OUTPUTS} AS e
    FROM page JOIN runs r ON r.run_id = page.run_id
    UNION ALL SELECT n, m.position, m.key, m.value, m.is_nan, m.timestamp, m.step FROM page JOIN latest_metrics m ON m.run_id = page.run_id
    ORDER BY n, position`;

const runsAsJson = (page: SQL) =>
  withPage(
    page,
    runsWithMetrics({
      params: keyValues("params"),
      tags: keyValues("run_tags"),
      inputs: sql`(SELECT json_group_array(${INPUT_JSON} ORDER BY i.position) FROM ${INPUTS_FROM})`,
    }),
  );

type Cell = string | number | null;
interface RunRow {
  n: number;
  position: number | null;
  a: Cell;
  b: Cell;
  c: Cell;
  d: Cell;
  e: Cell;
}

interface InputRow {
  inputId: string;
  sourceType: string;
  sourceId: string;
  name: string | null;
  digest: string | null;
  datasetSourceType: string | null;
  source: string | null;
  schema: string | null;
  profile: string | null;
  tags: [string, string][];
}

/** Runs by their `n`, in row order. */
function runsByN(rows: RunRow[]): Map<number, Run> {
  const runs = new Map<number, Run>();
  for (const row of rows) {
    if (row.position === null) {
      const run = emptyRun(toRunInfo(JSON.parse(row.a as string)));
      pushInOrder(run.params, row.b as string);
      pushInOrder(run.tags, row.c as string);
      for (const input of JSON.parse(row.d as string) as InputRow[]) addInput(run, input);
      for (const [modelId, step] of JSON.parse(row.e as string) as [string, number][]) run.modelOutputs.push({ modelId, step });
      runs.set(row.n, run);
    } else {
      runs.get(row.n)?.metrics.push(toMetric({ key: row.a as string, value: row.b as number, isNan: row.c as number, timestamp: row.d as number, step: row.e as number }));
    }
  }
  return runs;
}

const emptyRun = (info: RunInfo): Run => ({ info, metrics: [], params: [], tags: [], datasetInputs: [], modelInputs: [], modelOutputs: [] });

function addInput(run: Run, input: InputRow) {
  if (input.sourceType === "MODEL") run.modelInputs.push(input.sourceId);
  else if (input.name !== null) run.datasetInputs.push(toDatasetInput(input));
}

/**
 * The page as rows, one statement per list, each computing the page again: only for runs
 * whose lists are too big for one JSON value, so simplicity beats speed here.
 */
async function readRunsAsRows(db: Database, page: SQL): Promise<Run[]> {
  const rows = (select: SQL) => batchable(db, db.all(withPage(page, select)));
  const keyValueRows = (table: string) =>
    rows(sql`SELECT n, x.key, x.value FROM page JOIN ${sql.raw(table)} x ON x.run_id = page.run_id ORDER BY n, x.position`);
  const none = sql.raw("'[]'");
  const [runRows, params, tags, inputs] = await db.batch([
    rows(runsWithMetrics({ params: none, tags: none, inputs: none })),
    keyValueRows("params"),
    keyValueRows("run_tags"),
    rows(sql`SELECT n, i.input_id AS inputId, i.source_type AS sourceType, i.source_id AS sourceId, d.name, d.digest,
      d.source_type AS datasetSourceType, d.source, d.schema, d.profile, ${INPUT_TAGS} AS tags
      FROM page JOIN ${INPUTS_FROM} ORDER BY n, i.position`),
  ]);
  const byN = runsByN(runRows as RunRow[]);
  for (const p of params as KeyValueRow[]) byN.get(p.n)?.params.push({ key: p.key, value: p.value });
  for (const t of tags as KeyValueRow[]) byN.get(t.n)?.tags.push({ key: t.key, value: t.value });
  for (const i of inputs as (InputRow & { n: number; tags: string })[]) {
    const run = byN.get(i.n);
    if (run) addInput(run, { ...i, tags: JSON.parse(i.tags) });
  }
  return [...byN.values()];
}

type KeyValueRow = { n: number; key: string; value: string };

/** Stored metric values: NaN is kept as a flag because SQLite stores a NaN REAL as NULL. */
export function toMetric(row: { key: string; value: number; isNan: number; timestamp: number; step: number }): Metric {
  return { key: row.key, value: row.isNan ? NaN : row.value, timestamp: row.timestamp, step: row.step };
}

function toDatasetInput(input: InputRow): DatasetInput {
  const dataset: DatasetInput["dataset"] = { name: input.name ?? "", digest: input.digest ?? "", source_type: input.datasetSourceType ?? "", source: input.source ?? "" };
  if (input.schema !== null) dataset.schema = input.schema;
  if (input.profile !== null) dataset.profile = input.profile;
  return { tags: input.tags.map(([key, value]) => ({ key, value })), dataset };
}

/**
 * Inserts a run with its tags in ONE atomic batch, under its experiment's artifact location
 * and only while that experiment is active; the run takes the next run key. Returns the
 * experiment's lifecycle stage (undefined when there is no such experiment) and, when the
 * run was written, its artifact URI.
 */
export async function insertRun(db: Database, run: Omit<RunInfo, "artifactUri">, tags: KeyValue[]) {
  const [[experiment], inserted] = await db.batch([
    db.select({ stage: experiments.lifecycleStage }).from(experiments).where(eq(experiments.experimentId, run.experimentId)),
    batchable(
      db,
      db.all<{ artifact_uri: string }>(sql`INSERT INTO runs (run_id, run_key, experiment_id, name, user_id, status, start_time, end_time, lifecycle_stage, artifact_uri)
        SELECT ${run.runId}, (SELECT coalesce(max(run_key), 0) + 1 FROM runs), e.experiment_id, ${run.name}, ${run.userId}, ${run.status},
               ${run.startTime}, ${run.endTime}, ${run.lifecycleStage}, e.artifact_location || '/' || ${run.runId} || '/artifacts'
        FROM experiments e WHERE e.experiment_id = ${run.experimentId} AND e.lifecycle_stage = 'active'
        RETURNING artifact_uri`),
    ),
    batchable(
      db,
      db.run(sql`INSERT INTO run_tags (run_id, key, value, position)
                 SELECT ${run.runId}, j.value ->> '$[0]', j.value ->> '$[1]', j.key
                 FROM json_each(${JSON.stringify(tags.map((t) => [t.key, t.value]))}) j
                 WHERE EXISTS (SELECT 1 FROM runs WHERE run_id = ${run.runId})`),
    ),
  ]);
  return { experimentStage: experiment?.stage, artifactUri: inserted[0]?.artifact_uri };
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
