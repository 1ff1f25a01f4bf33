import { and, eq, sql, type SQL } from "drizzle-orm";
import type { Database } from "./db";
import { inJson } from "./sql";
import { experimentPermissions, experiments, loggedModels, registeredModelPermissions, runs, traceInfo } from "./schema/index";

/** Where a request names experiments: ids directly, or things that belong to one. */
export interface ExperimentRefs {
  experimentIds: number[];
  experimentNames: string[];
  runIds: string[];
  modelIds: string[];
  traceIds: string[];
}

/**
 * The experiments `refs` belong to and `userId`'s explicit grant on each (null when
 * none), in one query. Names and ids of things that do not exist yield no row.
 *
 * @example
 * await experimentGrants(db, 7, { ...noRefs, runIds: ["5f0c…"] }) // [{ experimentId: 3, permission: "EDIT" }]
 */
export async function experimentGrants(db: Database, userId: number, refs: ExperimentRefs) {
  const parts: SQL[] = [];
  if (refs.experimentIds.length) parts.push(sql`SELECT value AS eid FROM json_each(${JSON.stringify(refs.experimentIds)})`);
  if (refs.experimentNames.length) parts.push(sql`SELECT ${experiments.experimentId} AS eid FROM ${experiments} WHERE ${inJson(experiments.name, refs.experimentNames)}`);
  if (refs.runIds.length) parts.push(sql`SELECT ${runs.experimentId} AS eid FROM ${runs} WHERE ${inJson(runs.runId, refs.runIds)}`);
  if (refs.modelIds.length) parts.push(sql`SELECT ${loggedModels.experimentId} AS eid FROM ${loggedModels} WHERE ${inJson(loggedModels.modelId, refs.modelIds)}`);
  if (refs.traceIds.length) parts.push(sql`SELECT ${traceInfo.experimentId} AS eid FROM ${traceInfo} WHERE ${inJson(traceInfo.traceId, refs.traceIds)}`);
  if (!parts.length) return [];
  return db.all<{ experimentId: number; permission: string | null }>(sql`
    SELECT s.eid AS experimentId, p.permission AS permission
    FROM (${sql.join(parts, sql` UNION `)}) s
    LEFT JOIN ${experimentPermissions} p ON p.experiment_id = s.eid AND p.user_id = ${userId}`);
}

/** `userId`'s explicit grants on the registered models `names`; models without a grant yield no row. */
export async function registeredModelGrants(db: Database, userId: number, names: string[]) {
  if (!names.length) return [];
  return db
    .select({ name: registeredModelPermissions.name, permission: registeredModelPermissions.permission })
    .from(registeredModelPermissions)
    .where(and(eq(registeredModelPermissions.userId, userId), inJson(registeredModelPermissions.name, names)));
}

/**
 * A condition that keeps rows whose experiment `column` the user may read: every
 * experiment but those explicitly denied when the default allows reading, else only
 * those explicitly granted.
 */
export function readableExperimentsCondition(column: SQL | SQL.Aliased | { getSQL(): SQL }, userId: number, defaultReadable: boolean): SQL {
  return defaultReadable
    ? sql`${column} NOT IN (SELECT experiment_id FROM experiment_permissions WHERE user_id = ${userId} AND permission = 'NO_PERMISSIONS')`
    : sql`${column} IN (SELECT experiment_id FROM experiment_permissions WHERE user_id = ${userId} AND permission != 'NO_PERMISSIONS')`;
}

/** As {@link readableExperimentsCondition}, for a column holding registered model names. */
export function readableRegisteredModelsCondition(column: SQL | SQL.Aliased | { getSQL(): SQL }, userId: number, defaultReadable: boolean): SQL {
  return defaultReadable
    ? sql`${column} NOT IN (SELECT name FROM registered_model_permissions WHERE user_id = ${userId} AND permission = 'NO_PERMISSIONS')`
    : sql`${column} IN (SELECT name FROM registered_model_permissions WHERE user_id = ${userId} AND permission != 'NO_PERMISSIONS')`;
}

export async function findExperimentPermission(db: Database, experimentId: number, userId: number) {
  const [row] = await db
    .select()
    .from(experimentPermissions)
    .where(and(eq(experimentPermissions.experimentId, experimentId), eq(experimentPermissions.userId, userId)));
  return row;
}

export async function insertExperimentPermission(db: Database, experimentId: number, userId: number, permission: string) {
  await db.insert(experimentPermissions).values({ experimentId, userId, permission });
}

/** Grants `permission` unless the user already holds a grant (used for creators). */
export async function grantExperimentIfAbsent(db: Database, experimentId: number, userId: number, permission: string) {
  await db.insert(experimentPermissions).values({ experimentId, userId, permission }).onConflictDoNothing();
}

/** Returns whether a grant was there to change. */
export async function updateExperimentPermission(db: Database, experimentId: number, userId: number, permission: string): Promise<boolean> {
  const rows = await db
    .update(experimentPermissions)
    .set({ permission })
    .where(and(eq(experimentPermissions.experimentId, experimentId), eq(experimentPermissions.userId, userId)))
    .returning({ userId: experimentPermissions.userId });
  return rows.length > 0;
}

export async function deleteExperimentPermission(db: Database, experimentId: number, userId: number): Promise<boolean> {
  const rows = await db
    .delete(experimentPermissions)
    .where(and(eq(experimentPermissions.experimentId, experimentId), eq(experimentPermissions.userId, userId)))
    .returning({ userId: experimentPermissions.userId });
  return rows.length > 0;
}

export async function findRegisteredModelPermission(db: Database, name: string, userId: number) {
  const [row] = await db
    .select()
    .from(registeredModelPermissions)
    .where(and(eq(registeredModelPermissions.name, name), eq(registeredModelPermissions.userId, userId)));
  return row;
}

export async function insertRegisteredModelPermission(db: Database, name: string, userId: number, permission: string) {
  await db.insert(registeredModelPermissions).values({ name, userId, permission });
}

export async function grantRegisteredModelIfAbsent(db: Database, name: string, userId: number, permission: string) {
  await db.insert(registeredModelPermissions).values({ name, userId, permission }).onConflictDoNothing();
}

export async function updateRegisteredModelPermission(db: Database, name: string, userId: number, permission: string): Promise<boolean> {
  const rows = await db
    .update(registeredModelPermissions)
    .set({ permission })
    .where(and(eq(registeredModelPermissions.name, name), eq(registeredModelPermissions.userId, userId)))
    .returning({ userId: registeredModelPermissions.userId });
  return rows.length > 0;
}

export async function deleteRegisteredModelPermission(db: Database, name: string, userId: number): Promise<boolean> {
  const rows = await db
    .delete(registeredModelPermissions)
    .where(and(eq(registeredModelPermissions.name, name), eq(registeredModelPermissions.userId, userId)))
    .returning({ userId: registeredModelPermissions.userId });
  return rows.length > 0;
}
