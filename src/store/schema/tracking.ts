import { sql } from "drizzle-orm";
import { index, integer, primaryKey, real, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

/**
 * Tracking tables. Names follow MLflow's concepts; NaN is kept as `is_nan` because
 * SQLite stores a NaN REAL as NULL.
 */
export const experiments = sqliteTable("experiments", {
  experimentId: integer("experiment_id").primaryKey({ autoIncrement: true }),
  name: text("name").notNull().unique(),
  artifactLocation: text("artifact_location").notNull(),
  lifecycleStage: text("lifecycle_stage").notNull().default("active"),
  creationTime: integer("creation_time").notNull(),
  lastUpdateTime: integer("last_update_time").notNull(),
});

export const experimentTags = sqliteTable(
  "experiment_tags",
  {
    experimentId: integer("experiment_id")
      .notNull()
      .references(() => experiments.experimentId),
    key: text("key").notNull(),
    value: text("value").notNull(),
  },
  (t) => [primaryKey({ columns: [t.experimentId, t.key] })],
);

export const runs = sqliteTable(
  "runs",
  {
    runId: text("run_id").primaryKey(),
    /**
     * A small integer naming the run inside the database, so each metric point carries
     * a few bytes instead of the 32-character run id: log-batch writes a third fewer bytes.
     */
    runKey: integer("run_key").notNull(),
    experimentId: integer("experiment_id")
      .notNull()
      .references(() => experiments.experimentId),
    name: text("name").notNull(),
    userId: text("user_id").notNull().default(""),
    status: text("status").notNull(),
    startTime: integer("start_time"),
    endTime: integer("end_time"),
    lifecycleStage: text("lifecycle_stage").notNull().default("active"),
    artifactUri: text("artifact_uri").notNull(),
    deletedTime: integer("deleted_time"),
  },
  (t) => [index("runs_experiment_start").on(t.experimentId, t.lifecycleStage, t.startTime), uniqueIndex("runs_run_key").on(t.runKey)],
);

/**
 * Params, run tags and latest metrics are WITHOUT ROWID tables (added by hand in migration
 * 0008) clustered by run, so loading a page of runs reads each run's rows together.
 * `position` keeps each run's insertion order, which MLflow's lists follow.
 */
export const params = sqliteTable(
  "params",
  {
    runId: text("run_id")
      .notNull()
      .references(() => runs.runId),
    key: text("key").notNull(),
    value: text("value").notNull(),
    position: integer("position").notNull(),
  },
  (t) => [primaryKey({ columns: [t.runId, t.key] }), index("params_key_value").on(t.key, t.value)],
);

export const runTags = sqliteTable(
  "run_tags",
  {
    runId: text("run_id")
      .notNull()
      .references(() => runs.runId),
    key: text("key").notNull(),
    value: text("value").notNull(),
    position: integer("position").notNull(),
  },
  (t) => [primaryKey({ columns: [t.runId, t.key] }), index("run_tags_key_value").on(t.key, t.value)],
);

/**
 * Append-only metric history; the primary key deduplicates identical points and, in
 * (run, key, step) order, serves history reads. The table is WITHOUT ROWID (added by
 * hand in migrations 0007 and 0009: drizzle cannot declare it), so a point is one b-tree
 * entry instead of a row plus two index entries. Points linked to a logged model are
 * found through a partial index that unlinked points (nearly all) do not enter.
 */
export const metrics = sqliteTable(
  "metrics",
  {
    runKey: integer("run_key")
      .notNull()
      .references(() => runs.runKey),
    key: text("key").notNull(),
    value: real("value").notNull(),
    isNan: integer("is_nan").notNull().default(0),
    timestamp: integer("timestamp").notNull(),
    step: integer("step").notNull().default(0),
    modelId: text("model_id"),
    datasetName: text("dataset_name"),
    datasetDigest: text("dataset_digest"),
  },
  (t) => [
    primaryKey({ columns: [t.runKey, t.key, t.step, t.timestamp, t.value, t.isNan] }),
    index("metrics_model").on(t.modelId).where(sql`model_id IS NOT NULL`),
  ],
);

/** The latest point per (run, key) by (step, timestamp, value), kept in step with `metrics`. */
export const latestMetrics = sqliteTable(
  "latest_metrics",
  {
    runId: text("run_id")
      .notNull()
      .references(() => runs.runId),
    key: text("key").notNull(),
    value: real("value").notNull(),
    isNan: integer("is_nan").notNull().default(0),
    timestamp: integer("timestamp").notNull(),
    step: integer("step").notNull().default(0),
    position: integer("position").notNull(),
  },
  (t) => [primaryKey({ columns: [t.runId, t.key] }), index("latest_metrics_key_value").on(t.key, t.isNan, t.value)],
);

/** Datasets are shared by the runs of one experiment, deduplicated by (name, digest). */
export const datasets = sqliteTable(
  "datasets",
  {
    datasetId: text("dataset_id").primaryKey(),
    experimentId: integer("experiment_id")
      .notNull()
      .references(() => experiments.experimentId),
    name: text("name").notNull(),
    digest: text("digest").notNull(),
    sourceType: text("source_type").notNull(),
    source: text("source").notNull(),
    schema: text("schema"),
    profile: text("profile"),
  },
  (t) => [uniqueIndex("datasets_experiment_name_digest").on(t.experimentId, t.name, t.digest)],
);

/** A dataset or logged model used as an input of a run. */
export const runInputs = sqliteTable(
  "run_inputs",
  {
    inputId: text("input_id").primaryKey(),
    runId: text("run_id")
      .notNull()
      .references(() => runs.runId),
    sourceType: text("source_type").notNull(),
    sourceId: text("source_id").notNull(),
    position: integer("position").notNull(),
  },
  (t) => [
    uniqueIndex("run_inputs_run_source").on(t.runId, t.sourceType, t.sourceId),
    // search-datasets starts from an experiment's datasets and seeks their inputs.
    index("run_inputs_source").on(t.sourceId),
  ],
);

export const inputTags = sqliteTable(
  "input_tags",
  {
    inputId: text("input_id")
      .notNull()
      .references(() => runInputs.inputId),
    name: text("name").notNull(),
    value: text("value").notNull(),
  },
  (t) => [primaryKey({ columns: [t.inputId, t.name] })],
);

/** Logged models a run produced (`runs/outputs`), with the step they were logged at. */
export const runOutputs = sqliteTable(
  "run_outputs",
  {
    runId: text("run_id")
      .notNull()
      .references(() => runs.runId),
    modelId: text("model_id").notNull(),
    step: integer("step").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.runId, t.modelId] })],
);
