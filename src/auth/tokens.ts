import { invalidParameter, notFound } from "../protocol/errors";
import * as store from "../store/api-tokens";
import type { Database } from "../store/db";
import { forgetAll } from "./cache";
import { randomString, sha256Hex } from "./crypto";
import type { Principal } from "./principal";
import { getUser } from "./users";

/** API tokens: random, shown once, stored as a SHA-256 hash, optionally expiring and read-only. */

const TOKEN_PREFIX = "mlf_";
const DAY_MS = 86_400_000;
const MAX_DAYS = 3_650;
const MAX_NAME = 255;

/**
 * Issues a token for `username`; the secret is in the result and nowhere else.
 *
 * @example
 * const { token, secret } = await createToken(db, "ci", { name: "nightly", expiresInDays: 90 });
 */
export async function createToken(db: Database, username: string, opts: { name?: string; expiresInDays?: number; readOnly?: boolean }, now = Date.now()) {
  const name = opts.name ?? "";
  if (name.length > MAX_NAME) throw invalidParameter(`Token name must be at most ${MAX_NAME} characters.`);
  const days = opts.expiresInDays;
  if (days !== undefined && (!Number.isInteger(days) || days < 1 || days > MAX_DAYS)) {
    throw invalidParameter(`expires_in_days must be an integer from 1 to ${MAX_DAYS}, got ${days}.`);
  }
  const user = await getUser(db, username);
  const secret = TOKEN_PREFIX + randomString(32);
  const token = await store.insertToken(db, {
    tokenId: `tok-${randomString(9)}`,
    userId: user.id,
    name,
    tokenHash: await sha256Hex(secret),
    readOnly: opts.readOnly ?? false,
    creationTime: now,
    expiryTime: days === undefined ? null : now + days * DAY_MS,
  });
  return { token, secret };
}

export async function listTokens(db: Database, username: string) {
  return store.listTokens(db, (await getUser(db, username)).id);
}

/** Revokes a token of the caller's (any token, for admins); others' tokens look absent. */
export async function revokeToken(db: Database, sender: Principal | undefined, tokenId: string, now = Date.now()) {
  const token = await store.findToken(db, tokenId);
  if (!token || (sender && !sender.isAdmin && token.userId !== sender.userId)) throw notFound(`Token with id=${tokenId} not found`);
  await store.revokeToken(db, tokenId, now);
  forgetAll();
}
