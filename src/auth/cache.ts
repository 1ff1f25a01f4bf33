import type { Principal } from "./principal";

/**
 * Successful credential checks, remembered for a short while in this isolate so a job
 * logging metrics does not pay PBKDF2 on every request. Keys are hashes of the
 * credential, never the credential. Changes to users or tokens clear it here; other
 * isolates notice within {@link TTL_MS}.
 */
const TTL_MS = 30_000;
const MAX_ENTRIES = 1_000;
const entries = new Map<string, { principal: Principal; until: number }>();

export function recall(key: string, now = Date.now()): Principal | undefined {
  const hit = entries.get(key);
  if (hit && hit.until > now) return hit.principal;
  if (hit) entries.delete(key);
  return undefined;
}

/** Remembers a principal until `until` (a token's expiry) or the TTL, whichever comes first. */
export function remember(key: string, principal: Principal, until = Infinity, now = Date.now()): void {
  if (entries.size >= MAX_ENTRIES) entries.delete(entries.keys().next().value!);
  entries.set(key, { principal, until: Math.min(until, now + TTL_MS) });
}

/** Forgets every remembered check: after a password, admin flag, token or user changes. */
export function forgetAll(): void {
  entries.clear();
}
