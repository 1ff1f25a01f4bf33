import { and, asc, desc, eq, sql, type SQL } from "drizzle-orm";
import type { KeyValue, RegisteredModel } from "../protocol/registry";
import { isQueryingPrompts, IS_PROMPT_TAG, type RegisteredModelOrderField, type RegisteredModelPredicate, type RegistryOrder } from "../search/registry";
import { compareString } from "../search/sql";
import type { Reader } from "../search/reader";
import { batchable, type Database } from "./db";
import { readableRegisteredModelsCondition } from "./permissions";
import { DELETED_STAGE, mv, toModelVersions, versionQueries } from "./model-versions";
import { modelVersions, registeredModelAliases, registeredModels, registeredModelTags } from "./schema/index";
import { inJson } from "./sql";

/**
 * Which order a model's `latest_versions` come in. MLflow lists them by the stage's first
 * appearance in version order when it reads one model, and by stage name in searches.
 */
export type LatestOrder = "version" | "stage";

/**
 * Inserts a registered model and its tags atomically; a duplicate name fails with
 * SQLite's UNIQUE error on `registered_models.name`.
 */
export async function insertRegisteredModel(
  db: Database,
  rm: { name: string; description: string | null; tags: KeyValue[]; now: number },
) {
  await db.batch([
    db.insert(registeredModels).values({ name: rm.name, description: rm.description, creationTime: rm.now, lastUpdatedTime: rm.now }),
    batchable(db, db.run(sql`INSERT INTO registered_model_tags (name, key, value)
      SELECT ${rm.name}, j.value ->> 'key', j.value ->> 'value' FROM json_each(${JSON.stringify(rm.tags)}) j`)),
  ]);
}

/** Reads one registered model with its tags, aliases and latest versions, in one round trip. */
export async function findRegisteredModel(db: Database, name: string): Promise<RegisteredModel | undefined> {
  const [rm] = await loadRegisteredModels(db, [name], "version");
  return rm;
}

/** Reads whole registered models in the order of `names`, in one round trip. */
export async function loadRegisteredModels(db: Database, names: readonly string[], order: LatestOrder): Promise<RegisteredModel[]> {
  if (names.length === 0) return [];
  const results = await db.batch(detailQueries(db, names, order));
  return assemble(names, results);
}

/**
 * Renames a model; versions, tags and aliases follow through ON UPDATE CASCADE. Returns
 * the renamed model, or undefined when there was no model of that name.
 */
export async function renameRegisteredModel(db: Database, name: string, newName: string, now: number) {
  // Versions are bumped under the old name first: the rename then carries them over, and
  // a missing model leaves the other statements without effect.
  const [, renamed, ...details] = await db.batch([
    db.update(modelVersions).set({ lastUpdatedTime: now }).where(eq(modelVersions.name, name)),
    db.update(registeredModels).set({ name: newName, lastUpdatedTime: now }).where(eq(registeredModels.name, name)).returning({ name: registeredModels.name }),
    ...detailQueries(db, [newName], "version"),
  ]);
  return renamed.length ? assemble([newName], details)[0] : undefined;
}

/** Sets the description and bumps `last_updated_timestamp`; returns the model, if any. */
export async function updateRegisteredModel(db: Database, name: string, description: string, now: number) {
  const [, ...details] = await db.batch([
    db.update(registeredModels).set({ description, lastUpdatedTime: now }).where(eq(registeredModels.name, name)),
    ...detailQueries(db, [name], "version"),
  ]);
  return assemble([name], details)[0];
}

/** Hard-deletes a model with everything under it; returns whether it existed. */
export async function deleteRegisteredModel(db: Database, name: string): Promise<boolean> {
  const deleted = await db.delete(registeredModels).where(eq(registeredModels.name, name)).returning({ name: registeredModels.name });
  return deleted.length > 0;
}

/** Names of the models matching a compiled search, one page (limit + 1 rows) at `offset`. */
export async function searchRegisteredModelNames(
  db: Database,
  q: { predicates: RegisteredModelPredicate[]; orderBy: RegistryOrder<RegisteredModelOrderField>[]; offset: number; limit: number; reader?: Reader },
): Promise<string[]> {
  const columns = { name: registeredModels.name, creation_time: registeredModels.creationTime, last_updated_time: registeredModels.lastUpdatedTime };
  const order = q.orderBy.map((o) => (o.ascending ? asc(columns[o.field]) : desc(columns[o.field])));
  const rows = await db
    .select({ name: registeredModels.name })
    .from(registeredModels)
    .where(and(...registeredModelConditions(q.predicates), ...(q.reader ? [readableRegisteredModelsCondition(registeredModels.name, q.reader.userId, q.reader.defaultReadable)] : [])))
    .orderBy(...order)
    .limit(q.limit + 1)
    .offset(q.offset);
  return rows.map((r) => r.name);
}

function registeredModelConditions(predicates: RegisteredModelPredicate[]): SQL[] {
  const prompts = isQueryingPrompts(predicates);
  const conditions = predicates
    .filter((p) => prompts || p.kind !== "tag" || p.key !== IS_PROMPT_TAG)
    .map((p) =>
      p.kind === "tag"
        ? sql`EXISTS (SELECT 1 FROM registered_model_tags t WHERE t.name = ${registeredModels.name}
            AND t.key = ${p.key} AND ${compareString(sql`t.value`, p.test)})`
        : compareString(sql`${registeredModels.name}`, p.test),
    );
  if (!prompts) {
    conditions.push(sql`NOT EXISTS (SELECT 1 FROM registered_model_tags p WHERE p.name = ${registeredModels.name}
      AND p.key = ${IS_PROMPT_TAG} AND p.value = 'true')`);
  }
  return conditions;
}

/** Upserts a tag (keeping its position); returns whether the model exists. */
export async function upsertRegisteredModelTag(db: Database, name: string, key: string, value: string): Promise<boolean> {
  const rows = await db
    .insert(registeredModelTags)
    .select(sql`SELECT name, ${key}, ${value} FROM registered_models WHERE name = ${name}`)
    .onConflictDoUpdate({ target: [registeredModelTags.name, registeredModelTags.key], set: { value } })
    .returning({ name: registeredModelTags.name });
  return rows.length > 0;
}

/** Deletes a tag if present; returns whether the model exists. */
export async function deleteRegisteredModelTag(db: Database, name: string, key: string): Promise<boolean> {
  const [model] = await db.batch([
    db.select({ name: registeredModels.name }).from(registeredModels).where(eq(registeredModels.name, name)),
    db.delete(registeredModelTags).where(and(eq(registeredModelTags.name, name), eq(registeredModelTags.key, key))),
  ]);
  return model.length > 0;
}

/** Points an alias at a live version (moving it if set); returns whether that version exists. */
export async function setRegisteredModelAlias(db: Database, name: string, alias: string, version: number): Promise<boolean> {
  const rows = await db
    .insert(registeredModelAliases)
    .select(sql`SELECT name, ${alias}, version FROM model_versions
      WHERE name = ${name} AND version = ${version} AND current_stage != ${DELETED_STAGE}`)
    .onConflictDoUpdate({ target: [registeredModelAliases.name, registeredModelAliases.alias], set: { version } })
    .returning({ alias: registeredModelAliases.alias });
  return rows.length > 0;
}

/** Deletes an alias if present; returns whether the model exists. */
export async function deleteRegisteredModelAlias(db: Database, name: string, alias: string): Promise<boolean> {
  const [model] = await db.batch([
    db.select({ name: registeredModels.name }).from(registeredModels).where(eq(registeredModels.name, name)),
    db.delete(registeredModelAliases).where(and(eq(registeredModelAliases.name, name), eq(registeredModelAliases.alias, alias))),
  ]);
  return model.length > 0;
}

function detailQueries(db: Database, names: readonly string[], order: LatestOrder) {
  const newestOfItsStage = sql`${inJson(mv.name, names)} AND ${mv.currentStage} != ${DELETED_STAGE}
    AND ${mv.version} = (SELECT MAX(m2.version) FROM model_versions m2 WHERE m2.name = ${mv.name} AND m2.current_stage = ${mv.currentStage})`;
  const stageOrder =
    order === "stage"
      ? [asc(mv.name), asc(mv.currentStage)]
      : [sql`(SELECT MIN(m3.version) FROM model_versions m3 WHERE m3.name = ${mv.name} AND m3.current_stage = ${mv.currentStage})`];
  const [versions, versionTags] = versionQueries(db, newestOfItsStage, stageOrder);
  return [
    db.select().from(registeredModels).where(inJson(registeredModels.name, names)),
    db.select().from(registeredModelTags).where(inJson(registeredModelTags.name, names)).orderBy(sql`${registeredModelTags}.rowid`),
    db.select().from(registeredModelAliases).where(inJson(registeredModelAliases.name, names)).orderBy(registeredModelAliases.alias),
    versions,
    versionTags,
  ] as const;
}

type Details = [
  (typeof registeredModels.$inferSelect)[],
  (typeof registeredModelTags.$inferSelect)[],
  (typeof registeredModelAliases.$inferSelect)[],
  Parameters<typeof toModelVersions>[0],
  Parameters<typeof toModelVersions>[1],
];

function assemble(names: readonly string[], results: readonly unknown[]): RegisteredModel[] {
  const [rms, tags, aliases, versions, versionTags] = results as Details;
  const byName = new Map<string, RegisteredModel>();
  for (const rm of rms) byName.set(rm.name, { ...rm, latestVersions: [], tags: [], aliases: [] });
  for (const t of tags) byName.get(t.name)?.tags.push({ key: t.key, value: t.value });
  for (const a of aliases) byName.get(a.name)?.aliases.push({ alias: a.alias, version: a.version });
  for (const v of toModelVersions(versions, versionTags)) byName.get(v.name)?.latestVersions.push(v);
  return names.flatMap((n) => byName.get(n) ?? []);
}
