import { Hono } from "hono";
import { authentication } from "./auth/middleware";
import { isLocal } from "./env";
import { MlflowError } from "./protocol/errors";
import { jsonResponse } from "./protocol/json";
import { mountPaths, type AppEnv, type Method, type Route } from "./routes/route";
import { isValueTooBig, openDatabase } from "./store/db";

const NOT_FOUND_PAGE =
  "<!doctype html>\n<html lang=en>\n<title>404 Not Found</title>\n<h1>Not Found</h1>\n<p>The requested URL was not found on the server. If you entered the URL manually please check your spelling and try again.</p>\n";
const NOT_ALLOWED_PAGE =
  "<!doctype html>\n<html lang=en>\n<title>405 Method Not Allowed</title>\n<h1>Method Not Allowed</h1>\n<p>The method is not allowed for the requested URL.</p>\n";
const HTML = { "Content-Type": "text/html; charset=utf-8" };

/** Header through which local mode reports the D1 round trips a request made. */
export const D1_CALLS_HEADER = "X-Mlflare-D1-Calls";

/**
 * Builds the Worker's app from a route table: each route under its mounts, then
 * MLflow's routing behaviour for the rest (405 with `Allow`, OPTIONS, plain 404).
 */
export function buildApp(routes: readonly Route[]): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  app.use(async (c, next) => {
    const trips = isLocal(c.env) ? { count: 0 } : undefined;
    c.set("db", openDatabase(c.env.DB, trips));
    await next();
    if (trips) c.res.headers.set(D1_CALLS_HEADER, String(trips.count));
  });
  // Authentication and authorization from each route's `access` (src/auth/middleware.ts).
  app.use(authentication(routes));

  const methodsByPath = new Map<string, Set<Method>>();
  for (const route of routes) {
    for (const path of mountPaths(route)) {
      app.on(route.method, path, route.handler);
      const methods = methodsByPath.get(path) ?? new Set<Method>();
      methods.add(route.method);
      methodsByPath.set(path, methods);
    }
  }
  for (const [path, methods] of methodsByPath) {
    const allow = allowHeader(methods);
    app.all(path, (c) =>
      c.req.method === "OPTIONS"
        ? new Response(null, { status: 204, headers: { ...HTML, Allow: allow } })
        : new Response(NOT_ALLOWED_PAGE, { status: 405, headers: { ...HTML, Allow: allow } }),
    );
  }

  app.notFound(() => new Response(NOT_FOUND_PAGE, { status: 404, headers: HTML }));
  app.onError((err) => {
    if (err instanceof MlflowError) return jsonResponse(err.toJSON(), err.status);
    if (isValueTooBig(err)) {
      // A request whose rows exceed D1's 2 MB per value: its batch rolled back whole, and
      // retrying cannot help, so it is the caller's 400 rather than a retried 5xx.
      return jsonResponse({ error_code: "INVALID_PARAMETER_VALUE", message: "Request too large: a value exceeds the 2 MB storage limit; split it across requests." }, 400);
    }
    console.error(err);
    return jsonResponse({ error_code: "INTERNAL_ERROR", message: "Internal server error" }, 500);
  });
  return app;
}

function allowHeader(methods: Set<Method>): string {
  const all: string[] = [...methods, "OPTIONS"];
  if (methods.has("GET")) all.push("HEAD");
  return all.join(", ");
}
