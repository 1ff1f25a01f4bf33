import { and, desc, eq, isNull } from "drizzle-orm";
import type { Database } from "./db";
import { apiTokens, users } from "./schema/index";

export type ApiTokenRow = typeof apiTokens.$inferSelect;

export async function insertToken(db: Database, t: typeof apiTokens.$inferInsert): Promise<ApiTokenRow> {
  const [row] = await db.insert(apiTokens).values(t).returning();
  return row;
}

/** The token with this hash and its owner, in one query. */
export async function findTokenByHash(db: Database, tokenHash: string) {
  const [row] = await db
    .select({
      tokenId: apiTokens.tokenId,
      readOnly: apiTokens.readOnly,
      expiryTime: apiTokens.expiryTime,
      revokedTime: apiTokens.revokedTime,
      userId: users.id,
      username: users.username,
      isAdmin: users.isAdmin,
    })
    .from(apiTokens)
    .innerJoin(users, eq(users.id, apiTokens.userId))
    .where(eq(apiTokens.tokenHash, tokenHash));
  return row;
}

export const listTokens = (db: Database, userId: number): Promise<ApiTokenRow[]> =>
  db.select().from(apiTokens).where(eq(apiTokens.userId, userId)).orderBy(desc(apiTokens.creationTime), apiTokens.tokenId);

export async function findToken(db: Database, tokenId: string): Promise<ApiTokenRow | undefined> {
  const [row] = await db.select().from(apiTokens).where(eq(apiTokens.tokenId, tokenId));
  return row;
}

/** Marks a token revoked; revoking twice keeps the first time. */
export async function revokeToken(db: Database, tokenId: string, now: number): Promise<void> {
  await db.update(apiTokens).set({ revokedTime: now }).where(and(eq(apiTokens.tokenId, tokenId), isNull(apiTokens.revokedTime)));
}
