import { env } from "cloudflare:test";
import { readResponse } from "../helpers/api";
import { dispatch } from "../helpers/worker";

const BASE = "http://mlflare.test";

export const adminToken = (): string => (env as unknown as { MLFLARE_ADMIN_TOKEN: string }).MLFLARE_ADMIN_TOKEN;

export const bearer = (token: string) => `Bearer ${token}`;
export const basic = (username: string, password: string) => `Basic ${btoa(`${username}:${password}`)}`;

/** Calls the Worker with an optional Authorization header, as the stock client would. */
export async function send(
  method: string,
  path: string,
  opts: { auth?: string; query?: Record<string, string | string[]>; json?: unknown; body?: BodyInit; headers?: Record<string, string> } = {},
): Promise<{ status: number; json: any; res: Response }> {
  const url = new URL(BASE + path);
  for (const [k, v] of Object.entries(opts.query ?? {})) for (const item of [v].flat()) url.searchParams.append(k, item);
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.auth) headers.Authorization = opts.auth;
  let body = opts.body;
  if (opts.json !== undefined) {
    body = JSON.stringify(opts.json);
    headers["Content-Type"] = "application/json";
  }
  // The permission matrix sends thousands of requests per file: see dispatch() for why not SELF.fetch.
  return readResponse(await dispatch(url, { method, headers, body }));
}

/** A JSON request under /api/2.0 as admin; throws unless it succeeds. */
export async function asAdmin(method: string, path: string, payload: Record<string, unknown> = {}): Promise<any> {
  const r = method === "GET" ? await send(method, `/api/2.0${path}`, { auth: bearer(adminToken()), query: payload as Record<string, string> }) : await send(method, `/api/2.0${path}`, { auth: bearer(adminToken()), json: payload });
  if (r.status !== 200) throw new Error(`${method} ${path} failed: ${r.status} ${JSON.stringify(r.json)}`);
  return r.json;
}

let counter = 0;
export const uniqueName = (prefix: string) => `${prefix}-${Date.now()}-${counter++}`;

/** Creates a user with a password and a token; returns both credentials. */
export async function createUser(prefix = "user"): Promise<{ username: string; password: string; token: string }> {
  const username = uniqueName(prefix);
  const password = `pw-${username}`;
  await asAdmin("POST", "/mlflow/users/create", { username, password });
  const { secret } = await asAdmin("POST", "/mlflare/tokens/create", { username });
  return { username, password, token: secret };
}
