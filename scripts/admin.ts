/**
 * mlflare administration over the REST API: users, API tokens and permissions.
 *
 *   npm run admin -- <command> [arguments]      (npm run admin -- help)
 *
 * Server and credential come from the environment the MLflow client uses:
 * MLFLOW_TRACKING_URI, and MLFLOW_TRACKING_TOKEN or MLFLOW_TRACKING_USERNAME + MLFLOW_TRACKING_PASSWORD.
 */
import { randomBytes } from "node:crypto";
import { parseArgs } from "node:util";

const HELP = `usage: npm run admin -- <command>

  whoami
  users list
  users create <username> [--password <pw>]     (a random password is printed if omitted)
  users delete <username>
  users set-admin <username> <true|false>
  users set-password <username> [<password>]    (a random password is printed if omitted)
  tokens create [--user <username>] [--name <name>] [--expires-in-days <n>] [--read-only]
  tokens list [--user <username>]
  tokens revoke <token_id>
  grant experiment <experiment_id> <username> <NO_PERMISSIONS|READ|EDIT|MANAGE>
  grant model <registered_model_name> <username> <NO_PERMISSIONS|READ|EDIT|MANAGE>
  revoke experiment <experiment_id> <username>
  revoke model <registered_model_name> <username>

environment: MLFLOW_TRACKING_URI, and MLFLOW_TRACKING_TOKEN or MLFLOW_TRACKING_USERNAME/MLFLOW_TRACKING_PASSWORD`;

class CliError extends Error {}

function authorization(): string {
  const { MLFLOW_TRACKING_USERNAME: user, MLFLOW_TRACKING_PASSWORD: password, MLFLOW_TRACKING_TOKEN: token } = process.env;
  // The same precedence as the MLflow client: Basic when both are set, else Bearer.
  if (user && password) return `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`;
  if (token) return `Bearer ${token}`;
  throw new CliError("set MLFLOW_TRACKING_TOKEN (or MLFLOW_TRACKING_USERNAME and MLFLOW_TRACKING_PASSWORD)");
}

async function api(method: string, path: string, payload: Record<string, unknown> = {}): Promise<any> {
  const base = process.env.MLFLOW_TRACKING_URI?.replace(/\/+$/, "");
  if (!base) throw new CliError("set MLFLOW_TRACKING_URI, e.g. https://mlflare.<you>.workers.dev");
  const url = new URL(`${base}/api/2.0${path}`);
  const init: RequestInit = { method, headers: { Authorization: authorization() } };
  if (method === "GET") {
    for (const [k, v] of Object.entries(payload)) if (v !== undefined) url.searchParams.set(k, String(v));
  } else {
    init.body = JSON.stringify(payload);
    (init.headers as Record<string, string>)["Content-Type"] = "application/json";
  }
  const res = await fetch(url, init);
  const text = await res.text();
  if (!res.ok) throw new CliError(`${method} ${path}: HTTP ${res.status} ${text}`);
  return text ? JSON.parse(text) : {};
}

/**
 * Calls `send` with the given password or, without one, a generated one that the answer
 * then shows once: it never appears on a command line or in shell history.
 */
async function withPassword(given: string | undefined, send: (password: string) => Promise<object>) {
  if (given) return send(given);
  const password = randomBytes(18).toString("base64url");
  return { ...(await send(password)), password };
}

/** Creates a grant, or changes it when the user already has one. */
async function grant(kind: string, resource: string, username: string, permission: string) {
  const [path, key] = kind === "experiment" ? ["/mlflow/experiments/permissions", "experiment_id"] : ["/mlflow/registered-models/permissions", "name"];
  const body = { [key]: resource, username, permission };
  try {
    return await api("POST", `${path}/create`, body);
  } catch (err) {
    if (!(err instanceof CliError) || !err.message.includes("RESOURCE_ALREADY_EXISTS")) throw err;
    await api("PATCH", `${path}/update`, body);
    return { updated: body };
  }
}

async function run(argv: string[]): Promise<unknown> {
  const { values: opt, positionals: args } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      password: { type: "string" },
      user: { type: "string" },
      name: { type: "string" },
      "expires-in-days": { type: "string" },
      "read-only": { type: "boolean" },
    },
  });
  const [group, action, a, b, c] = args;
  const need = (...xs: (string | undefined)[]) => {
    if (xs.some((x) => !x)) throw new CliError(`missing arguments\n\n${HELP}`);
  };
  switch (`${group} ${action ?? ""}`.trim()) {
    case "whoami":
      return api("GET", "/mlflow/users/current");
    case "users list":
      return api("GET", "/mlflow/users/list");
    case "users create":
      need(a);
      return withPassword(opt.password, (password) => api("POST", "/mlflow/users/create", { username: a, password }));
    case "users delete":
      need(a);
      return api("DELETE", "/mlflow/users/delete", { username: a });
    case "users set-admin":
      need(a, b);
      // Sent as typed: the server takes only true or false, so a typo is refused, not false.
      return api("PATCH", "/mlflow/users/update-admin", { username: a, is_admin: b });
    case "users set-password":
      need(a);
      return withPassword(b, (password) => api("PATCH", "/mlflow/users/update-password", { username: a, password }));
    case "tokens create":
      return api("POST", "/mlflare/tokens/create", {
        username: opt.user,
        name: opt.name,
        // As typed: the server refuses anything but a whole number of days in its range.
        expires_in_days: opt["expires-in-days"],
        read_only: opt["read-only"] ?? false,
      });
    case "tokens list":
      return api("GET", "/mlflare/tokens/list", { username: opt.user });
    case "tokens revoke":
      need(a);
      return api("POST", "/mlflare/tokens/revoke", { token_id: a });
    case "grant experiment":
    case "grant model":
      need(a, b, c);
      return grant(action, a, b, c.toUpperCase());
    case "revoke experiment":
      need(a, b);
      return api("DELETE", "/mlflow/experiments/permissions/delete", { experiment_id: a, username: b });
    case "revoke model":
      need(a, b);
      return api("DELETE", "/mlflow/registered-models/permissions/delete", { name: a, username: b });
    default:
      throw new CliError(HELP);
  }
}

run(process.argv.slice(2)).then(
  (out) => console.log(JSON.stringify(out, null, 2)),
  (err) => {
    console.error(err instanceof CliError ? err.message : err);
    process.exit(1);
  },
);
