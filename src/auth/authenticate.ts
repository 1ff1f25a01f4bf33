import type { Env } from "../env";
import type { Database } from "../store/db";
import { findTokenByHash } from "../store/api-tokens";
import { findUser, upsertAdmin } from "../store/users";
import { recall, remember } from "./cache";
import { adminUsername } from "./config";
import type { Credential } from "./credentials";
import { secretsEqual, sha256Hex, verifyPassword } from "./crypto";
import type { Principal } from "./principal";

/**
 * Who a credential belongs to, or null when it is wrong, expired or revoked. The
 * configured admin token (a wrangler secret) makes its bearer the admin user, who is
 * created on first use.
 *
 * @example
 * const who = await authenticate(env, db, { kind: "bearer", token });
 */
export async function authenticate(env: Env, db: Database, credential: Credential, now = Date.now()): Promise<Principal | null> {
  const key = await sha256Hex(JSON.stringify(credential));
  const cached = recall(key, now);
  if (cached) return cached;
  const found = credential.kind === "bearer" ? await bearer(env, db, credential.token, now) : await basic(db, credential.username, credential.password);
  if (found) remember(key, found.principal, found.until, now);
  return found?.principal ?? null;
}

type Found = { principal: Principal; until?: number } | null;

async function bearer(env: Env, db: Database, token: string, now: number): Promise<Found> {
  if (env.MLFLARE_ADMIN_TOKEN && (await secretsEqual(token, env.MLFLARE_ADMIN_TOKEN))) {
    const admin = await upsertAdmin(db, adminUsername(env), now);
    return { principal: { userId: admin.id, username: admin.username, isAdmin: true, readOnly: false } };
  }
  const row = await findTokenByHash(db, await sha256Hex(token));
  if (!row || row.revokedTime !== null || (row.expiryTime !== null && row.expiryTime <= now)) return null;
  const principal = { userId: row.userId, username: row.username, isAdmin: row.isAdmin, readOnly: row.readOnly, tokenId: row.tokenId };
  return { principal, until: row.expiryTime ?? undefined };
}

async function basic(db: Database, username: string, password: string): Promise<Found> {
  const user = await findUser(db, username);
  // verifyPassword costs the same with no user, so timing does not reveal who exists.
  if (!(await verifyPassword(password, user?.passwordHash ?? null)) || !user) return null;
  return { principal: { userId: user.id, username: user.username, isAdmin: user.isAdmin, readOnly: false } };
}
