import { env } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { sha256Hex } from "../../src/auth/crypto";
import { routes } from "../../src/routes/index";
import { mountPaths, type Access, type Level, type Route } from "../../src/routes/route";
import { adminToken, asAdmin, bearer, createUser, send, uniqueName } from "./helpers";

/**
 * The permission matrix: every route of the table the Worker is built from, on every mount,
 * by every kind of caller, must be allowed or refused exactly as its `access` declares.
 * Each route and mount gets fresh resources, so what one caller does (a MANAGE user deleting
 * the model) cannot change what the next one is allowed.
 */

type Caller = "none" | "wrong" | "expired" | "revoked" | "NO_PERMISSIONS" | Level | "admin";
const CALLERS: Caller[] = ["none", "wrong", "expired", "revoked", "NO_PERMISSIONS", "READ", "EDIT", "MANAGE", "admin"];
const RANK = { NO_PERMISSIONS: 0, READ: 1, EDIT: 2, MANAGE: 3 } as const;

/** What a caller must get: "allowed" (any status but 401/403), or the refusal status. */
function expected(access: Access, caller: Caller): "allowed" | 401 | 403 {
  if (access === "public") return "allowed";
  if (caller === "none" || caller === "wrong" || caller === "expired" || caller === "revoked") return 401;
  if (caller === "admin") return "allowed";
  if (access === "user" || access === "self") return "allowed";
  if (access === "admin") return 403;
  if ("create" in access) return "allowed";
  const needed = "experiment" in access ? access.experiment : access.registeredModel;
  if (!(needed in RANK)) throw new Error(`unknown level ${needed}`);
  return RANK[caller] >= RANK[needed] ? "allowed" : 403;
}

const users: Partial<Record<Level | "NO_PERMISSIONS", { username: string; token: string; id: number }>> = {};
const auth: Partial<Record<Caller, string>> = {};
const has = (method: string, path: string) => routes.some((r) => r.method === method && r.path === path);

async function setUpCallers() {
  for (const level of ["NO_PERMISSIONS", "READ", "EDIT", "MANAGE"] as const) {
    const u = await createUser(level.toLowerCase());
    const { user } = await asAdmin("GET", "/mlflow/users/get", { username: u.username });
    users[level] = { username: u.username, token: u.token, id: user.id };
    auth[level] = bearer(u.token);
  }
  auth.admin = bearer(adminToken());
  auth.wrong = bearer("mlf_" + "x".repeat(43));
  const revoked = await asAdmin("POST", "/mlflare/tokens/create", { username: users.MANAGE!.username });
  await asAdmin("POST", "/mlflare/tokens/revoke", { token_id: revoked.token.token_id });
  auth.revoked = bearer(revoked.secret);
  const expiredSecret = `mlf_expired_${uniqueName("t")}`;
  await env.DB.prepare("INSERT INTO api_tokens (token_id, user_id, name, token_hash, read_only, creation_time, expiry_time) VALUES (?, ?, 'old', ?, 0, ?, ?)")
    .bind(uniqueName("tok"), users.MANAGE!.id, await sha256Hex(expiredSecret), Date.now() - 10_000, Date.now() - 1_000)
    .run();
  auth.expired = bearer(expiredSecret);
}

/** Fresh resources, granted READ/EDIT/MANAGE to the matching users; NO_PERMISSIONS gets an explicit denial. */
async function fixture() {
  const experimentName = uniqueName("matrix");
  const { experiment_id: experimentId } = await asAdmin("POST", "/mlflow/experiments/create", { name: experimentName });
  const { run } = await asAdmin("POST", "/mlflow/runs/create", { experiment_id: experimentId });
  const runId: string = run.info.run_id;
  const modelId = has("POST", "/mlflow/logged-models") ? findKey(await asAdmin("POST", "/mlflow/logged-models", { experiment_id: experimentId }), "model_id") : undefined;
  const traceId = `tr-${crypto.randomUUID().replace(/-/g, "")}`;
  if (has("POST", "/mlflow/traces")) {
    const trace_info = { trace_id: traceId, trace_location: { type: "MLFLOW_EXPERIMENT", mlflow_experiment: { experiment_id: experimentId } }, request_time: new Date().toISOString(), state: "OK" };
    const r = await send("POST", "/api/3.0/mlflow/traces", { auth: auth.admin, json: { trace: { trace_info } } });
    if (r.status !== 200) throw new Error(`trace fixture: ${r.status} ${JSON.stringify(r.json)}`);
  }
  const modelName = uniqueName("matrix-model");
  const withModel = has("POST", "/mlflow/registered-models/create");
  if (withModel) await asAdmin("POST", "/mlflow/registered-models/create", { name: modelName });
  const stmts = (["NO_PERMISSIONS", "READ", "EDIT", "MANAGE"] as const).flatMap((level) => [
    env.DB.prepare("INSERT INTO experiment_permissions (experiment_id, user_id, permission) VALUES (?, ?, ?)").bind(Number(experimentId), users[level]!.id, level),
    ...(withModel ? [env.DB.prepare("INSERT INTO registered_model_permissions (name, user_id, permission) VALUES (?, ?, ?)").bind(modelName, users[level]!.id, level)] : []),
  ]);
  await env.DB.batch(stmts);
  return { experimentId, experimentName, runId, modelId, traceId, modelName };
}

function findKey(value: unknown, key: string): string | undefined {
  if (value === null || typeof value !== "object") return undefined;
  for (const [k, v] of Object.entries(value)) {
    if (k === key && typeof v === "string") return v;
    const found = findKey(v, key);
    if (found) return found;
  }
  return undefined;
}

type Fixture = Awaited<ReturnType<typeof fixture>>;

/** A request naming the fixture everywhere a locator may look, as `caller`. */
function request(route: Route, mount: string, f: Fixture, caller: Caller) {
  const artifactPath = `${f.experimentId}/${f.runId}/artifacts/matrix.txt`;
  const pathParams: Record<string, string> = { model_id: f.modelId ?? "m-none", trace_id: f.traceId, request_id: f.traceId, path: artifactPath };
  const url = mount.replace(/:(\w+)(\{[^}]*\})?/g, (_, name: string) => encodeURIComponent(pathParams[name] ?? "x").replace(/%2F/g, "/"));
  const self = caller in users ? users[caller as keyof typeof users]!.username : "admin";
  const fields: Record<string, unknown> = {
    experiment_id: f.experimentId,
    experiment_name: f.experimentName,
    run_id: f.runId,
    run_uuid: f.runId,
    model_id: f.modelId ?? "m-none",
    trace_id: f.traceId,
    name: f.modelName,
    // Only "self" routes name the caller; others name nobody, so no handler changes a grant or a user.
    username: route.access === "self" ? self : uniqueName("nobody"),
    path: `${f.experimentId}/${f.runId}/artifacts`,
  };
  const opts = { auth: auth[caller], headers: {} as Record<string, string> };
  if (route.method === "GET") return send("GET", url, { ...opts, query: fields as Record<string, string> });
  if (route.method === "PUT") return send("PUT", url, { ...opts, body: "matrix", headers: { "Content-Type": "text/plain" } });
  return send(route.method, url, { ...opts, json: fields });
}

/**
 * Declares the matrix tests, one per route.
 *
 * @example
 * runMatrix(); // in test/auth/matrix.test.ts
 */
export function runMatrix() {
  beforeAll(setUpCallers);

  describe("permission matrix", () => {
    it("covers a route table whose every route declares its access", () => {
      expect(routes.length).toBeGreaterThan(20);
      for (const route of routes) expect(() => expected(route.access, "READ"), `${route.method} ${route.path}`).not.toThrow();
    });

    routes.forEach((route) => {
      it(`${route.method} ${route.path} (${JSON.stringify(route.access)})`, async () => {
        const failures: string[] = [];
        for (const mount of mountPaths(route)) {
          const f = await fixture();
          for (const caller of CALLERS) {
            const want = expected(route.access, caller);
            const r = await request(route, mount, f, caller);
            // A public route may refuse by its own rules (an unsigned shared link), never for want of a credential.
            const refused = route.access === "public" ? r.status === 401 : r.status === 401 || r.status === 403;
            const got = refused ? r.status : "allowed";
            if (got !== want) failures.push(`${mount} as ${caller}: expected ${want}, got ${r.status} ${JSON.stringify(r.json)?.slice(0, 200)}`);
          }
        }
        expect(failures).toEqual([]);
      });
    });
  });
}
