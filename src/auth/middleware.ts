import type { MiddlewareHandler } from "hono";
import { TrieRouter } from "hono/router/trie-router";
import { getPath } from "hono/utils/url";
import { mountPaths, type AppEnv, type Route } from "../routes/route";
import { grantExperimentIfAbsent, grantRegisteredModelIfAbsent } from "../store/permissions";
import { authenticate } from "./authenticate";
import { authorize } from "./authorize";
import { authEnabled } from "./config";
import { parseAuthorization, type Credential } from "./credentials";
import { sha256Hex } from "./crypto";
import type { Principal } from "./principal";
import { notSetUp, permissionDenied, rateLimited, unauthenticated } from "./responses";

/**
 * Authentication and authorization for every route, from the routes' own `access`
 * declarations. Install it after the database middleware: `app.use(authentication(routes))`.
 * Local mode without `MLFLARE_AUTH=on` lets everything through.
 */
export function authentication(routes: readonly Route[]): MiddlewareHandler<AppEnv> {
  const table = routeTable(routes);
  return async (c, next) => {
    if (!authEnabled(c.env)) return next();
    const method = c.req.method === "HEAD" ? "GET" : c.req.method;
    const [matches] = table.match(method, getPath(c.req.raw));
    const [route, params] = matches[0] ?? [];
    if (route?.access === "public" || method === "OPTIONS") return next();
    if (!c.env.MLFLARE_ADMIN_TOKEN) return notSetUp();

    const credential = parseAuthorization(c.req.header("Authorization"));
    if (credential === null) return unauthenticated("You are not authenticated: send an API token (MLFLOW_TRACKING_TOKEN) or a username and password.");
    if (c.env.RATE_LIMITER && !(await c.env.RATE_LIMITER.limit({ key: await rateKey(credential, c.req.header("Authorization")!) })).success) {
      return rateLimited();
    }
    const principal = credential === "malformed" ? null : await authenticate(c.env, c.var.db, credential);
    if (!principal) return unauthenticated("The credential is not valid (wrong, expired or revoked).");
    c.set("principal", principal);
    if (!route) return next();

    const verdict = await authorize(c, route, decodeParams(params as Record<string, string>), principal);
    if (verdict) return permissionDenied(verdict.denied);
    await next();
    if (typeof route.access === "object" && "create" in route.access && c.res.status === 200) {
      await grantCreator(c.var.db, route.access.create, c.res.clone(), principal);
    }
  };
}

function routeTable(routes: readonly Route[]) {
  const router = new TrieRouter<Route>();
  for (const route of routes) for (const path of mountPaths(route)) router.add(route.method, path, route);
  return router;
}

/** Basic credentials are limited per user name, so guessing passwords is limited too. */
async function rateKey(credential: Credential | "malformed", header: string): Promise<string> {
  if (credential !== "malformed" && credential.kind === "basic") return `basic:${credential.username}`;
  return `header:${await sha256Hex(header)}`;
}

function decodeParams(params: Record<string, string> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(params ?? {})) {
    try {
      out[k] = decodeURIComponent(v);
    } catch {
      out[k] = v;
    }
  }
  return out;
}

/** MLflow gives the creator of an experiment or registered model MANAGE on it. */
async function grantCreator(db: AppEnv["Variables"]["db"], kind: "experiment" | "registeredModel", res: Response, principal: Principal) {
  const body = (await res.json().catch(() => ({}))) as { experiment_id?: string; registered_model?: { name?: string } };
  if (kind === "experiment" && body.experiment_id !== undefined) {
    await grantExperimentIfAbsent(db, Number(body.experiment_id), principal.userId, "MANAGE");
  } else if (kind === "registeredModel" && body.registered_model?.name) {
    await grantRegisteredModelIfAbsent(db, body.registered_model.name, principal.userId, "MANAGE");
  }
}
