import { index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { registeredModels } from "./registry";

/**
 * Authentication and permission tables, in the model of MLflow's basic-auth app.
 * Secrets are stored only as hashes: PBKDF2 for passwords, SHA-256 for API tokens
 * (which are random, so a slow hash buys nothing).
 */
export const users = sqliteTable("users", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  username: text("username").notNull().unique(),
  /** `pbkdf2-sha256$<iterations>$<salt>$<hash>`; null for the configured admin, who signs in with a token. */
  passwordHash: text("password_hash"),
  isAdmin: integer("is_admin", { mode: "boolean" }).notNull().default(false),
  creationTime: integer("creation_time").notNull(),
});

export const apiTokens = sqliteTable(
  "api_tokens",
  {
    tokenId: text("token_id").primaryKey(),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id),
    name: text("name").notNull().default(""),
    tokenHash: text("token_hash").notNull().unique(),
    readOnly: integer("read_only", { mode: "boolean" }).notNull().default(false),
    creationTime: integer("creation_time").notNull(),
    expiryTime: integer("expiry_time"),
    revokedTime: integer("revoked_time"),
  },
  (t) => [index("api_tokens_user").on(t.userId)],
);

/** A user's explicit grant on an experiment; without one the configured default applies. */
export const experimentPermissions = sqliteTable(
  "experiment_permissions",
  {
    experimentId: integer("experiment_id").notNull(),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id),
    permission: text("permission").notNull(),
  },
  (t) => [primaryKey({ columns: [t.experimentId, t.userId] }), index("experiment_permissions_user").on(t.userId)],
);

/**
 * A user's explicit grant on a registered model, keyed by the model's name as in MLflow;
 * it follows the model through a rename and goes with it on delete.
 */
export const registeredModelPermissions = sqliteTable(
  "registered_model_permissions",
  {
    name: text("name")
      .notNull()
      .references(() => registeredModels.name, { onUpdate: "cascade", onDelete: "cascade" }),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id),
    permission: text("permission").notNull(),
  },
  (t) => [primaryKey({ columns: [t.name, t.userId] }), index("registered_model_permissions_user").on(t.userId)],
);
