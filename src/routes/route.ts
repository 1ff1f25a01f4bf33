import type { Context } from "hono";
import type { Env } from "../env";
import type { Database } from "../store/db";

export type AppEnv = { Bindings: Env; Variables: { db: Database } };
export type AppContext = Context<AppEnv>;

export type Method = "GET" | "POST" | "PATCH" | "DELETE" | "PUT";

/** MLflow's permission levels, weakest first (NO_PERMISSIONS is the absence of one). */
export type Level = "READ" | "EDIT" | "MANAGE";

/**
 * Where a request names the experiment it touches. Every value found is checked, from the
 * query string, a JSON body (at any depth) and path parameters alike:
 * - "experiment_id": `experiment_id`, `experiment_ids`, header X-MLflow-Experiment-Id (none ⇒ "0", as runs/create)
 * - "experiment_name": `experiment_name`
 * - "run_id": `run_id`, `run_uuid`, `run_ids` → the run's experiment
 * - "artifact_path": the `path` path parameter or query field, whose leading segment is the experiment id
 * - "model_id": `model_id` → the logged model's experiment
 * - "trace_id": `trace_id`, `request_id`, `trace_ids`, `request_ids` → the trace's experiment
 */
export type ExperimentLocator = "experiment_id" | "experiment_name" | "run_id" | "artifact_path" | "model_id" | "trace_id";

/**
 * What a caller needs to use a route, declared once beside it. The authentication
 * middleware enforces it and the permission matrix test is generated from it.
 * - "public": no credential (health checks)
 * - "user": any authenticated caller; list/search results are filtered to what they can read
 * - "self": any authenticated caller, but a `username` in the request must be their own (admins: anyone's)
 * - "admin": administrators only
 * - `{ create }`: any authenticated caller, who then receives MANAGE on what they created
 * - `{ experiment, from }`: that level on the experiment(s) every listed locator names
 */
export type Access =
  | "public"
  | "user"
  | "self"
  | "admin"
  | { create: "experiment" | "registeredModel" }
  | { experiment: Level; from: ExperimentLocator | ExperimentLocator[] }
  | { registeredModel: Level; from: "name" };

/**
 * One operation of the API. `path` is relative to `/api/<api>.0` and mounted under
 * `/ajax-api/<api>.0` too; with `api: null` it is an absolute path.
 *
 * @example
 * { method: "GET", api: 2, path: "/mlflow/runs/get", access: { experiment: "READ", from: "run_id" }, handler: getRun }
 */
export interface Route {
  method: Method;
  api: 2 | 3 | null;
  path: string;
  access: Access;
  handler: (c: AppContext) => Promise<Response> | Response;
}

/** Every URL a route answers on. */
export function mountPaths(route: Route): string[] {
  if (route.api === null) return [route.path];
  return [`/api/${route.api}.0${route.path}`, `/ajax-api/${route.api}.0${route.path}`];
}
