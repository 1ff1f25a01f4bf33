import type { Env } from "../env";
import { isLocal } from "../env";
import type { Level } from "../routes/route";

/** MLflow's permission names, weakest first. */
export const PERMISSIONS = ["NO_PERMISSIONS", "READ", "EDIT", "MANAGE"] as const;
export type Permission = (typeof PERMISSIONS)[number];

export const isPermission = (value: unknown): value is Permission => PERMISSIONS.includes(value as Permission);

/** Whether `granted` allows what `needed` requires. */
export const allows = (granted: Permission, needed: Level): boolean => PERMISSIONS.indexOf(granted) >= PERMISSIONS.indexOf(needed);

/**
 * Deployed, authentication is always on; local mode (`npm start`, tests) turns it on
 * only with `MLFLARE_AUTH=on`.
 */
export const authEnabled = (env: Env): boolean => !isLocal(env) || env.MLFLARE_AUTH === "on";

/**
 * The permission users hold where no grant names them (MLflow's `default_permission`):
 * READ unless configured; a value we do not know grants nothing rather than guessing.
 */
export function defaultPermission(env: Env): Permission {
  if (env.MLFLARE_DEFAULT_PERMISSION === undefined) return "READ";
  const configured = env.MLFLARE_DEFAULT_PERMISSION.trim().toUpperCase();
  return isPermission(configured) ? configured : "NO_PERMISSIONS";
}

export const adminUsername = (env: Env): string => env.MLFLARE_ADMIN_USERNAME?.trim() || "admin";
