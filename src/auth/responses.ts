import { jsonResponse } from "../protocol/json";

/** 401 with the challenge MLflow's basic-auth app sends; the client maps it to UNAUTHENTICATED. */
export function unauthenticated(message: string): Response {
  const res = jsonResponse({ error_code: "UNAUTHENTICATED", message }, 401);
  res.headers.set("WWW-Authenticate", 'Basic realm="mlflow"');
  return res;
}

export const permissionDenied = (message = "Permission denied"): Response =>
  jsonResponse({ error_code: "PERMISSION_DENIED", message }, 403);

/**
 * A Worker with authentication on but no admin credential refuses everything. 403 rather
 * than 5xx: the client would retry a 5xx for minutes before showing this message.
 */
export const notSetUp = (): Response =>
  permissionDenied(
    "mlflare is not set up: no administrator credential is configured. Set one with " +
      "`npx wrangler secret put MLFLARE_ADMIN_TOKEN` (see the README, Administration).",
  );

/** The period of the rate limiter in wrangler.toml; waiting one period is always enough. */
const RETRY_AFTER_SECONDS = 60;

export function rateLimited(): Response {
  const res = jsonResponse({ error_code: "REQUEST_LIMIT_EXCEEDED", message: "Too many requests for this credential; retry later." }, 429);
  res.headers.set("Retry-After", String(RETRY_AFTER_SECONDS));
  return res;
}
