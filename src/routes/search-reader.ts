import { allows, defaultPermission } from "../auth/config";
import type { Reader } from "../search/reader";
import type { AppContext } from "./route";

/**
 * The reader a search's results are limited to: none for admins and when
 * authentication is off (no principal), so they see everything.
 *
 * @example
 * await searchRuns(c.var.db, req, searchReader(c));
 */
export function searchReader(c: AppContext): Reader | undefined {
  const principal = c.var.principal;
  if (!principal || principal.isAdmin) return undefined;
  return { userId: principal.userId, defaultReadable: allows(defaultPermission(c.env), "READ") };
}
