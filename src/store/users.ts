import { asc, eq } from "drizzle-orm";
import type { Database } from "./db";
import { apiTokens, experimentPermissions, registeredModelPermissions, users } from "./schema/index";

export type UserRow = typeof users.$inferSelect;

export async function findUser(db: Database, username: string): Promise<UserRow | undefined> {
  const [row] = await db.select().from(users).where(eq(users.username, username));
  return row;
}

/** A user and all their explicit grants, in one round trip. */
export async function findUserWithPermissions(db: Database, username: string) {
  const [rows, experimentsGranted, modelsGranted] = await db.batch([
    db.select().from(users).where(eq(users.username, username)),
    db
      .select({ experimentId: experimentPermissions.experimentId, userId: experimentPermissions.userId, permission: experimentPermissions.permission })
      .from(experimentPermissions)
      .innerJoin(users, eq(users.id, experimentPermissions.userId))
      .where(eq(users.username, username))
      .orderBy(asc(experimentPermissions.experimentId)),
    db
      .select({ name: registeredModelPermissions.name, userId: registeredModelPermissions.userId, permission: registeredModelPermissions.permission })
      .from(registeredModelPermissions)
      .innerJoin(users, eq(users.id, registeredModelPermissions.userId))
      .where(eq(users.username, username))
      .orderBy(asc(registeredModelPermissions.name)),
  ]);
  return rows[0] && { ...rows[0], experimentPermissions: experimentsGranted, registeredModelPermissions: modelsGranted };
}

export async function insertUser(db: Database, u: { username: string; passwordHash: string; isAdmin: boolean; now: number }): Promise<UserRow> {
  const [row] = await db
    .insert(users)
    .values({ username: u.username, passwordHash: u.passwordHash, isAdmin: u.isAdmin, creationTime: u.now })
    .returning();
  return row;
}

/** Makes sure the configured administrator exists and is an admin; returns their row. */
export async function upsertAdmin(db: Database, username: string, now: number): Promise<UserRow> {
  const [row] = await db
    .insert(users)
    .values({ username, isAdmin: true, creationTime: now })
    .onConflictDoUpdate({ target: users.username, set: { isAdmin: true } })
    .returning();
  return row;
}

export const listUsers = (db: Database): Promise<UserRow[]> => db.select().from(users).orderBy(asc(users.id));

/** Returns whether the user existed. */
export async function updateUser(db: Database, username: string, set: { passwordHash?: string; isAdmin?: boolean }): Promise<boolean> {
  const updated = await db.update(users).set(set).where(eq(users.username, username)).returning({ id: users.id });
  return updated.length > 0;
}

/** Deletes a user with their tokens and grants atomically. */
export async function deleteUser(db: Database, id: number): Promise<void> {
  await db.batch([
    db.delete(apiTokens).where(eq(apiTokens.userId, id)),
    db.delete(experimentPermissions).where(eq(experimentPermissions.userId, id)),
    db.delete(registeredModelPermissions).where(eq(registeredModelPermissions.userId, id)),
    db.delete(users).where(eq(users.id, id)),
  ]);
}
