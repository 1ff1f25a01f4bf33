import { SELF } from "cloudflare:test";

const BASE = "http://mlflare.test";

/** Calls the Worker as the stock client does: JSON POST bodies, GET query strings. */
export async function call(method: string, path: string, body?: unknown): Promise<{ status: number; json: any; res: Response }> {
  let url = `${BASE}${path}`;
  const init: RequestInit = { method };
  if (method === "GET" && body) {
    url += `?${toQuery(body as Record<string, unknown>)}`;
  } else if (body !== undefined) {
    init.body = JSON.stringify(body);
    init.headers = { "Content-Type": "application/json" };
  }
  return readResponse(await SELF.fetch(url, init));
}

/** Status, the body as JSON (undefined when it is not JSON) and the response itself. */
export async function readResponse(res: Response): Promise<{ status: number; json: any; res: Response }> {
  const text = await res.text();
  let json: any;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: res.status, json, res };
}

export const post = (path: string, body: unknown = {}) => call("POST", `/api/2.0/mlflow${path}`, body);
export const get = (path: string, query: Record<string, unknown> = {}) => call("GET", `/api/2.0/mlflow${path}`, query);

function toQuery(q: Record<string, unknown>): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(q)) {
    for (const item of Array.isArray(v) ? v : [v]) p.append(k, String(item));
  }
  return p.toString();
}

let counter = 0;
/** A name unique within this test file's storage. */
export const unique = (prefix: string) => `${prefix}-${Date.now()}-${counter++}`;

export async function createExperiment(name = unique("exp")): Promise<string> {
  const r = await post("/experiments/create", { name });
  if (r.status !== 200) throw new Error(`create experiment failed: ${JSON.stringify(r.json)}`);
  return r.json.experiment_id;
}

/** Asserts an MLflow error envelope with the given status and code. */
export function expectError(r: { status: number; json: any }, status: number, code: string) {
  if (r.status !== status || r.json?.error_code !== code) {
    throw new Error(`expected ${status} ${code}, got ${r.status} ${JSON.stringify(r.json)}`);
  }
}

/** PATCH and DELETE with JSON bodies, as the client sends registry updates and deletes. */
export const patch = (path: string, body: unknown = {}) => call("PATCH", `/api/2.0/mlflow${path}`, body);
export const del = (path: string, body: unknown = {}) => call("DELETE", `/api/2.0/mlflow${path}`, body);

export async function createRegisteredModel(name = unique("model"), extra: Record<string, unknown> = {}): Promise<string> {
  const r = await post("/registered-models/create", { name, ...extra });
  if (r.status !== 200) throw new Error(`create model failed: ${JSON.stringify(r.json)}`);
  return name;
}

export async function createModelVersion(name: string, extra: Record<string, unknown> = {}) {
  const r = await post("/model-versions/create", { name, source: "mlflow-artifacts:/1/models/m/artifacts", ...extra });
  if (r.status !== 200) throw new Error(`create version failed: ${JSON.stringify(r.json)}`);
  return r.json.model_version;
}
