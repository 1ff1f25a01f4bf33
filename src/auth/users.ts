import { MlflowError, alreadyExists, invalidParameter, notFound } from "../protocol/errors";
import { isUniqueViolation, type Database } from "../store/db";
import * as store from "../store/users";
import { forgetAll } from "./cache";
import { hashPassword, verifyPassword } from "./crypto";
import type { Principal } from "./principal";

/** Users of MLflow's basic-auth model: a name, a PBKDF2-hashed password, an admin flag. */

const MAX_USERNAME = 255;

export async function createUser(db: Database, username: string, password: string): Promise<store.UserRow> {
  if (username.length > MAX_USERNAME || username.includes(":") || username.trim() !== username) {
    throw invalidParameter(`Invalid username '${username}': at most ${MAX_USERNAME} characters, no ':' and no surrounding spaces.`);
  }
  try {
    return await store.insertUser(db, { username, passwordHash: await hashPassword(password), isAdmin: false, now: Date.now() });
  } catch (err) {
    if (isUniqueViolation(err, "users.username")) throw alreadyExists(`User (username=${username}) already exists.`);
    throw err;
  }
}

export async function getUser(db: Database, username: string): Promise<store.UserRow> {
  const user = await store.findUser(db, username);
  if (!user) throw userNotFound(username);
  return user;
}

export async function getUserWithPermissions(db: Database, username: string) {
  const user = await store.findUserWithPermissions(db, username);
  if (!user) throw userNotFound(username);
  return user;
}

/** The caller, who exists only when authentication is on. */
export function currentUser(principal: Principal | undefined): Principal {
  if (!principal) throw invalidParameter("Authentication is off (local mode): there is no current user.");
  return principal;
}

/**
 * Sets a password. Changing one's own requires the current one, as MLflow does, so a
 * borrowed session cannot rotate it.
 */
export async function updatePassword(db: Database, sender: Principal | undefined, username: string, password: string, current?: string) {
  const user = await getUser(db, username);
  if (sender?.username === username) {
    if (!current) throw invalidParameter("Current password is required when changing your own password.");
    if (!(await verifyPassword(current, user.passwordHash))) throw invalidParameter("Current password does not match.");
  }
  await store.updateUser(db, username, { passwordHash: await hashPassword(password) });
  forgetAll();
}

export async function updateAdmin(db: Database, username: string, isAdmin: boolean) {
  if (!(await store.updateUser(db, username, { isAdmin }))) throw userNotFound(username);
  forgetAll();
}

/** Deletes a user with their tokens and grants. */
export async function deleteUser(db: Database, username: string) {
  const user = await getUser(db, username);
  await store.deleteUser(db, user.id);
  forgetAll();
}

export const listUsers = (db: Database) => store.listUsers(db);

const userNotFound = (username: string): MlflowError => notFound(`User with username=${username} not found`);
