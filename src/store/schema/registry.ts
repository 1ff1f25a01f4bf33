import { foreignKey, index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";

/**
 * Model registry tables. Children reference their registered model with ON UPDATE/DELETE
 * CASCADE, so a rename or a hard delete of a model is one statement that D1 applies to
 * versions, tags and aliases atomically.
 */
export const registeredModels = sqliteTable("registered_models", {
  name: text("name").primaryKey(),
  creationTime: integer("creation_time").notNull(),
  lastUpdatedTime: integer("last_updated_time").notNull(),
  description: text("description"),
});

const byModel = { onUpdate: "cascade", onDelete: "cascade" } as const;

export const registeredModelTags = sqliteTable(
  "registered_model_tags",
  {
    name: text("name")
      .notNull()
      .references(() => registeredModels.name, byModel),
    key: text("key").notNull(),
    value: text("value").notNull(),
  },
  (t) => [primaryKey({ columns: [t.name, t.key] }), index("registered_model_tags_key_value").on(t.key, t.value)],
);

export const registeredModelAliases = sqliteTable(
  "registered_model_aliases",
  {
    name: text("name")
      .notNull()
      .references(() => registeredModels.name, byModel),
    alias: text("alias").notNull(),
    version: integer("version").notNull(),
  },
  (t) => [primaryKey({ columns: [t.name, t.alias] })],
);

/**
 * Versions are soft-deleted (stage `Deleted_Internal`) so their numbers are never reused.
 * `storage_location` is where the artifacts really are (a logged model's artifact URI for a
 * `models:/m-…` source); get-download-uri answers it, falling back to `source`.
 */
export const modelVersions = sqliteTable(
  "model_versions",
  {
    name: text("name")
      .notNull()
      .references(() => registeredModels.name, byModel),
    version: integer("version").notNull(),
    creationTime: integer("creation_time").notNull(),
    lastUpdatedTime: integer("last_updated_time").notNull(),
    description: text("description").notNull().default(""),
    userId: text("user_id"),
    currentStage: text("current_stage").notNull().default("None"),
    source: text("source").notNull(),
    storageLocation: text("storage_location"),
    runId: text("run_id").notNull().default(""),
    runLink: text("run_link").notNull().default(""),
    status: text("status").notNull().default("READY"),
    statusMessage: text("status_message"),
  },
  (t) => [
    primaryKey({ columns: [t.name, t.version] }),
    index("model_versions_run_id").on(t.runId),
    index("model_versions_last_updated").on(t.lastUpdatedTime),
  ],
);

export const modelVersionTags = sqliteTable(
  "model_version_tags",
  {
    name: text("name").notNull(),
    version: integer("version").notNull(),
    key: text("key").notNull(),
    value: text("value").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.name, t.version, t.key] }),
    foreignKey({ columns: [t.name, t.version], foreignColumns: [modelVersions.name, modelVersions.version] })
      .onUpdate("cascade")
      .onDelete("cascade"),
    index("model_version_tags_key_value").on(t.key, t.value),
  ],
);
