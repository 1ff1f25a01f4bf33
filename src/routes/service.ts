import { jsonResponse } from "../protocol/json";
import type { Route } from "./route";

/** MLflow's version, as `/version` reports it; the client enables features by it. */
const MLFLOW_VERSION = "3.11.2";

const text = (body: string) => new Response(body, { headers: { "Content-Type": "text/plain; charset=utf-8" } });

export const serviceRoutes: Route[] = [
  // Flask answers the health check as HTML; monitors that match the media type keep working.
  { method: "GET", api: null, path: "/health", access: "public", handler: () => new Response("OK", { headers: { "Content-Type": "text/html; charset=utf-8" } }) },
  { method: "GET", api: null, path: "/version", access: "public", handler: () => text(MLFLOW_VERSION) },
  {
    method: "GET",
    api: 3,
    path: "/mlflow/server-info",
    access: "user",
    handler: () => jsonResponse({ store_type: "SqlStore", workspaces_enabled: false }),
  },
];
