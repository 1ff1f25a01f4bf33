import { index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { experiments } from "./tracking";

/**
 * MLflow 3 logged models. Their metrics live in the tracking `metrics` table
 * (column `model_id`), written by the runs code when a metric names a model.
 */
export const loggedModels = sqliteTable(
  "logged_models",
  {
    modelId: text("model_id").primaryKey(),
    experimentId: integer("experiment_id")
      .notNull()
      .references(() => experiments.experimentId),
    name: text("name").notNull(),
    artifactUri: text("artifact_uri").notNull(),
    status: text("status").notNull(),
    statusMessage: text("status_message"),
    modelType: text("model_type"),
    sourceRunId: text("source_run_id"),
    creationTimestampMs: integer("creation_timestamp_ms").notNull(),
    lastUpdatedTimestampMs: integer("last_updated_timestamp_ms").notNull(),
    lifecycleStage: text("lifecycle_stage").notNull().default("active"),
  },
  (t) => [index("logged_models_experiment_created").on(t.experimentId, t.lifecycleStage, t.creationTimestampMs)],
);

export const loggedModelTags = sqliteTable(
  "logged_model_tags",
  {
    modelId: text("model_id")
      .notNull()
      .references(() => loggedModels.modelId),
    key: text("key").notNull(),
    value: text("value").notNull(),
  },
  (t) => [primaryKey({ columns: [t.modelId, t.key] })],
);

export const loggedModelParams = sqliteTable(
  "logged_model_params",
  {
    modelId: text("model_id")
      .notNull()
      .references(() => loggedModels.modelId),
    key: text("key").notNull(),
    value: text("value").notNull(),
  },
  (t) => [primaryKey({ columns: [t.modelId, t.key] })],
);
