import type { Context } from "hono";
import type { Access, AppEnv, ExperimentLocator, Level, Route } from "../routes/route";
import { experimentGrants, registeredModelGrants } from "../store/permissions";
import { allows, defaultPermission, isPermission, type Permission } from "./config";
import { locate } from "./locate";
import type { Principal } from "./principal";
import { readFields } from "./request-fields";

/** Why a request is refused, or undefined when it may go on. */
export type Verdict = undefined | { denied: string };

const DENIED: Verdict = { denied: "Permission denied" };

/**
 * Decides whether `principal` may use `route` with this request, per the route's
 * declared access. Admins pass everything but a read-only token's limits.
 *
 * @example
 * const verdict = await authorize(c, route, params, principal);
 * if (verdict) return permissionDenied(verdict.denied);
 */
export async function authorize(c: Context<AppEnv>, route: Route, params: Record<string, string>, principal: Principal): Promise<Verdict> {
  const access = route.access;
  if (principal.readOnly && !isReadRoute(route)) return { denied: "Permission denied: this API token is read-only." };
  if (principal.isAdmin || access === "public" || access === "user" || (typeof access === "object" && "create" in access)) return undefined;
  if (access === "admin") return DENIED;
  const fields = await readFields(c, params, needsBody(access));
  if (access === "self") return fields.values("username").every((u) => u === principal.username) ? undefined : DENIED;
  const fallback = defaultPermission(c.env);
  if ("registeredModel" in access) {
    const names = [...new Set(fields.values("name"))];
    const grants = new Map((await registeredModelGrants(c.var.db, principal.userId, names)).map((g) => [g.name, g.permission]));
    return names.every((n) => permits(grants.get(n), fallback, access.registeredModel)) ? undefined : DENIED;
  }
  const { experiment: level, from } = access as { experiment: Level; from: ExperimentLocator | ExperimentLocator[] };
  const located = locate(Array.isArray(from) ? from : [from], fields);
  if (located === "unlocatable") return DENIED;
  const grants = await experimentGrants(c.var.db, principal.userId, located);
  return grants.every((g) => permits(g.permission, fallback, level)) ? undefined : DENIED;
}

function permits(granted: string | null | undefined, fallback: Permission, needed: Level): boolean {
  const effective = granted == null ? fallback : isPermission(granted) ? granted : "NO_PERMISSIONS";
  return allows(effective, needed);
}

/** Only the artifact path locator lives outside the body; the rest may be in a JSON body. */
function needsBody(access: Access): boolean {
  if (typeof access !== "object" || !("experiment" in access)) return true;
  return (Array.isArray(access.from) ? access.from : [access.from]).some((l) => l !== "artifact_path");
}

const READ_POST = /\/(search|batchGet\w*|get[\w-]*)$/;

/**
 * Routes a read-only token may use: GETs, routes that need only READ, and POSTs that
 * only query (searches and batched gets).
 */
function isReadRoute(route: Route): boolean {
  const access = route.access;
  if (route.method === "GET") return true;
  if (typeof access === "object" && (("experiment" in access && access.experiment === "READ") || ("registeredModel" in access && access.registeredModel === "READ"))) return true;
  return route.method === "POST" && (access === "user" || access === "public") && READ_POST.test(route.path);
}
