import { and, asc, desc, eq, ne, sql, type SQL } from "drizzle-orm";
import { alias } from "drizzle-orm/sqlite-core";
import type { KeyValue, ModelVersion } from "../protocol/registry";
import { isQueryingPrompts, IS_PROMPT_TAG, type ModelVersionOrderField, type ModelVersionPredicate, type RegistryOrder } from "../search/registry";
import { compareNumber, compareString } from "../search/sql";
import type { Reader } from "../search/reader";
import { batchable, type Database } from "./db";
import { readableRegisteredModelsCondition } from "./permissions";
import { modelVersions, modelVersionTags, registeredModelAliases, registeredModels } from "./schema/index";
import { inJson } from "./sql";

/** MLflow's internal stage of a soft-deleted version. */
export const DELETED_STAGE = "Deleted_Internal";

/** The alias under which version queries read `model_versions`, so conditions can correlate. */
export const mv = alias(modelVersions, "mv");

type VersionRow = typeof modelVersions.$inferSelect;
type TagRow = typeof modelVersionTags.$inferSelect;
type AliasRow = typeof registeredModelAliases.$inferSelect;

const live = ne(mv.currentStage, DELETED_STAGE);
const identifies = (name: string, version: number) => and(eq(mv.name, name), eq(mv.version, version), live);

/**
 * Queries for one D1 batch reading the versions that satisfy `where` (over `mv`), their
 * tags and their aliases; callers that do not report aliases leave the last one out.
 * Tags keep insertion order, aliases are sorted.
 */
export function versionQueries(db: Database, where: SQL | undefined, orderBy: SQL[]) {
  const sameVersion = (t: typeof modelVersionTags | typeof registeredModelAliases) => and(eq(t.name, mv.name), eq(t.version, mv.version));
  return [
    db.select().from(mv).where(where).orderBy(...orderBy),
    db.select({ name: modelVersionTags.name, version: modelVersionTags.version, key: modelVersionTags.key, value: modelVersionTags.value })
      .from(modelVersionTags).innerJoin(mv, sameVersion(modelVersionTags)).where(where).orderBy(sql`${modelVersionTags}.rowid`),
    db.select({ name: registeredModelAliases.name, alias: registeredModelAliases.alias, version: registeredModelAliases.version })
      .from(registeredModelAliases).innerJoin(mv, sameVersion(registeredModelAliases)).where(where).orderBy(registeredModelAliases.alias),
  ] as const;
}

/** Joins the rows read by `versionQueries` into ModelVersions; aliases only if asked for. */
export function toModelVersions(rows: VersionRow[], tags: TagRow[], aliases?: AliasRow[]): ModelVersion[] {
  const id = (name: string, version: number) => `${version}:${name}`;
  const byId = new Map<string, ModelVersion>();
  for (const r of rows) {
    byId.set(id(r.name, r.version), { ...r, tags: [], aliases: aliases ? [] : undefined });
  }
  for (const t of tags) byId.get(id(t.name, t.version))?.tags.push({ key: t.key, value: t.value });
  for (const a of aliases ?? []) byId.get(id(a.name, a.version))?.aliases?.push(a.alias);
  return [...byId.values()];
}

/** A live version with tags and aliases, or undefined. One round trip. */
export async function findModelVersion(db: Database, name: string, version: number): Promise<ModelVersion | undefined> {
  const [rows, tags, aliases] = await db.batch(versionQueries(db, identifies(name, version), []));
  return toModelVersions(rows, tags, aliases)[0];
}

/**
 * The version an alias points at; `latest` (any case) is the newest live version.
 * Distinguishes a missing model from a missing alias, which MLflow reports differently.
 */
export async function findModelVersionByAlias(
  db: Database,
  name: string,
  aliasName: string,
): Promise<{ modelExists: boolean; version?: ModelVersion }> {
  const target =
    aliasName.toLowerCase() === "latest"
      ? sql`${mv.version} = (SELECT MAX(version) FROM model_versions WHERE name = ${name} AND current_stage != ${DELETED_STAGE})`
      : sql`${mv.version} = (SELECT version FROM registered_model_aliases WHERE name = ${name} AND alias = ${aliasName})`;
  const [model, rows, tags, aliases] = await db.batch([
    db.select({ name: registeredModels.name }).from(registeredModels).where(eq(registeredModels.name, name)),
    ...versionQueries(db, and(eq(mv.name, name), live, target), []),
  ]);
  return { modelExists: model.length > 0, version: toModelVersions(rows, tags, aliases)[0] };
}

/**
 * Creates the next version of a model (1 + the highest number ever used, deleted ones
 * included) with its tags, bumping the model's `last_updated_timestamp` and, when given,
 * recording the version on a logged model, in one atomic batch. Returns undefined when the
 * model does not exist.
 */
export async function insertModelVersion(
  db: Database,
  v: { name: string; source: string; storageLocation: string; runId: string; runLink: string; description: string; tags: KeyValue[]; now: number },
  loggedModelTag?: VersionListTag,
): Promise<ModelVersion | undefined> {
  const next = sql`COALESCE((SELECT MAX(version) FROM model_versions WHERE name = ${v.name}), 0) + 1`;
  const [inserted] = await db.batch([
    db
      .insert(modelVersions)
      .select(sql`SELECT name, ${next}, ${v.now}, ${v.now}, ${v.description}, NULL, 'None', ${v.source}, ${v.storageLocation},
        ${v.runId}, ${v.runLink}, 'READY', NULL FROM registered_models WHERE name = ${v.name}`)
      .returning(),
    batchable(db, db.run(sql`INSERT INTO model_version_tags (name, version, key, value)
      SELECT m.name, m.version, j.value ->> 'key', j.value ->> 'value'
      FROM (SELECT name, MAX(version) AS version FROM model_versions WHERE name = ${v.name} GROUP BY name) m,
           json_each(${JSON.stringify(v.tags)}) j`)),
    db.update(registeredModels).set({ lastUpdatedTime: v.now }).where(eq(registeredModels.name, v.name)),
    ...(loggedModelTag ? [upsertVersionListTag(db, v.name, loggedModelTag)] : []),
  ]);
  return inserted[0] && { ...inserted[0], tags: v.tags };
}

/**
 * A logged-model tag listing registry versions, whose new text depends on the number the
 * insert assigns: `before` + number + `after`, or `unchanged` when the number is `listed`.
 */
export interface VersionListTag {
  modelId: string;
  key: string;
  unchanged: string;
  before: string;
  after: string;
  listed: number[];
}

/** Upserts the tag with the model's newest version number, in the creating batch. */
function upsertVersionListTag(db: Database, name: string, t: VersionListTag) {
  return batchable(
    db,
    db.run(sql`INSERT INTO logged_model_tags (model_id, key, value)
      SELECT ${t.modelId}, ${t.key},
        CASE WHEN ${inJson(sql`m.version`, t.listed)} THEN ${t.unchanged}
             ELSE ${t.before} || m.version || ${t.after} END
      FROM (SELECT MAX(version) AS version FROM model_versions WHERE name = ${name}) m
      WHERE m.version IS NOT NULL
      ON CONFLICT (model_id, key) DO UPDATE SET value = excluded.value`),
  );
}

/** Sets a live version's description; returns it (with aliases) or undefined. */
export async function updateModelVersion(db: Database, name: string, version: number, description: string, now: number) {
  const [, rows, tags, aliases] = await db.batch([
    db.update(modelVersions).set({ description, lastUpdatedTime: now }).where(liveVersion(name, version)),
    ...versionQueries(db, identifies(name, version), []),
  ]);
  return toModelVersions(rows, tags, aliases)[0];
}

/**
 * Moves a live version to `stage`, first archiving the model's other versions in that stage
 * when asked; bumps the model's `last_updated_timestamp`. Nothing changes if the version
 * does not exist. Returns the version (with aliases) or undefined.
 */
export async function transitionModelVersionStage(
  db: Database,
  t: { name: string; version: number; stage: string; archiveExisting: boolean; now: number },
) {
  const exists = sql`EXISTS (SELECT 1 FROM model_versions WHERE name = ${t.name} AND version = ${t.version} AND current_stage != ${DELETED_STAGE})`;
  const archive = and(
    eq(modelVersions.name, t.name),
    ne(modelVersions.version, t.version),
    eq(modelVersions.currentStage, t.stage),
    t.archiveExisting ? exists : sql`0`,
  );
  const [, , , rows, tags, aliases] = await db.batch([
    db.update(modelVersions).set({ currentStage: "Archived", lastUpdatedTime: t.now }).where(archive),
    db.update(registeredModels).set({ lastUpdatedTime: t.now }).where(and(eq(registeredModels.name, t.name), exists)),
    db.update(modelVersions).set({ currentStage: t.stage, lastUpdatedTime: t.now }).where(liveVersion(t.name, t.version)),
    ...versionQueries(db, identifies(t.name, t.version), []),
  ]);
  return toModelVersions(rows, tags, aliases)[0];
}

/**
 * Soft-deletes a live version: it leaves every read, its aliases go, its source and run
 * are redacted, and the model's `last_updated_timestamp` moves. Returns whether it existed.
 */
export async function deleteModelVersion(db: Database, name: string, version: number, now: number): Promise<boolean> {
  const exists = sql`EXISTS (SELECT 1 FROM model_versions WHERE name = ${name} AND version = ${version} AND current_stage != ${DELETED_STAGE})`;
  const [, , deleted] = await db.batch([
    db.update(registeredModels).set({ lastUpdatedTime: now }).where(and(eq(registeredModels.name, name), exists)),
    db.delete(registeredModelAliases).where(and(eq(registeredModelAliases.name, name), eq(registeredModelAliases.version, version))),
    db
      .update(modelVersions)
      .set({
        currentStage: DELETED_STAGE,
        lastUpdatedTime: now,
        description: "",
        userId: null,
        source: "REDACTED-SOURCE-PATH",
        storageLocation: null,
        runId: "REDACTED-RUN-ID",
        runLink: "REDACTED-RUN-LINK",
        statusMessage: null,
      })
      .where(liveVersion(name, version))
      .returning({ version: modelVersions.version }),
  ]);
  return deleted.length > 0;
}

/** One page (limit + 1 rows from `offset`) of live versions matching a search, with tags. Two round trips. */
export async function searchModelVersions(
  db: Database,
  q: { predicates: ModelVersionPredicate[]; orderBy: RegistryOrder<ModelVersionOrderField>[]; offset: number; limit: number; reader?: Reader },
): Promise<ModelVersion[]> {
  const columns = { name: mv.name, version: mv.version, creation_time: mv.creationTime, last_updated_time: mv.lastUpdatedTime };
  const order = q.orderBy.map((o) => (o.ascending ? asc(columns[o.field]) : desc(columns[o.field])));
  const rows = await db.select().from(mv).where(and(live, ...versionConditions(q.predicates), ...readable(q.reader))).orderBy(...order).limit(q.limit + 1).offset(q.offset);
  if (rows.length === 0) return [];
  const keys = JSON.stringify(rows.map((r) => [r.name, r.version]));
  const tags = await db
    .select()
    .from(modelVersionTags)
    .where(sql`(${modelVersionTags.name}, ${modelVersionTags.version}) IN (SELECT k.value ->> 0, k.value ->> 1 FROM json_each(${keys}) k)`)
    .orderBy(sql`${modelVersionTags}.rowid`);
  return toModelVersions(rows, tags);
}

/** With authentication on, only versions of models the reader may read (filtered in SQL, so paging stays right). */
function readable(reader: Reader | undefined): SQL[] {
  return reader ? [readableRegisteredModelsCondition(mv.name, reader.userId, reader.defaultReadable)] : [];
}

const ATTRIBUTE_COLUMNS = { name: mv.name, run_id: mv.runId, source_path: mv.source } as const;

/** Prompts are hidden unless asked for: any version of a prompt model marks it (MLflow's rule). */
function versionConditions(predicates: ModelVersionPredicate[]): SQL[] {
  const prompts = isQueryingPrompts(predicates);
  const conditions = predicates
    .filter((p) => prompts || p.kind !== "tag" || p.key !== IS_PROMPT_TAG)
    .map((p) => {
      if (p.kind === "number") return compareNumber(sql`${mv.version}`, p.test);
      if (p.kind === "attribute") return compareString(sql`${ATTRIBUTE_COLUMNS[p.name]}`, p.test);
      return sql`EXISTS (SELECT 1 FROM model_version_tags t WHERE t.name = ${mv.name} AND t.version = ${mv.version}
        AND t.key = ${p.key} AND ${compareString(sql`t.value`, p.test)})`;
    });
  if (!prompts) {
    conditions.push(sql`NOT EXISTS (SELECT 1 FROM model_version_tags p WHERE p.name = ${mv.name}
      AND p.key = ${IS_PROMPT_TAG} AND p.value = 'true')`);
  }
  return conditions;
}

/** Where a live version's artifacts are: its storage location, else its source. */
export async function findDownloadLocation(db: Database, name: string, version: number): Promise<string | undefined> {
  const rows = await db
    .select({ storageLocation: mv.storageLocation, source: mv.source })
    .from(mv)
    .where(identifies(name, version));
  return rows[0] && (rows[0].storageLocation || rows[0].source);
}

/** Upserts a tag on a live version (keeping its position); returns whether the version exists. */
export async function upsertModelVersionTag(db: Database, name: string, version: number, key: string, value: string): Promise<boolean> {
  const rows = await db
    .insert(modelVersionTags)
    .select(sql`SELECT name, version, ${key}, ${value} FROM model_versions
      WHERE name = ${name} AND version = ${version} AND current_stage != ${DELETED_STAGE}`)
    .onConflictDoUpdate({ target: [modelVersionTags.name, modelVersionTags.version, modelVersionTags.key], set: { value } })
    .returning({ key: modelVersionTags.key });
  return rows.length > 0;
}

/** Deletes a version's tag if present; returns whether the version exists. */
export async function deleteModelVersionTag(db: Database, name: string, version: number, key: string): Promise<boolean> {
  const [found] = await db.batch([
    db.select({ version: mv.version }).from(mv).where(identifies(name, version)),
    db
      .delete(modelVersionTags)
      .where(and(eq(modelVersionTags.name, name), eq(modelVersionTags.version, version), eq(modelVersionTags.key, key))),
  ]);
  return found.length > 0;
}

function liveVersion(name: string, version: number) {
  return and(eq(modelVersions.name, name), eq(modelVersions.version, version), ne(modelVersions.currentStage, DELETED_STAGE));
}
